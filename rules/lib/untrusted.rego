# METADATA
# description: |
#   Who controls the text a pipeline computes, and how much the pipeline's
#   trigger grants: the one taint pass the untrusted-input rules share.
#   Judged from the model's expressions (Expression.reads and .flows) and
#   the tables of tables_untrusted.rego.
package pipelint.lib.untrusted

import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables

# control is who writes the text of a context path: "outsider" (anyone who
# can open an issue or a fork's pull request) or "partly" (an outsider,
# within a format: e-mail addresses); undefined for everything else. A
# path that reads a whole object holding such text (`toJSON(github.event)`)
# is controlled as that text is.
control(path) := c if {
	c := control_or_null(path)
	c != null
}

# control_or_null is control, or null for a path no outsider writes: see
# origin_or_null.
control_or_null(path) := "outsider" if {
	context_root(path)
	not regex.match(tables.fixed_contexts_pattern, path)
	held_by(path, tables.outsider_contexts_pattern, tables.outsider_holders_pattern)
} else := "partly" if {
	context_root(path)
	not regex.match(tables.fixed_contexts_pattern, path)
	held_by(path, tables.partly_controlled_contexts_pattern, tables.partly_controlled_holders_pattern)
} else := null

# context_root is true for a path under one of the roots of the systems'
# contexts (`github`, CircleCI's `pipeline`): other paths (env, inputs,
# steps) are never a context.
context_root(path) if split(path, ".")[0] in tables.context_roots

# held_by is true when path is one of the contexts (matches pattern, the
# regular expression of the table), or an object that holds one (matches
# holders).
held_by(path, pattern, _) if regex.match(pattern, path)

held_by(path, _, holders) if regex.match(holders, path)

# grade is how much a pipeline with these trigger events grants to the
# outsiders who start it: "privileged" (the base repository's token and
# secrets), "fork" (a fork's change, read-only token, no secrets) or
# "trusted" (only people with write access start it).
grade(events) := "privileged" if {
	some event in events
	event in tables.privileged_triggers
} else := "fork" if {
	some event in events
	event in tables.fork_triggers
} else := "trusted"

events(p) := {t.event.value | some t in p.triggers}

# under is true for a path that is prefix or a path below it.
under(path, prefix) if path == prefix

under(path, prefix) if startswith(path, concat("", [prefix, "."]))

# context_grade is the grade of the events of the file checked that carry
# a context path (`github.event.head_commit` only comes with a push): a
# workflow on push and pull_request runs a push's commit message with the
# secrets. A path no declared event carries is graded by all of them, as
# is the file of a called workflow or action (its callers' grade).
context_grade(path) := grade(carrying) if {
	not called_file
	carrying := {event |
		some prefix, carriers in tables.context_events
		under(path, prefix)
		some event in carriers
		event in events(input)
	}
	count(carrying) > 0
} else := file_grade

# called_file is called(input), once per evaluation.
called_file if called(input)

# called is true for a pipeline that only other pipelines start: a
# reusable workflow (triggered by workflow_call alone) or an action.
called(p) if p.kind == "action"

called(p) if {
	count(p.triggers) > 0
	every t in p.triggers {
		t.event.value in tables.call_triggers
	}
}

# file_grade is the grade of the file checked: its own triggers', or for
# a workflow or action others call, the highest of its callers' in the
# repository; "unknown" when no caller is in view.
file_grade := grade(events(input)) if not called_file

file_grade := caller_grade if called_file

caller_grades := {grade(events(p)) | some p in caller_pipelines}

# caller_pipelines are the pipelines of the repository that call the
# file checked, directly or through others.
caller_pipelines := [pipeline.pipeline_of(file) | some file in pipeline.callers]

caller_grade := "privileged" if "privileged" in caller_grades
else := "fork" if "fork" in caller_grades
else := "trusted" if "trusted" in caller_grades
else := "unknown"

