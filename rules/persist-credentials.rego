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
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

# One finding per checkout as written: a step shared by several jobs (a
# YAML anchor) is reported once, naming them, at the worst of its cases.
findings contains {"msg": message(j, sprintf("job %q", [j.job])), "pos": j.pos, "severity": j.severity, "fix": fix(j, j.unsafe)} if {
	not shared # the common case, where job_list names one job
	some j in judged
}

findings contains {"msg": message(first, job_list(jobs)), "pos": pos, "severity": first.severity, "fix": fix(first, unsafe)} if {
	shared
	some pos in positions
	same := [j | some j in judged; j.pos == pos]
	worst := max([rank[j.severity] | some j in same])
	first := [j | some j in same; rank[j.severity] == worst][0]
	jobs := sort({j.job | some j in same; rank[j.severity] == worst})
	unsafe := count([j | some j in same; j.unsafe]) > 0
}

# shared is true when two judgements are of one step, which runs in
# several jobs: fewer positions than judgements (comparing them in pairs
# would cost a file of many checkouts the square of their number).
shared if count(positions) < count(judged)

positions := {pos | some pos; judged[_].pos = pos}

# A built-in checkout step told to keep the token (Azure's `checkout:`
# with `persistCredentials: true`), whose job never pushes with it: the
# option was set for nothing, and every later step, a build script or a
# compromised dependency among them, can read the token.
findings contains {"msg": msg, "pos": v.value.pos, "severity": "medium"} if {
	some entry in tables.credential_checkout_calls
	some [j, s] in pipeline.steps_by_call[entry.call]
	job := input.jobs[j]
	step := job.steps[s]
	some v in step.with
	v.name.value == entry.input
	lower(trim_space(v.value.value)) == "true"
	not pushes_later(j, s)
	msg := sprintf("%s with %s: true leaves %s configured for git for the rest of job %q, and no later step pushes with it; remove %s or set it to false", [
		entry.call, entry.input, entry.token, job.id.value, entry.input,
	])
}

# fix sets the input to false on the checkout. It is unsafe when, in any
# job the checkout runs in, the setting was written `true` (a decision)
# or a later step runs git or gh: the rule knows the push commands and
# actions it does not report, but not every other use of the credential
# (a fetch of a private submodule, a tag, gh with the git credential), so
# any later git or gh command makes the fix unsafe.
fix(j, unsafe) := {"kind": "set-input", "pos": j.pos, "input": j.input, "value": "false", "unsafe": unsafe}

rank := {"low": 1, "medium": 2, "high": 3}

judged contains judgement(c) if some c in persisting_checkouts

# persisting_checkouts are the checkouts that leave their credential
# behind in a job that does not push with it afterwards: {"job", "step",
# "entry", "explicit"} (explicit when `persist-credentials: true` is
# written, a decision, judged only for the artifact it leaks into).
persisting_checkouts contains {"job": j, "step": s, "entry": entry, "explicit": value == "true"} if {
	some a in pipeline.actions_by_table.credential_checkout
	[j, s, entry] := [a.job, a.step, a.entry]
	value := lower(trim_space(with_value(input.jobs[j].steps[s], entry.input)))
	value in {"", "true"}
	not pushes_later(j, s)
}

# judgement is what a checkout exposes: {"case", "severity", "pos",
# "job", "uses" (the action as written), "input", "credential" (the checkout's
# own token or key input, [] for the job's GITHUB_TOKEN), "upload"}. The
# artifact case first: the credential is in .git/config and a later upload
# carries .git.
judgement(c) := case(c, job, base) if {
	job := input.jobs[c.job]
	step := job.steps[c.step]
	base := {
		"pos": step.uses.value.pos, "job": job.id.value, "uses": step.uses.value.value, "input": c.entry.input,
		"credential": credential_input(step), "unsafe": fix_unsafe(c),
	}
}

fix_unsafe(c) := true if {
	c.explicit
} else := true if {
	last_git_step[c.job] > c.step
} else := false

# git_steps are the [job, step] indexes of the steps that run git or gh,
# found once per file, each name in one expression over every command.
git_steps := {[j, s] | some j, s; input.jobs[j].steps[s].script.commands[_].name.value == "git"} |
	{[j, s] | some j, s; input.jobs[j].steps[s].script.commands[_].name.value == "gh"}

# last_git_step is the index of the last step of each job that runs git or
# gh (see last_step).
last_git_step := last_step(git_steps)

# last_step holds, by job, the largest step index of a set of [job, step]:
# the last of each job's run in their sorted list (see runs). Asking the
# set for [j, s] with s unknown, once per checkout, would walk it whole
# each time, and so cost checkouts × steps.
last_step(steps) := {sorted[end - 1][0]: sorted[end - 1][1] |
	sorted := sort(steps)
	some [_, end] in runs.bounds([j | some [j, _] in sorted])
}

case(c, job, base) := object.union(base, {"case": "artifact", "severity": "high", "upload": upload}) if {
	upload := leaking_uploads(c)[0]
	in_git_config(input.jobs[c.job].steps[c.step].uses, c.entry)
} else := object.union(base, {"case": "left", "severity": exposure_severity(job, base.credential)}) if {
	not c.explicit
	worth_keeping(job, base.credential)
}

