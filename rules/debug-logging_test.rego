package pipelint.rules.debug_logging_test

import data.pipelint.lib.build
import data.pipelint.lib.tables
import data.pipelint.rules.debug_logging

var(name, value, source, line) := {"name": build.str(name, line), "value": build.str(value, line), "source": source, "expressions": [], "pos": build.at(line, 3)}

secret(name, path, line) := object.union(var(name, sprintf("${{ %s }}", [path]), "secret", line), {"expressions": [build.expression(path, [lower(path)], line)]})

found(p) := {[f.pos.line, f.severity] | some f in findings} if {
	findings := debug_logging.findings with input as p
}

# script builds a run step of commands, one per line from line 10.
script(lines, env) := object.union(build.run([build.cmd(words, 10 + i) | some i, words in lines]), {"env": env, "script": {"text": build.str(concat("\n", [concat(" ", words) | some words in lines]), 10)}})

pipeline(steps, env) := object.union(build.pipeline("gitlab", [build.job("a", steps)]), {"env": env})

test_debug_variables_by_value_and_severity if {
	found(pipeline([], [var("CI_DEBUG_TRACE", "true", "literal", 3)])) == {[3, "high"]}
	found(pipeline([], [var("CI_DEBUG_TRACE", "T", "literal", 3)])) == {[3, "high"]}
	found(pipeline([], [var("CI_DEBUG_SERVICES", "1", "literal", 3)])) == {[3, "medium"]}
	found(pipeline([], [var("ACTIONS_STEP_DEBUG", "true", "literal", 3)])) == {[3, "low"]}
	every value in ["false", "0", "", "${{ secrets.ACTIONS_STEP_DEBUG }}", "yes"] {
		found(pipeline([], [var("ACTIONS_STEP_DEBUG", value, "literal", 3), var("CI_DEBUG_TRACE", value, "literal", 4)])) == set()
	}
}

test_debug_variables_of_a_job_and_a_step if {
	job := object.union(build.job("deploy", [object.union(build.step, {"env": [var("ACTIONS_RUNNER_DEBUG", "1", "literal", 9)]})]), {"env": [var("CI_DEBUG_TRACE", "true", "literal", 6)]})
	findings := debug_logging.findings with input as build.pipeline("gitlab", [job])
	{[f.pos.line, f.msg] | some f in findings} == {
		[6, `CI_DEBUG_TRACE="true" turns on debug output for job "deploy": the log gets the trace of every command with the value of every variable, masked secrets included, for everyone who can read it; remove it, and turn debug output on for one run when needed`],
		[9, `ACTIONS_RUNNER_DEBUG="1" turns on debug output for the step: the log gets the debug output of the actions and tools that read it, for everyone who can read it; remove it, and turn debug output on for one run when needed`],
	}
}

test_trace_over_a_bound_secret_is_low if {
	step := script([["set", "-eux"], ["curl", "-u", "\"me:$API_KEY\"", "https://x"]], [secret("API_KEY", "secrets.API_KEY", 5)])
	findings := debug_logging.findings with input as pipeline([step], [])
	[[f.pos.line, f.severity, f.msg] | some f in findings] == [[10, "low", `set -eux prints every later command with its variables expanded: "curl" on line 11 uses $API_KEY, a secret the log masks only as the exact value (anything derived from it, base64 or URL-encoded, shows in full); turn the trace off around it (set +x) or drop it`]]
}

# A variable the file does not set, named like a secret, is a project or
# group variable: masked only if set so.
test_trace_over_a_project_variable_is_medium if {
	found(pipeline([script([["set", "-o", "xtrace"], ["curl", "-H", "\"PRIVATE-TOKEN: ${DEPLOY_TOKEN}\""]], [])], [])) == {[10, "medium"]}
	found(pipeline([script([["set", "-x"], ["npm", "publish", "--token=$NpmAuthToken"]], [])], [])) == {[10, "medium"]}
}

test_trace_turned_off_before_the_credential if {
	found(pipeline([script([["set", "-x"], ["make"], ["set", "+x"], ["curl", "-u", "$USER:$API_PASSWORD"]], [])], [])) == set()
	found(pipeline([script([["set", "-x"], ["set", "+o", "xtrace"], ["curl", "$API_PASSWORD"], ["set", "-x"], ["ls"]], [])], [])) == set()
	found(pipeline([script([["set", "-x"], ["set", "+x"], ["set", "-x"], ["curl", "$API_PASSWORD"]], [])], [])) == {[12, "medium"]}
}

test_no_credential_in_the_trace if {
	every words in [
		["curl", "$CI_JOB_TOKEN"], # a job-scoped token
		["curl", "$TOKEN_URL"], # not a secret's name
		["echo", "$GITHUB_TOKEN"], # the job's own token
		["echo", "${{ secrets.GITHUB_TOKEN }}"],
		["echo", "$PASSWORD_FILE"], # a path
	] {
		found(pipeline([script([["set", "-x"], words], [])], [])) == set()
	}
	# set by the file to something that is no secret
	found(pipeline([script([["set", "-x"], ["curl", "$API_TOKEN"]], [var("API_TOKEN", "none", "literal", 2)])], [])) == set()
	found(pipeline([script([["set", "-x"], ["curl", "$API_TOKEN"]], [])], [var("API_TOKEN", "none", "literal", 2)])) == set()
	# a trace before the credential is bound, or no trace
	found(pipeline([script([["curl", "$API_PASSWORD"], ["set", "-x"]], [])], [])) == set()
	found(pipeline([script([["curl", "-x", "$API_PASSWORD"]], [])], [])) == set()
}

test_expressions_of_secrets_in_the_script if {
	found(pipeline([script([["set", "-x"], ["echo", "\"${{ secrets.SIGNING_KEY }}\""]], [])], [])) == {[10, "low"]}
}

# A shell given -x runs a script whose text is not in view: the
# credentials its words hold count, not those the step binds in the
# environment, which tools read from there.
test_shell_given_x if {
	findings := debug_logging.findings with input as pipeline([script([["sh", "-ex", "deploy.sh", "$DEPLOY_TOKEN"]], [])], [])
	[[f.severity, f.msg] | some f in findings] == [["medium", `sh -ex prints every command of the script it runs with its variables expanded: "sh" on line 10 uses $DEPLOY_TOKEN, a variable the file does not set, which the log shows in full unless it is masked in the project's settings; drop -x, or trace only the parts of the script that use no credential`]]
	found(pipeline([script([["bash", "-x", "./publish.sh"]], [secret("PYPI_PASSWORD", "secrets.PYPI_PASSWORD", 5)])], [])) == set()
}

# Jenkins binds a username/password credential NAME as NAME_USR and
# NAME_PSW; the user name is no secret.
test_jenkins_bindings if {
	env := [var("REGISTRY", "registry-login", "secret", 3)]
	found(pipeline([script([["set", "-x"], ["login", "$REGISTRY_PSW"]], [])], env)) == {[10, "low"]}
	found(pipeline([script([["set", "-x"], ["login", "$REGISTRY_USR"]], [])], env)) == set()
	found(pipeline([script([["set", "-x"], ["echo", "$LOGIN_USER"]], [var("LOGIN_USER", "login", "secret", 5)])], [])) == set()
}

# The first look at a file must let every debug variable and trace through.
test_keywords_cover_the_tables if {
	every name, _ in tables.debug_variables {
		some word, _ in tables.debug_logging_keywords
		contains(name, word)
	}
	every trace in ["set -x", "set -o xtrace", "bash -x", "sh -eux"] {
		some word, _ in tables.debug_logging_keywords
		contains(trace, word)
	}
}
