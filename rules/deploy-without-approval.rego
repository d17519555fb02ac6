# METADATA
# title: Production deploy without an approval a reviewer controls
# description: |
#   A job deploys to production and nothing a reviewer controls stands
#   before it: a GitHub job with no `environment:` (required reviewers and
#   deployment branch rules live on environments), a GitLab job with
#   neither an `environment:` (protected environments carry approvals)
#   nor `when: manual`, a Jenkins stage with no `input` before it, or one
#   whose `input` names no `submitter`, so anyone who can run the job
#   approves. Production is told by names (the job's, its steps', the
#   pipeline's), by a deploy command's arguments (`--prod`, `--context
#   production`), by variables' values and by runner labels, and by the
#   names the `production-environments` option of deploy-without-rollback
#   declares. A deploy whose job is named for another target (staging,
#   preview, dev, test) is not production; an environment of any name is a
#   gate, whose protection rules the file cannot show.
# custom:
#   id: deploy-without-approval
#   severity: high
#   precision: medium
#   remediation: |
#     Put an approval a reviewer controls before every production deploy:
#     on GitHub an `environment:` with required reviewers (and deployment
#     branch rules); on GitLab a protected `environment:` with required
#     approvals, or at least `when: manual`; on Jenkins an `input` step
#     whose `submitter` names who may approve.
#   tags: [security, deployment]
package pipelint.rules.deploy_without_approval

import data.pipelint.lib.commands
import data.pipelint.lib.deploys
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text

findings contains finding if {
	input.kind == "workflow"
	production_in_text
	some i in ungated_deploy_jobs
	why := production(i)
	site := first_site(i)
	approval := approval_of(i)
	finding := {
		"msg": message(i, why, site, approval),
		"pos": site.pos,
		"severity": approval.severity,
	}
}

message(i, why, site, approval) := sprintf("job %q deploys with %s to production (%s), and %s; %s", [input.jobs[i].id.value, site.what, why, approval.what, tables.for_system(tables.approval_idiom, input.system)])

# production_in_text is true when the file's text holds a production
# word, or the configuration names production environments: the look
# before any command is read.
production_in_text if {
	text.mentions_any_lower(tables.production_text_words)
	text.matches(tables.production_text_pattern)
}

production_in_text if count(pipeline.production_environments) > 0

# --- deploys -----------------------------------------------------------------

# deploy_sites are the commands and steps of a job that deploy, change
# infrastructure or publish a site, outside throwaway clusters: {"job",
# "pos", "what", "cmd"} (cmd null for a step).
deploy_sites contains {"job": site.job, "pos": site.pos, "what": sprintf("%q", [site.what]), "cmd": site.cmd} if {
	some site in array.concat(
		[s | some s in pipeline.deploy_sites],
		array.concat([s | some s in deploys.site_sites], [s | some s in deploys.infrastructure_sites]),
	)
	not site.job in deploys.local_cluster_jobs
}

# Jenkins steps that deploy.
deploy_sites contains {"job": i, "pos": step.call.pos, "what": sprintf("%q", [step.call.value]), "cmd": null} if {
	some i, job in input.jobs
	some step in job.steps
	step.call.value != "" # cheaper than a look in the table for every step
	step.call.value in tables.deploy_calls
}

# A job named for deploying, or running a script or task named so,
# deploys when no command tells how: at that command, else at the step
# named so, else at its first step.
named_sites := {i: object.union(named_site(i), {"job": i}) |
	text.mentions_any_case("deploy")
	some i, job in input.jobs
	not gated(i)
	count(job.steps) > 0
	deploys.named_for_deploying(i)
	not deploys.only_reports(i)
}

named_site(i) := {"pos": cmd.name.pos, "what": sprintf("%q", [concat(" ", array.concat([cmd.name.value], array.slice(commands.positional(cmd), 0, 1)))]), "cmd": cmd} if {
	cmd := [cmd | some step in input.jobs[i].steps; some cmd in step.script.commands; deploys.deploy_named_command(cmd)][0]
} else := {"pos": step.pos, "what": sprintf("step %q", [step.name.value]), "cmd": null} if {
	step := [step | some step in input.jobs[i].steps; regex.match(tables.deploy_name_pattern, step.name.value)][0]
} else := {"pos": input.jobs[i].steps[0].pos, "what": "its steps", "cmd": null}

deploy_jobs := {site.job | some site in deploy_sites}

first_site(i) := job_sites[i][0] if {
	i in deploy_jobs
} else := named_sites[i]

# job_sites holds the deploy sites of each job in source order, grouped
# from one sorted list of every site (see runs) rather than by a pass over
# the sites for every job.
job_sites := runs.groups(sites_in_order)

sites_in_order := sort([[site.job, site.pos.line, site.pos.column, site] | some site in deploy_sites])

