# METADATA
# title: Secret interpolated into a command by the CI system
# description: |
#   A credential variable is written into the text of a shell step or a log
#   message through the CI system's own string templating, before the shell
#   runs: in a Jenkinsfile, a Groovy double-quoted or slashy string such as
#   `sh "curl -u ${TOKEN} ..."` or `echo "${params.PASSWORD}"`, or a variable
#   concatenated to the command (`sh 'deploy -p ' + TOKEN`). The secret then
#   sits in the generated script, the process list and possibly the log, and
#   any shell metacharacter in it is executed. Jenkins itself warns: "A
#   secret was passed to sh using Groovy String interpolation, which is
#   insecure". Credentials come from `credentials()` in `environment {}`
#   (with the `_PSW` variant), `withCredentials` bindings, and parameters
#   whose name says they are secret. On GitHub, a `${{ secrets.X }}` (or
#   `${{ github.token }}`) in a `run:` script or in an input an action runs
#   as code is spliced into the script the same way: the log masks it, but
#   it is written into the script file on the runner, shows in the process
#   list when a command takes it as an argument, and its metacharacters
#   are code (medium). The user name of a credential and the
#   path of a file credential are no secrets and are not reported.
# custom:
#   id: secret-interpolation
#   severity: high
#   precision: high
#   remediation: |
#     Let the shell read the secret from its environment instead: use a
#     single-quoted string, `sh 'curl -u "$TOKEN" ...'`, or escape the dollar
#     sign in a double-quoted one, `sh "curl -u \$TOKEN ..."`. On GitHub,
#     pass it through the step's `env:` (`TOKEN: ${{ secrets.TOKEN }}`) and
#     read `"$TOKEN"`. Never echo a secret.
#   tags: [secrets, external/cwe/cwe-214]
package pipelint.rules.secret_interpolation

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.secrets

findings contains finding if {
	some call, places in pipeline.steps_by_call
	call in secrets.interpolation_sinks
	some [j, s] in places
	step := input.jobs[j].steps[s]
	some arg in step.with
	some expression in arg.expressions
	name := read_variable(expression.value)
	name in bound_secrets(j, step)
	finding := {
		"msg": message(step.call.value, name),
		"pos": expression.pos,
	}
}

# shell_reference is how each shell step reads a variable from its
# environment, written as it must appear in a Groovy string.
shell_reference := {"sh": `\$%s`, "bat": "%%%s%%", "powershell": `\$env:%s`, "pwsh": `\$env:%s`}

message(call, name) := sprintf("secret %q is interpolated into %s by the CI system's templating; let the shell expand it from the environment (single quotes, or %s)", [name, call, sprintf(shell_reference[call], [name])]) if shell_reference[call]

message(call, name) := sprintf("secret %q is interpolated into %s, which writes it where people can read it; do not print secrets", [name, call]) if not shell_reference[call]

# read_variable is the variable an interpolated expression reads: X in
# `X`, `env.X`, `params.X`, also when a property or method follows
# (`X.trim()`).
read_variable(expression) := match[2] if {
	match := regex.find_all_string_submatch_n(`^((?:env|params)\.)?([A-Za-z_][A-Za-z0-9_]*)`, trim_space(expression), 1)[0]
}

# bound_secrets are the variables that hold a credential where the step
# runs: bindings of credentials() and withCredentials (the _USR and _PSW
# variants included), less those that hold the part of a credential that
# is no secret (its user name, the path of a file credential), and the
# parameters whose names say they are secret. Those of the job (index j)
# and of the pipeline are collected once, not again for every step.
bound_secrets(j, step) := (secret_names(step.env) | job_secrets[j]) | pipeline_secrets

job_secrets := {j: secret_names(job.env) | some j, job in input.jobs}

pipeline_secrets := secret_names(input.env) | {parameter.name.value |
	some parameter in input.parameters
	data.pipelint.rules.plaintext_secret.is_secret_name(parameter.name.value)
}

secret_names(env) := {name |
	some variable in env
	variable.source == "secret"
	some suffix in ["", "_USR", "_PSW"]
	name := concat("", [variable.name.value, suffix])
	not secrets.holds_no_secret(name)
}

# --- Expressions spliced into scripts (GitHub ${{ secrets.X }}) -------------

findings contains finding if {
	some site in pipeline.spliced
	finding := spliced_secret(site.expression, site.shell)
}

spliced_secret(e, shell) := finding if {
	some path in e.flows
	secret_context(path)
	name := secret_variable(e.value)
	finding := {
		"msg": sprintf("secret %s is spliced into this script by the CI system before it runs, so it is written into the script file and its characters are code; pass it through the step's env (%s: ${{ %s }}) and read %s", [
			e.value, name, e.value, commands.env_reference(name, shell),
		]),
		"pos": e.pos,
		"severity": "medium",
	}
}

secret_context(path) if startswith(path, "secrets.")

secret_context("github.token")

# secret_variable names the variable to pass a secret expression in: the
# secret's own name when the expression is just one, else SECRET.
secret_variable(expression) := upper(replace(m[0][1], "-", "_")) if {
	m := regex.find_all_string_submatch_n(`^(?i:secrets)\.([A-Za-z0-9_-]+)$`, expression, 1)
	count(m) == 1
} else := "GITHUB_TOKEN" if {
	lower(expression) == "github.token"
} else := "SECRET"
