# METADATA
# description: |
#   System-neutral views of the pipeline model that several rules share:
#   action names and versions, the evidence that a job tests or deploys,
#   the job dependency graph, the local workflows and actions a job calls,
#   and the other pipelines of the repository.
package pipelint.lib.pipeline

import data.pipelint.lib.commands
import data.pipelint.lib.runs
import data.pipelint.lib.tables

# action_name is owner/repo[/path] of an action reference.
action_name(ref) := concat("/", [ref.owner, ref.repo, ref.path]) if ref.path != ""
else := concat("/", [ref.owner, ref.repo])

# action_entry is the entry of the named action table (see
# tables.by_action) for the action a step calls. Names compare
# case-insensitively, as GitHub resolves owner and repository names.
action_entry(step, table) := tables.by_action_name[lower(action_name(step.uses))][table] if {
	step.uses != null
	step.uses.kind == "action"
}

# actions lists, in one pass over the steps, the entry of every action
# table that a step's action is in and whose input conditions the step
# meets (tables.action_input_conditions): {"table", "entry", "job", "step"}
# (job and step are indexes).
actions contains {"table": table, "entry": entry, "job": i, "step": s} if {
	some i, s
	input.jobs[i].steps[s].uses.kind = "action" # one expression walks every step
	step := input.jobs[i].steps[s]
	name := lower(action_name(step.uses))
	some table, entry in tables.by_action_name[name]
	inputs_allow(step, object.get(tables.action_input_conditions_by_name, [name, table], {}))
}

# actions_by_table indexes actions by table: a rule that reads one
# table's entries does not walk the others'. A comprehension, not a
# partial rule (see commands.matched_by_table).
actions_by_table := {table: group |
	some table in {a.table | some a in actions}
	group := {a | some a in actions; a.table == table}
}

inputs_allow(_, conditions) if {
	not conditions.only_if
	not conditions.unless
}

inputs_allow(step, conditions) if {
	some name, pattern in conditions.only_if
	regex.match(pattern, input_value(step, name))
}

inputs_allow(step, conditions) if {
	conditions.unless
	every name, pattern in conditions.unless {
		not regex.match(pattern, input_value(step, name))
	}
}

# major_version is the major version of an action reference, from its ref
# (v4, v4.1.2, 4) or, when a SHA hides it, from a trailing `# v4` comment.
# It is undefined when neither says.
major_version(ref) := to_number(m[1]) if {
	m := regex.find_all_string_submatch_n(`^v?([0-9]+)(\.|$)`, ref.ref, 1)[0]
}

major_version(ref) := to_number(m[1]) if {
	not regex.match(`^v?[0-9]+(\.|$)`, ref.ref)
	m := regex.find_all_string_submatch_n(`^v?([0-9]+)(\.|$)`, trim_space(ref.version_comment), 1)[0]
}

# input_value is the value of a step's with: input, "" when it is not set.
input_value(step, name) := [v.value.value | some v in step.with; v.name.value == name][0]

input_value(step, name) := "" if not name in {v.name.value | some v in step.with}

# --- tests ------------------------------------------------------------------

# testing_jobs holds the indexes of jobs that run tests: a test command or
# action, a test-report step or a test report.
testing_jobs contains m.job if {
	some m in commands.matched_by_table["testing"]
}

testing_jobs contains a.job if {
	some a in actions_by_table["testing"]
}

testing_jobs contains i if {
	some call, places in steps_by_call
	call in tables.testing_calls
	some [i, _] in places
}

# A test command in the shell input of an action (a benchmark or retry
# action's `run:` or `command:`).
testing_jobs contains a.job if {
	some a in actions_by_table["script_input"]
	step := input.jobs[a.job].steps[a.step]
	some cmd in input_commands(input_value(step, a.entry.input))
	count(commands.matching("testing", cmd)) > 0
}

testing_jobs contains i if {
	some i, job in input.jobs
	some report in job.reports
	report.kind.value in tables.testing_report_kinds
}

# Commands a team's configuration adds as tests (missing-tests option
# `test-commands`: "name" or "name subcommand", e.g. "task test").
testing_jobs contains i if {
	some configured in extra_test_commands
	words := split(configured, " ")
	some [i, _, cmd] in commands.located
	cmd.name.value == words[0]
	array.slice(commands.positional(cmd), 0, count(words) - 1) == array.slice(words, 1, count(words))
}

