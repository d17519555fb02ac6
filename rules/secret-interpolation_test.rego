package pipelint.rules.secret_interpolation_test

import data.pipelint.lib.build
import data.pipelint.rules.secret_interpolation

secret_var(name) := {"name": build.str(name, 5), "value": build.str("credentials('x')", 5), "source": "secret", "pos": build.at(5, 5)}

call_step(call, text, source, line) := object.union(build.step, {
	"kind": "run", "call": build.str(call, line),
	"with": [{"name": build.str("", 0), "value": {"value": text, "pos": build.at(line, 14)}, "source": source, "pos": build.at(line, 14)}],
})

pipeline(steps, env, parameters) := object.union(build.pipeline("jenkins", [object.union(build.job("deploy", steps), {"env": env})]), {"parameters": parameters})

test_double_quoted_credential_in_sh if {
	findings := secret_interpolation.findings with input as pipeline([call_step("sh", `"curl -u ${TOKEN} https://x"`, "expression", 9)], [secret_var("TOKEN")], [])
	findings == {{
		"msg": "secret \"TOKEN\" is interpolated into sh by the CI system's templating; let the shell expand it from the environment (single quotes, or \\$TOKEN)",
		"pos": {"file": "ci.yml", "line": 9, "column": 23, "end_line": 9, "end_column": 31},
	}}
}

test_usr_and_psw_variants_and_multiline_positions if {
	text := "\"\"\"\n  docker login -u $CREDS_USR -p ${env.CREDS_PSW}\n\"\"\""
	findings := secret_interpolation.findings with input as pipeline([call_step("sh", text, "expression", 20)], [secret_var("CREDS")], [])
	{[f.pos.line, f.pos.column, f.pos.end_column] | some f in findings} == {[21, 19, 29], [21, 33, 49]}
}

test_secret_parameters_in_echo if {
	parameter := {"name": build.str("DB_PASSWORD", 3), "value": build.str("", 0), "source": "literal", "pos": build.at(3, 3)}
	some f in secret_interpolation.findings with input as pipeline([call_step("echo", "pw ${params.DB_PASSWORD}", "expression", 12)], [], [parameter])
	f.msg == "secret \"DB_PASSWORD\" is interpolated into echo, which writes it where people can read it; do not print secrets"
}

test_shell_expansion_is_safe if {
	count(secret_interpolation.findings) == 0 with input as pipeline([
		call_step("sh", `'curl -u $TOKEN https://x'`, "literal", 9),
		call_step("sh", `"curl -u \$TOKEN https://x"`, "expression", 10),
		call_step("sh", `"echo ${TOKENIZER}"`, "expression", 11),
		call_step("junit", `"${TOKEN}"`, "expression", 12),
	], [secret_var("TOKEN")], [])
}

test_with_credentials_binding_on_the_step if {
	step := object.union(call_step("sh", `"deploy --key=${API_KEY}"`, "expression", 9), {"env": [secret_var("API_KEY")]})
	count(secret_interpolation.findings) == 1 with input as pipeline([step], [], [])
}
