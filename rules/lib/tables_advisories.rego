# Published security advisories about GitHub Actions: the facts
# known-vulnerable-action judges by, written from the advisories
# themselves (GitHub's advisory database, the CVE records and the
# maintainers' own notices). `pipelint check --advisories FILE` adds
# GitHub's whole export in OSV form, read into the same shape
# (data.pipelint.config.advisories); a policy extends this partial set
# from another file of this package.
#
# Each advisory: id, aliases, summary, severity (critical, high, medium or
# low) and what it affects, per action (owner/repo, or owner/repo/path for
# one action of a repository): `ranges` of versions, each from
# `introduced` ("0": every earlier one) up to `fixed` (excluded) or
# `last_affected` (included), both "" when no version is fixed;
# `versions` listed one by one; `commits` (full SHAs) published as
# compromised. Only commits an advisory or the action's maintainers
# published are listed here.
package pipelint.lib.tables

action_advisories contains advisory if some advisory in [
	{
		# The tags v1 to v45.0.7 were moved on 2025-03-14 and 15 to a
		# commit that printed the runner's secrets into the log; the
		# maintainers moved them back and released 46.0.1 (the advisory,
		# the CVE record and the v46 release notes name the commit).
		"id": "GHSA-mrrh-fwg8-r2c3",
		"aliases": ["CVE-2025-30066"],
		"summary": "tj-actions/changed-files tags moved to a commit that dumps secrets to the log",
		"severity": "high",
		"affected": [{
			"action": "tj-actions/changed-files",
			"ranges": [{"introduced": "0", "fixed": "46.0.1", "last_affected": ""}],
			"versions": [],
			"commits": ["0e58ed8671d6b60d0890c21b07f8835ace038e67"],
		}],
	},
	{
		"id": "GHSA-mcph-m25j-8j63",
		"aliases": ["CVE-2023-51664"],
		"summary": "tj-actions/changed-files outputs file names unescaped: command injection where they reach a script",
		"severity": "high",
		"affected": [{
			"action": "tj-actions/changed-files",
			"ranges": [{"introduced": "0", "fixed": "41.0.0", "last_affected": ""}],
			"versions": [], "commits": [],
		}],
	},
	{
		"id": "GHSA-ghm2-rq8q-wrhc",
		"aliases": ["CVE-2023-52137"],
		"summary": "tj-actions/verify-changed-files outputs file names unescaped: command injection where they reach a script",
		"severity": "high",
		"affected": [{
			"action": "tj-actions/verify-changed-files",
			"ranges": [{"introduced": "0", "fixed": "17.0.0", "last_affected": ""}],
			"versions": [], "commits": [],
		}],
	},
	{
		"id": "GHSA-8v8w-v8xg-79rf",
		"aliases": ["CVE-2023-49291"],
		"summary": "tj-actions/branch-names substitutes the head branch name into its own script: code injection",
		"severity": "critical",
		"affected": [{
			"action": "tj-actions/branch-names",
			"ranges": [{"introduced": "0", "fixed": "7.0.7", "last_affected": ""}],
			"versions": [], "commits": [],
		}],
	},
	{
		# reviewdog/action-setup@v1 pointed at a malicious commit on
		# 2025-03-11 between 18:42 and 20:31 UTC, then back. The tag is
		# what the advisory lists, but it has been restored and no version
		# fixes it, so only the commit tells the compromised code apart.
		# reviewdog/action-shellcheck, action-composite-template,
		# action-staticcheck, action-ast-grep and action-typos ran it
		# through that tag, whatever their own version: no ref of theirs
		# identifies the compromise, so they are not listed.
		"id": "GHSA-qmg3-hpqr-gqvc",
		"aliases": ["CVE-2025-30154"],
		"summary": "reviewdog/action-setup@v1 moved to a commit that dumps secrets to the log",
		"severity": "high",
		"affected": [{
			"action": "reviewdog/action-setup",
			"ranges": [], "versions": [],
			"commits": ["f0d342d24037bb11d26b9bd8496e0808ba32e9ec"],
		}],
	},
	{
		"id": "GHSA-cxww-7g56-2vh6",
		"aliases": ["CVE-2024-42471"],
		"summary": "actions/download-artifact writes outside its directory when an artifact holds ../ paths",
		"severity": "high",
		"affected": [{
			"action": "actions/download-artifact",
			"ranges": [{"introduced": "4.0.0", "fixed": "4.1.3", "last_affected": ""}],
			"versions": [], "commits": [],
		}],
	},
]

# action_advisories_by_name indexes action_advisories by the lower-case
# name of each action they affect: {name: {{"advisory", "affected"}}}.
action_advisories_by_name[name] contains {"advisory": a, "affected": affected} if {
	some a in action_advisories
	some affected in a.affected
	name := lower(affected.action)
}

# compromised_advisories are the ids of the advisories that list
# compromised commits.
compromised_advisories contains a.id if {
	some a in action_advisories
	some affected in a.affected
	count(affected.commits) > 0
}

# advised_repositories are the repositories (owner/repo, lower case) of
# the actions action_advisories affect: a reference to any other is not
# looked at further.
advised_repositories contains lower(concat("/", array.slice(split(affected.action, "/"), 0, 2))) if {
	some a in action_advisories
	some affected in a.affected
}
