# METADATA
# description: |
#   The pull request's code a job gets on a privileged trigger, and what
#   then runs it: the checkouts and fetches of the head (by its SHA, its
#   refs/pull ref, its repository, `gh pr checkout`) and the downloads of
#   the triggering run's artifacts (`acquisitions`), the commands and
#   actions after them that build, install, test or run scripts from what
#   was got (`run_sites`) or only work in the author's tree
#   (`reader_sites`), and the gates by which maintainers let such a job
#   run (`gate_names`, `outsiders_excluded`). untrusted-checkout reports
#   what runs; untrusted-deploy reads whether a job that deploys also runs
#   the pull request's code.
package pipelint.lib.checkouts

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text
import data.pipelint.lib.untrusted

# --- what the job gets from the pull request ------------------------------------------

# acquisitions are the steps and commands by which a job gets the pull
# request's code or the triggering run's artifacts: {"job", "step",
# "order", "pos", "what", "kind", "dir"}, kind being "head" or
# "artifact", dir where it lands ("" for the workspace itself), order
# where it runs in the job.
acquisitions contains got if {
	some j, job in input.jobs
	some s, step in job.steps
	lower(pipeline.action_name(step.uses)) == "actions/checkout"
	got := checkout(j, s, step)
}

# A script's first command that fetches the head (a `git fetch` of a head
# commit and the `git checkout` of it are one act).
acquisitions contains got if {
	some [start, _] in runs.bounds([[j, s] | some [j, s, _, _] in fetches_in_order])
	[j, s, cmd, what] := fetches_in_order[start]
	got := {
		"job": j, "step": s, "order": [s, cmd.name.pos.line, cmd.name.pos.column], "pos": cmd.name.pos,
		"what": what, "kind": "head", "dir": script_dir(input.jobs[j].steps[s]),
	}
}

fetches contains [j, s, cmd, what] if {
	some [j, s, cmd] in commands.located
	what := fetch_command(j, s, cmd)
}

# fetches_in_order are the fetches sorted by job, step and position: each
# step's first fetch starts its run (see runs), found once for every step
# instead of by a walk of every fetch for each.
fetches_in_order := [[j, s, cmd, what] | some [_, j, s, cmd, what] in sort([[[j, s, cmd.name.pos], j, s, cmd, what] | some [j, s, cmd, what] in fetches])]

acquisitions contains got if {
	some j, job in input.jobs
	some s, step in job.steps
	entry := run_artifact_entry(step)
	names_the_run(step, entry, j, s)
	got := {
		"job": j, "step": s, "order": [s, 0, 0], "pos": step.uses.value.pos,
		"what": sprintf("downloads the triggering run's artifacts with %q", [step.uses.value.value]),
		"kind": "artifact", "dir": normalized(pipeline.input_value(step, entry.path)),
	}
}

acquisitions contains got if {
	some j, job in input.jobs
	some s, step in job.steps
	lower(pipeline.action_name(step.uses)) == "actions/github-script"
	some v in step.with
	v.name.value == "script"
	regex.match(tables.artifact_download_script_pattern, v.value.value)
	contains(v.value.value, "workflow_run")
	got := {
		"job": j, "step": s, "order": [s, 0, 0], "pos": step.uses.value.pos,
		"what": "downloads the triggering run's artifacts with actions/github-script", "kind": "artifact", "dir": "",
	}
}

acquisitions contains got if {
	some [j, s, cmd] in commands.located
	some m in tables.run_artifact_commands
	named_match(cmd, m)
	some arg in cmd.args
	"run" in arg_kinds(j, s, arg)
	step := input.jobs[j].steps[s]
	got := {
		"job": j, "step": s, "order": [s, cmd.name.pos.line, cmd.name.pos.column], "pos": cmd.name.pos,
		"what": "downloads the triggering run's artifacts with \"gh run download\"",
		"kind": "artifact", "dir": script_dir(step),
	}
}

# names_the_run is true when an input of a download action names the
# triggering run, its commit or branch, or its pull request.
names_the_run(step, entry, j, s) if {
	some v in step.with
	v.name.value in entry.inputs
	some kind in value_kinds(v, j, s)
	kind in {"run", "commit", "branch", "number", "repository"}
}

run_artifact_entry(step) := entry if {
	name := lower(pipeline.action_name(step.uses))
	some entry in tables.run_artifact_actions
	lower(entry.action) == name
}

