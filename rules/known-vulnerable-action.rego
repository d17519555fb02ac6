# METADATA
# title: Action with a published security advisory
# description: |
#   A `uses:` reference names a version of an action that a published
#   security advisory says is affected (tj-actions/changed-files before
#   46.0.1, actions/download-artifact 4.0.0 to 4.1.2, ...), or is pinned
#   to a commit an advisory lists as compromised (the commits the
#   tj-actions/changed-files and reviewdog/action-setup tags were moved to
#   in March 2025). A tag names the newest release of its line (`v4` is
#   the newest 4.x.y), a branch the newest release of all; a commit SHA is
#   judged by its version comment (`@<sha> # v4.1.0`) and by the list of
#   compromised commits, only by that list for an advisory that has one
#   (the tags moved, not the commits). With `pipelint check --online`, a
#   commit SHA is also judged by every tag that points at it, as that tag
#   would be. The advisories are pipelint's own table, and those supplied with `pipelint check --advisories FILE` (OSV JSON, such
#   as GitHub's advisory database export).
# custom:
#   id: known-vulnerable-action
#   severity: high
#   precision: very-high
#   remediation: |
#     Update the action to the fixed version the message names, pinned to
#     that release's full commit SHA with the version in a comment. A
#     compromised commit ran malicious code: replace the pin, and rotate
#     every secret the workflow could read if it ran while pinned there.
#   tags: [supply-chain, external/cwe/cwe-1395]
package pipelint.rules.known_vulnerable_action

import data.pipelint.lib.refs
import data.pipelint.lib.tables

findings contains finding if {
	some ref in advised_references
	ref.kind in {"action", "reusable-workflow"}
	not ref.local
	not ref.dynamic
	hits := {hit | some hit in hits_of(ref)}
	count(hits) > 0
	finding := report(ref, hits)
}

# hits_of lists, for one reference, every advisory entry that affects it:
# {"kind": "commit"|"range"|"version", "advisory", "fixed"} where fixed is
# the version that ends the matching range ("" when none does).
hits_of(ref) := [hit |
	some name in names(ref)
	some advisories_by_name in [tables.action_advisories_by_name, supplied_by_action]
	some entry in advisories_by_name[name]
	some hit in affects(entry, ref)
]

names(ref) := {lower(concat("/", [ref.owner, ref.repo]))} if ref.path == ""

names(ref) := {lower(concat("/", [ref.owner, ref.repo])), lower(concat("/", [ref.owner, ref.repo, ref.path]))} if ref.path != ""

# The table's advisories are indexed by action name once, in the tables
# (action_advisories_by_name); those supplied with --advisories here.
default supplied := []

supplied := data.pipelint.config.advisories

# advised_references are the references to a repository (owner/repo, lower
# case) that an advisory affects, found once per file: most files have
# none, and then no advisory is read.
advised_references contains ref if {
	some ref in input.references
	advised_repositories[lower(concat("/", [ref.owner, ref.repo]))]
}

advised_repositories := tables.advised_repositories | supplied_repositories

# supplied_repositories are advised_repositories for the advisories
# supplied with --advisories (thousands, from GitHub's whole export),
# gathered once per evaluation rather than once per reference.
supplied_repositories contains lower(concat("/", array.slice(split(affected.action, "/"), 0, 2))) if {
	some a in supplied
	some affected in a.affected
}

supplied_by_action[name] contains {"advisory": a, "affected": affected} if {
	some a in supplied
	some affected in a.affected
	name := lower(affected.action)
}

affects(entry, ref) := array.concat(array.concat(commit_hits(entry, ref), range_hits(entry, ref)), listed_hits(entry, ref))

commit_hits(entry, ref) := [object.union({"kind": "commit", "advisory": entry.advisory}, ends(entry.affected)) |
	is_sha(ref.ref)
	some commit in entry.affected.commits
	startswith(lower(commit), lower(ref.ref))
]