# --- taint ------------------------------------------------------------------

# origin is who sets the text of a path an expression lets flow, in job j
# of the file, at its step s (-1 for the job itself): "outsider" or
# "partly" for contexts (control), "dispatch" for a workflow_dispatch
# input (people who can run the workflow), "caller" for an input of a
# workflow or action whose callers pass it text of unknown origin, or the
# origin of the text a caller in the repository passes. Taint follows one
# chain: a context or input, into an env variable, written to
# $GITHUB_ENV or $GITHUB_OUTPUT, read back as `env.X`, a step output, a job
# output through `needs`, or a matrix. The result is {"origin", "via"},
# via naming the path the text came through when it is not path itself.
origin(path, j, s) := o if {
	o := origin_or_null(path, j, s)
	o != null
}

# origin_or_null is origin, or null for text no one outside the
# repository's writers sets. OPA remembers a function's result for its
# arguments only when it has one; most paths have no origin, and a script
# reads the same few again and again (`github.sha`).
origin_or_null(path, j, s) := passed_input(path) if {
	passed_input(path)
} else := {"origin": o, "via": path} if {
	o := direct(path)
} else := env_origin(trim_prefix(path, "env."), j, s) if startswith(path, "env.")
else := step_output_origin(path, j) if startswith(path, "steps.")
else := needs_origin(path) if startswith(path, "needs.")
else := matrix_origin(j) if startswith(path, "matrix.")
else := null

# direct is the origin of a context or an input, before any step runs.
direct(path) := control(path)

direct(path) := input_origin(name) if {
	some prefix in tables.input_prefixes
	startswith(path, prefix)
	name := lower(substring(path, count(prefix), -1))
	not contains(name, ".")
}

# input_origin is where an input's text comes from: an input of a
# pipeline that people start by hand (a GitHub workflow_dispatch input, a
# GitLab spec input) is typed by whoever starts it; a called pipeline's
# input is what its callers pass. Inputs whose type admits no free text
# (boolean, number, choice) have none.
input_origin(name) := "dispatch" if {
	started_by_hand(input)
	some param in parameters_by_name[name]
	param.type in text_types
} else := passed_origin(name) if {
	takes_inputs(input)
	not typed_not_text(name)
}

started_by_hand(p) if "workflow_dispatch" in events(p)

started_by_hand(p) if not takes_inputs(p)

# text_types are the parameter types whose value is free text (an
# undeclared type is a string).
text_types := {"", "string", "text"}

typed_not_text(name) if {
	some param in parameters_by_name[name]
	not param.type in text_types
}

# parameters_by_name holds the pipeline's parameters by their name in
# lower case, in order, grouped once from one sorted list (see runs): a
# walk of every parameter for each input a script reads would cost their
# product.
parameters_by_name := runs.groups(sort([[lower(param.name.value), i, param] | some i, param in input.parameters]))

takes_inputs(p) if p.kind == "action"

takes_inputs(p) if "workflow_call" in events(p)

passed_origin(name) := passed.origin if {
	passed := passed_input(concat("", ["inputs.", name]))
} else := "caller" if count(caller_pipelines) == 0

# passed_input is the origin of an input of the file checked that a
# caller in the repository passes controlled text to, the worst first,
# via naming that text and the caller: {"origin": "outsider", "via":
# "github.event.comment.body, passed by .github/workflows/comment.yml"}.
passed_input(path) := sort(passed)[0][1] if {
	startswith(path, "inputs.")
	name := substring(path, 7, -1)
	takes_inputs(input)
	not typed_not_text(name)
	passed := [[rank, {"origin": o, "via": sprintf("%s, passed by %s", [flow, caller.file])}] |
		some caller in caller_pipelines
		some value in passed_values(caller, name)
		some e in value.expressions
		some flow in e.flows
		o := control(flow)
		rank := {"outsider": 0, "partly": 1}[o]
	]
	count(passed) > 0
}

