# METADATA
# description: |
#   Helpers that describe references (actions, workflows, images, includes,
#   libraries) for messages and severities.
package pipelint.lib.refs

# mutability classifies the ref of an unpinned reference: "none" when there
# is no ref at all, "short-sha" for an abbreviated commit, "branch" for a
# name that looks like a branch and "tag" for a version-like name. Most
# refs are tags with a v, which no commit SHA has: they are told first.
mutability(ref) := "tag" if {
	regex.match(`^v[0-9]+(\.[0-9]+)*([-+._][0-9A-Za-z.-]+)?$`, ref.ref)
} else := "none" if {
	ref.ref == ""
} else := "short-sha" if {
	regex.match(`^[0-9a-f]{7,39}$`, ref.ref)
} else := "tag" if {
	regex.match(`^v?[0-9]+(\.[0-9]+)*([-+._][0-9A-Za-z.-]+)?$`, ref.ref)
} else := "branch"

# is_branch_like is true for refs that name a branch or a moving alias.
is_branch_like(ref) if mutability(ref) in {"none", "branch"}

# online is true when `pipelint check --online` resolved refs for the
# file: the rules that read only what it found look at nothing without it
# (walking every reference of every file cost each of them 2 % of a
# check).
online if input.resolved[0] # one entry is enough

# resolved is what `pipelint check --online` found on the server of the
# ref a reference names (an entry of input.resolved: kind, commit,
# tags_at_commit, branches_at_commit, ambiguous, reachable); undefined
# without --online, or when the lookup failed.
resolved(ref) := resolved_by_name[sprintf("%s/%s@%s", [ref.owner, ref.repo, ref.ref])]

# resolved_version_comment is the same for the version comment of a
# reference (`@<sha> # v4.1.0` looks up v4.1.0 in the same repository).
resolved_version_comment(ref) := resolved_by_name[sprintf("%s/%s@%s", [ref.owner, ref.repo, ref.version_comment])]

resolved_by_name[name] := entry if {
	some entry in input.resolved
	name := sprintf("%s@%s", [entry.repo, entry.ref])
}
