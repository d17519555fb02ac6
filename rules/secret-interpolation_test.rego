package pipelint.rules.secret_interpolation_test

import data.pipelint.lib.build
import data.pipelint.rules.secret_interpolation

secret_var(name) := {"name": build.str(name, 5), "value": build.str("credentials('x')", 5), "source": "secret", "pos": build.at(5, 5)}

# expression is an interpolated expression at the given line and columns.
expression(text, line, column, end) := {"value": text, "pos": {"file": "ci.yml", "line": line, "column": column, "end_line": line, "end_column": end}}

# call_step is a step calling `call` with one argument whose interpolated
# expressions are given (a single-quoted string has none).
call_step(call, expressions, line) := object.union(build.step, {
	"kind": "run", "call": build.str(call, line),
	"with": [{"name": build.str("", 0), "value": build.str("...", line), "source": "expression", "expressions": expressions, "pos": build.at(line, 14)}],
})

pipeline(steps, env, parameters) := object.union(build.pipeline("jenkins", [object.union(build.job("deploy", steps), {"env": env})]), {"parameters": parameters})

test_credential_interpolated_into_sh if {
	findings := secret_interpolation.findings with input as pipeline([call_step("sh", [expression("TOKEN", 9, 23, 31)], 9)], [secret_var("TOKEN")], [])
	findings == {{
		"msg": "secret \"TOKEN\" is interpolated into sh by the CI system's templating; let the shell expand it from the environment (single quotes, or \\$TOKEN)",
		"pos": {"file": "ci.yml", "line": 9, "column": 23, "end_line": 9, "end_column": 31},
	}}
}

test_env_and_params_prefixes_and_methods_read_the_variable if {
	findings := secret_interpolation.findings with input as pipeline(
		[call_step("sh", [expression("env.CREDS_PSW", 21, 33, 49), expression("TOKEN.trim()", 21, 60, 75), expression("TOKENIZER", 21, 80, 90)], 21)],
		[secret_var("CREDS"), secret_var("TOKEN")], [],
	)
	{[f.pos.column, f.pos.end_column] | some f in findings} == {[33, 49], [60, 75]}
}

test_secret_parameters_in_echo if {
	parameter := {"name": build.str("DB_PASSWORD", 3), "value": build.str("", 0), "source": "literal", "pos": build.at(3, 3)}
	some f in secret_interpolation.findings with input as pipeline([call_step("echo", [expression("params.DB_PASSWORD", 12, 8, 30)], 12)], [], [parameter])
	f.msg == "secret \"DB_PASSWORD\" is interpolated into echo, which writes it where people can read it; do not print secrets"
}

# A single-quoted string, an escaped \$ and a concatenation of both kinds
# reach the rule as arguments without (secret) expressions.
test_nothing_interpolated_is_safe if {
	count(secret_interpolation.findings) == 0 with input as pipeline([
		call_step("sh", [], 9),
		call_step("sh", [expression("vsix[0].path", 10, 40, 55)], 10),
		call_step("junit", [expression("TOKEN", 12, 9, 17)], 12),
		call_step("writeFile", [expression("TOKEN", 13, 9, 17)], 13),
	], [secret_var("TOKEN")], [])
}

# The user name of a credential and the path of a file credential are no
# secrets; the password bound beside them is.
test_user_names_and_file_paths_are_not_secrets if {
	findings := secret_interpolation.findings with input as pipeline(
		[call_step("sh", [expression("REGISTRY_USR", 4, 20, 35), expression("REGISTRY_PSW", 4, 40, 55), expression("GIT_USER", 4, 60, 70), expression("gpgKeyFile", 4, 75, 88)], 4)],
		[secret_var("REGISTRY"), secret_var("GIT_USER"), secret_var("gpgKeyFile")], [],
	)
	{f.pos.column | some f in findings} == {40}
}

test_with_credentials_binding_on_the_step if {
	step := object.union(call_step("sh", [expression("API_KEY", 9, 20, 30)], 9), {"env": [secret_var("API_KEY")]})
	count(secret_interpolation.findings) == 1 with input as pipeline([step], [], [])
}

# A GitHub run step whose script holds the given expressions.
github_script(expressions, shell) := object.union(build.run([]), {"script": {"shell": shell, "expressions": expressions}})

secret_expression(value, path) := {"value": value, "reads": [path], "flows": [path], "pos": build.at(6, 20)}

test_github_secret_spliced_into_a_script_is_medium if {
	step := github_script([secret_expression("secrets.DEPLOY_TOKEN", "secrets.deploy_token")], "pwsh")
	findings := secret_interpolation.findings with input as build.pipeline("github", [build.job("a", [step])])
	count(findings) == 1
	some f in findings
	f.severity == "medium"
	f.pos == build.at(6, 20)
	contains(f.msg, "(DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}) and read $env:DEPLOY_TOKEN")
}

test_github_secret_only_tested_is_not_reported if {
	tested := object.union(secret_expression("secrets.X != ''", "secrets.x"), {"flows": []})
	step := github_script([tested], "bash")
	count(secret_interpolation.findings) == 0 with input as build.pipeline("github", [build.job("a", [step])])
}
