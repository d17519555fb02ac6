# METADATA
# title: Checkout leaves the token in the workspace
# description: |
#   actions/checkout, unless told `persist-credentials: false`, leaves the
#   token it fetched with (the job's GITHUB_TOKEN, or the PAT or SSH key it
#   was given) configured for git, for every later step of the job. Any
#   action, build script or dependency that runs later can read it, and
#   before checkout v6 it sits in `.git/config`, where an artifact upload
#   of the workspace publishes it. Not reported: a job that then pushes
#   with it (`git push`, a commit-and-push action), which is what it is
#   for, and a job whose GITHUB_TOKEN can only read.
# custom:
#   id: persist-credentials
#   severity: low
#   precision: high
#   remediation: |
#     Add `persist-credentials: false` under the checkout's `with:`. A job
#     that needs to push keeps the default, or better, passes a token to
#     the push step alone.
#   tags: [security, credentials, external/cwe/cwe-522]
package pipelint.rules.persist_credentials

import data.pipelint.lib.commands
import data.pipelint.lib.permissions
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

# One finding per checkout as written: a step shared by several jobs (a
# YAML anchor) is reported once, naming them, at the worst of its cases.
findings contains finding if {
	some pos in {j.pos | some j in judged}
	same := [j | some j in judged; j.pos == pos]
	worst := max([rank[j.severity] | some j in same])
	first := [j | some j in same; rank[j.severity] == worst][0]
	jobs := sort({j.job | some j in same; rank[j.severity] == worst})
	finding := {"msg": message(first, jobs), "pos": pos, "severity": first.severity}
}

rank := {"low": 1, "medium": 2, "high": 3}

judged contains judgement(c) if some c in persisting_checkouts

# persisting_checkouts are the checkouts that leave their credential
# behind in a job that does not push with it afterwards: {"job", "step",
# "entry", "explicit"} (explicit when `persist-credentials: true` is
# written, a decision, judged only for the artifact it leaks into).
persisting_checkouts contains {"job": j, "step": s, "entry": entry, "explicit": value == "true"} if {
	some j, job in input.jobs
	some s, step in job.steps
	step.uses.kind == "action"
	name := lower(pipeline.action_name(step.uses))
	some entry in tables.credential_checkouts
	entry.action == name
	value := lower(trim_space(pipeline.input_value(step, entry.input)))
	value in {"", "true"}
	not pushes_later(job, s)
}

# judgement is what a checkout exposes: {"case", "severity", "pos",
# "job", "step" (the step object), "input", "upload"}. The artifact case
# first: the credential is in .git/config and a later upload carries .git.
judgement(c) := case(c, job, step, base) if {
	job := input.jobs[c.job]
	step := job.steps[c.step]
	base := {"pos": step.uses.value.pos, "job": job.id.value, "step": step, "input": c.entry.input}
}

case(c, job, step, base) := object.union(base, {"case": "artifact", "severity": "high", "upload": upload}) if {
	in_git_config(step.uses, c.entry)
	upload := leaking_uploads(c)[0]
} else := object.union(base, {"case": "left", "severity": exposure_severity(job, step)}) if {
	not c.explicit
	worth_keeping(job, step)
}

message(j, _) := sprintf("%s keeps %s in .git/config, and %q on line %d uploads it as an artifact (path %q): anyone who can download the run's artifacts gets it; set %s: false", [
	j.step.uses.value.value, credential(j.step), j.upload.action, j.upload.line, j.upload.path, j.input,
]) if j.case == "artifact"

message(j, jobs) := sprintf("%s leaves %s configured for git for the rest of %s%s, and no later step pushes with it; set %s: false", [
	j.step.uses.value.value, credential(j.step), job_list(jobs), severity_note[j.severity], j.input,
]) if j.case == "left"

severity_note := {"high": trigger_note, "medium": "", "low": ""}

job_list(jobs) := sprintf("job %q", [jobs[0]]) if count(jobs) == 1

job_list(jobs) := sprintf("jobs %q and %q", [jobs[0], jobs[1]]) if count(jobs) == 2

job_list(jobs) := sprintf("jobs %q, %q and %d more", [jobs[0], jobs[1], count(jobs) - 2]) if count(jobs) > 2

# worth_keeping is true for a credential that can do more than read: a
# token or key given to the checkout, or a GITHUB_TOKEN that may write.
worth_keeping(_, step) if custom_credential(step)

worth_keeping(job, _) if permissions.may_write(input, job)

exposure_severity(job, step) := "high" if {
	untrusted.file_grade == "privileged"
	not regex.match(tables.trusted_event_condition, job.condition.value)
	worth_keeping(job, step)
} else := "medium" if {
	custom_credential(step)
} else := "low"

trigger_note := sprintf(", which runs on %s", [concat(", ", privileged_events)]) if {
	count(privileged_events) > 0
} else := ", called from a workflow outsiders can start" if {
	untrusted.file_grade == "privileged"
} else := ""

privileged_events := sort({t.event.value | some t in input.triggers; t.event.value in tables.privileged_triggers})

