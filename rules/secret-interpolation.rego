# METADATA
# title: Secret interpolated into a command by the CI system
# description: |
#   A credential variable is written into the text of a shell step or a log
#   message through the CI system's own string templating, before the shell
#   runs: in a Jenkinsfile, a Groovy double-quoted or slashy string such as
#   `sh "curl -u ${TOKEN} ..."` or `echo "${params.PASSWORD}"`. The secret then
#   sits in the generated script, the process list and possibly the log, and
#   any shell metacharacter in it is executed. Jenkins itself warns: "A
#   secret was passed to sh using Groovy String interpolation, which is
#   insecure". Credentials come from `credentials()` in `environment {}`
#   (with their `_USR` and `_PSW` variants), `withCredentials` bindings, and
#   parameters whose name says they are secret.
# custom:
#   id: secret-interpolation
#   severity: high
#   precision: high
#   remediation: |
#     Let the shell read the secret from its environment instead: use a
#     single-quoted string, `sh 'curl -u "$TOKEN" ...'`, or escape the dollar
#     sign in a double-quoted one, `sh "curl -u \$TOKEN ..."`. Never echo a
#     secret.
#   tags: [secrets, external/cwe/cwe-214]
package pipelint.rules.secret_interpolation

import data.pipelint.lib.secrets

findings contains finding if {
	some job in input.jobs
	some step in job.steps
	step.call.value != "" # cheaper than a look in the table for every step
	step.call.value in secrets.interpolation_sinks
	some arg in step.with
	arg.source == "expression"
	some name in bound_secrets(job, step)
	some match in regex.find_n(interpolation(name), arg.value.value, -1)
	finding := {
		"msg": message(step.call.value, name),
		"pos": position(arg.value, match),
	}
}

# shell_reference is how each shell step reads a variable from its
# environment, written as it must appear in a Groovy string.
shell_reference := {"sh": `\$%s`, "bat": "%%%s%%", "powershell": `\$env:%s`, "pwsh": `\$env:%s`}

message(call, name) := sprintf("secret %q is interpolated into %s by the CI system's templating; let the shell expand it from the environment (single quotes, or %s)", [name, call, sprintf(shell_reference[call], [name])]) if shell_reference[call]

message(call, name) := sprintf("secret %q is interpolated into %s, which writes it where people can read it; do not print secrets", [name, call]) if not shell_reference[call]

# interpolation matches ${NAME}, ${env.NAME}, ${params.NAME}, $NAME,
# $env.NAME and $params.NAME, but not an escaped \$NAME.
interpolation(name) := sprintf(`(^|[^\\])\$(\{\s*((env|params)\.)?%s\s*\}|((env|params)\.)?%s\b)`, [name, name])

bound_secrets(job, step) := {name |
	some variable in array.concat(array.concat(step.env, job.env), input.env)
	variable.source == "secret"
	some suffix in ["", "_USR", "_PSW"]
	name := concat("", [variable.name.value, suffix])
} | {parameter.name.value |
	some parameter in input.parameters
	data.pipelint.rules.plaintext_secret.is_secret_name(parameter.name.value)
}

# position maps a match inside a string value back to the source: on its
# first line the value starts at value.pos.column (after an opening quote
# when the value was decoded), on later lines at column 1.
position(value, match) := pos if {
	offset := indexof(value.value, match)
	before := substring(value.value, 0, offset)
	lines_before := split(before, "\n")
	line_index := count(lines_before) - 1
	column := column_on(value, line_index, lines_before[line_index], match)
	pos := {
		"file": value.pos.file,
		"line": value.pos.line + line_index,
		"column": column,
		"end_line": value.pos.line + line_index,
		"end_column": column + count(match) - lead(match),
	}
}

column_on(value, 0, prefix, match) := value.pos.column + count(prefix) + lead(match) + quote(value)

column_on(_, line_index, prefix, match) := count(prefix) + lead(match) + 1 if line_index > 0

# lead counts the character before the $ that the pattern consumed.
lead(match) := 0 if startswith(match, "$")

lead(match) := 1 if not startswith(match, "$")

quote(value) := 0 if regex.match(`^["'/$]`, value.value)

quote(value) := 1 if not regex.match(`^["'/$]`, value.value)
