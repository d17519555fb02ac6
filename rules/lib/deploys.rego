# METADATA
# description: |
#   What deploys besides pipeline.deploy_sites, shared by the deploy
#   rules: static site deploys, infrastructure changes, jobs named for
#   deploying, and jobs that deploy into a throwaway cluster on the
#   runner (a test, not a deploy).
package pipelint.lib.deploys

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables

# site_sites are the commands and steps that publish a static site
# (tables site_deploy_commands and site_deploy_actions), as
# pipeline.deploy_sites lists deploys: {"job", "what", "tool", "pos",
# "cmd"}.
site_sites contains {"job": m.job, "what": commands.display(m.cmd, m.matcher), "tool": m.matcher.tool, "pos": m.cmd.name.pos, "cmd": m.cmd} if {
	some m in commands.matched_by_table["site_deploy"]
}

site_sites contains {"job": a.job, "what": a.entry.action, "tool": a.entry.tool, "pos": step.uses.value.pos, "cmd": null} if {
	some a in pipeline.actions_by_table["site_deploy"]
	step := input.jobs[a.job].steps[a.step]
}

# infrastructure_sites are the commands that change or remove cloud
# infrastructure beyond the deploy commands (tables.infrastructure_commands).
infrastructure_sites contains {"job": m.job, "what": commands.display(m.cmd, m.matcher), "tool": m.matcher.tool, "pos": m.cmd.name.pos, "cmd": m.cmd} if {
	some m in commands.matched_by_table["infrastructure"]
}

# local_cluster_jobs create a throwaway cluster on the runner (kind,
# minikube, k3d): what they deploy there is a test.
local_cluster_jobs contains m.job if {
	some m in commands.matched_by_table["local_cluster"]
}

# A job that tears down the namespace or release it deploys (tables
# teardown_commands) deploys a throwaway environment too.
local_cluster_jobs contains m.job if {
	some m in commands.matched_by_table["teardown"]
}

local_cluster_jobs contains a.job if {
	some a in pipeline.actions_by_table["local_cluster"]
}

# named_for_deploying is true for a job whose id or name, one of whose
# steps, or a command or task it runs is named for deploying (`deploy`,
# `Deploy to production`, `./deploy.sh`, `make deploy`).
named_for_deploying(i) if regex.match(tables.deploy_name_pattern, concat(" ", [input.jobs[i].id.value, input.jobs[i].name.value]))

named_for_deploying(i) if {
	some step in input.jobs[i].steps
	regex.match(tables.deploy_name_pattern, step.name.value)
}

named_for_deploying(i) if i in deploy_named_command_jobs

# deploy_named_command_jobs run a command named for deploying, or give a
# task runner such a task or script (`make deploy`, `npm run deploy:prod`):
# collected in one walk of the commands, not one for every job.
deploy_named_command_jobs contains j if {
	some [j, _, cmd] in commands.located
	deploy_named_command(cmd)
}

deploy_named_command(cmd) if regex.match(tables.deploy_name_pattern, cmd.name.value)

deploy_named_command(cmd) if {
	cmd.name.value in tables.script_runners
	some arg in array.slice(commands.positional(cmd), 0, 2)
	regex.match(tables.deploy_name_pattern, arg)
}

# only_reports is true for a job whose steps all run scripts and whose
# commands only print, test or touch files (tables.report_only_commands):
# named for deploying or not, it deploys nothing (a sample's `echo
# "Deploying..."`, a test of the CI system's deployment settings).
only_reports(i) if {
	steps := input.jobs[i].steps
	count(steps) > 0
	every step in steps {
		step.script != null
		every cmd in step.script.commands {
			cmd.name.value in tables.report_only_commands
		}
	}
}

# upstream is the set of job i and the jobs it waits for, directly or not.
# Jobs are found by id through jobs_by_id, since Jenkins stages may share
# a name (pipeline.job_index keeps one job per id).
upstream(i) := graph.reachable(needs_graph, {i})

needs_graph := {i: {k | some n in job.needs; some k in object.get(jobs_by_id, n.value, set())} | some i, job in input.jobs}

# downstream is the set of the jobs of jobs and of the jobs that wait for
# one of them, directly or not: what a property of jobs (a condition
# that keeps outsiders out) reaches. Asking it once for a set of jobs,
# rather than upstream for every job, keeps a long chain of needs linear.
# It is pipeline.downstream over this library's graph, which follows
# every job of a shared id.
downstream(jobs) := graph.reachable(dependents_graph, jobs)

# dependents_graph is needs_graph reversed, as pipeline.needed_by: every
# job to the jobs that wait for it directly.
dependents_graph := runs.reversed(needs_graph)

# jobs_by_id maps each job id to the indexes of the jobs that have it,
# grouped from one sorted list (see runs).
jobs_by_id := runs.group_sets(id_pairs)

id_pairs := sort([[job.id.value, k] | some k, job in input.jobs])
