# METADATA
# title: Deployment without a rollback path
# description: |
#   A job deploys to a running system (by a deploy command or action, or by
#   an environment together with a job, step or script named for deploying)
#   and nothing in the pipeline can take the deployment back: no
#   self-rolling-back deploy (`helm upgrade --atomic`), no rollback command,
#   no step or job that runs on failure, no rollback job, no manual redeploy
#   of a chosen version. When the deploy breaks production, someone has to
#   improvise the recovery under pressure. Publishing a package or pushing
#   an image is a release, not a deploy; an environment alone, or one on a
#   test, lint, signing or upload job, only scopes secrets; a deploy into a
#   throwaway cluster on the runner is a test. None is reported. A deploy to
#   a target that switches atomically and keeps earlier deployments (Vercel,
#   Netlify, Cloudflare Pages and Workers, GitHub Pages, Firebase Hosting)
#   is reported at info, with its one-step rollback.
# custom:
#   id: deploy-without-rollback
#   severity: high
#   precision: medium
#   remediation: |
#     Give every deploy a rollback path that runs without improvisation:
#     a deploy that undoes itself on failure (`helm upgrade --atomic`,
#     CodeDeploy auto-rollback, the ECS circuit breaker), a step or job that
#     runs on failure and restores the previous version (`kubectl rollout
#     undo`, `helm rollback`), or a rollback job or manual pipeline that
#     redeploys a chosen earlier version.
#   tags: [reliability, deployment]
package pipelint.rules.deploy_without_rollback

import data.pipelint.lib.commands
import data.pipelint.lib.deploys
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables

findings contains finding if {
	input.kind == "workflow"
	not pipeline_has_rollback_path
	some i in deploy_jobs
	not i in rollback_jobs
	not job_rolls_back_itself(i)
	not covered_by_rollback_job(i)
	job := input.jobs[i]
	finding := {
		"msg": message(i),
		"pos": job.id.pos,
		"severity": severity(i),
	}
}

message(i) := sprintf("job %q %s with no rollback path; %s, or %s that restores the previous version", [input.jobs[i].id.value, what(i), idiom(i), tables.for_system(tables.failure_path_idiom, input.system)]) if not atomic_target(i)

message(i) := sprintf("job %q %s with no rollback path in the pipeline; %s switches deployments atomically and keeps the earlier ones: %s", [input.jobs[i].id.value, what(i), tables.atomic_deploy_tools[tool], tables.rollback_idiom[tool]]) if tool := atomic_target(i)

# --- what counts as a deploy -------------------------------------------------

# deploy_sites are the commands and steps that deploy: those of
# pipeline.deploy_sites and the static site deploys.
deploy_sites contains site if some site in pipeline.deploy_sites

deploy_sites contains site if some site in deploys.site_sites

# deploy_jobs are the jobs that deploy: by a deploy command or action,
# unless into a throwaway cluster the job creates, or to an environment
# when the job, a step or a script is named for deploying.
deploy_jobs contains site.job if {
	some site in deploy_sites
	not site.job in deploys.local_cluster_jobs
}

deploy_jobs contains i if {
	some i, job in input.jobs
	pipeline.deploy_environment(job)
	deploys.named_for_deploying(i)
	not only_tests_lints_signs_or_uploads(job)
	not deploys.only_reports(i)
}

only_tests_lints_signs_or_uploads(job) if {
	regex.match(tables.non_deploy_job_pattern, concat(" ", [job.id.value, job.name.value]))
	not regex.match(tables.deploy_name_pattern, concat(" ", [job.id.value, job.name.value]))
}

# --- what counts as a rollback path ------------------------------------------

# The whole pipeline is a rollback, or a manual run picks the version to
# deploy (so running it again with the previous version rolls back).
pipeline_has_rollback_path if regex.match(tables.rollback_name_pattern, input.name.value)

pipeline_has_rollback_path if {
	some trigger in input.triggers
	trigger.event.value == "workflow_dispatch"
	some parameter in input.parameters
	regex.match(`(?i)^(version|tag|ref|sha|commit|image|image[-_]tag|release|revision|rollback.*|target[-_]version)$`, parameter.name.value)
}

# rollback_jobs are the jobs that can take a deploy back: named so, running
# a rollback command, or running on failure (the whole job, or some of its
# steps, like a Jenkins pipeline-level post { failure }) to redeploy or roll
# back. A job that runs on failure to send a notification is not one.
rollback_jobs contains j if {
	some j, job in input.jobs
	regex.match(tables.rollback_name_pattern, concat(" ", [job.id.value, job.name.value]))
}

rollback_jobs contains m.job if {
	some m in commands.matched_by_table["rollback"]
}

# A job that calls a local workflow or action for rolling back
# (`uses: ./.github/workflows/rollback.yml`), or one holding a job named so.
rollback_jobs contains j if {
	some j, job in input.jobs
	some file in pipeline.called_files(job)
	callee := pipeline.callee_pipelines[file]
	names := array.concat([file, callee.name.value], [concat(" ", [c.id.value, c.name.value]) | some c in callee.jobs])
	some name in names
	regex.match(tables.rollback_name_pattern, name)
}

rollback_jobs contains j if {
	some j, job in input.jobs
	some s, step in job.steps
	failure_path(job, step)
	acts(j, s)
}

# A manual job that deploys the same environment as another job is that
# environment's manual rollback (GitLab's idiom).
rollback_jobs contains j if {
	some j, job in input.jobs
	job.when == "manual"
	pipeline.deploy_environment(job) in shared_environments
}