passed_values(caller, name) := array.concat(
	[v |
		some job in caller.jobs
		job.callee == input.file
		some v in job.with
		lower(v.name.value) == name
	],
	[v |
		some job in caller.jobs
		some step in job.steps
		step.callee == input.file
		some v in step.with
		lower(v.name.value) == name
	],
)

# env_origin is the origin of env variable name where step s of job j
# reads it: the step's own env, else a write to $GITHUB_ENV by an earlier
# step, else the job's env, else the pipeline's.
env_origin(name, j, s) := value_origin(v) if {
	s >= 0
	some v in env_by_scope[["step", j, s, name]]
} else := written_origin(j, s, "env", name) if {
	s >= 0
} else := value_origin(v) if {
	some v in env_by_scope[["job", j, name]]
} else := value_origin(v) if {
	some v in env_by_scope[["pipeline", name]]
}

# env_by_scope holds the env variables of the pipeline, of each job and of
# each step by their scope and lower-case name, in order, grouped once
# from one sorted list (see runs): a walk of a scope's variables for every
# reference would cost their product.
env_by_scope := runs.groups(sort(array.concat(
	array.concat(
		[[["pipeline", lower(v.name.value)], k, v] | some k, v in input.env],
		[[["job", j, lower(v.name.value)], k, v] | some j, job in input.jobs; some k, v in job.env],
	),
	[[["step", j, s, lower(v.name.value)], k, v] | some j, job in input.jobs; some s, step in job.steps; some k, v in step.env],
)))

# value_origin is the origin of the first controlled text a variable's
# value lets flow.
value_origin(v) := [{"origin": o, "via": path} |
	some e in v.expressions
	some path in e.flows
	o := direct(path)
][0]

# written_origin is the origin of text an earlier step of job j (before
# step s, or any step when s is -1) writes under name to $GITHUB_ENV
# (what "env") or $GITHUB_OUTPUT (what "output").
written_origin(j, s, what, name) := writes[0].origin if {
	writes := [w |
		some w in writes_by_key[[j, what, name]]
		earlier(w.step, s)
	]
	count(writes) > 0
}

# writes_by_key holds the writes of job_writes by job, file and name (and
# the step's id, for $GITHUB_OUTPUT, which `steps.<id>.outputs` names), in
# job_writes' order, grouped from one sorted list (see runs): a walk of the
# job's writes for every reference would cost a long job its square.
writes_by_key := runs.groups(sort([[write_key(j, w), k, w] | some j, writes in job_writes; some k, w in writes]))

write_key(j, w) := [j, w.what, w.name] if w.what != "output"

write_key(j, w) := [j, w.what, w.name, w.step_id] if w.what == "output"

earlier(_, -1)

earlier(step, s) if step < s

# job_writes[j] lists what the run steps of job j write to $GITHUB_ENV
# and $GITHUB_OUTPUT with controlled text: `echo "NAME=${{ ... }}"` or
# `echo "NAME=$VAR"` where VAR holds such text where the step runs, and
# the multi-line form, `echo "NAME<<EOF"` followed by commands writing
# controlled text to the same file before the one that writes EOF.
job_writes[j] := array.concat(one_line, multi_line) if {
	some j, job in input.jobs
	one_line := [w |
		some s, step in job.steps
		some cmd in step.script.commands
		count(cmd.writes) > 0
		some file in cmd.writes
		what := github_file_kind(file.value)
		some arg in cmd.args
		parts := regex.find_all_string_submatch_n(`^["']?([A-Za-z_][A-Za-z0-9_-]*)(=|<<)`, arg.value, 1)
		count(parts) == 1
		o := arg_origin(j, s, arg)
		w := {"what": what, "name": lower(parts[0][1]), "step": s, "step_id": lower(step.id.value), "origin": o}
	]
	multi_line := [w |
		some s, step in job.steps
		cmds := step.script.commands
		some k, cmd in cmds
		count(cmd.writes) > 0
		some file in cmd.writes
		what := github_file_kind(file.value)
		some arg in cmd.args
		parts := regex.find_all_string_submatch_n(`^["']?([A-Za-z_][A-Za-z0-9_-]*)<<["']?([A-Za-z0-9_-]+)`, arg.value, 1)
		count(parts) == 1
		delimiter := parts[0][2]
		body := array.slice(cmds, k + 1, count(cmds))
		ends := [i | some i, c in body; some a in c.args; trim(a.value, `"'`) == delimiter]
		count(ends) > 0
		some line in array.slice(body, 0, ends[0])
		some written in line.writes
		github_file_kind(written.value) == what
		some text in line.args
		o := arg_origin(j, s, text)
		w := {"what": what, "name": lower(parts[0][1]), "step": s, "step_id": lower(step.id.value), "origin": o}
	]
}

