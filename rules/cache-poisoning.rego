# METADATA
# title: Cache an outsider can poison
# description: |
#   GitHub Actions caches are shared by scope: a run on the default branch
#   writes entries that every later run of the repository may restore, tag
#   and release runs included. Reported: a cache whose key an outsider
#   controls on a privileged trigger (pull_request_target, issue_comment,
#   workflow_run, ..., which run in the default branch's scope), high;
#   and a cache restored (actions/cache, or a setup action's cache, set
#   explicitly or on by default at that version) in a job that publishes,
#   releases, deploys or signs on a release trigger (`release`, a push of
#   tags, a release workflow run by hand), medium: whoever gets code to
#   run in any default-branch run can plant what the release builds with.
#   Not reported: caches switched off, setup actions whose default cannot
#   be known from the file (setup-node's `packageManager` caching, a SHA
#   with no version comment), and caches of jobs that publish nothing.
# custom:
#   id: cache-poisoning
#   severity: high
#   precision: high
#   remediation: |
#     Do not restore caches in jobs that publish, release or sign: switch
#     the setup action's cache off (`cache: false`, `enable-cache: false`,
#     `cache-disabled: true`) or drop actions/cache there, and build the
#     release from a clean download of pinned dependencies. Key caches on
#     what the workflow fixes (`hashFiles` of lock files, `runner.os`),
#     never on pull request titles, branch names or comments.
#   tags: [security, supply-chain, external/cwe/cwe-349]
package pipelint.rules.cache_poisoning

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

# --- keys an outsider writes ------------------------------------------------------------

findings contains finding if {
	untrusted.file_grade == "privileged"
	some j, job in input.jobs
	some s, step in job.steps
	inputs := key_inputs[lower(pipeline.action_name(step.uses))]
	some v in step.with
	v.name.value in inputs
	o := outsider_text(v, j, s)
	finding := {
		"msg": sprintf("cache %s %q of %q is built from %q, which an outsider writes: on %s the pull request's author picks the entry this job restores and the key it saves under, in the default branch's scope that every run restores from; key the cache on lock files and runner.os", [v.name.value, trim_space(v.value.value), step.uses.value.value, o.via, privileged_events]),
		"pos": v.value.pos,
		"severity": "high",
	}
}

key_inputs := {lower(action): inputs | some action, inputs in tables.cache_key_inputs}

# outsider_text is the first origin of text an outsider controls that a
# value lets flow, directly or through env, outputs and inputs.
outsider_text(v, j, s) := [o |
	some e in v.expressions
	some path in e.flows
	o := untrusted.origin(path, j, s)
	o.origin in {"outsider", "partly"}
][0]

privileged_events := concat(", ", sort(events)) if {
	events := {e | some e in untrusted.events(input); e in tables.privileged_triggers}
	count(events) > 0
} else := "its callers' privileged triggers"

# --- caches restored into a release -------------------------------------------------------

findings contains finding if {
	count(release_triggers) > 0
	some j in publishing_jobs
	job := input.jobs[j]
	trigger := [t.name | some t in release_triggers; not excluded(job, t)][0]
	some step in job.steps
	some restore in restores(step)
	finding := {
		"msg": sprintf("job %q publishes on %s and restores a cache with %s: an entry written by any run on the default branch (a privileged workflow running a pull request's code, a compromised dependency) goes into the release; %s", [job.id.value, trigger, restore.how, restore.fix]),
		"pos": restore.pos,
		"severity": "medium",
	}
}

# restores lists how a step of a release job restores a cache: an action
# of its own, a `docker buildx build --cache-from type=gha` of its script,
# or a step of a local action it calls (reported at the call).
restores(step) := array.concat(array.concat(action_restores(step), script_restores(step)), called_restores(step))

action_restores(step) := [{"how": sprintf("%q%s", [step.uses.value.value, restore.how]), "fix": sprintf(restore.fix, ["it"]), "pos": step.uses.value.pos} |
	restore := restored(step)
]

script_restores(step) := [{"how": sprintf("%q (--cache-from type=gha)", [concat(" ", [cmd.name.value, commands.first_positional(cmd)])]), "fix": "drop `--cache-from type=gha` from it", "pos": cmd.name.pos} |
	some cmd in step.script.commands
	some i, arg in cmd.args
	gha_cache_arg(cmd.args, i, arg.value)
]

called_restores(step) := [{"how": sprintf("%q, which runs %q%s", [step.uses.value.value, inner.uses.value.value, restore.how]), "fix": sprintf(restore.fix, [sprintf("%q in %s", [inner.uses.value.value, file])]), "pos": step.uses.value.pos} |
	step.callee != ""
	some file in sort(pipeline.called_files({"callee": "", "steps": [step]}))
	some called in pipeline.callee_pipelines[file].jobs
	some inner in called.steps
	restore := restored(inner)
]

gha_cache_arg(_, _, value) if regex.match(`^--cache-from=.*\btype=gha\b`, value)

