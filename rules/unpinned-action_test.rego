package pipelint.rules.unpinned_action_test

import data.pipelint.rules.unpinned_action

ref(value, r, extra) := object.union(
	{
		"kind": "action", "value": {"value": value, "pos": {"file": "w.yml", "line": 3, "column": 15, "end_line": 3, "end_column": 40}},
		"ref": r, "owner": "o", "repo": "r", "pinned": false, "local": false, "dynamic": false,
	},
	extra,
)

test_tag_is_reported_medium if {
	findings := unpinned_action.findings with input as {"references": [ref("actions/checkout@v4", "v4", {})]}
	findings == {{
		"msg": `action "actions/checkout@v4" is pinned to tag "v4", which can be moved; pin it to a full commit SHA`,
		"pos": {"file": "w.yml", "line": 3, "column": 15, "end_line": 3, "end_column": 40},
		"severity": "medium",
		"fix": {"kind": "pin-reference", "pos": {"file": "w.yml", "line": 3, "column": 15, "end_line": 3, "end_column": 40}},
	}}
}

# A tag or a branch is pinned by `pipelint fix` to the commit it names; no
# ref, or an abbreviated SHA, names nothing to resolve.
test_fix_pins_tags_and_branches if {
	refs := [
		ref("o/r@v1", "v1", {}),
		ref("o/r/.github/workflows/x.yml@main", "main", {"kind": "reusable-workflow", "value": {"value": "o/r/.github/workflows/x.yml@main", "pos": {"line": 9}}}),
		ref("o/r", "", {"value": {"value": "o/r", "pos": {"line": 10}}}),
		ref("o/r@abc1234", "abc1234", {"value": {"value": "o/r@abc1234", "pos": {"line": 11}}}),
	]
	fixed := {[f.pos.line, f.fix.kind] | some f in unpinned_action.findings; f.fix} with input as {"references": refs}
	fixed == {[3, "pin-reference"], [9, "pin-reference"]}
	count(unpinned_action.findings) == 4 with input as {"references": refs}
}

test_branch_is_high if {
	some f in unpinned_action.findings with input as {"references": [ref("o/r@main", "main", {})]}
	f.severity == "high"
	contains(f.msg, `branch "main"`)
}

test_no_ref_is_high if {
	some f in unpinned_action.findings with input as {"references": [ref("o/r", "", {})]}
	f.severity == "high"
	contains(f.msg, "has no ref")
}

test_short_sha if {
	some f in unpinned_action.findings with input as {"references": [ref("o/r@abc1234", "abc1234", {})]}
	contains(f.msg, "abbreviated commit SHA")
}

test_reusable_workflow if {
	some f in unpinned_action.findings with input as {"references": [ref("o/r/.github/workflows/x.yml@v1", "v1", {"kind": "reusable-workflow"})]}
	startswith(f.msg, "reusable workflow ")
}

test_policies_option if {
	config := {"rules": {"unpinned-action": {"options": {"policies": {"actions/*": "ref-pin", "my-org/*": "any", "my-org/critical": "hash-pin"}}}}}
	refs := [
		ref("actions/checkout@v4", "v4", {"owner": "actions", "repo": "checkout"}),
		ref("actions/cache", "", {"owner": "actions", "repo": "cache"}),
		ref("my-org/tool@main", "main", {"owner": "my-org", "repo": "tool"}),
		ref("my-org/critical@v1", "v1", {"owner": "my-org", "repo": "critical"}),
		ref("other/thing@v1", "v1", {"owner": "other", "repo": "thing"}),
	]
	found := {f.msg | some f in unpinned_action.findings} with input as {"references": refs} with data.pipelint.config as config
	found == {
		`action "actions/cache" has no ref; pin it to a full commit SHA`,
		`action "my-org/critical@v1" is pinned to tag "v1", which can be moved; pin it to a full commit SHA`,
		`action "other/thing@v1" is pinned to tag "v1", which can be moved; pin it to a full commit SHA`,
	}
}

test_pinned_local_dynamic_and_images_are_fine if {
	count(unpinned_action.findings) == 0 with input as {"references": [
		ref("o/r@0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567", {"pinned": true}),
		ref("./local", "", {"local": true}),
		ref("docker://alpine", "", {"kind": "image"}),
	]}
}

# The SLSA generators check their own ref against a release: a full version
# tag is the pin their publisher requires; anything else is still reported.
test_tag_pinned_by_design if {
	slsa := {"kind": "reusable-workflow", "owner": "slsa-framework", "repo": "slsa-github-generator"}
	count(unpinned_action.findings) == 0 with input as {"references": [ref("slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0", "v2.1.0", slsa)]}
	[f.severity | some f in unpinned_action.findings] == ["medium"] with input as {"references": [ref("slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2", "v2", slsa)]}
	[f.severity | some f in unpinned_action.findings] == ["high"] with input as {"references": [ref("slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@main", "main", slsa)]}
	[f.severity | some f in unpinned_action.findings] == ["medium"] with input as {"references": [ref("o/r@v2.1.0", "v2.1.0", {})]}
}

# Orbs: a full version is pinned by the parser; a partial one floats on
# releases, volatile and dev: versions on anything.
orb(value, r, line) := ref(value, r, {"usage": "orb", "value": {"value": value, "pos": {"line": line}}})

test_orbs_by_how_they_float if {
	findings := unpinned_action.findings with input as {"references": [
		orb("circleci/node@5", "5", 1),
		orb("circleci/node@5.1", "5.1", 2),
		orb("circleci/slack@volatile", "volatile", 3),
		orb("circleci/tools@dev:alpha", "dev:alpha", 4),
	]}
	{[f.pos.line, f.severity] | some f in findings} == {[1, "medium"], [2, "low"], [3, "high"], [4, "high"]}
	every f in findings {
		not f.fix
		contains(f.msg, "pin a")
	}
}
