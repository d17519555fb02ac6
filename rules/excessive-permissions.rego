# METADATA
# title: GITHUB_TOKEN permissions broader than the jobs need
# description: |
#   A workflow gives its jobs' GITHUB_TOKEN more than they use: `write-all`;
#   write scopes (or `id-token: write`) declared at workflow level, where
#   they reach jobs that never use the token; or no `permissions:` at all,
#   so every job gets the repository's default token, which can write to
#   most scopes on repositories created before 2023 and wherever an owner
#   kept that default. Whatever runs in a job (a compromised action, a
#   poisoned dependency, injected code) acts with that token.
# custom:
#   id: excessive-permissions
#   severity: medium
#   precision: high
#   remediation: |
#     Set `permissions: contents: read` (or `{}`) at the top of the
#     workflow and grant each write scope in the job that uses it. Never
#     use `write-all`. Grant `id-token: write` only to the job that signs
#     or logs in to a cloud with OIDC.
#   tags: [security, least-privilege, external/cwe/cwe-250]
package pipelint.rules.excessive_permissions

import data.pipelint.lib.commands
import data.pipelint.lib.permissions
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

# Judged where the file scopes its jobs' token (a GitHub workflow). A
# reusable workflow's jobs run with at most the calling job's token: what
# it is given is judged where it is called.
findings contains finding if {
	input.permissions_apply
	some finding in workflow_findings
}

# write-all at workflow level, when some job runs with it.
workflow_findings contains {
	"msg": sprintf("permissions: write-all gives %s write access to every scope%s; grant each job only the scopes it uses", [job_list(jobs), trigger_note]),
	"pos": input.permissions.all.pos,
	"severity": severity,
} if {
	not reusable
	lower(input.permissions.all.value) == "write-all"
	jobs := [input.jobs[i].id.value | some i in permissions.inheriting(input)]
	count(jobs) > 0
}

# write-all on a job.
workflow_findings contains {
	"msg": sprintf("permissions: write-all gives job %q write access to every scope%s; grant it only the scopes it uses", [job.id.value, trigger_note]),
	"pos": job.permissions.all.pos,
	"severity": severity,
} if {
	not reusable
	some job in input.jobs
	lower(job.permissions.all.value) == "write-all"
}

# A write scope at workflow level that reaches jobs that do not use it. A
# workflow whose every job may use it (one job that needs it, most often)
# is fine as it is.
workflow_findings contains {
	"msg": sprintf("write access to %q is granted at workflow level to %s, which %s; grant it only in the jobs that need it", [scope.name.value, job_list(jobs), unused_note(name, count(jobs))]),
	"pos": scope.pos,
	"severity": severity,
} if {
	some scope in input.permissions.scopes
	lower(scope.value.value) == "write"
	name := lower(scope.name.value)
	jobs := [job.id.value |
		some i in permissions.inheriting(input)
		job := input.jobs[i]
		not needs(job, name)
	]
	count(jobs) > 0
}

# No permissions anywhere: every job gets the default token.
workflow_findings contains {
	"msg": sprintf("the workflow declares no permissions%s, so every job gets the repository's default GITHUB_TOKEN, which can write to most scopes unless the repository restricts it; declare permissions (contents: read for most jobs)", [trigger_note]),
	"pos": default_token_pos,
	"severity": default_token_severity,
	"fix": read_only_fix,
} if {
	not reusable
	input.permissions == null
	count(input.jobs) > 0
	not some_job_declares
}

# Some jobs declare permissions, this one and the workflow do not.
workflow_findings contains {
	"msg": sprintf("job %q declares no permissions and neither does the workflow%s, so it gets the repository's default GITHUB_TOKEN, which can write to most scopes unless the repository restricts it; declare the scopes it needs", [job.id.value, trigger_note]),
	"pos": job.id.pos,
	"severity": default_token_severity,
	"fix": read_only_fix,
} if {
	not reusable
	input.permissions == null
	some_job_declares
	some job in input.jobs
	job.permissions == null
}

# read_only_fix declares `permissions: contents: read` for the workflow,
# which then reaches every job that declares none: unsafe, since a job
# that writes with its token stops working until it is granted the scope.
read_only_fix := {"kind": "add-permissions", "pos": input.pos, "permissions": {"contents": "read"}, "unsafe": true}

some_job_declares if {
	some job in input.jobs
	job.permissions != null
}