range_hits(entry, ref) := [{"kind": "range", "advisory": entry.advisory, "fixed": r.fixed, "last_affected": r.last_affected, "by": v.by, "text": v.text} |
	not pinned_past_compromise(entry, ref)
	some v in version_texts(ref)
	version := version_of(v.text, ref)
	some r in entry.affected.ranges
	in_range(version, r)
]

listed_hits(entry, ref) := [object.union({"kind": "version", "advisory": entry.advisory, "by": v.by, "text": v.text}, ends(entry.affected)) |
	some v in version_texts(ref)
	some listed in entry.affected.versions
	trim_prefix(listed, "v") == trim_prefix(v.text, "v")
]

# pinned_past_compromise is true for a commit SHA judged against an
# advisory that lists compromised commits: its range stands for the tags
# that were moved to them, and a commit that is not one of them ran what
# it always ran. (An advisory supplied without its commits, as OSV
# carries none, counts as one when the table lists them for its id.)
pinned_past_compromise(entry, ref) if {
	is_sha(ref.ref)
	compromised(entry.advisory.id)
}

compromised(id) if id in tables.compromised_advisories

compromised(id) if id in supplied_compromises

supplied_compromises contains a.id if {
	some a in supplied
	some affected in a.affected
	count(affected.commits) > 0
}

# ends is where an advisory's ranges for an action end, for a commit or
# version it lists one by one: the highest fixed and last affected
# versions, both "" when a range has neither (or there is none).
ends(affected) := {"fixed": "", "last_affected": ""} if {
	some r in affected.ranges
	r.fixed == ""
	r.last_affected == ""
} else := {
	"fixed": highest_or_none({r.fixed | some r in affected.ranges; r.fixed != ""}),
	"last_affected": highest_or_none({r.last_affected | some r in affected.ranges; r.last_affected != ""}),
}

highest_or_none(versions) := highest_version(versions) if count(versions) > 0

highest_or_none(versions) := "" if count(versions) == 0

# is_sha is true for a commit SHA, full or abbreviated.
is_sha(ref) if regex.match(`^[0-9a-fA-F]{7,40}$`, ref)

# --- versions ------------------------------------------------------------------------

# version_texts are the versions a reference names, each with what names
# it ("by"): its ref; for a commit SHA, its version comment and, with
# `check --online`, every tag pointing at the commit (input.resolved).
version_texts(ref) := {{"text": ref.ref, "by": "ref"}} if not is_sha(ref.ref)

version_texts(ref) := comment_version(ref) | {{"text": tag, "by": "tag"} | some tag in refs.resolved(ref).tags_at_commit} if is_sha(ref.ref)

comment_version(ref) := {{"text": regex.replace(ref.version_comment, `^.*/`, ""), "by": "comment"}} if {
	ref.version_comment != ""
} else := set()

# version_of is the version a reference runs by one of its version texts,
# as [major, minor, patch]: a tag's, where a part left out stands for the
# newest of its line (`v4` is the newest 4.x.y); the newest of all for a
# branch or no ref.
version_of(text, _) := parse_version(text, newest)

version_of(text, ref) := [newest, newest, newest] if {
	not parse_version(text, newest)
	not is_sha(ref.ref)
}

newest := 1000000000

# parse_version reads v1, 1.2, v1.2.3 and v1.2.3-suffix; parts left out
# are `fill`.
parse_version(text, fill) := [part(m[1], fill), part(m[2], fill), part(m[3], fill)] if {
	m := regex.find_all_string_submatch_n(`^[vV]?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:[-+][0-9A-Za-z.+-]*)?$`, text, 1)[0]
}

part("", fill) := fill

part(digits, _) := to_number(digits) if digits != ""

# A range's bounds are full versions: a part left out is 0.
in_range(version, r) if {
	version >= parse_version(r.introduced, 0)
	below_end(version, r)
}

below_end(version, r) if {
	r.fixed != ""
	version < parse_version(r.fixed, 0)
}

below_end(version, r) if {
	r.fixed == ""
	r.last_affected != ""
	version <= parse_version(r.last_affected, 0)
}

below_end(_, r) if {
	r.fixed == ""
	r.last_affected == ""
}

# --- findings -------------------------------------------------------------------------