default extra_test_commands := []

extra_test_commands := data.pipelint.config.rules["missing-tests"].options["test-commands"]

# input_commands reads an action input that holds shell commands by
# splitting it into lines, lists and pipelines, and those into words: the
# parser does not split action inputs, and words are enough to recognise a
# test command, which no finding points at.
input_commands(text) := [cmd |
	some part in regex.split(`\n|&&|\|\||;|\|`, text)
	words := [w | some w in regex.split(`\s+`, trim_space(part)); w != ""]
	count(words) > 0
	cmd := {
		"name": {"value": regex.replace(words[0], `^.*/`, "")},
		"args": [{"value": w} | some w in array.slice(words, 1, count(words))],
	}
]

# may_test_jobs adds to testing_jobs the weak evidence of names (a job,
# step or written GitLab stage named like a test) and of reusable
# workflows, whose content is in another file.
may_test_jobs contains i if some i in own_may_test_jobs

# A job that calls a local workflow or action that tests.
may_test_jobs contains i if {
	some i, job in input.jobs
	some file in called_files(job)
	pipeline_tests(pipeline_of(file))
}

# own_may_test_jobs are the jobs whose own steps and names say they test.
own_may_test_jobs contains i if some i in testing_jobs

own_may_test_jobs contains i if {
	some i, job in input.jobs
	job.stage.pos.line > 0 # GitLab's default stage "test" is not written
	regex.match(tables.testing_name_pattern, job.stage.value)
}

own_may_test_jobs contains i if {
	some i, job in input.jobs
	testing_name(job.id.value)
}

own_may_test_jobs contains i if {
	some i, job in input.jobs
	testing_name(job.name.value)
}

own_may_test_jobs contains i if {
	name := input.jobs[i].steps[_].name.value # one expression walks every step
	name != "" # most steps have none
	testing_name(name)
}

# A job that calls a remote reusable workflow may test: what it runs is
# unknown. A local one is judged by what it runs.
own_may_test_jobs contains i if {
	some i, job in input.jobs
	job.uses != null
	object.get(job, "callee", "") == ""
}


# testing_name is true for a name that says the job or step tests.
testing_name(name) if {
	regex.match(tables.testing_name_pattern, name)
	not regex.match(tables.not_testing_name_pattern, name)
}

# --- the job graph ------------------------------------------------------------

job_index := {job.id.value: i | some i, job in input.jobs}

# downstream is the set of jobs (indexes) that wait for one of the given jobs,
# directly or not, with the given jobs themselves.
downstream(jobs) := graph.reachable(needed_by, jobs)

# needs_graph maps each job to the jobs it waits for directly. It is built
# by one comprehension: OPA checks every key of a partial object rule
# against every key before it.
needs_graph := {i: {job_index[n.value] | some n in job.needs; job_index[n.value]} | some i, job in input.jobs}

# needed_by reverses needs_graph: for every job, the jobs that wait for it
# directly.
needed_by := runs.reversed(needs_graph)

# --- builds -------------------------------------------------------------------

# checking_jobs build only to check the code, not to ship it: they analyse
# it (CodeQL, a dependency scan, an API compatibility check), benchmark it,
# build its documentation, or only prepare an environment. A job that
# deploys or publishes is never one, whatever it runs or is named.
checking_jobs contains i if {
	some i in checking_evidence
	not i in shipping_jobs
}

checking_evidence contains a.job if {
	some a in actions_by_table["analysis"]
}

checking_evidence contains m.job if {
	some m in commands.matched_by_table["analysis"]
}

checking_evidence contains i if {
	some i, job in input.jobs
	some name in [job.id.value, job.name.value, job.stage.value, input.name.value]
	regex.match(tables.analysis_name_pattern, name)
}

checking_evidence contains i if {
	some i, job in input.jobs
	job.id.value in tables.environment_setup_jobs
}

shipping_jobs := {site.job | some site in deploy_sites} | {site.job | some site in release_sites}

