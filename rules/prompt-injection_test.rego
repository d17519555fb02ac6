package pipelint.rules.prompt_injection_test

import data.pipelint.lib.build
import data.pipelint.rules.prompt_injection

title := build.expression("github.event.issue.title", ["github.event.issue.title"], 5)

agent_step(expressions) := object.union(build.run([build.cmd(["claude", "-p", "..."], 5)]), {"script": {"expressions": expressions}})

workflow(events, permissions, steps) := object.union(
	build.on(build.pipeline("github", [build.job("a", steps)]), events),
	{"permissions": permissions},
)

read_only := {"all": build.str("", 0), "scopes": [{"name": build.str("contents", 3), "value": build.str("read", 3)}], "pos": build.at(3, 1)}

severities(findings) := [f.severity | some f in findings]

test_outsider_text_in_an_agent_prompt_on_a_privileged_trigger if {
	severities(prompt_injection.findings) == ["critical"] with input as workflow(["issues"], null, [agent_step([title])])
	severities(prompt_injection.findings) == ["high"] with input as workflow(["issues"], read_only, [agent_step([title])])
}

test_a_fork_run_has_nothing_to_steal if {
	pr_title := build.expression("github.event.pull_request.title", ["github.event.pull_request.title"], 5)
	count(prompt_injection.findings) == 0 with input as workflow(["pull_request"], null, [agent_step([pr_title])])
}

test_fixed_values_in_a_prompt_are_not_reported if {
	number := build.expression("github.event.issue.number", ["github.event.issue.number"], 5)
	count(prompt_injection.findings) == 0 with input as workflow(["issues"], null, [agent_step([number])])
}

test_other_commands_are_not_agents if {
	step := object.union(build.run([build.cmd(["echo", "..."], 5)]), {"script": {"expressions": [title]}})
	count(prompt_injection.findings) == 0 with input as workflow(["issues"], null, [step])
}
