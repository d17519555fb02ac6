# METADATA
# title: Action or reusable workflow from outside the allowed owners
# description: |
#   A `uses:` reference calls an action or a reusable workflow whose owner
#   is not on the organisation's allow-list. Its code runs in the pipeline
#   with the job's secrets and token, without the review the platform team
#   gives the actions it allows.
# related_resources:
#   - ref: https://wiki.acme.example/ci/acme-actions-only
#     description: ACME CI policy, allowed actions
# custom:
#   id: acme-actions-only
#   severity: high
#   precision: very-high
#   remediation: |
#     Use an action from an allowed owner (by default acme, actions and
#     github), or ask the platform team to review the action, fork it into
#     the acme organisation and call the fork.
#   tags: [supply-chain, acme]
package pipelint.rules.acme_actions_only

# allowed_owners are the owners whose actions may run: the rule option
# allowed-owners from .pipelint.yaml, or ACME and GitHub by default.
default allowed_owners := {"acme", "actions", "github"}

allowed_owners := {lower(owner) | some owner in configured} if {
	# Bound first: a comprehension over a missing option would be the empty
	# set, not undefined, and the default would never apply.
	configured := data.pipelint.config.rules["acme-actions-only"].options["allowed-owners"]
}

findings contains finding if {
	some ref in input.references
	ref.kind in {"action", "reusable-workflow"}
	not ref.local # ./path is this repository's own code
	not ref.dynamic # computed at run time: nothing to judge
	not lower(ref.owner) in allowed_owners # GitHub owner names are case-insensitive
	finding := {
		"msg": sprintf("%s %q is owned by %q, which is not an allowed owner (%s)", [noun[ref.kind], ref.value.value, ref.owner, concat(", ", sort(allowed_owners))]),
		"pos": ref.value.pos,
	}
}

noun := {"action": "action", "reusable-workflow": "reusable workflow"}