# build_sites are the commands and steps that build code, with positions
# and the tool that builds. A command that only asks for the tool's version
# or runs inside a substitution (`$(mvn -v)`) builds nothing, and neither
# does an image built for CI itself (tables.tooling_image_pattern).
build_sites contains {"job": m.job, "what": commands.display(m.cmd, m.matcher), "tool": m.cmd.name.value, "cmd": m.cmd, "pos": m.cmd.name.pos} if {
	some m in commands.matched_by_table["build"]
	not m.cmd.substituted
	not commands.is_query(m.cmd)
	not tooling_image_command(m.cmd)
}

build_sites contains {"job": a.job, "what": action_name(step.uses), "tool": a.entry.action, "cmd": null, "pos": step.uses.value.pos} if {
	some a in actions_by_table["build"]
	step := input.jobs[a.job].steps[a.step]
	not tooling_image_step(step)
}

# An image a job builds with a step (Jenkins docker.build) and then pushes.
build_sites contains {"job": i, "what": step.call.value, "tool": "docker", "cmd": null, "pos": step.call.pos} if {
	some [i, s] in container_pushes
	step := input.jobs[i].steps[s]
	not tooling_image_step(step)
}

# steps_by_call indexes the steps that call a step or task of the CI
# system (step.call) by what they call: {call: {[job, step], ...}}. Most
# steps call nothing (no GitHub step does): a rule that looks for calls
# reads this index instead of walking every step. A comprehension, not a
# partial rule (see commands.matched_by_table).
steps_by_call := {call: group |
	some call in {c | c := input.jobs[_].steps[_].call.value; c != ""}
	group := {[j, s] | input.jobs[j].steps[s].call.value == call}
}

# container_pushes lists [job, step] of the image builds of container_build_calls
# that a later step of the job pushes.
container_pushes contains [i, s] if {
	some call, places in steps_by_call
	call in tables.container_build_calls
	some [i, s] in places
	job := input.jobs[i]
	some later in array.slice(job.steps, s + 1, count(job.steps))
	regex.match(tables.container_push_call, later.call.value)
}

tooling_image_command(cmd) if {
	cmd.name.value in {"docker", "podman", "buildah"}
	some arg in cmd.args
	regex.match(tables.tooling_image_pattern, arg.value)
}

tooling_image_step(step) if {
	some v in step.with
	v.name.value in {"", "tags", "file", "target"} # "" is a positional argument of a call
	regex.match(tables.tooling_image_pattern, v.value.value)
}

# --- deploys ------------------------------------------------------------------

# deploy_sites are the commands and steps that change a running system.
deploy_sites contains {"job": m.job, "what": commands.display(m.cmd, m.matcher), "tool": m.matcher.tool, "pos": m.cmd.name.pos, "cmd": m.cmd, "when": input.jobs[m.job].steps[m.step].when} if {
	some m in commands.matched_by_table["deploy"]
}

deploy_sites contains {"job": a.job, "what": a.entry.action, "tool": a.entry.tool, "pos": step.uses.value.pos, "cmd": null, "when": step.when} if {
	some a in actions_by_table["deploy"]
	step := input.jobs[a.job].steps[a.step]
}

# A step calling a deploy (tables.deploy_calls): a Travis deploy provider.
deploy_sites contains {"job": i, "what": call, "tool": call, "pos": step.call.pos, "cmd": null, "when": step.when} if {
	some call, places in steps_by_call
	call in tables.deploy_calls
	some [i, s] in places
	step := input.jobs[i].steps[s]
}

# release_sites are the commands and steps that publish an artifact, with
# what publishes in words and the command (null for a step).
release_sites contains {"job": m.job, "pos": m.cmd.name.pos, "what": commands.display(m.cmd, m.matcher), "cmd": m.cmd} if {
	some m in commands.matched_by_table["release"]
	not m.cmd.substituted
}

release_sites contains {"job": a.job, "pos": input.jobs[a.job].steps[a.step].uses.value.pos, "what": a.entry.action, "cmd": null} if {
	some a in actions_by_table["release"]
}

release_sites contains {"job": i, "pos": input.jobs[i].steps[s].call.pos, "what": "an image push", "cmd": null} if some [i, s] in container_pushes

# A job that starts an environment gating a registry or store publishes.
release_sites contains {"job": i, "pos": job.environment.name.pos, "what": sprintf("the %q environment", [job.environment.name.value]), "cmd": null} if {
	some i, job in input.jobs
	job.environment.action.value in {"", "start"}
	regex.match(tables.release_environment, job.environment.name.value)
}