# checkout is an actions/checkout step that checks out the head: a head
# commit or a refs/pull ref as `ref:`, or the head's repository as
# `repository:`. A head branch without the head's repository names a
# branch of the base repository, which outsiders cannot push.
checkout(j, s, step) := got if {
	some v in step.with
	v.name.value == "ref"
	head_ref_value(v, j, s)
	got := checkout_got(j, s, step, v, sprintf("checks out the pull request's head (ref %q)", [v.value.value]))
} else := got if {
	some v in step.with
	v.name.value == "repository"
	"repository" in value_kinds(v, j, s)
	got := checkout_got(j, s, step, v, sprintf("checks out the pull request's head repository (repository %q)", [v.value.value]))
}

checkout_got(j, s, step, v, what) := {
	"job": j, "step": s, "order": [s, 0, 0], "pos": v.value.pos, "what": what, "kind": "head",
	"dir": normalized(pipeline.input_value(step, "path")),
}

head_ref_value(v, j, s) if "commit" in value_kinds(v, j, s)

head_ref_value(v, _, _) if regex.match(tables.pr_ref_pattern, v.value.value)

# fetch_command describes a command of a script that fetches the head:
# `gh pr checkout`, a git fetch of a refs/pull ref, a head commit or the
# head's repository, a git checkout of a head commit.
fetch_command(j, s, cmd) := sprintf("checks out the pull request with %q", [commands.display(cmd, m)]) if {
	some m in tables.pr_checkout_commands
	named_match(cmd, m)
} else := sprintf("fetches the pull request's head with \"git %s\"", [sub]) if {
	cmd.name.value == "git"
	sub := git_subcommand(cmd)
	sub in tables.git_fetch_subcommands
	some arg in cmd.args
	head_arg(j, s, arg, {"commit", "repository"})
} else := sprintf("checks out the pull request's head with \"git %s\"", [sub]) if {
	cmd.name.value == "git"
	sub := git_subcommand(cmd)
	sub in tables.git_switch_subcommands
	some arg in cmd.args
	head_arg(j, s, arg, {"commit"})
}

# git_subcommand is git's first positional argument, skipping the
# global options that take a value (`git -C dir fetch`).
git_subcommand(cmd) := [a.value |
	some i, a in cmd.args
	not startswith(a.value, "-")
	not option_value(cmd.args, i, ["-C", "-c", "--git-dir", "--work-tree"])
][0]

# option_value is true for the argument at i when the one before it is an
# option that takes a value.
option_value(args, i, options) if {
	i > 0
	lower(args[i - 1].value) in {lower(o) | some o in options}
}

head_arg(_, _, arg, _) if regex.match(tables.pr_ref_pattern, arg.value)

head_arg(j, s, arg, wanted) if {
	some kind in arg_kinds(j, s, arg)
	kind in wanted
}

# --- which contexts name the head ------------------------------------------------------

# kinds says what a context path names of the pull request: "commit",
# "branch", "repository", "number", and "run" for anything of the
# triggering workflow run.
kinds(path) := {kind |
	some kind, patterns in {
		"commit": tables.pr_head_commit_contexts,
		"branch": tables.pr_head_branch_contexts,
		"repository": tables.pr_head_repository_contexts,
		"number": {"github.event.pull_request.number", "github.event.number", "github.event.issue.number", "github.event.workflow_run.pull_requests.*.number"},
		"run": {"github.event.workflow_run.**"},
	}
	some pattern in patterns
	glob.match(pattern, ["."], path)
}

# value_kinds is what a with:, env: or output value of step s of job j
# names of the pull request, through the text its expressions let flow:
# contexts, env variables, step outputs, job outputs and callers' inputs
# holding such text.
value_kinds(v, j, s) := {kind |
	some e in v.expressions
	some path in e.flows
	some kind in path_kinds(path, j, s)
}

path_kinds(path, _, _) := kinds(path) if not indirect(path)

path_kinds(path, j, s) := {kind |
	startswith(path, "env.")
	some v in env_vars(trim_prefix(path, "env."), j, s)
	some e in v.expressions
	some p in e.flows
	some kind in kinds(p)
} if startswith(path, "env.")

path_kinds(path, j, _) := step_output_kinds(j, parts[1], parts[3]) if {
	parts := split(path, ".")
	parts[0] == "steps"
	count(parts) == 4
	parts[2] == "outputs"
}

path_kinds(path, _, _) := {kind |
	parts := split(path, ".")
	count(parts) == 4
	parts[2] == "outputs"
	some k, job in input.jobs
	lower(job.id.value) == parts[1]
	some v in job.outputs
	lower(v.name.value) == parts[3]
	some e in v.expressions
	some p in e.flows
	some kind in output_path_kinds(p, k)
} if startswith(path, "needs.")