# reusable is true for a workflow only other workflows start.
reusable if untrusted.called_file

# --- severity and wording -------------------------------------------------------

severity := "high" if privileged else := "medium"

default_token_severity := "medium" if privileged else := "low"

# privileged is true when the workflow runs on a trigger outsiders cause,
# or is called from one that does; the file's own triggers are read first,
# as they decide for most files.
privileged if count(privileged_events) > 0

privileged if {
	reusable
	untrusted.file_grade == "privileged"
}

# trigger_note names the privileged trigger that lets outsiders start the
# workflow, or its callers'.
trigger_note := sprintf(" (it runs on %s, which outsiders can start)", [concat(", ", privileged_events)]) if {
	count(privileged_events) > 0
} else := " (it is called from a workflow outsiders can start)" if {
	privileged
} else := ""

privileged_events := sort({t.event.value | some t in input.triggers; t.event.value in tables.privileged_triggers})

# default_token_pos is the trigger that makes the default token matter
# most, else the first trigger, else the file's start.
default_token_pos := [t.event.pos | some t in input.triggers; t.event.value in tables.privileged_triggers][0] if {
	count(privileged_events) > 0
} else := input.triggers[0].event.pos if {
	count(input.triggers) > 0
} else := input.pos

unused_note("id-token", 1) := "does not request an OIDC token"

unused_note("id-token", n) := "do not request OIDC tokens" if n > 1

unused_note(name, 1) := "does not use the token" if name != "id-token"

unused_note(name, n) := "do not use the token" if {
	name != "id-token"
	n > 1
}

job_list(jobs) := sprintf("job %q", [jobs[0]]) if count(jobs) == 1

job_list(jobs) := sprintf("jobs %q and %q", [jobs[0], jobs[1]]) if count(jobs) == 2

job_list(jobs) := sprintf("jobs %q, %q and %d more", [jobs[0], jobs[1], count(jobs) - 2]) if count(jobs) > 2

# --- what a job needs -------------------------------------------------------------

# needs is true when job may use write scope name of its token: it calls a
# reusable workflow (which runs with the job's token), runs an action that
# is not known to leave the token alone, or, for id-token, runs a command
# that requests an OIDC token, and for the other scopes, passes the token
# on or runs a command that acts on GitHub with it.
needs(job, _) if job.uses != null

needs(job, _) if {
	some step in pipeline.all_steps(job)
	step.uses.kind == "action"
	not step.uses.local
	not token_free(step.uses)
}

# A local action that could not be read may do anything; one that could
# is judged by its steps (pipeline.all_steps).
needs(job, _) if {
	some step in job.steps
	step.uses.local
	step.callee == ""
}

needs(job, "id-token") if {
	some step in pipeline.all_steps(job)
	some cmd in step.script.commands
	some m in tables.oidc_commands
	cmd.name.value in m.names
	commands.matches(cmd, tables.matcher(m))
}

needs(job, "id-token") if {
	some step in pipeline.all_steps(job)
	contains(step.script.text.value, "ACTIONS_ID_TOKEN_REQUEST")
}

needs(job, name) if {
	name != "id-token"
	reads_token(job)
}

needs(job, name) if {
	name != "id-token"
	some step in pipeline.all_steps(job)
	some cmd in step.script.commands
	some m in token_acting_commands
	cmd.name.value in m.names
	commands.matches(cmd, tables.matcher(m))
}

token_acting_commands := tables.token_commands | tables.git_push_commands

token_free(ref) if {
	name := lower(pipeline.action_name(ref))
	some pattern in tables.token_free_actions
	glob.match(pattern, ["/"], name)
}

# reads_token is true when the job hands its token to a step or a script:
# `github.token` or `secrets.GITHUB_TOKEN` in an env, input or script of
# the job, or in the workflow's env, which every job gets.
reads_token(_) if {
	some v in input.env
	token_expression(v.expressions)
}

reads_token(job) if {
	some v in array.concat(job.env, job.with)
	token_expression(v.expressions)
}

reads_token(job) if {
	some step in pipeline.all_steps(job)
	some v in array.concat(step.env, step.with)
	token_expression(v.expressions)
}

reads_token(job) if {
	some step in pipeline.all_steps(job)
	token_expression(step.script.expressions)
}

token_expression(expressions) if {
	some e in expressions
	some path in e.reads
	path in {"github.token", "secrets.github_token", "github"}
}
