package pipelint.rules.known_vulnerable_action_test

import data.pipelint.rules.known_vulnerable_action

pos := {"file": "w.yml", "line": 6, "column": 15, "end_line": 6, "end_column": 40}

# ref builds an action reference from owner/repo[/path]@ref.
ref(uses, comment) := {
	"kind": "action", "value": {"value": uses, "pos": pos},
	"owner": parts[0], "repo": parts[1], "path": concat("/", array.slice(parts, 2, count(parts))),
	"ref": r, "version_comment": comment,
	"pinned": regex.match(`^[0-9a-f]{40}$`, r), "local": false, "dynamic": false,
} if {
	at := split(uses, "@")
	parts := split(at[0], "/")
	r := concat("", array.slice(at, 1, 2))
}

findings(uses, comment) := found if {
	found := known_vulnerable_action.findings with input as {"references": [ref(uses, comment)]}
}

severities(uses, comment) := [f.severity | some f in findings(uses, comment)]

test_tag_in_range if {
	findings("tj-actions/changed-files@v44.5.1", "") == {{
		"msg": `action "tj-actions/changed-files@v44.5.1" is in the affected range of GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066); update to 46.0.1 or later`,
		"pos": pos,
		"severity": "high",
	}}
}

# Every advisory whose range holds the version is named once, and the fix
# leaves them all.
test_two_advisories if {
	[f.msg | some f in findings("tj-actions/changed-files@v35", "")] == [`action "tj-actions/changed-files@v35" is in the affected range of GHSA-mcph-m25j-8j63 (CVE-2023-51664) and GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066); update to 46.0.1 or later`]
}

# A tag names the newest release of its line: v4 of download-artifact is
# past 4.1.3, v4.1 too; v3 is before the range.
test_version_comparison if {
	every uses, want in {
		"actions/download-artifact@v4.0.0": 1, "actions/download-artifact@4.1.2": 1, "actions/download-artifact@v4.1.2-beta": 1,
		"actions/download-artifact@v4": 0, "actions/download-artifact@v4.1": 0, "actions/download-artifact@v4.1.3": 0,
		"actions/download-artifact@v3": 0, "actions/download-artifact@v3.0.2": 0, "actions/download-artifact@main": 0,
		"tj-actions/changed-files@v45": 1, "tj-actions/changed-files@v46": 0, "tj-actions/changed-files@v46.0.0": 1,
		"tj-actions/changed-files@v46.0.1": 0, "tj-actions/changed-files@v47.0.6": 0, "tj-actions/changed-files@main": 0,
		"tj-actions/changed-files": 0,
	} {
		count(findings(uses, "")) == want
	}
}

# A SHA is judged by its version comment; without one, only by the list
# of compromised commits. Against an advisory that lists compromised
# commits, a SHA that is not one of them is not affected: the tags moved,
# the commit did not.
test_sha_by_version_comment if {
	sha := "ed68ef82c095e0d48ec87eccea555d944a631a4c"
	[f.msg | some f in findings(concat("@", ["tj-actions/changed-files", sha]), "v40")] == [sprintf(`action "tj-actions/changed-files@%s" (by its version comment "v40") is in the affected range of GHSA-mcph-m25j-8j63 (CVE-2023-51664); update to 41.0.0 or later`, [sha])]
	count(findings(concat("@", ["tj-actions/changed-files", sha]), "v44")) == 0
	count(findings(concat("@", ["tj-actions/changed-files", sha]), "")) == 0
	count(findings(concat("@", ["tj-actions/changed-files", sha]), "v46.0.3")) == 0
	count(findings(concat("@", ["actions/download-artifact", sha]), "release/v4.1.2")) == 1
}

# An advisory supplied without its commits is still a compromise when the
# table lists commits for its id.
test_supplied_copy_of_a_compromise if {
	copy := [{"id": "GHSA-mrrh-fwg8-r2c3", "aliases": [], "summary": "", "severity": "HIGH", "affected": [{
		"action": "tj-actions/changed-files", "versions": [], "commits": [],
		"ranges": [{"introduced": "0", "fixed": "46.0.1", "last_affected": ""}],
	}]}]
	count(findings("tj-actions/changed-files@ed68ef82c095e0d48ec87eccea555d944a631a4c", "v44")) == 0 with data.pipelint.config.advisories as copy
	severities("tj-actions/changed-files@v44", "") == ["high"] with data.pipelint.config.advisories as copy
}

test_compromised_commit if {
	findings("tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67", "v45.0.7") == {{
		"msg": `action "tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67" is pinned to a commit that GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066) lists as compromised; pin the commit of 46.0.1 or later and rotate the secrets of every run that used it`,
		"pos": pos,
		"severity": "critical",
	}}
	severities("reviewdog/action-setup@f0d342d24037bb11d26b9bd8496e0808ba32e9ec", "") == ["critical"]
	severities("reviewdog/action-setup@f0d342d", "") == ["critical"]
}

# The reviewdog tag was restored and no version fixes it: the tag itself
# is not reported, nor the actions that ran it.
test_restored_tag if {
	count(findings("reviewdog/action-setup@v1", "")) == 0
	count(findings("reviewdog/action-shellcheck@v1", "")) == 0
}