path_kinds(path, _, _) := {kind |
	some caller in untrusted.caller_pipelines
	some v in untrusted.passed_values(caller, trim_prefix(path, "inputs."))
	some e in v.expressions
	some p in e.flows
	some kind in kinds(p)
} if startswith(path, "inputs.")

indirect(path) if regex.match(`^(env|steps|needs|inputs)\.`, path)

output_path_kinds(path, _) := kinds(path) if not indirect(path)

output_path_kinds(path, k) := step_output_kinds(k, parts[1], parts[3]) if {
	parts := split(path, ".")
	parts[0] == "steps"
	count(parts) == 4
}

# env_vars are the variables named name that step s of job j sees: its
# own, else its job's, else the workflow's.
env_vars(name, j, s) := [v | some v in input.jobs[j].steps[s].env; lower(v.name.value) == name] if {
	some v in input.jobs[j].steps[s].env
	lower(v.name.value) == name
} else := [v | some v in input.jobs[j].env; lower(v.name.value) == name] if {
	some v in input.jobs[j].env
	lower(v.name.value) == name
} else := [v | some v in input.env; lower(v.name.value) == name]

# step_output_kinds is what output o of the step with id `id` of job j
# names: an output of an action that resolves a pull request's head, or a
# head SHA or branch a script looks up and writes as an output.
step_output_kinds(j, id, o) := {kind |
	some step in input.jobs[j].steps
	lower(step.id.value) == id
	some kind in produced_kinds(step, o)
}

produced_kinds(step, o) := (resolved_kinds(step, o) | script_output_kinds(step, o)) | run_output_kinds(step, o)

resolved_kinds(step, o) := {kind |
	name := lower(pipeline.action_name(step.uses))
	some entry in tables.head_ref_actions
	lower(entry.action) == name
	some kind in ["commit", "branch"]
	o in entry[kind]
}

script_output_kinds(step, o) := {kind |
	lower(pipeline.action_name(step.uses)) == "actions/github-script"
	script := pipeline.input_value(step, "script")
	some m in regex.find_all_string_submatch_n(`setOutput\(\s*['"]([A-Za-z0-9_-]+)['"]\s*,([^\n]*)`, script, -1)
	lower(m[1]) == o
	some kind in text_kinds(m[2])
}

run_output_kinds(step, o) := {kind |
	some cmd in step.script.commands
	some file in cmd.writes
	regex.match(`^"?\$\{?GITHUB_OUTPUT\}?"?$`, file.value)
	some arg in cmd.args
	some m in regex.find_all_string_submatch_n(`^["']?([A-Za-z0-9_-]+)=(.*)$`, arg.value, 1)
	lower(m[1]) == o
	some kind in text_kinds(m[2])
}

text_kinds(value) := {"commit"} if regex.match(tables.head_commit_output_pattern, value)
else := {"branch"} if regex.match(tables.head_branch_output_pattern, value)