# is_release is true for pipelines that publish artifacts.
is_release if count(release_sites) > 0

# is_run_time_value is true for text the CI system computes when the
# pipeline runs (${{ }}, $VAR, ${VAR}): what it will be is not in the file.
# This is the one place rules look at such syntax.
is_run_time_value(text) if regex.match(`\$\{\{|\$[A-Za-z_{(]`, text)

# deploy_environment is the environment a job deploys to: one it starts
# (not stops, prepares or only accesses) and that is not a publishing gate.
deploy_environment(job) := job.environment.name.value if {
	job.environment != null
	job.environment.name.value != ""
	not is_run_time_value(job.environment.name.value)
	job.environment.action.value in {"", "start"}
	not regex.match(tables.non_deploy_environment, job.environment.name.value)
}

is_production(job) if regex.match(tables.production_environment, deploy_environment(job))

# Environment names a team's configuration declares as production
# (deploy-without-rollback option `production-environments`).
is_production(job) if lower(deploy_environment(job)) in production_environment_names

default production_environments := []

production_environments := data.pipelint.config.rules["deploy-without-rollback"].options["production-environments"]

# production_environment_names are production_environments in lower case,
# once per evaluation: a comprehension in a function's body is built again
# at every call.
production_environment_names := {lower(name) | some name in production_environments}

is_production(job) if {
	deploy_environment(job)
	lower(job.environment.tier.value) == "production"
}

# deploy_jobs are the indexes of jobs that deploy: by command or action, or
# to a production environment.
deploy_jobs contains site.job if some site in deploy_sites

deploy_jobs contains i if {
	some i, job in input.jobs
	is_production(job)
}

# --- local callees ------------------------------------------------------------

# callee_pipelines indexes by file the local reusable workflows and actions
# the checked pipeline calls (input.callees).
callee_pipelines := {callee.file: callee | some callee in input.callees}

# direct_callees is the set of files of the local workflow a job calls and
# of the local actions its steps call.
direct_callees(job) := {job.callee | job.callee != ""} | {step.callee | some step in job.steps; step.callee != ""}

# call_graph maps the checked file and each of its callees to the files
# they call directly.
call_graph := calls_by_file(array.concat([input], object.get(input, "callees", [])))

# calls_by_file maps the file of each of the pipelines to the files its
# jobs call directly.
calls_by_file(pipelines) := {p.file: {file | some job in p.jobs; some file in direct_callees(job)} | some p in pipelines}

# called_files is the set of files of the local workflows and actions a
# job calls, directly or through one another.
called_files(job) := graph.reachable(call_graph, direct_callees(job)) if {
	count(input.callees) > 0
} else := set() # nothing local was followed: the common case

# all_steps lists the steps a job runs: its own, then, file by file, the
# steps of every job of the local workflows and actions it calls, directly
# or not, so that a test or a deploy in them counts for the job. Those
# steps are positioned in their own files, which are checked on their own
# too: a finding about the job belongs at the job or its own step, else
# each caller would report it again.
all_steps(job) := array.concat(job.steps, [step |
	some file in sort(called_files(job))
	some called in callee_pipelines[file].jobs
	some step in called.steps
])

# --- the repository -------------------------------------------------------------

# repository_pipelines lists every pipeline of the checked file's
# repository, each file once (input.repository.pipelines): the checked
# file, its callees and the others, without their sources. Without a
# repository view (a rule's unit test), it is the checked pipeline alone.
repository_pipelines := input.repository.pipelines if {
	is_array(input.repository.pipelines)
} else := [input]

# other_pipelines lists the pipelines of the repository's other files.
other_pipelines := [p | some p in repository_pipelines; p.file != input.file]

# facts is what the rules know of the repository as a whole
# (repository_facts). The engine judges it once per repository and gives
# it to every file's evaluation as input.repository.facts: judged in each
# file's evaluation, a repository of N files would cost N² of that work.
# Without it (a rule's unit test, or `opa eval` on the input `pipelint
# inspect` prints), each evaluation judges it itself.
facts := input.repository.facts if {
	is_object(input.repository.facts)
} else := repository_facts

