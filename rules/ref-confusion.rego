# METADATA
# title: Ref that names both a branch and a tag
# description: |
#   A `uses:` reference names a ref that the action's repository has as a
#   branch and as a tag at once. They can point at different commits, and
#   which one runs depends on how the ref is resolved (git takes the tag),
#   so whoever can push a branch of that name can make the workflow run
#   code the tag never held. Only `pipelint check --online` knows the refs
#   (input.resolved).
# custom:
#   id: ref-confusion
#   severity: medium
#   precision: very-high
#   remediation: |
#     Pin the reference to the full commit SHA of the tag you reviewed, with
#     the tag in a trailing comment (`@<sha> # v4.2.2`); `pipelint fix` does
#     it for you. Tell the action's owners, who can remove the branch.
#   tags: [supply-chain, external/cwe/cwe-829]
package pipelint.rules.ref_confusion

import data.pipelint.lib.refs

findings contains {"msg": msg, "pos": ref.value.pos} if {
	refs.online
	some ref in input.references
	ref.kind in {"action", "reusable-workflow"}
	resolved := refs.resolved(ref)
	resolved.ambiguous
	msg := sprintf(
		"%s %q names %q, both a branch and a tag of %s/%s, which can point at different commits; pin it to the full commit SHA of the tag",
		[noun[ref.kind], ref.value.value, ref.ref, ref.owner, ref.repo],
	)
}

noun := {"action": "action", "reusable-workflow": "reusable workflow"}
