package pipelint.rules.insecure_commands_test

import data.pipelint.lib.build
import data.pipelint.rules.insecure_commands

var(name, value, line) := {"name": build.str(name, line), "value": build.str(value, line), "source": "literal", "expressions": [], "pos": build.at(line, 3)}

workflow(events, env, jobs) := object.union(build.pipeline("github", jobs), {
	"triggers": [{"event": build.str(e, 1), "branches": [], "types": []} | some e in events],
	"env": env,
})

echo(text, line) := object.union(build.run([build.cmd(["echo", text], line)]), {"script": {"text": build.str(text, line)}})

test_workflow_env_on_pull_requests_is_high if {
	findings := insecure_commands.findings with input as workflow(["pull_request"], [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", "true", 4)], [build.job("a", [])])
	[[f.pos.line, f.severity] | some f in findings] == [[4, "high"]]
}

test_truthy_values_are_the_runners if {
	every value in ["true", "TRUE", "1", "$true"] {
		count(insecure_commands.findings) == 1 with input as workflow(["push"], [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", value, 4)], [])
	}
	every value in ["false", "0", "yes", ""] {
		count(insecure_commands.findings) == 0 with input as workflow(["push"], [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", value, 4)], [])
	}
}

test_job_and_step_env_on_push_are_medium if {
	job := object.union(build.job("a", [object.union(build.step, {"env": [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", "true", 9)]})]), {"env": [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", "1", 6)]})
	findings := insecure_commands.findings with input as workflow(["push"], [], [job])
	{[f.pos.line, f.severity] | some f in findings} == {[6, "medium"], [9, "medium"]}
}

# A printed command is low where the runner refuses it, medium where the
# variable lets it through (the variable itself carries the severity).
test_printed_commands if {
	refused := insecure_commands.findings with input as workflow(["push"], [], [build.job("a", [echo("::add-path::/opt/bin", 8)])])
	[[f.severity, f.msg] | some f in refused] == [["low", "the script prints the add-path workflow command, which the runner has refused since 2020, failing the step; write to $GITHUB_PATH instead"]]
	allowed := insecure_commands.findings with input as workflow(["push"], [var("ACTIONS_ALLOW_UNSECURE_COMMANDS", "true", 4)], [build.job("a", [echo("::set-env name=A::b", 8)])])
	{[f.pos.line, f.severity] | some f in allowed} == {[4, "medium"], [8, "medium"]}
}

test_other_workflow_commands_are_fine if {
	every text in ["::add-mask::x", "::notice::set-env is gone", "A=b >> $GITHUB_ENV", "::setenv"] {
		count(insecure_commands.findings) == 0 with input as workflow(["push"], [], [build.job("a", [echo(text, 8)])])
	}
}