# repository_facts is judged from input.repository alone, never from the
# file checked:
#   - by_file: each pipeline of the repository by its file;
#   - calls: each file mapped to the local workflows and actions its jobs
#     call directly (graph.reachable needs every file as a key);
#   - called_by: each file mapped to the files that call it directly;
#   - testing_by_directory: the workflows that run on changes to the code
#     and test them, themselves or in what they call (tests_changes), by
#     the directory they lie in ("" at the top, else ending in "/").
repository_facts := {
	"by_file": repository_by_file,
	"calls": repository_calls,
	"called_by": {p.file: object.get(callers_of, p.file, set()) | some p in repository_pipelines},
	"testing_by_directory": testing_by_directory,
}

repository_by_file := {p.file: p | some p in repository_pipelines}

repository_calls := calls_by_file(repository_pipelines)

# The groups of callers_of and testing_by_directory are picked by an
# equality (`called == file`), which OPA indexes, not by `file in files`.
callers_of := {file: callers |
	some file in {file | some files in repository_calls; some file in files}
	callers := {caller | some caller, files in repository_calls; some called in files; called == file}
}

testing_by_directory := {dir: files |
	some dir in {directory(p.file) | some p in testing_pipelines}
	files := {p.file | some p in testing_pipelines; directory(p.file) == dir}
}

testing_pipelines contains p if {
	some p in repository_pipelines
	p.kind == "workflow"
	tests_changes(p)
}

# tests_changes is true for a pipeline that runs on changes to the code
# (tables.change_events, or no trigger declared) and runs tests, itself or
# in the local workflows and actions it calls.
tests_changes(p) if {
	runs_on_changes(p)
	some file in graph.reachable(repository_calls, {p.file})
	pipeline_tests(repository_by_file[file])
}

runs_on_changes(p) if count(p.triggers) == 0

runs_on_changes(p) if {
	some trigger in p.triggers
	trigger.event.value in tables.change_events
}

# pipeline_tests is true for a pipeline whose jobs run tests. Judging a
# pipeline means evaluating it as input: it is asked only about the files
# a rule reaches.
pipeline_tests(p) if {
	count(own_may_test_jobs) > 0 with input as p
}

# pipeline_of is the pipeline of a file of the repository or a callee of
# the checked file; the repository's copy wins.
pipeline_of(file) := facts.by_file[file]

pipeline_of(file) := callee_pipelines[file] if not facts.by_file[file]

# callers is the set of files of the repository whose pipelines call the
# checked file as a local workflow or action, directly or through others.
callers := graph.reachable(facts.called_by, {input.file}) - {input.file}

# tested_elsewhere is true when another pipeline of the repository tests
# the changes: what this pipeline builds, releases or deploys was tested
# there (a release workflow and the push and pull request workflow).
#
# Only a pipeline in the same directory or one above counts: a repository
# of unrelated example pipelines, one per directory, is not one project.
tested_elsewhere if {
	some above in directories_above(input.file)
	some file in facts.testing_by_directory[above]
	file != input.file
}

# directory is the directory of a file, ending in "/", or "" at the top.
directory(file) := regex.replace(file, `[^/]*$`, "")

# directories_above are the directories a file lies in, its own and every
# one above it, as directory names them.
directories_above(file) := {""} | {concat("", [concat("/", array.slice(parts, 0, n)), "/"]) |
	parts := split(file, "/")
	some n, _ in parts
	n > 0
}

# spliced lists every expression the CI system splices into code before
# it runs, once per file: those of a step's script, and those of an input
# an action runs as code (the code_input and script_input tables). Each is
# {"job", "step", "expression", "shell", "what"}: the shell or language
# that reads the code, and the sink in words.
spliced contains {"job": j, "step": s, "expression": e, "shell": input.jobs[j].steps[s].script.shell, "what": "this script before the shell runs it"} if {
	e := input.jobs[j].steps[s].script.expressions[_] # one expression walks every step
}

spliced contains {"job": j, "step": s, "expression": e, "shell": object.get(entry, "language", "bash"), "what": what} if {
	some table in {"code_input", "script_input"}
	some a in actions_by_table[table]
	entry := a.entry
	j := a.job
	s := a.step
	some v in input.jobs[j].steps[s].with
	v.name.value == entry.input
	some e in v.expressions
	what := sprintf("the `%s` input of %s, which runs it as code", [entry.input, entry.action])
}