gha_cache_arg(args, i, value) if {
	regex.match(`\btype=gha\b`, value)
	args[i - 1].value == "--cache-from"
}

# release_triggers are the triggers by which the file releases, {"event",
# "tag", "name"}: a release, a push of tags, or, for a workflow named for
# releasing, a run by hand; for a reusable workflow, its callers'. tag
# says whether the run's ref is a tag. Sorted, so a message names the same
# one every time.
release_triggers := sort([r |
	some p in trigger_pipelines
	some t in p.triggers
	r := release_trigger(p, t)
])

# trigger_pipelines are the pipelines whose triggers start the file: its
# own, or its callers'. An array, not a set: a set would hash the whole
# input.
trigger_pipelines := [input] if not untrusted.called_file
else := untrusted.caller_pipelines

release_trigger(_, t) := {"event": "release", "tag": true, "name": "release"} if t.event.value == "release"

release_trigger(_, t) := {"event": "push", "tag": true, "name": sprintf("a push of tags %q", [concat(", ", [tag.value | some tag in t.tags])])} if {
	t.event.value == "push"
	count(t.tags) > 0
}

release_trigger(p, t) := {"event": "workflow_dispatch", "tag": false, "name": "workflow_dispatch of a release workflow"} if {
	t.event.value == "workflow_dispatch"
	some name in [p.name.value, regex.replace(p.file, `^.*/|\.ya?ml$`, "")]
	regex.match(tables.release_workflow_pattern, name)
}

# excluded is true when the job's condition keeps it from running on the
# release trigger: in every alternative, it requires other events
# (`github.event_name == 'pull_request'`), a pull request's data (absent on
# a release, a push or a dispatch) or, for a tag, a branch.
excluded(job, trigger) if {
	job.condition.value != ""
	every d in split(job.condition.value, "||") {
		excluding(d, trigger)
	}
}

excluding(d, trigger) if {
	names := tables.compared_events(d)
	count(names) > 0
	not trigger.event in names
}

excluding(d, _) if regex.match(`github\.event\.pull_request\.[a-z_.]+\s*==|==\s*github\.event\.pull_request\.`, d)

excluding(d, trigger) if {
	trigger.tag
	regex.match(`github\.ref\s*==\s*'refs/heads/`, d)
}

# publishing_jobs publish, release, deploy, or log in to a registry or a
# cloud or sign.
publishing_jobs contains site.job if some site in pipeline.release_sites

publishing_jobs contains site.job if some site in pipeline.deploy_sites

publishing_jobs contains a.job if {
	some a in pipeline.actions_by_table["credential"]
}

publishing_jobs contains m.job if {
	some m in commands.matched_by_table["credential"]
}

# restored says how a step restores a cache: {"how", "fix"}, fix being
# a format naming the step with %s.
restored(step) := {"how": "", "fix": "drop %s from this job"} if {
	entry := pipeline.action_entry(step, "cache")
	entry.always
	not switched_off(step)
	not restores_nothing(step)
}

restored(step) := {"how": sprintf(" (%s: %s)", [entry.input, value]), "fix": sprintf("remove `%s: %s` from %%s", [entry.input, value])} if {
	entry := pipeline.action_entry(step, "cache")
	entry.input
	value := pipeline.input_value(step, entry.input)
	not lower(trim_space(value)) in tables.cache_off_values
	not switched_off(step)
}

restored(step) := {"how": sprintf(" (caches by default since v%d)", [entry.default_since]), "fix": sprintf("set `%s: false` on %%s", [entry.input])} if {
	entry := pipeline.action_entry(step, "cache")
	entry.default_since
	not entry.input in {v.name.value | some v in step.with}
	pipeline.major_version(step.uses) >= entry.default_since
	not switched_off(step)
}

# A build action told to read Docker layers from the GitHub Actions cache.
restored(step) := {"how": sprintf(" (%s: %s)", [name, value]), "fix": sprintf("drop `%s` from %%s", [name])} if {
	some name, pattern in gha_cache_inputs[lower(pipeline.action_name(step.uses))]
	value := pipeline.input_value(step, name)
	regex.match(pattern, value)
}

gha_cache_inputs := {lower(action): inputs | some action, inputs in tables.gha_cache_inputs}

# switched_off is true for a step whose inputs turn its cache off
# (`cache: false`, `cache-disabled: true`, ...).
switched_off(step) if {
	some v in step.with
	off := tables.cache_opt_out_inputs[lower(v.name.value)]
	lower(trim_space(v.value.value)) in off
}

# restores_nothing is true for a cache step told only to look its key up
# or only to write.
restores_nothing(step) if {
	some name, pattern in no_restore[lower(pipeline.action_name(step.uses))]
	regex.match(pattern, pipeline.input_value(step, name))
}

no_restore := {lower(action): inputs | some action, inputs in tables.cache_no_restore_inputs}
