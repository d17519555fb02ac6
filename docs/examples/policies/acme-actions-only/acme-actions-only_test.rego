package pipelint.rules.acme_actions_only_test

import data.pipelint.rules.acme_actions_only

pos := {"file": "ci.yml", "line": 7, "column": 15, "end_line": 7, "end_column": 38}

# action builds the model of one `uses:` reference; extra overrides fields.
action(owner, value, extra) := object.union(
	{
		"kind": "action", "owner": owner, "value": {"value": value, "pos": pos},
		"local": false, "dynamic": false,
	},
	extra,
)

test_action_from_another_owner if {
	findings := acme_actions_only.findings with input as {"references": [action("someone", "someone/tool@v1", {})]}
	findings == {{
		"msg": `action "someone/tool@v1" is owned by "someone", which is not an allowed owner (acme, actions, github)`,
		"pos": pos,
	}}
}

test_reusable_workflow_from_another_owner if {
	workflow := action("other-org", "other-org/ci/.github/workflows/build.yml@v2", {"kind": "reusable-workflow"})
	some finding in acme_actions_only.findings with input as {"references": [workflow]}
	startswith(finding.msg, `reusable workflow "other-org/ci/.github/workflows/build.yml@v2" is owned by "other-org"`)
}

test_allowed_owners_in_any_case if {
	count(acme_actions_only.findings) == 0 with input as {"references": [
		action("actions", "actions/checkout@v4", {}),
		action("GitHub", "GitHub/codeql-action/init@v3", {}),
		action("acme", "acme/deploy@v1", {}),
	]}
}

test_local_dynamic_and_images_are_not_judged if {
	count(acme_actions_only.findings) == 0 with input as {"references": [
		action("", "./.github/actions/setup", {"local": true}),
		action("", "${{ matrix.action }}", {"dynamic": true}),
		action("", "docker://alpine:3.20", {"kind": "image"}),
	]}
}

test_allowed_owners_option_replaces_the_default if {
	options := {"acme-actions-only": {"options": {"allowed-owners": ["acme", "someone"]}}}
	findings := acme_actions_only.findings with input as {"references": [
		action("someone", "someone/tool@v1", {}),
		action("actions", "actions/checkout@v4", {}),
	]}
		with data.pipelint.config.rules as options
	[f.msg | some f in findings] == [`action "actions/checkout@v4" is owned by "actions", which is not an allowed owner (acme, someone)`]
}