test_names_compare_without_case_and_by_repository if {
	count(findings("TJ-Actions/Changed-Files@v40", "")) == 1
	count(findings("actions/download-artifact/sub@v4.0.0", "")) == 1
}

test_local_and_dynamic_refs_are_not_judged if {
	count(known_vulnerable_action.findings) == 0 with input as {"references": [
		object.union(ref("tj-actions/changed-files@v1", ""), {"local": true}),
		object.union(ref("tj-actions/changed-files@v1", ""), {"dynamic": true}),
		object.union(ref("tj-actions/changed-files@v1", ""), {"kind": "image"}),
	]}
}

supplied := [{
	"id": "GHSA-test", "aliases": [], "summary": "", "severity": "low",
	"affected": [
		{"action": "octo-org/tool", "ranges": [{"introduced": "2.0", "fixed": "", "last_affected": "2.4.1"}], "versions": ["v1.9.9"], "commits": []},
		{"action": "octo-org/other", "ranges": [{"introduced": "0", "fixed": "", "last_affected": ""}], "versions": [], "commits": []},
	],
}]

found(uses) := msgs if {
	msgs := {f.msg | some f in findings(uses, "")} with data.pipelint.config.advisories as supplied
}

# Advisories supplied with --advisories reach the rule as data.
test_supplied_advisories if {
	found("octo-org/tool@v2.4.1") == {`action "octo-org/tool@v2.4.1" is in the affected range of GHSA-test; update to a release after 2.4.1`}
	found("octo-org/tool@v1.9.9") == {`action "octo-org/tool@v1.9.9" is in the affected range of GHSA-test; update to a release after 2.4.1`}
	found("octo-org/tool@v2.4.2") == set()
	found("octo-org/other@main") == {`action "octo-org/other@main" is in the affected range of GHSA-test; no fixed version is published; replace the action`}
	[f.severity | some f in findings("octo-org/tool@v2.1", "")] == ["low"] with data.pipelint.config.advisories as supplied
}

test_reusable_workflow if {
	r := object.union(ref("tj-actions/changed-files/.github/workflows/x.yml@v40", ""), {"kind": "reusable-workflow"})
	some f in known_vulnerable_action.findings with input as {"references": [r]}
	startswith(f.msg, "reusable workflow ")
}

# With check --online, a commit SHA is judged by the tags at its commit
# too, as the tag itself would be; the version comment, when it is
# affected, is what the message names.
test_sha_by_tags_at_its_commit if {
	sha := "ed68ef82c095e0d48ec87eccea555d944a631a4c"
	uses := concat("@", ["tj-actions/changed-files", sha])
	one := known_vulnerable_action.findings with input as {"references": [ref(uses, "")], "resolved": resolved(sha, ["v40.2.0"])}
	[f.msg | some f in one] == [sprintf(`action "tj-actions/changed-files@%s" (by the tag "v40.2.0" at its commit) is in the affected range of GHSA-mcph-m25j-8j63 (CVE-2023-51664); update to 41.0.0 or later`, [sha])]
	two := known_vulnerable_action.findings with input as {"references": [ref(uses, "")], "resolved": resolved(sha, ["v40", "v40.2.0", "latest"])}
	[f.msg | some f in two] == [sprintf(`action "tj-actions/changed-files@%s" (by the tags "v40" and "v40.2.0" at its commit) is in the affected range of GHSA-mcph-m25j-8j63 (CVE-2023-51664); update to 41.0.0 or later`, [sha])]
	commented := known_vulnerable_action.findings with input as {"references": [ref(uses, "v40")], "resolved": resolved(sha, ["v40.2.0"])}
	[f.msg | some f in commented] == [sprintf(`action "tj-actions/changed-files@%s" (by its version comment "v40") is in the affected range of GHSA-mcph-m25j-8j63 (CVE-2023-51664); update to 41.0.0 or later`, [sha])]

	# Tags past the range, no tag at all, or the facts of another
	# repository: nothing.
	count(known_vulnerable_action.findings) == 0 with input as {"references": [ref(uses, "")], "resolved": resolved(sha, ["v46.0.1"])}
	count(known_vulnerable_action.findings) == 0 with input as {"references": [ref(uses, "")], "resolved": resolved(sha, [])}
	count(known_vulnerable_action.findings) == 0 with input as {"references": [ref(concat("@", ["tj-actions/other", sha]), "")], "resolved": resolved(sha, ["v40.2.0"])}

	# A tag moved to a compromised commit does not make the commit it
	# pointed at before affected by that compromise.
	count(known_vulnerable_action.findings) == 0 with input as {"references": [ref(uses, "")], "resolved": resolved(sha, ["v45.0.7"])}
}

# resolved is what check --online finds of a commit of
# tj-actions/changed-files with the given tags.
resolved(sha, tags) := [{"repo": "tj-actions/changed-files", "ref": sha, "kind": "commit", "commit": sha, "tags_at_commit": tags, "branches_at_commit": [], "ambiguous": false, "reachable": "yes"}]