github_file_kind(file) := "env" if regex.match(`^"?\$\{?GITHUB_ENV\}?"?$`, file)

github_file_kind(file) := "output" if regex.match(`^"?\$\{?GITHUB_OUTPUT\}?"?$`, file)

# arg_origin is the origin of controlled text in an argument of a command
# of step s of job j: an expression spliced into it, or a variable that
# holds such text where the step runs.
arg_origin(j, s, arg) := {"origin": o, "via": path} if {
	some e in input.jobs[j].steps[s].script.expressions
	within(e.pos, arg.pos)
	some path in e.flows
	o := direct(path)
} else := o if {
	some m in regex.find_all_string_submatch_n(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`, arg.value, -1)
	o := env_value_origin(lower(m[1]), j, s)
}

within(inner, outer) if {
	inner.line == outer.line
	inner.column >= outer.column
	inner.end_column <= outer.end_column
}

# env_value_origin is the origin of an env variable of step s of job j,
# its job or the pipeline whose value holds controlled text.
env_value_origin(name, j, s) := value_origin(v) if {
	some v in env_by_scope[["step", j, s, name]]
} else := value_origin(v) if {
	some v in env_by_scope[["job", j, name]]
} else := value_origin(v) if {
	some v in env_by_scope[["pipeline", name]]
}

# step_output_origin is the origin of `steps.<id>.outputs.<name>`: what
# that step of the job wrote to $GITHUB_OUTPUT.
step_output_origin(path, j) := {"origin": w.origin.origin, "via": w.origin.via} if {
	parts := split(path, ".")
	count(parts) == 4
	parts[2] == "outputs"
	some w in writes_by_key[[j, "output", parts[3], parts[1]]]
}

# needs_origin is the origin of `needs.<job>.outputs.<name>`: what that
# job's output lets flow, directly or from one of its steps' outputs.
needs_origin(path) := job_output_origin(k, parts[3]) if {
	parts := split(path, ".")
	count(parts) == 4
	parts[2] == "outputs"
	some k in jobs_by_lower_id[parts[1]]
}

# jobs_by_lower_id holds the indexes of the jobs by their id in lower case,
# as `needs.<job>` names them, grouped once from one sorted list (see
# runs): a walk of every job for each reference would cost their product.
jobs_by_lower_id := runs.groups(sort([[lower(job.id.value), k] | some k, job in input.jobs]))

job_output_origin(k, name) := [o |
	some v in input.jobs[k].outputs
	lower(v.name.value) == name
	some e in v.expressions
	some path in e.flows
	o := output_source(path, k)
][0]

output_source(path, _) := {"origin": o, "via": path} if o := direct(path)

output_source(path, k) := step_output_origin(path, k) if startswith(path, "steps.")

# matrix_origin is the origin of a matrix variable computed from
# controlled text (`matrix: ${{ fromJSON(...) }}`).
matrix_origin(j) := [{"origin": o, "via": path} |
	some e in input.jobs[j].strategy.expressions
	some path in e.flows
	o := direct(path)
][0]
