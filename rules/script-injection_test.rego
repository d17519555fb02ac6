package pipelint.rules.script_injection_test

import data.pipelint.lib.build
import data.pipelint.rules.script_injection

# script builds a run step whose script holds the given expressions.
script(expressions) := object.union(build.run([]), {"script": {"expressions": expressions}})

# with_env gives a step env variables whose values are expressions.
with_env(step, vars) := object.union(step, {"env": [{
	"name": build.str(name, 3), "value": build.str("", 3), "source": "expression",
	"type": "", "expressions": [e], "pos": build.at(3, 1),
} |
	some name, e in vars
]})

workflow(events, steps) := build.on(build.pipeline("github", [build.job("a", steps)]), events)

title := build.expression("github.event.pull_request.title", ["github.event.pull_request.title"], 5)

severities(findings) := [f.severity | some f in findings]

test_outsider_text_on_a_privileged_trigger_is_critical if {
	findings := script_injection.findings with input as workflow(["pull_request_target"], [script([title])])
	severities(findings) == ["critical"]
	some f in findings
	f.pos == title.pos
	contains(f.msg, "the repository's token and secrets")
	contains(f.msg, `"$TITLE"`)
}

test_the_grade_follows_the_trigger if {
	severities(script_injection.findings) == ["low"] with input as workflow(["pull_request"], [script([title])])
	severities(script_injection.findings) == ["medium"] with input as workflow(["push"], [script([title])])
}

# A push's commit message runs with the secrets even when the workflow
# also runs on forks' pull requests.
test_the_grade_is_that_of_the_events_carrying_the_context if {
	message := build.expression("github.event.head_commit.message", ["github.event.head_commit.message"], 5)
	severities(script_injection.findings) == ["medium"] with input as workflow(["push", "pull_request"], [script([message])])
}

test_fixed_contexts_are_not_reported if {
	sha := build.expression("github.event.pull_request.head.sha", ["github.event.pull_request.head.sha"], 5)
	outcome := build.expression("steps.build.outcome", ["steps.build.outcome"], 6)
	secret := build.expression("secrets.TOKEN", ["secrets.token"], 7)
	count(script_injection.findings) == 0 with input as workflow(["pull_request_target"], [script([sha, outcome, secret])])
}

# Nothing flows from a ternary's condition: the parser leaves the path out
# of flows.
test_only_flowing_paths_count if {
	ternary := object.union(title, {"flows": []})
	count(script_injection.findings) == 0 with input as workflow(["pull_request_target"], [script([ternary])])
}

test_env_read_by_the_shell_is_safe_and_through_expression_is_not if {
	env_title := build.expression("env.TITLE", ["env.title"], 5)
	safe := with_env(script([]), {"TITLE": title})
	count(script_injection.findings) == 0 with input as workflow(["issue_comment"], [safe])
	unsafe := with_env(script([env_title]), {"TITLE": title})
	findings := script_injection.findings with input as workflow(["issue_comment"], [unsafe])
	severities(findings) == ["critical"]
	some f in findings
	contains(f.msg, "(github.event.pull_request.title)")
}

test_dispatch_text_inputs_are_medium_and_typed_ones_silent if {
	note := build.expression("inputs.note", ["inputs.note"], 5)
	level := build.expression("inputs.level", ["inputs.level"], 6)
	p := object.union(workflow(["workflow_dispatch"], [script([note, level])]), {"parameters": [
		{"name": build.str("note", 2), "value": build.str("", 0), "source": "literal", "type": "string", "expressions": []},
		{"name": build.str("level", 3), "value": build.str("", 0), "source": "literal", "type": "choice", "expressions": []},
	]})
	findings := script_injection.findings with input as p
	{[f.severity, f.pos] | some f in findings} == {["medium", note.pos]}
}

test_code_inputs_of_actions_are_sinks if {
	step := object.union(build.uses("actions/github-script", "v7", {"script": "..."}), {"with": [{
		"name": build.str("script", 5), "value": build.str("", 5), "source": "expression",
		"type": "", "expressions": [title], "pos": build.at(5, 1),
	}]})
	findings := script_injection.findings with input as workflow(["pull_request_target"], [step])
	count(findings) == 1
	some f in findings
	contains(f.msg, "process.env.TITLE")
}

# An expression in a GitHub script comes with its (unsafe) fix, moving it
# into the step's env; one in a code input, or on GitLab, without.
test_scripts_on_github_have_a_move_to_env_fix if {
	[f] := [f | some f in script_injection.findings] with input as workflow(["pull_request_target"], [script([title])])
	f.fix == {"kind": "move-to-env", "pos": title.pos, "unsafe": true}
	code := object.union(build.uses("actions/github-script", "v7", {"script": "..."}), {"with": [{
		"name": build.str("script", 5), "value": build.str("", 5), "source": "expression",
		"type": "", "expressions": [title], "pos": build.at(5, 1),
	}]})
	[g] := [g | some g in script_injection.findings] with input as workflow(["pull_request_target"], [code])
	not g.fix
	gitlab := object.union(workflow(["pull_request_target"], [script([title])]), {"system": "gitlab"})
	count(script_injection.findings) == 1 with input as gitlab
	fixes := [h.fix | some h in script_injection.findings; h.fix] with input as gitlab
	fixes == []
}

jenkins_sh(expressions) := object.union(build.step, {"kind": "run", "call": build.str("sh", 4), "with": [{
	"name": build.str("", 0), "value": build.str("...", 4), "source": "expression",
	"type": "", "expressions": expressions, "pos": build.at(4, 1),
}]})

test_jenkins_change_variables_and_parameters if {
	change := {"value": "env.CHANGE_TITLE", "reads": ["env.CHANGE_TITLE"], "flows": ["env.CHANGE_TITLE"], "pos": build.at(4, 10)}
	param := {"value": "params.TARGET", "reads": ["params.TARGET"], "flows": ["params.TARGET"], "pos": build.at(4, 30)}
	number := {"value": "BUILD_NUMBER", "reads": ["BUILD_NUMBER"], "flows": ["BUILD_NUMBER"], "pos": build.at(4, 50)}
	p := object.union(build.pipeline("jenkins", [build.job("b", [jenkins_sh([change, param, number])])]), {"parameters": [
		{"name": build.str("TARGET", 2), "value": build.str("", 0), "source": "literal", "type": "string", "expressions": []},
	]})
	findings := script_injection.findings with input as p
	{[f.pos.column, f.severity] | some f in findings} == {[10, "high"], [30, "medium"]}
}