# arg_kinds is what an argument of a command of step s of job j names of
# the pull request: the expressions spliced into it, and the variables it
# reads whose value does.
arg_kinds(j, s, arg) := {kind |
	some e in input.jobs[j].steps[s].script.expressions
	within(e.pos, arg.pos)
	some path in e.flows
	some kind in path_kinds(path, j, s)
} | {kind |
	some m in regex.find_all_string_submatch_n(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`, arg.value, -1)
	some v in env_vars(lower(m[1]), j, s)
	some kind in value_kinds(v, j, s)
}

within(inner, outer) if {
	inner.line == outer.line
	inner.column >= outer.column
	inner.end_column <= outer.end_column
}

# --- what runs it ---------------------------------------------------------------------

# run_sites are the commands, local actions and workspace actions of the
# job, after what it got and where it lands, that run code from it.
run_sites(got) := {site |
	some site in job_sites[got.job]
	site.runs
	reaches(got, site)
}

# reader_sites are, after the head checked out into the workspace itself,
# the later commands and actions other than inert ones (which only move or
# report files): they work in the author's tree. Artifacts are data by design (GitHub's recipe for
# workflow_run), and a head checked out into its own directory is the
# pattern of a base's tools reading it: neither is reported unless run.
reader_sites(got) := {site |
	got.kind == "head"
	got.dir == ""
	some site in job_sites[got.job]
	not site.runs
	not site.inert
	reaches(got, site)
}

# reaches is true when site comes after what the job got, works where
# it landed, and no checkout of other code replaced it in between.
reaches(got, site) if {
	site.order > got.order
	in_place(got.dir, site)
	not replaced(got, site)
}

in_place("", site) if not elsewhere(site)

in_place(dir, site) if {
	dir != ""
	some d in site.dirs
	under(d, dir)
}

# elsewhere is true for a site that works in the directory of another
# checkout of the job than the workspace's own.
elsewhere(site) if {
	site.cwd != ""
	some other in checkout_dirs[site.job]
	other != ""
	under(site.cwd, other)
}

replaced(got, site) if {
	some s, step in input.jobs[got.job].steps
	s > got.step
	s < site.order[0]
	lower(pipeline.action_name(step.uses)) == "actions/checkout"
	normalized(pipeline.input_value(step, "path")) == got.dir
	not checkout(got.job, s, step)
}

checkout_dirs[j] contains normalized(pipeline.input_value(step, "path")) if {
	some j, job in input.jobs
	some step in job.steps
	lower(pipeline.action_name(step.uses)) == "actions/checkout"
}

# job_sites[j] lists the commands and steps of job j after which what it
# got may run or be read: {"job", "order", "pos", "what", "runs", "cwd",
# "dirs"}, dirs being the directories a site names (its working directory,
# the directory of a `cd` before it, its arguments, its action's path and
# inputs).
job_sites[j] contains site if {
	some j, located in commands_by_job
	some [_, s, cmd] in located
	step := input.jobs[j].steps[s]
	cwd := command_cwd(step, cmd)
	site := {
		"job": j, "order": [s, cmd.name.pos.line, cmd.name.pos.column], "pos": cmd.name.pos,
		"what": command_what(cmd), "runs": command_runs(cmd), "inert": command_inert(cmd), "cwd": cwd,
		"dirs": array.concat([cwd, normalized(text.at(cmd.name.pos))], [d | some a in cmd.args; some d in arg_dirs(a.value)]),
	}
}

job_sites[j] contains site if {
	some j, job in input.jobs
	some s, step in job.steps
	step.kind == "uses"
	not inert(step)
	site := {
		"job": j, "order": [s, 0, 0], "pos": step.uses.value.pos, "what": step.uses.value.value,
		"runs": step_runs(step), "inert": false, "cwd": "",
		"dirs": array.concat([normalized(step.uses.value.value)], [normalized(v.value.value) | some v in step.with]),
	}
}

# commands_by_job holds the commands of commands.located by job, each job's
# run of that list (see runs): asked for one job's sites, job_sites walks
# that job's commands, not the pipeline's. Built when a job gets the pull
# request's code, and once.
commands_by_job := {commands.located[start][0]: array.slice(commands.located, start, end) |
	some [start, end] in runs.bounds([j | some [j, _, _] in commands.located])
}

# arg_dirs are the paths an argument may name: itself, or what follows
# its `=` (`--prefix=pr`).
arg_dirs(value) := {normalized(trim(value, `"'`)), normalized(trim(regex.replace(value, `^[^=]*=`, ""), `"'`))}

# command_inert is true for a command that runs nothing of the tree: one
# that only moves or reports files, or a shell or interpreter given its
# code inline (`bash -c '...'`, whose commands are judged one by one).
default command_inert(_) := false

command_inert(cmd) if cmd.name.value in tables.inert_commands

command_inert(cmd) if {
	interpreter(cmd)
	not script_arg(cmd)
}

default command_runs(_) := false

command_runs(cmd) if runs_code(cmd)

default step_runs(_) := false

step_runs(step) if action_runs_code(step)

inert(step) if lower(pipeline.action_name(step.uses)) in inert_actions

# inert_actions are tables.inert_actions in lower case, once per
# evaluation: a comprehension in a function's body is built again at every
# call.
inert_actions := {lower(a) | some a in tables.inert_actions}

# command_cwd is the directory a command runs in: the last `cd` or
# `pushd` before it in its script, else the step's working directory.
command_cwd(step, cmd) := normalized(cds[count(cds) - 1]) if {
	cds := [c.args[0].value |
		some c in step.script.commands
		c.name.value in {"cd", "pushd"}
		count(c.args) > 0
		[c.name.pos.line, c.name.pos.column] < [cmd.name.pos.line, cmd.name.pos.column]
	]
	count(cds) > 0
} else := script_dir(step)

# command_what names a command for messages: as written, with its first
# argument when that is a plain word (`npm ci`, `bash site/x.sh`), never
# anything that could hold a secret.
command_what(cmd) := concat(" ", [written_name(cmd), cmd.args[0].value]) if {
	count(cmd.args) > 0
	regex.match(`^[a-z][a-z0-9:._/-]*$`, cmd.args[0].value)
} else := written_name(cmd)

# written_name is a command's name as written (`./build.sh`), or as the
# splitter gives it when the text is not at hand.
written_name(cmd) := name if {
	name := text.at(cmd.name.pos)
	name != ""
} else := cmd.name.value

# runs_code is true for a command that runs the code of the directory it
# works in: a build, an install or a test (the tables), a task runner or
# package script, a tool loading code from its configuration, an
# interpreter given a file, a script of the repository.
runs_code(cmd) if {
	not commands.is_query(cmd)
	code_command(cmd)
}

code_command(cmd) if {
	some table in ["build", "install", "testing", "bare_install"]
	count(commands.matching(table, cmd)) > 0
}

code_command(cmd) if {
	some m in tables.workspace_run_commands
	named_match(cmd, m)
}

# named_match matches a command against a matcher of this rule's tables,
# which no index of tables.by_command holds: the name first.
named_match(cmd, m) if {
	cmd.name.value in m.names
	commands.matches(cmd, tables.matcher(m))
}

code_command(cmd) if repository_path(trim(script_arg(cmd), `"'`))

# script_arg is the file an interpreter or a shell is given to run: its
# first argument that is no option and no option's value (`bash -o
# pipefail x.sh`); none when it is given its code inline (`bash -ec`,
# `node --eval`).
script_arg(cmd) := [a.value |
	entry := interpreter_entry(cmd)
	not inline_code(cmd, entry)
	some i, a in cmd.args
	not startswith(a.value, "-")
	not option_value(cmd.args, i, entry.value_options)
][0]

interpreter_entry(cmd) := object.union(
	{"code": "", "code_words": [], "value_options": []},
	object.get(tables.script_interpreters, regex.replace(cmd.name.value, `^(python|pypy)[0-9.]*$`, "$1"), {}),
) if interpreter(cmd)

inline_code(cmd, entry) if {
	entry.code != ""
	some a in cmd.args
	regex.match(sprintf(`^-[A-Za-z]*[%s][A-Za-z]*$`, [entry.code]), a.value)
}

inline_code(cmd, entry) if {
	some a in cmd.args
	lower(a.value) in {lower(w) | some w in entry.code_words}
}

interpreter(cmd) if cmd.name.value in tables.file_runners

interpreter(cmd) if tables.script_interpreters[regex.replace(cmd.name.value, `^(python|pypy)[0-9.]*$`, "$1")]

code_command(cmd) if repository_path(text.at(cmd.name.pos))

# repository_path is a relative path to a file (`./build.sh`,
# `scripts/x.py`), not a tool on the PATH or an absolute path.
repository_path(value) if regex.match(`^\.{1,2}/[^\s$]`, value)

repository_path(value) if regex.match(`^[A-Za-z0-9_.-]+/[^\s$]*[^/]$`, value)

# action_runs_code is true for a local action (its action.yml comes from
# the workspace) and for the actions that build, install or test there.
action_runs_code(step) if step.uses.local

action_runs_code(step) if {
	entry := workspace_code_entry(step)
	not entry.context
	every name, pattern in object.get(entry, "only_if", {}) {
		regex.match(pattern, pipeline.input_value(step, name))
	}
}

action_runs_code(step) if {
	entry := workspace_code_entry(step)
	context := pipeline.input_value(step, entry.context)
	context != ""
	not regex.match(`^(git@|https?://|\{\{\s*defaultContext)`, context)
}

# A command given to an action that runs commands (a retry action's
# `command:`).
action_runs_code(step) if {
	entry := pipeline.action_entry(step, "script_input")
	some cmd in pipeline.input_commands(pipeline.input_value(step, entry.input))
	some table in ["build", "install", "testing", "bare_install"]
	count(commands.matching(table, cmd)) > 0
}

workspace_code_entry(step) := entry if {
	name := lower(pipeline.action_name(step.uses))
	some entry in tables.workspace_code_actions
	lower(entry.action) == name
}

# --- who lets it run --------------------------------------------------------------------

# outsiders_excluded is true when the job or step runs only for pull
# requests from the repository itself or by its members, or only on
# events that are not privileged: every alternative of one of its
# conditions requires one or the other (`github.event_name ==
# 'workflow_dispatch' || github.event.pull_request.user.login ==
# 'dependabot[bot]'`).
outsiders_excluded(got) if excluding_condition(input.jobs[got.job].steps[got.step].condition.value)

outsiders_excluded(got) if got.job in jobs_excluding_outsiders

excluding_condition(condition) if {
	condition != ""
	every d in split(condition, "||") {
		excluding_disjunct(d)
	}
}

# jobs_excluding_outsiders are the jobs whose condition, or that of a job
# they need (a skipped job skips the jobs after it), excludes outsiders:
# found once down the needs reversed (pipeline.downstream, whose graph is
# needs_of(input)) from the jobs whose own condition does, where
# collecting every job's upstream conditions would cost a chain of needs
# its square.
jobs_excluding_outsiders := pipeline.downstream({k | some k, job in input.jobs; excluding_condition(job.condition.value)})

excluding_disjunct(d) if {
	some pattern in tables.trusted_author_patterns
	regex.match(pattern, d)
	not regex.match(`author_association\s*!=|!=\s*github\.repository|head\.repo\.full_name\s*!=`, d)
}

excluding_disjunct(d) if {
	names := tables.compared_events(d)
	count(names) > 0
	not regex.match(`event_name\s*!=`, d)
	every name in names {
		not name in tables.privileged_triggers
	}
}


# gate_names names the gates by which maintainers let the job run: a
# condition of the step, the job or a job it needs (a skipped job skips
# the jobs after it), the environment of one of those jobs, a permission
# check by an earlier step; for a workflow others call, the gates of every
# job of a privileged workflow that calls it, when each has one.
gate_names(got) := sort(((step_gates(got) | object.get(input_job_gates, got.job, set())) | caller_gates) | permission_checks(got))

step_gates(got) := {gate.name |
	some gate in tables.approval_gates
	regex.match(gate.pattern, input.jobs[got.job].steps[got.step].condition.value)
}

# job_gates are the gates of job i of pipeline p and of the jobs it needs.
job_gates(p, i) := {name |
	some k in graph.reachable(needs_of(p), {i})
	some name in own_gates(p.jobs[k])
}

own_gates(job) := {gate.name |
	some gate in tables.approval_gates
	regex.match(gate.pattern, job.condition.value)
} | {sprintf("environment %q", [job.environment.name.value]) | job.environment != null}

# input_job_gates holds, for each job of the file with a gate, job_gates
# of it: each gate's jobs are followed down the needs reversed once, where
# asking job_gates of every job would walk every job's upstream jobs.
input_job_gates := runs.group_sets(gated)

gated := sort([[i, name] |
	some name, sources in jobs_by_gate
	some i in pipeline.downstream(sources)
])

jobs_by_gate := runs.group_sets(own_gate_pairs)

own_gate_pairs := sort([[name, k] | some k, job in input.jobs; some name in own_gates(job)])

needs_of(p) := {i: {index[n.value] | some n in job.needs; index[n.value]} |
	index := {job.id.value: k | some k, job in p.jobs}
	some i, job in p.jobs
}

caller_gates := set() if not untrusted.called_file

caller_gates := gates if {
	untrusted.called_file
	calls := [job_gates(p, i) |
		some p in untrusted.caller_pipelines
		untrusted.grade(untrusted.events(p)) == "privileged"
		some i, job in p.jobs
		input.file in pipeline.direct_callees(job)
	]
	count(calls) > 0
	every gates in calls {
		count(gates) > 0
	}
	gates := union({g | some g in calls})
} else := set()

permission_checks(got) := {"a permission check" |
	some s, step in input.jobs[got.job].steps
	s < got.step
	regex.match(tables.permission_check_pattern, step_code(step))
}

# step_code is the code a step runs: its script, or actions/github-script's.
step_code(step) := step.script.text.value if step.script != null

step_code(step) := pipeline.input_value(step, "script") if step.script == null

# --- paths ------------------------------------------------------------------------------

# script_dir is the working directory a run step declares, normalized.
script_dir(step) := normalized(object.get(step.script, ["working_directory", "value"], ""))

# normalized writes a path as the workspace sees it: without `./`, a
# trailing `/`, or a leading workspace variable.
normalized(path) := trim_right(regex.replace(trim_space(path), `^(\$\{\{\s*github\.workspace\s*\}\}/?|\$\{?GITHUB_WORKSPACE\}?/?|\./)+`, ""), "/")

under(path, dir) if path == dir

under(path, dir) if startswith(path, concat("", [dir, "/"]))

