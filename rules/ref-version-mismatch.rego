# METADATA
# title: Version comment that does not match the pinned commit
# description: |
#   A `uses:` reference is pinned to a commit SHA with the version in a
#   trailing comment (`@<sha> # v4.2.2`), and the tag the comment names
#   points at another commit, or the repository has no such tag. Reviewers,
#   Dependabot, Renovate and the advisories pipelint checks all read the
#   comment as the version that runs: a pin moved to another commit, by
#   mistake or on purpose, with the comment left as it was, hides what
#   really runs. Only `pipelint check --online` knows the tags
#   (input.resolved). A comment that names a branch is not judged.
# custom:
#   id: ref-version-mismatch
#   severity: medium
#   precision: very-high
#   remediation: |
#     Pin the commit the tag points at, or correct the comment to the tag
#     of the pinned commit (the message names it when there is one).
#   tags: [supply-chain]
package pipelint.rules.ref_version_mismatch

import data.pipelint.lib.refs

findings contains {"msg": msg, "pos": comment_pos(ref)} if {
	refs.online
	some ref in input.references
	ref.kind in {"action", "reusable-workflow"}
	ref.version_comment != ""
	pinned := refs.resolved(ref)
	pinned.kind == "commit"
	comment := refs.resolved_version_comment(ref)
	msg := mismatch(ref, pinned, comment)
}

mismatch(ref, pinned, comment) := sprintf(
	"%s %q is commented as version %q, but tag %q points at commit %s (%s); pin the tag's commit or correct the comment",
	[noun[ref.kind], ref.value.value, ref.version_comment, ref.version_comment, substring(comment.commit, 0, 7), tagged(pinned)],
) if {
	comment.kind == "tag"
	comment.commit != pinned.commit
}

mismatch(ref, pinned, comment) := sprintf(
	"%s %q is commented as version %q, but %s/%s has no such tag (%s); correct the comment",
	[noun[ref.kind], ref.value.value, ref.version_comment, ref.owner, ref.repo, tagged(pinned)],
) if {
	comment.kind == ""
	regex.match(`^v?[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.-]+)?$`, ref.version_comment)
}

tagged(pinned) := sprintf("tags at the pinned commit: %s", [concat(", ", [sprintf("%q", [t]) | some t in pinned.tags_at_commit])]) if {
	count(pinned.tags_at_commit) > 0
} else := "no tag points at the pinned commit"

# comment_pos is where the comment writes the version; the reference's
# own position for an input that does not say.
comment_pos(ref) := ref.version_comment_pos if {
	ref.version_comment_pos.line > 0
} else := ref.value.pos

noun := {"action": "action", "reusable-workflow": "reusable workflow"}
