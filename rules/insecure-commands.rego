# METADATA
# title: Insecure workflow commands enabled
# description: |
#   `ACTIONS_ALLOW_UNSECURE_COMMANDS` is set to true, which brings back the
#   `set-env` and `add-path` workflow commands GitHub disabled in 2020
#   (CVE-2020-15228): any text a step prints, a pull request title echoed
#   or a test's output, can then set the environment of the following
#   steps (`NODE_OPTIONS`, `LD_PRELOAD`, `PATH`) and run code there. A
#   script that still prints `::set-env` or `::add-path` fails without it.
# custom:
#   id: insecure-commands
#   severity: high
#   precision: very-high
#   remediation: |
#     Remove `ACTIONS_ALLOW_UNSECURE_COMMANDS`. Write variables with
#     `echo "NAME=value" >> "$GITHUB_ENV"` and directories with
#     `echo "$DIR" >> "$GITHUB_PATH"`; update actions that still print the
#     old commands.
#   tags: [security, external/cwe/cwe-77]
package pipelint.rules.insecure_commands

import data.pipelint.lib.tables
import data.pipelint.lib.text
import data.pipelint.lib.untrusted

findings contains finding if {
	text.mentions(tables.unsecure_commands_variable)
	some site in enabled
	finding := {
		"msg": sprintf("%s=%q re-enables the set-env and add-path workflow commands%s: any text a step prints can set the next steps' environment and PATH; remove it and write to $GITHUB_ENV and $GITHUB_PATH", [site.var.name.value, site.var.value.value, site.where]),
		"pos": site.var.pos,
		"severity": severity,
	}
}

findings contains finding if {
	mentions_workflow_commands
	some j, job in input.jobs
	some s, step in job.steps
	some p in printed(step)
	finding := printed_finding(p, j, s)
}

printed_finding(p, j, s) := {
	"msg": sprintf("the script prints the %s workflow command, which works only because %s is set on line %d; write to %s instead", [p.command, tables.unsecure_commands_variable, site.var.pos.line, replacement[p.command]]),
	"pos": p.pos,
	"severity": "medium",
} if {
	some site in enabled
	site.job in {j, -1}
	site.step in {s, -1}
} else := {
	"msg": sprintf("the script prints the %s workflow command, which the runner has refused since 2020, failing the step; write to %s instead", [p.command, replacement[p.command]]),
	"pos": p.pos,
	"severity": "low",
}

replacement := {"set-env": "$GITHUB_ENV", "add-path": "$GITHUB_PATH"}

severity := "high" if untrusted.file_grade in {"privileged", "fork"} else := "medium"

# enabled lists where the variable is set true: {"var", "job", "step",
# "where"}, -1 standing for every job or step.
enabled contains {"var": v, "job": -1, "step": -1, "where": " for the whole workflow"} if {
	some v in input.env
	truthy(v)
}

enabled contains {"var": v, "job": j, "step": -1, "where": sprintf(" for job %q", [job.id.value])} if {
	some j, job in input.jobs
	some v in job.env
	truthy(v)
}

enabled contains {"var": v, "job": j, "step": s, "where": " for this step"} if {
	some j, job in input.jobs
	some s, step in job.steps
	some v in step.env
	truthy(v)
}

truthy(v) if {
	v.name.value == tables.unsecure_commands_variable
	lower(trim_space(v.value.value)) in tables.truthy_runner_values
}

# printed lists where a step's script prints one of the commands, and
# which: {"pos", "command"}, at the commands whose words hold it, else at
# the script when only its text does (a here-document).
printed(step) := {{"pos": cmd.pos, "command": command} |
	some cmd in step.script.commands
	some arg in cmd.args
	some command in printed_commands(arg.value)
} if {
	prints_commands(step.script.text.value)
	some cmd in step.script.commands
	some arg in cmd.args
	count(printed_commands(arg.value)) > 0
} else := {{"pos": step.script.text.pos, "command": command} |
	prints_commands(step.script.text.value)
	some command in printed_commands(step.script.text.value)
}

mentions_workflow_commands if text.mentions("::set-env")

mentions_workflow_commands if text.mentions("::add-path")

# prints_commands is a cheap look at the whole script before its words
# are matched one by one.
prints_commands(text) if contains(text, "::set-env")

prints_commands(text) if contains(text, "::add-path")

printed_commands(text) := {m[1] | some m in regex.find_all_string_submatch_n(tables.unsecure_workflow_commands, text, -1)}