# message is the finding's text; jobs names the jobs the checkout runs in.
message(j, jobs) := sprintf("%s keeps %s in .git/config, and %q on line %d uploads it as an artifact (path %q): anyone who can download the run's artifacts gets it; set %s: false", [
	j.uses, credential_text(j.credential), j.upload.action, j.upload.line, j.upload.path, j.input,
]) if j.case == "artifact"
else := sprintf("%s leaves %s configured for git for the rest of %s%s, and no later step pushes with it; set %s: false", [
	j.uses, credential_text(j.credential), jobs, severity_note(j.severity), j.input,
]) if j.case == "left"

severity_note(severity) := trigger_note if severity == "high"
else := ""

job_list(jobs) := sprintf("job %q", [jobs[0]]) if count(jobs) == 1
else := sprintf("jobs %q and %q", [jobs[0], jobs[1]]) if count(jobs) == 2
else := sprintf("jobs %q, %q and %d more", [jobs[0], jobs[1], count(jobs) - 2])

# worth_keeping is true for a credential that can do more than read: a
# token or key given to the checkout, or a GITHUB_TOKEN that may write.
worth_keeping(_, credential) if credential != []

worth_keeping(job, _) if permissions.may_write(input, job)

exposure_severity(job, credential) := "high" if {
	privileged
	not regex.match(tables.trusted_event_condition, job.condition.value)
	worth_keeping(job, credential)
} else := "medium" if {
	credential != []
} else := "low"

trigger_note := sprintf(", which runs on %s", [concat(", ", privileged_events)]) if {
	privileged_events != []
} else := ", called from a workflow outsiders can start" if {
	privileged
} else := ""

# privileged is true when the workflow runs on a trigger outsiders cause,
# or is called from one that does; the file's own triggers are read first,
# as they decide for most files.
privileged if privileged_events != []

privileged if {
	untrusted.called_file
	untrusted.file_grade == "privileged"
}

privileged_events := sort({event | some event; input.triggers[_].event.value = event} & tables.privileged_triggers)

# with_value is the value of a step's input, "" when it is not set: one
# pass over the inputs.
with_value(step, name) := values[0] if {
	values := [step.with[i].value.value | some i; step.with[i].name.value == name]
} else := ""

# --- the credential -----------------------------------------------------------

# credential_input is the checkout's own credential, [input name], or []
# when it uses the job's GITHUB_TOKEN.
credential_input(step) := [name |
	some v in step.with
	v.name.value in {"ssh-key", "token"}
	not default_token(v)
	name := v.name.value
]

default_token(v) if {
	count(v.expressions) > 0
	every e in v.expressions {
		every path in e.flows {
			path in {"github.token", "secrets.github_token"}
		}
	}
}

credential_text(credential) := "the job's GITHUB_TOKEN" if {
	credential == []
} else := "the SSH key passed as \"ssh-key\"" if {
	"ssh-key" in credential
} else := "the token passed as \"token\""

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

# pushing_steps are the [job, step] indexes of the steps that push: a
# push command or action, a local action or workflow that does, or one
# that could not be read, which may.
pushing_steps contains [m.job, m.step] if some m in commands.matched_by_table.git_push

pushing_steps contains [a.job, a.step] if some a in pipeline.actions_by_table.git_push

pushing_steps contains [j, s] if {
	some j, s
	input.jobs[j].steps[s].uses.local
	local_may_push(input.jobs[j].steps[s])
}

local_may_push(step) if step.callee == ""

local_may_push(step) if {
	some callee_job in pipeline.callee_pipelines[step.callee].jobs
	some called in callee_job.steps
	called_pushes(called)
}

called_pushes(step) if pipeline.action_entry(step, "git_push")

called_pushes(step) if {
	some cmd in step.script.commands
	count(commands.matching("git_push", cmd)) > 0
}

pushes_later(j, s) if last_pushing_step[j] > s

# last_pushing_step is the index of the last step of each job that pushes
# (see last_step): a partial rule asked for [j, p] with p unknown is
# evaluated again on every call.
last_pushing_step := last_step(pushing_steps)

# leaking_uploads are the later artifact uploads of the job that take the
# checkout's .git directory: a path covering it, of a version (or with an
# input) that keeps hidden files.
leaking_uploads(c) := [{"action": step.uses.value.value, "line": step.uses.value.pos.line, "path": path} |
	some a in uploads_by_job[c.job]
	s := a.step
	entry := a.entry
	s > c.step
	dir := checkout_dir(input.jobs[c.job].steps[c.step])
	step := input.jobs[c.job].steps[s]
	keeps_hidden(step, entry)
	some path in upload_paths(step, entry)
	covers(path, dir)
]

# uploads_by_job holds the artifact uploads of each job, grouped once, as
# lib/runs shows: a checkout's own walk of every upload would cost
# checkouts × uploads.
uploads_by_job := {j: group |
	some j in {a.job | some a in pipeline.actions_by_table.artifact_upload}
	group := {a | some a in pipeline.actions_by_table.artifact_upload; a.job == j}
}

keeps_hidden(step, upload) if lower(trim_space(with_value(step, upload.hidden_input))) == "true"

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
checkout_dir(step) := normal_path(with_value(step, "path"))

upload_paths(step, upload) := [line |
	some raw in split(with_value(step, upload.input), "\n")
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
	some target in [dir, git_dir(dir)]
	above_or_same(p, target)
}

git_dir("") := ".git"

git_dir(dir) := concat("/", [dir, ".git"]) if dir != ""

above_or_same("", _)

above_or_same(p, target) if p == target

above_or_same(p, target) if startswith(target, concat("", [p, "/"]))

above_or_same(p, target) if glob.match(p, ["/"], target)