# ungated_deploy_jobs are the deploy jobs no environment or manual job
# gates (cheap facts of the model, read before any name): those whose
# approval is an input without a submitter, or none.
ungated_deploy_jobs contains i if {
	some i in deploy_jobs
	not gated(i)
}

ungated_deploy_jobs contains i if {
	some i, _ in named_sites
	not i in deploy_jobs
}

# --- approvals -----------------------------------------------------------------

# gated is true for a job that an environment, a manual start or an
# input with submitters gates, itself or through a job it waits for.
gated(i) if i in jobs_after_environment

# A manual job is started by someone who chose to (a GitLab `when:
# manual` job, a CircleCI `type: approval` job, a Bitbucket `trigger:
# manual` step), and so is every job that waits for one, directly or not.
gated(i) if {
	i in jobs_after_manual
	count(inputs(i)) == 0
}

gated(i) if {
	some step in inputs(i)
	submitters(step) != ""
}

# The jobs with an environment, a manual start or an input, and the jobs
# that wait for one, each found once (deploys.downstream), where asking
# every job's upstream jobs would cost a chain of needs its square.
jobs_after_environment := deploys.downstream({k | some k, job in input.jobs; job.environment != null})

jobs_after_manual := deploys.downstream({k | some k, job in input.jobs; job.when == "manual"})

jobs_after_input := deploys.downstream({k | some k, job in input.jobs; some step in job.steps; step.call.value == "input"})

# inputs are the input steps of job i and of the jobs it waits for.
inputs(i) := [step |
	i in jobs_after_input
	some k in deploys.upstream(i)
	some step in input.jobs[k].steps
	step.call.value == "input"
]

submitters(step) := concat(",", [v.value.value | some v in step.with; v.name.value == "submitter"])

# approval_of says what approves the job: an input anyone may answer
# (medium), or nothing (high).
approval_of(i) := {"what": sprintf("an input at line %d that anyone who can run the job may approve (no submitter)", [step.pos.line]), "severity": "medium"} if {
	step := inputs(i)[0]
} else := {"what": "nothing a reviewer controls approves it first", "severity": "high"}

# --- production ----------------------------------------------------------------

# production says why the deploy of job i is to production, or is
# undefined: a word of its names, its deploy commands' arguments, the
# values of its variables and of its deploy actions' inputs, its runner
# labels or the pipeline's name names production (or a name the
# production-environments option declares); a job named for another
# target is not.
production(i) := why if {
	not other_target(i)
	whys := [why |
		some [what, text] in production_texts(i)
		production_text(text)
		why := sprintf("%s %q", [what, text])
	]
	why := whys[0]
}

production_text(text) if {
	some word in regex.split(`[^A-Za-z0-9]+`, text)
	regex.match(tables.production_word, word)
}

production_text(text) if {
	count(pipeline.production_environments) > 0
	some token in regex.split(`[\s=,;:'"()\[\]{}]+`, lower(text))
	token in pipeline.production_environment_names
}

other_target(i) if {
	job := input.jobs[i]
	some text in [job.id.value, job.name.value, written_stage(job)]
	some word in regex.split(`[^A-Za-z0-9]+`, text)
	regex.match(tables.non_production_word, word)
}

written_stage(job) := job.stage.value if job.stage.pos.line > 0

written_stage(job) := "" if job.stage.pos.line == 0

# production_texts are [what, text] pairs, in the order they are judged.
production_texts(i) := array.concat(
	array.concat(name_texts(i), argument_texts(i)),
	array.concat(variable_texts(i), label_texts(i)),
)

name_texts(i) := array.concat(
	[[what, text] |
		job := input.jobs[i]
		some [what, text] in [["its id", job.id.value], ["its name", job.name.value], ["its stage", written_stage(job)]]
		text != ""
	],
	array.concat(
		[["its step", step.name.value] | some step in input.jobs[i].steps; step.name.value != ""],
		[["the pipeline's name", input.name.value] | input.name.value != ""],
	),
)

argument_texts(i) := array.concat(
	[["argument", arg.value] | some site in array.concat(object.get(job_sites, i, []), [s | s := named_sites[i]]); site.cmd != null; some arg in site.cmd.args],
	[["input", v.value.value] |
		some site in object.get(job_sites, i, [])
		site.cmd == null
		some step in input.jobs[i].steps
		step_at(step, site.pos)
		some v in step.with
	],
)

# step_at is true for the step a site without a command is: an action
# step or a Jenkins step.
step_at(step, pos) if step.uses.value.pos == pos

step_at(step, pos) if step.call.pos == pos

variable_texts(i) := [[sprintf("variable %s set to", [v.name.value]), v.value.value] |
	some v in array.concat(array.concat(input.env, input.jobs[i].env), [v | some step in input.jobs[i].steps; some v in step.env])
	v.source == "literal"
	not upper(v.name.value) in tables.build_mode_variables
]

label_texts(i) := [["runner label", label.value] | some label in input.jobs[i].runner.labels]