report(ref, hits) := {
	"msg": sprintf("%s %q is pinned to a commit that %s lists as compromised; %s", [noun[ref.kind], ref.value.value, advisory_list(commit_hits), fix_after_compromise(commit_hits)]),
	"pos": ref.value.pos,
	"severity": "critical",
} if {
	commit_hits := {h | some h in hits; h.kind == "commit"}
	count(commit_hits) > 0
}

report(ref, hits) := {
	"msg": sprintf("%s %q%s is in the affected range of %s; %s", [noun[ref.kind], ref.value.value, judged_by(ref, hits), advisory_list(hits), fix(hits)]),
	"pos": ref.value.pos,
	"severity": max_severity({severity_of(h.advisory) | some h in hits}),
} if {
	not has_commit_hit(hits)
}

has_commit_hit(hits) if {
	some h in hits
	h.kind == "commit"
}

# judged_by says what made a commit SHA affected: its version comment,
# else the tags at its commit.
judged_by(ref, hits) := sprintf(" (by its version comment %q)", [ref.version_comment]) if {
	some h in hits
	h.by == "comment"
} else := sprintf(" (by the tag %s at its commit)", [concat_and(tags)]) if {
	tags := sort({sprintf("%q", [h.text]) | some h in hits; h.by == "tag"})
	count(tags) == 1
} else := sprintf(" (by the tags %s at its commit)", [concat_and(tags)]) if {
	tags := sort({sprintf("%q", [h.text]) | some h in hits; h.by == "tag"})
	count(tags) > 1
} else := ""

# advisory_list names each advisory once, with its first CVE alias:
# "GHSA-x (CVE-y) and GHSA-z (CVE-w)".
advisory_list(hits) := concat_and(sort({label(h.advisory) | some h in hits}))

label(a) := sprintf("%s (%s)", [a.id, cves[0]]) if {
	not startswith(a.id, "CVE-")
	cves := [alias | some alias in object.get(a, "aliases", []); startswith(alias, "CVE-")]
	count(cves) > 0
} else := a.id

concat_and(items) := items[0] if count(items) == 1

concat_and(items) := sprintf("%s and %s", [concat(", ", array.slice(items, 0, count(items) - 1)), items[count(items) - 1]]) if count(items) > 1

# fix names the version that leaves every matching range: at least the
# highest fixed version, or a release after the highest last affected
# one; none when a range has neither.
fix(hits) := "no fixed version is published; replace the action" if unfixed(hits)

fix(hits) := sprintf(["update to %s or later", "update to a release after %s"][need[1]], [need[2]]) if {
	not unfixed(hits)
	need := max({end(h) | some h in hits})
}

# end is where a matching range ends, ordered so that the greatest end
# is what leaves them all: [version, 0, fixed] or [version, 1, last].
end(h) := [parse_version(h.fixed, 0), 0, h.fixed] if h.fixed != ""

end(h) := [parse_version(h.last_affected, 0), 1, h.last_affected] if {
	h.fixed == ""
	h.last_affected != ""
}

unfixed(hits) if {
	some h in hits
	h.fixed == ""
	h.last_affected == ""
}

fix_after_compromise(hits) := sprintf("pin the commit of %s or later and rotate the secrets of every run that used it", [highest_version(fixes)]) if {
	fixes := {h.fixed | some h in hits; h.fixed != ""}
	count(fixes) > 0
} else := "pin a commit you reviewed and rotate the secrets of every run that used it"

highest_version(versions) := [v |
	some v in versions
	every w in versions {
		parse_version(w, 0) <= parse_version(v, 0)
	}
][0]

# severity_of is an advisory's severity, high when it gives none.
severity_of(a) := s if {
	s := lower(object.get(a, "severity", ""))
	rank[s]
} else := "high"

rank := {"low": 1, "medium": 2, "high": 3, "critical": 4}

max_severity(severities) := [s |
	some s in severities
	rank[s] == max({rank[t] | some t in severities})
][0]

noun := {"action": "action", "reusable-workflow": "reusable workflow"}
