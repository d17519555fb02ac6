# METADATA
# title: Self-hosted runner on a workflow outsiders can start
# description: |
#   A job runs on a self-hosted runner (the `self-hosted` label, one a
#   matrix gives, or a runner group) in a workflow that outsiders start: a
#   pull request, whose code from a fork then runs on your machine, or an
#   issue, comment or review. Unlike GitHub's machines, a self-hosted one
#   is not wiped between jobs: what an outsider's job leaves behind (a
#   backdoored tool, a stolen credential, a process that keeps running)
#   meets the next job, and the machine's network.
# custom:
#   id: self-hosted-runner
#   severity: high
#   precision: high
#   remediation: |
#     Run jobs outsiders can start on GitHub-hosted runners, or keep them
#     from forks with a condition (`if:
#     github.event.pull_request.head.repo.full_name == github.repository`).
#     If self-hosted runners must serve them, make them ephemeral (a fresh
#     machine or container per job, as actions-runner-controller does) and
#     isolate them from anything they should not reach.
#   tags: [security, runners, external/cwe/cwe-284]
package pipelint.rules.self_hosted_runner

import data.pipelint.lib.deploys
import data.pipelint.lib.expressions
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

findings contains finding if {
	input.kind == "workflow"
	some i, job in input.jobs
	some site in self_hosted(job)
	untrusted.file_grade in {"privileged", "fork"}
	outsider_event
	not guarded(i)
	finding := {
		"msg": sprintf("job %q runs on %s in a workflow %s; %s: %s or keep outsiders' runs from it", [job.id.value, site.what, started_by, keeps[site.group], wording.hosted]),
		"pos": site.pos,
		"severity": site_severity(site),
	}
}

# self_hosted lists where a job is sent to a self-hosted runner.
self_hosted(job) := [{"what": "a self-hosted runner", "pos": label.pos, "group": false} |
	some label in job.runner.labels
	lower(label.value) in tables.self_hosted_runner_labels
] if {
	some label in job.runner.labels
	lower(label.value) in tables.self_hosted_runner_labels
} else := [{"what": sprintf("a self-hosted runner (matrix value on line %d)", [value.pos.line]), "pos": label.pos, "group": false} |
	some label in job.runner.labels
	[_, variable] := expressions.matrix_variable(label.value)
	some value in job.strategy.values
	lower(value.name.value) == variable
	lower(value.value.value) in tables.self_hosted_runner_labels
] if {
	some label in job.runner.labels
	contains(label.value, "${{") # cheaper than the expression's parts, for every label
	expressions.matrix_variable(label.value)
} else := [{"what": wording.group, "pos": job.runner.pos, "group": true}] if {
	job.runner.pos.line > 0
	not job.runner.ephemeral
	not hosted_labels(job.runner)
}

# hosted_labels is true for a runner group asked for GitHub-hosted
# (larger) machines by label.
hosted_labels(runner) if {
	count(runner.labels) > 0
	every label in runner.labels {
		regex.match(tables.hosted_runner_labels, label.value)
	}
}

wording := tables.for_system(tables.pool_wording, input.system)

keeps := {
	false: "such a machine keeps what one job leaves behind for the next",
	true: "if the group holds self-hosted machines, they keep what one job leaves behind for the next",
}

site_severity(site) := "low" if site.group
else := "high" if fork_code
else := "medium"

# fork_code is true when a fork's code can run: a pull_request trigger, or
# a caller that has one.
fork_code if "pull_request" in untrusted.events(input)

fork_code if {
	untrusted.called_file
	"fork" in untrusted.caller_grades
}

# outsider_event is true when an outsider's action starts the workflow: a
# privileged trigger or a pull request (a merge queue only runs what
# maintainers queued).
outsider_event if untrusted.called_file

outsider_event if {
	some event in untrusted.events(input)
	event in tables.privileged_triggers | {"pull_request"}
}

started_by := sprintf("outsiders start (%s)", [concat(", ", sort([e |
	some e in untrusted.events(input)
	e in tables.privileged_triggers | {"pull_request"}
]))]) if {
	not untrusted.called_file
} else := "called from one outsiders start"

# guarded is true for a job that does not run for outsiders: its condition
# or that of a job it waits for (whose skip skips it) keeps forks out or
# limits it to trusted events.
guarded(i) if own_guard(input.jobs[i].condition.value)

guarded(i) if {
	not runs_anyway(input.jobs[i].condition.value)
	i in jobs_after_guard
}

# jobs_after_guard are the jobs that wait, directly or not, for a job whose
# own condition guards it, found once down the needs reversed
# (deploys.downstream), where walking every job's upstream jobs would cost
# a chain of needs its square.
jobs_after_guard := deploys.downstream({d |
	some k, job in input.jobs
	own_guard(job.condition.value)
	some d in deploys.dependents_graph[k]
})

own_guard(condition) if {
	some pattern in tables.fork_guards
	regex.match(pattern, condition)
}

own_guard(condition) if regex.match(tables.trusted_event_condition, condition)

runs_anyway(condition) if regex.match(`(?i)\b(always|failure|cancelled)\(\)`, condition)