# --- the credential -----------------------------------------------------------

custom_credential(step) if credential_input(step)

credential_input(step) := [[name, v] |
	some name in ["ssh-key", "token"]
	some v in step.with
	v.name.value == name
	not default_token(v)
][0]

default_token(v) if {
	count(v.expressions) > 0
	every e in v.expressions {
		every path in e.flows {
			path in {"github.token", "secrets.github_token"}
		}
	}
}

credential(step) := sprintf("the SSH key passed as %q", [name]) if {
	[name, _] := credential_input(step)
	name == "ssh-key"
} else := sprintf("the token passed as %q", [name]) if {
	[name, _] := credential_input(step)
} else := "the job's GITHUB_TOKEN"

# in_git_config is true for a checkout version that writes the credential
# into .git/config itself (before separate_file_from), or whose version
# the file does not say.
in_git_config(ref, _) if not version(ref)

in_git_config(ref, entry) if version(ref)[0] < entry.separate_file_from

# version is [major, minor] of an action reference, from its ref or, when
# a SHA hides it, its version comment; minor is -1 for a major version
# alone (`@v4`), which follows the latest release of that major.
version(ref) := parse_version(ref.ref) if {
	parse_version(ref.ref)
} else := parse_version(trim_space(ref.version_comment))

parse_version(text) := [to_number(m[1]), minor_number(m[2])] if {
	m := regex.find_all_string_submatch_n(`^v?([0-9]+)(?:\.([0-9]+))?(?:\.[0-9]+)*(?:$|[^0-9a-f.])`, text, 1)[0]
}

minor_number("") := -1

minor_number(text) := to_number(text) if text != ""

# --- what comes after -----------------------------------------------------------

# later_steps are the steps of job after step s, with those of the local
# actions and workflows they call.
later_steps(job, s) := array.concat(after, [called |
	some step in after
	step.callee != ""
	some callee_job in pipeline.callee_pipelines[step.callee].jobs
	some called in callee_job.steps
]) if {
	after := array.slice(job.steps, s + 1, count(job.steps))
}

pushes_later(job, s) if {
	some step in later_steps(job, s)
	step.uses.kind == "action"
	lower(pipeline.action_name(step.uses)) in tables.git_push_actions
}

# A local action or workflow that could not be read may push.
pushes_later(job, s) if {
	some step in array.slice(job.steps, s + 1, count(job.steps))
	step.uses.local
	step.callee == ""
}

pushes_later(job, s) if {
	some step in later_steps(job, s)
	some cmd in step.script.commands
	some m in tables.git_push_commands
	cmd.name.value in m.names
	commands.matches(cmd, tables.matcher(m))
}

# leaking_uploads are the later artifact uploads of the job that take the
# checkout's .git directory: a path covering it, of a version (or with an
# input) that keeps hidden files.
leaking_uploads(c) := [{"action": step.uses.value.value, "line": step.uses.value.pos.line, "path": path} |
	job := input.jobs[c.job]
	checkout := job.steps[c.step]
	dir := checkout_dir(checkout)
	some step in array.slice(job.steps, c.step + 1, count(job.steps))
	step.uses.kind == "action"
	some upload in tables.artifact_uploads
	upload.action == lower(pipeline.action_name(step.uses))
	keeps_hidden(step, upload)
	some path in upload_paths(step, upload)
	covers(path, dir)
]

keeps_hidden(step, upload) if lower(trim_space(pipeline.input_value(step, upload.hidden_input))) == "true"

keeps_hidden(step, upload) if {
	[major, minor] := version(step.uses)
	minor >= 0
	[major, minor] < upload.hidden_excluded_from
}

keeps_hidden(step, upload) if {
	v := version(step.uses)
	v[1] == -1
	v[0] < upload.hidden_excluded_from[0]
}

# checkout_dir is where the checkout puts the repository, relative to the
# workspace, without ./ and trailing slashes: "" for the workspace itself.
checkout_dir(step) := normal_path(pipeline.input_value(step, "path"))

upload_paths(step, upload) := [line |
	some raw in split(pipeline.input_value(step, upload.input), "\n")
	line := trim_space(raw)
	line != ""
	not startswith(line, "!")
]

normal_path(path) := "" if {
	relative(path) in {"", "."}
} else := relative(path)

relative(path) := regex.replace(
	regex.replace(trim_space(path), `^\$\{\{\s*github\.workspace\s*\}\}/*|^(\./)+`, ""),
	`/+$`, "",
)

# covers is true when an upload path takes dir's .git: the workspace or
# dir itself, a directory above it, or a glob matching dir or its .git.
covers(path, dir) if {
	p := normal_path(path)
	some target in [dir, concat("/", [d | some d in [dir, ".git"]; d != ""])]
	above_or_same(p, target)
}

above_or_same("", _)

above_or_same(p, target) if p == target

above_or_same(p, target) if startswith(target, concat("", [p, "/"]))

above_or_same(p, target) if glob.match(p, ["/"], target)