# shared_environments are the environments more than one job deploys to,
# found in one sorted list (see runs) rather than by comparing every job
# with every other.
shared_environments := {deploy_environments[start] |
	some [start, end] in runs.bounds(deploy_environments)
	end - start > 1
}

deploy_environments := sort([env | some job in input.jobs; env := pipeline.deploy_environment(job)])

failure_path(job, _) if job.when == "on_failure"

failure_path(_, step) if step.when == "on_failure"

# acts is true for a step that changes the deployed system.
acts(j, s) if [j, s] in acting_steps

# acting_steps are the [job, step] indexes of the steps that run a deploy or
# rollback command or a deploy action, collected once so that acts does not
# walk every command.
acting_steps contains [m.job, m.step] if {
	some table in {"deploy", "site_deploy", "rollback"}
	some m in commands.matched_by_table[table]
}

acting_steps contains [a.job, a.step] if {
	some table in {"deploy", "site_deploy"}
	some a in pipeline.actions_by_table[table]
}

# A rollback job covers the deploys to its own environment, or every deploy
# when it names none: another job than i in either set. The sets are built
# once, instead of walking the rollback jobs for every deploy job.
covered_by_rollback_job(i) if {
	count(rollback_jobs_without_environment) > 0
	rollback_jobs_without_environment != {i}
}

covered_by_rollback_job(i) if rollback_jobs_by_environment[environment_name(input.jobs[i])] != {i}

rollback_jobs_without_environment := {j | some j in rollback_jobs; not environment_name(input.jobs[j])}

rollback_jobs_by_environment := runs.group_sets(rollback_environments)

rollback_environments := sort([[env, j] | some j in rollback_jobs; env := environment_name(input.jobs[j])])

environment_name(job) := job.environment.name.value if {
	job.environment != null
	job.environment.name.value != ""
}

# Within the job: every deploy command undoes itself on failure, or a step
# runs on failure and redeploys or rolls back.
job_rolls_back_itself(i) if i in self_rolling_back_jobs

# self_rolling_back_jobs deploy, and every deploy of theirs undoes itself.
self_rolling_back_jobs := {site.job | some site in deploy_sites} - {site.job |
	some site in deploy_sites
	not self_rolling_back(site.cmd)
}

job_rolls_back_itself(i) if {
	some s, step in input.jobs[i].steps
	step.when == "on_failure"
	acts(i, s)
}

self_rolling_back(cmd) if {
	cmd != null
	some arg in cmd.args
	startswith(arg.value, "-") # only flags are asked after the table's globs
	some flag in tables.self_rolling_back_flags
	glob.match(flag, null, arg.value)
}

# --- the message -------------------------------------------------------------

# atomic_target is the deploy target of a job that switches atomically
# and keeps earlier deployments: the tool of every deploy site of the job,
# or, with none, the host of its environment's URL.
atomic_target(i) := tool if {
	tool := atomic_target_or_null(i)
	tool != null
}

# atomic_target_or_null is atomic_target, or null for a job whose target
# does not switch atomically: the message and the severity ask it of every
# job reported, and OPA remembers a function's result only when it has one.
atomic_target_or_null(i) := tool if {
	[tool] := [t | some t in deploy_tools[i]]
	tables.atomic_deploy_tools[tool]
} else := tool if {
	not first_site(i)
	url := input.jobs[i].environment.url.value
	host := lower(split(regex.replace(url, `^[a-zA-Z]+://`, ""), "/")[0])
	some tool, hosts in tables.atomic_hosting_urls
	some pattern in hosts
	glob.match(pattern, ["."], host)
} else := null

# deploy_tools holds the tools of the deploy sites of each job, grouped
# from one sorted list (see runs).
deploy_tools := runs.group_sets(job_tools)

job_tools := sort([[site.job, site.tool] | some site in deploy_sites])

what(i) := sprintf("deploys to %q with %s", [pipeline.deploy_environment(input.jobs[i]), first_site(i).what]) if {
	pipeline.deploy_environment(input.jobs[i])
	first_site(i)
}

what(i) := sprintf("deploys with %s", [first_site(i).what]) if {
	not pipeline.deploy_environment(input.jobs[i])
	first_site(i)
}

what(i) := sprintf("deploys to environment %q", [pipeline.deploy_environment(input.jobs[i])]) if not first_site(i)

first_site(i) := first_sites[i]

# first_sites holds the first deploy site of each job in source order: the
# start of the job's run in one sorted list of every site (see runs).
first_sites := {sites_in_order[start][0]: sites_in_order[start][3] |
	some [start, _] in runs.bounds([job | some [job, _, _, _] in sites_in_order])
}

sites_in_order := sort([[site.job, site.pos.line, site.pos.column, site] | some site in deploy_sites])

idiom(i) := tables.rollback_idiom[first_site(i).tool]

# A deploy tool a policy adds without an idiom still gets its finding.
idiom(i) := tables.rollback_idiom.generic if not tables.rollback_idiom[first_site(i).tool]

idiom(i) := tables.rollback_idiom.generic if not first_site(i)

# A deploy to an atomic target is info; other production deploys are high,
# other deploy commands medium, and a non-production environment with no
# recognisable deploy command low.
severity(i) := "info" if atomic_target(i)

severity(i) := "high" if {
	not atomic_target(i)
	pipeline.is_production(input.jobs[i])
}

severity(i) := "medium" if {
	not atomic_target(i)
	not pipeline.is_production(input.jobs[i])
	first_site(i)
}

severity(i) := "low" if {
	not atomic_target(i)
	not pipeline.is_production(input.jobs[i])
	not first_site(i)
}
