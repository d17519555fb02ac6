# METADATA
# title: Deploy, publish or cloud login in a run outsiders' changes start
# description: |
#   A job deploys, changes infrastructure, publishes, deploys a preview
#   or logs in to a cloud (an OpenID Connect token or a long-lived key
#   turned into cloud credentials) in a run that someone other than the
#   maintainers starts with their change: a GitHub workflow on
#   pull_request_target, issue_comment or another privileged trigger; a
#   GitHub pull_request job that still gets credentials (a pull request
#   from a branch of the repository runs its unreviewed code with them);
#   a GitLab job that its rules, only: or the workflow: rules let run in
#   merge request pipelines; a Jenkins stage that runs for change
#   requests with credentials bound. Critical when the job also runs the
#   change's code (a pull request's head checked out and built, a change
#   request's build), one level lower behind a maintainer's gate (a
#   label, the commenter's association, an environment, a manual job, an
#   input with submitters).
# custom:
#   id: untrusted-deploy
#   severity: high
#   precision: medium
#   remediation: |
#     Deploy, publish and log in to clouds only in runs that maintainers
#     start: a push to a protected branch, a tag, a release or a manual
#     dispatch, behind an environment (GitHub) or protected environment
#     (GitLab) with required reviewers. Keep pull request and merge
#     request runs to building and testing without credentials, and pass
#     what a privileged follow-up needs as data it never runs. On GitLab,
#     limit deploy jobs with `rules: - if: $CI_COMMIT_BRANCH ==
#     $CI_DEFAULT_BRANCH`; on Jenkins, with `when { branch 'main' }` (or
#     `not { changeRequest() }`).
#   tags: [security, deployment, external/cwe/cwe-284]
package pipelint.rules.untrusted_deploy

import data.pipelint.lib.checkouts
import data.pipelint.lib.commands
import data.pipelint.lib.deploys
import data.pipelint.lib.expressions
import data.pipelint.lib.permissions
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text
import data.pipelint.lib.untrusted

# Each context says who starts the job and decides the finding: one per
# job, at its first act (the earliest deploy, publish or login).
findings contains finding if {
	input.kind == "workflow"
	outsiders_may_start
	act_in_model
	some i, context in outsider_jobs
	act := first_act(i)
	finding := {
		"msg": sprintf("job %q %s %s%s; %s", [input.jobs[i].id.value, act.what, context.who, context.note, context.fix]),
		"pos": act.pos,
		"severity": context.severity,
	}
}

# outsider_jobs maps each job that outsiders' changes start, and that
# acts, to its context: {"who", "note", "fix", "severity"}. Each system's
# context comes from what its model holds (triggers, job rules, a stage's
# when), and the cheap facts come first: most files have none and stop
# before any command is read.
outsider_jobs := {i: context | some i in candidate_jobs; context := job_context(i)}

candidate_jobs contains i if {
	github_run
	some i in acting_jobs
	github_candidate(i)
}

candidate_jobs contains i if {
	merge_request_file
	some i in acting_jobs
	may_run_in_merge_requests(input.jobs[i])
}

candidate_jobs contains i if {
	change_request_file
	some i in acting_jobs
}

# outsiders_may_start is true for a file that outsiders' changes may start,
# by what is cheapest to tell: a privileged trigger, pull_request with
# credentials named in the text, a call from a privileged workflow, rules
# or only: (GitLab), a condition on change requests (Jenkins). Most files
# stop here.
outsiders_may_start if {
	some trigger in input.triggers
	trigger.event.value in tables.privileged_triggers
}

outsiders_may_start if {
	some trigger in input.triggers
	trigger.event.value == "pull_request"
	credentials_in_text
}

outsiders_may_start if {
	some trigger in input.triggers
	trigger.event.value in tables.call_triggers
	untrusted.file_grade == "privileged"
}

outsiders_may_start if merge_request_file

outsiders_may_start if change_request_file

# credentials_in_text is true when the text names secrets, an OpenID
# Connect token or a self-hosted machine: a pull_request job without any
# has no credentials to take.
credentials_in_text if {
	some word in ["secrets.", "id-token", "self-hosted"]
	text.mentions(word)
}

# act_in_model is true when the file has what an act needs: a command or
# action of the act tables (commands.matched and pipeline.actions, which
# the other deploy, build and cache rules read too), a Jenkins deploy or
# publishing step, GitLab id_tokens, or a file where deploy secrets count.
act_in_model if {
	some table in {"deploy", "site_deploy", "infrastructure", "release", "preview_deploy"}
	some m in commands.matched_by_table[table]
}

act_in_model if {
	some table in {"deploy", "site_deploy", "release", "preview_deploy", "cloud_login"}
	some a in pipeline.actions_by_table[table]
}

act_in_model if {
	some call, _ in pipeline.steps_by_call
	call in jenkins_act_calls
}

act_in_model if {
	some job in input.jobs
	count(job.id_tokens) > 0
}

act_in_model if secret_acts_read

jenkins_act_calls := (tables.deploy_calls | tables.publishing_calls) | tables.container_build_calls

# github_run is true for a GitHub workflow outsiders may start: a
# privileged trigger (its own, or its callers'), or a pull_request whose
# text names credentials.
github_run if untrusted.file_grade == "privileged"

github_run if {
	untrusted.file_grade == "fork"
	pull_request_run
	credentials_in_text
}

pull_request_run if {
	not untrusted.called_file
	"pull_request" in outsider_events
}

# github_candidate is true for an acting job of a GitHub workflow that
# outsiders may start, judged by the conditions of the job and of the jobs
# it waits for: on a privileged trigger, one whose conditions let outsiders
# in; on pull_request, one that gets credentials and neither keeps forks
# out nor skips pull requests.
github_candidate(i) if {
	count(privileged_events) > 0
	not i in jobs_kept_out
	not i in jobs_merged_only
}

github_candidate(i) if {
	count(privileged_events) == 0
	pull_request_run
	may_have_credentials(i)
	not i in jobs_pull_requests_kept_out
	not i in jobs_fork_guarded
}

# merge_request_file is true for a file with rules or only: that may put a
# job in merge request pipelines (GitLab).
merge_request_file if count(input.rules) > 0

merge_request_file if {
	some job in input.jobs
	count(job.rules) > 0
}

merge_request_file if {
	some job in input.jobs
	startswith(job.condition.value, "only:")
}

# change_request_file is true for a file one of whose jobs' conditions
# speaks of change requests (a Jenkins stage's when { }).
change_request_file if {
	some job in input.jobs
	some word in ["changeRequest", "CHANGE_ID"]
	contains(job.condition.value, word)
}

# job_context is the context of the first kind that applies: the kinds
# exclude one another but for odd files (a GitLab rule reading CHANGE_ID).
job_context(i) := context if {
	count(privileged_events) > 0
	context := privileged_context(i)
} else := context if {
	count(privileged_events) == 0
	pull_request_run
	context := pull_request_context(i)
} else := context if {
	may_run_in_merge_requests(input.jobs[i])
	context := merge_request_context(i)
} else := change_request_context(i)

# may_run_in_merge_requests is true for a job that rules, only: or
# workflow: rules may put in merge request pipelines (a GitLab job that
# has any).
may_run_in_merge_requests(job) if count(job.rules) > 0

may_run_in_merge_requests(job) if startswith(job.condition.value, "only:")

may_run_in_merge_requests(_) if count(input.rules) > 0

# --- what the job does -------------------------------------------------------

# acts are the deploys, infrastructure changes, publications, preview
# deploys, cloud logins and deploy secrets of the file's jobs: {"job",
# "pos", "what", "kind"}, kind being "preview" for a preview deploy,
# "login" for cloud credentials the job takes, "secret" for a deploy
# secret it receives, "ship" for the others.
acts contains {"job": site.job, "pos": site.pos, "what": sprintf("deploys with %q", [site.what]), "kind": "ship"} if {
	some site in pipeline.deploy_sites
	not site.job in deploys.local_cluster_jobs
}

acts contains {"job": site.job, "pos": site.pos, "what": sprintf("deploys a site with %q", [site.what]), "kind": "ship"} if {
	some site in deploys.site_sites
}

acts contains {"job": site.job, "pos": site.pos, "what": sprintf("changes infrastructure with %q", [site.what]), "kind": "ship"} if {
	some site in deploys.infrastructure_sites
	not site.job in deploys.local_cluster_jobs
}

acts contains {"job": site.job, "pos": site.pos, "what": sprintf("publishes with %q", [site.what]), "kind": "ship"} if {
	some site in pipeline.release_sites
	site.cmd != null
	not release_query(site.cmd)
}

acts contains {"job": site.job, "pos": site.pos, "what": sprintf("publishes with %s", [site.what]), "kind": "ship"} if {
	some site in pipeline.release_sites
	site.cmd == null
	not switched_at_run_time(site)
}

# switched_at_run_time is true for an action step whose act a run-time
# value switches on or off (tables.run_time_switches).
switched_at_run_time(site) if {
	some step in input.jobs[site.job].steps
	step.uses.value.pos == site.pos
	switch := tables.run_time_switches[lower(pipeline.action_name(step.uses))]
	pipeline.is_run_time_value(pipeline.input_value(step, switch))
}

acts contains {"job": m.job, "pos": m.cmd.name.pos, "what": sprintf("deploys a preview with %q", [commands.display(m.cmd, m.matcher)]), "kind": "preview"} if {
	some m in commands.matched_by_table["preview_deploy"]
}

acts contains {"job": a.job, "pos": step.uses.value.pos, "what": sprintf("deploys a preview with %s", [a.entry.action]), "kind": "preview"} if {
	some a in pipeline.actions_by_table["preview_deploy"]
	step := input.jobs[a.job].steps[a.step]
}

acts contains {"job": a.job, "pos": step.uses.value.pos, "what": sprintf("gets cloud credentials with %s", [a.entry.action]), "kind": "login"} if {
	some a in pipeline.actions_by_table["cloud_login"]
	step := input.jobs[a.job].steps[a.step]
}

acts contains {"job": i, "pos": v.name.pos, "what": sprintf("receives the OpenID Connect token %s (aud %s)", [v.name.value, v.value.value]), "kind": "login"} if {
	some i, job in input.jobs
	some v in job.id_tokens
}

# A long-lived deploy or publishing credential the job receives: a GitHub
# secret it reads, a GitLab `secrets:` variable (tables.deploy_secret_pattern).
acts contains {"job": i, "pos": e.pos, "what": sprintf("receives the deploy secret %s", [upper(name)]), "kind": "secret"} if {
	secret_acts_read
	text.mentions("secrets.")
	some i, job in input.jobs
	some e in expressions.job_reading(job, "secrets.")
	some path in e.reads
	startswith(path, "secrets.")
	name := substring(path, 8, -1)
	regex.match(tables.deploy_secret_pattern, name)
}

acts contains {"job": i, "pos": v.name.pos, "what": sprintf("receives the deploy secret %s", [v.name.value]), "kind": "secret"} if {
	secret_acts_read
	some i, job in input.jobs
	some v in job.env
	v.source == "secret"
	regex.match(tables.deploy_secret_pattern, v.name.value)
}

# secret_acts_read is true where a deploy secret alone is an act: not on
# a pull_request workflow (whose jobs act only by deploying, publishing or
# logging in), where reading every job's expressions would be spent.
secret_acts_read if untrusted.file_grade != "fork"

# Jenkins steps that deploy or publish.
acts contains {"job": i, "pos": step.call.pos, "what": sprintf("%s with %s", [verb, step.call.value]), "kind": "ship"} if {
	some i, job in input.jobs
	some step in job.steps
	step.call.value != "" # cheaper than a look in the tables for every step
	some verb, calls in {"deploys": tables.deploy_calls, "publishes": tables.publishing_calls}
	step.call.value in calls
}

# release_query is true for a release command that only reads (`gh
# release view`, `gh release download`): the release table names `gh
# release` whole.
release_query(cmd) if {
	cmd.name.value == "gh"
	commands.positional(cmd)[1] in {"view", "list", "download"}
}

acting_jobs := {act.job | some act in acts}

# first_act is the job's act written first; a preview, a login or a
# deploy secret counts only when the job ships nothing. The first of each
# job is the start of its run in one sorted list of every act (see runs),
# not a pass over the acts for every job.
first_act(i) := first_acts[i]

first_acts := {acts_in_order[start][0]: acts_in_order[start][5] |
	some [start, _] in runs.bounds([job | some [job, _, _, _, _, _] in acts_in_order])
}

acts_in_order := sort([[act.job, kind_rank(act.kind), act.pos.file, act.pos.line, act.pos.column, act] | some act in acts])

kind_rank("ship") := 0

kind_rank(kind) := 1 if kind != "ship"

# --- GitHub: who starts the workflow ------------------------------------------

# outsider_events are the events that start the file, or, for a workflow
# or action others call, its callers'.
outsider_events := untrusted.events(input) if not untrusted.called_file

outsider_events := {e | some p in untrusted.caller_pipelines; some e in untrusted.events(p)} if untrusted.called_file

# privileged_events are the privileged triggers outsiders start directly
# (a comment, a pull request's target run). workflow_run is another run's
# follow-up: its job counts only when it runs what that run made.
privileged_events := {e | some e in outsider_events; e in tables.privileged_triggers}

started_by := sprintf("on %s", [concat(", ", sort(privileged_events))]) if not untrusted.called_file

started_by := sprintf("called on %s", [concat(", ", sort(privileged_events))]) if untrusted.called_file

privileged_context(i) := context if {
	not privileged_excluded(i)
	not callers_exclude_outsiders
	got := head_runs(i)
	gates := job_gates(i)
	context := {
		"who": sprintf("%s, a trigger outsiders start", [started_by]),
		"note": sprintf(", after it %s at line %d and runs %q from it at line %d%s", [got.what, got.pos.line, got.site.what, got.site.pos.line, gate_note(gates)]),
		"fix": "outsiders' code runs with the credentials; build the pull request in a pull_request workflow without them, and deploy only from runs maintainers start",
		"severity": lowered("critical", gates),
	}
} else := context if {
	not privileged_excluded(i)
	not callers_exclude_outsiders
	privileged_events - {"workflow_run"} != set()
	gates := job_gates(i)
	context := {
		"who": sprintf("%s, a trigger outsiders start", [started_by]),
		"note": gate_note(gates),
		"fix": "anyone who can open a pull request or comment starts it, with the credentials it uses; deploy only from runs maintainers start (push, tag, release, dispatch) or behind an environment with required reviewers",
		"severity": lowered("high", gates),
	}
}

# callers_exclude_outsiders is true for a workflow others call when
# every job of a privileged caller that calls it keeps outsiders out by
# its condition: what it runs then runs for maintainers only.
callers_exclude_outsiders if {
	untrusted.called_file
	calls := [job.condition.value |
		some p in untrusted.caller_pipelines
		untrusted.grade(untrusted.events(p)) == "privileged"
		some job in p.jobs
		input.file in pipeline.direct_callees(job)
	]
	every condition in calls {
		condition != ""
		every d in split(condition, "||") {
			checkouts.excluding_disjunct(d)
		}
	}
}

# head_runs is the first site of job i that runs the pull request's code
# it got (its head, or the triggering run's artifacts), with what it got.
head_runs(i) := sort([[site.order, {"site": site, "what": got.what, "pos": got.pos}] |
	some got in acquisitions_by_job[i]
	some site in checkouts.run_sites(got)
])[0][1]

# acquisitions_by_job groups checkouts.acquisitions by job, once, as
# lib/runs shows: head_runs, asked for every job, would otherwise walk
# every job's.
acquisitions_by_job := {j: group |
	some j in {got.job | some got in checkouts.acquisitions}
	group := {got | some got in checkouts.acquisitions; got.job == j}
}

# privileged_excluded is true for a job that outsiders cannot start: the
# condition of its first act's step (the job's were read before) keeps
# outsiders' events, forks and non-members out, or runs it only once a
# maintainer merged the pull request.
privileged_excluded(i) if outsiders_kept_out(act_step_conditions(i))

privileged_excluded(i) if i in jobs_kept_out

privileged_excluded(i) if merged_only(act_step_conditions(i))

privileged_excluded(i) if i in jobs_merged_only

# act_step_conditions are the conditions of the step of job i's first act.
act_step_conditions(i) := [step.condition.value | act := first_act(i); some step in input.jobs[i].steps; within(act.pos, step.pos); step.condition.value != ""]

# The jobs whose condition, or that of a job they wait for (a skipped job
# skips the jobs after it), keeps outsiders out, runs only once merged,
# keeps pull requests out or guards against forks: each found once for
# the whole file (deploys.downstream), where collecting the conditions of
# every job's upstream jobs would cost a chain of needs its square.
jobs_kept_out := deploys.downstream({k | some k in conditioned_jobs; outsiders_kept_out([input.jobs[k].condition.value])})

jobs_merged_only := deploys.downstream({k | some k in conditioned_jobs; merged_only([input.jobs[k].condition.value])})

jobs_pull_requests_kept_out := deploys.downstream({k | some k in conditioned_jobs; pull_requests_kept_out([input.jobs[k].condition.value])})

jobs_fork_guarded := deploys.downstream({k | some k in conditioned_jobs; fork_guarded([input.jobs[k].condition.value])})

conditioned_jobs := {k | some k, job in input.jobs; job.condition.value != ""}

# outsiders_kept_out is true when every alternative of one of the
# conditions lets only the repository's own pull requests, its members or
# events outsiders do not cause in (lib/checkouts).
outsiders_kept_out(conditions) if {
	some condition in conditions
	every d in split(condition, "||") {
		checkouts.excluding_disjunct(d)
	}
}

merged_only(conditions) if {
	some condition in conditions
	every d in split(condition, "||") {
		regex.match(tables.merged_condition, d)
	}
}

# job_got names job i and the step of its first act, in the shape the
# checkouts library reads conditions and gates from.
job_got(i) := {"job": i, "step": act_step(i)}

act_step(i) := s if {
	act := first_act(i)
	some s, step in input.jobs[i].steps
	within(act.pos, step.pos)
} else := 0

within(inner, outer) if {
	inner.file == outer.file
	[inner.line, inner.column] >= [outer.line, outer.column]
	[inner.line, inner.column] <= [outer.end_line, outer.end_column]
}

# job_gates are the gates of lib/checkouts, and a permission check in a
# job it waits for: a step there that checks the commenter's association
# or permission and fails the job, which skips this one.
job_gates(i) := sort({g | some g in checkouts.gate_names(job_got(i))} | upstream_permission_checks(i))

upstream_permission_checks(i) := {"a permission check" | i in jobs_after_permission_check}

# jobs_after_permission_check are the jobs that wait, directly or not, for
# a job with a permission check, found once (see jobs_kept_out).
jobs_after_permission_check := deploys.downstream({d | some k in permission_checking_jobs; some d in deploys.dependents_graph[k]})

# permission_checking_jobs are the jobs with such a step.
permission_checking_jobs contains k if {
	some k, job in input.jobs
	some step in job.steps
	some code in [step.condition.value, checkouts.step_code(step)]
	regex.match(tables.permission_check_pattern, code)
}

gate_note(gates) := "" if count(gates) == 0

gate_note(gates) := sprintf(" (gated by %s)", [concat(" and ", gates)]) if count(gates) > 0

lowered(severity, gates) := severity if count(gates) == 0

lowered(severity, gates) := {"critical": "high", "high": "medium", "medium": "low"}[severity] if count(gates) > 0

# --- GitHub: pull_request jobs with credentials --------------------------------

# A pull_request job gets no secrets and no OpenID Connect token when the
# pull request comes from a fork, but does for a branch of the repository:
# its unreviewed code then runs with them, and a fork's run of the job
# still runs on the machine of a self-hosted runner, with whatever
# credentials the machine holds. Not reported: a job that keeps forks out
# (it runs only for people with write access), a preview deploy (what such
# a job is for), a deploy secret alone (an end-to-end test against a cloud
# account), and a workflow others call, judged at its callers, whose
# conditions and secrets decide what it gets.
pull_request_context(i) := context if {
	first_act(i).kind in {"ship", "login"}
	credentials := job_credentials(i)
	not pull_requests_kept_out(act_step_conditions(i))
	not i in jobs_pull_requests_kept_out
	not fork_guarded(act_step_conditions(i))
	not i in jobs_fork_guarded
	context := {
		"who": sprintf("with %s on pull_request", [credentials]),
		"note": environment_note(i),
		"fix": "a pull request from a branch of the repository runs its unreviewed code with them (forks' runs get none); deploy from pushes to a protected branch, or behind an environment with required reviewers",
		"severity": pull_request_severity(i),
	}
}

# job_credentials names the credentials job i gets: the secrets it reads
# (not the job's own GITHUB_TOKEN), or an OpenID Connect token a cloud
# login turns into credentials.
job_credentials(i) := sprintf("secret %s", [concat(", ", names)]) if {
	text.mentions("secrets.")
	names := secrets_read(i)
	count(names) > 0
} else := "the credentials of a self-hosted runner" if {
	some label in input.jobs[i].runner.labels
	lower(label.value) in tables.self_hosted_runner_labels
} else := "an OpenID Connect token (id-token: write)" if {
	id_token_write(i)
	i in login_jobs
}

login_jobs := {act.job | some act in acts; act.kind == "login"}

# may_have_credentials is job_credentials before the acts are known: a
# secret read, a self-hosted runner, or the id-token: write permission.
may_have_credentials(i) if count(secrets_read(i)) > 0

may_have_credentials(i) if {
	some label in input.jobs[i].runner.labels
	lower(label.value) in tables.self_hosted_runner_labels
}

may_have_credentials(i) if id_token_write(i)

id_token_write(i) if {
	some scope in permissions.effective(input, input.jobs[i]).scopes
	lower(scope.name.value) == "id-token"
	lower(scope.value.value) == "write"
}

secrets_read(i) := sort({upper(substring(path, 8, -1)) |
	some e in array.concat(expressions.job_reading(input.jobs[i], "secrets."), [e | some v in input.env; some e in v.expressions])
	some path in e.reads
	startswith(path, "secrets.")
	path != "secrets.github_token"
})

# pull_requests_kept_out is true when every alternative of one of the
# conditions names a branch or tag ref, another event, or a merged pull
# request: the job does not run on pull requests.
pull_requests_kept_out(conditions) if {
	some condition in conditions
	every d in split(condition, "||") {
		not_on_pull_requests(d)
	}
}

# fork_guarded is true when one of the conditions looks at the pull
# request's head repository, its fork flag or its author's association.
fork_guarded(conditions) if {
	some condition in conditions
	some pattern in tables.fork_guards
	regex.match(pattern, condition)
}

not_on_pull_requests(d) if {
	some pattern in tables.non_pull_request_conditions
	regex.match(pattern, d)
}

not_on_pull_requests(d) if {
	names := tables.compared_events(d)
	count(names) > 0
	not regex.match(`event_name\s*!=`, d)
	not "pull_request" in names
}

environment_note(i) := sprintf(" (gated by environment %q)", [input.jobs[i].environment.name.value]) if input.jobs[i].environment != null

environment_note(i) := "" if input.jobs[i].environment == null

pull_request_severity(i) := "low" if input.jobs[i].environment != null

pull_request_severity(i) := "medium" if input.jobs[i].environment == null

# --- GitLab: jobs in merge request pipelines ------------------------------------

merge_request_context(i) := context if {
	job := input.jobs[i]
	admission := job_admits_merge_requests(job)
	pipeline_admits_merge_requests(job)
	context := {
		"who": sprintf("in merge request pipelines (%s)", [admission.why]),
		"note": "",
		"fix": "a merge request runs its own pipeline configuration and code with the project's credentials before anyone merges it; limit the job to protected branches or tags (`rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`) and keep its credentials protected",
		"severity": admission.severity,
	}
}

# job_admits_merge_requests is {"why", "severity"} for a job that runs in
# merge request pipelines: by its first rule that holds there, by `only:
# merge_requests`, or, with no rules and no only:, by workflow: rules
# (GitLab then drops the default `only: [branches, tags]`).
job_admits_merge_requests(job) := {"why": sprintf("rule at line %d", [rule.pos.line]), "severity": manual_severity(rule.when.value, job)} if {
	count(job.rules) > 0
	rule := admitting_rule(job.rules)
}

job_admits_merge_requests(job) := {"why": "only: merge_requests", "severity": manual_severity("", job)} if {
	count(job.rules) == 0
	startswith(job.condition.value, "only:")
	some ref in split(trim_prefix(job.condition.value, "only:"), ",")
	trim_space(ref) in tables.merge_request_refs
}

job_admits_merge_requests(job) := {"why": sprintf("workflow rule at line %d", [rule.pos.line]), "severity": manual_severity("", job)} if {
	count(job.rules) == 0
	job.condition.value == ""
	count(input.rules) > 0
	rule := admitting_rule(input.rules)
}

# A job without rules is in a merge request pipeline only when the
# workflow: rules let one be created; a job whose own rules admit merge
# requests creates one when there are no workflow: rules.
pipeline_admits_merge_requests(_) if count(input.rules) == 0

pipeline_admits_merge_requests(_) if admitting_rule(input.rules)

manual_severity(when, job) := "medium" if {
	"manual" in {when, job.when}
} else := "high"

# admitting_rule is the rule of a list that puts the job (or pipeline)
# in a merge request pipeline: the first that holds there, when it is
# not `when: never` and every rule before it does not hold, or may hold
# without leaving the job out.
admitting_rule(rules) := rules[k] if {
	some k, rule in rules
	merge_request_holds(rule.if.value) == "yes"
	rule.when.value != "never"
	every before in array.slice(rules, 0, k) {
		or_before_ok(before)
	}
}

or_before_ok(rule) if merge_request_holds(rule.if.value) == "no"

or_before_ok(rule) if {
	merge_request_holds(rule.if.value) == "maybe"
	rule.when.value != "never"
}

# merge_request_holds says whether a GitLab `if:` holds in a merge request
# pipeline: "yes", "no" or "maybe". No `if:` always holds. A disjunction
# holds when one of its parts does; a conjunction when all its atoms do
# (tables.merge_request_conditions). Parentheses around a mix of && and
# || are not read: "maybe".
merge_request_holds(text) := "yes" if {
	text == ""
} else := "maybe" if {
	contains(text, "(")
	contains(text, "&&")
	contains(text, "||")
} else := result if {
	disjuncts := split(replace(replace(text, "(", ""), ")", ""), "||")
	count(disjuncts) <= max_disjuncts
	result := either([conjunction_holds(d) | some d in disjuncts])
} else := "maybe"

# max_disjuncts bounds the alternatives of one `if:` that are read: a
# longer one (no one writes it; a hostile file may) may hold.
max_disjuncts := 64

either(parts) := "yes" if "yes" in parts
else := "no" if every p in parts { p == "no" }
else := "maybe"

conjunction_holds(d) := "no" if {
	some atom in split(d, "&&")
	atom_holds(trim_space(atom)) == "no"
} else := "yes" if {
	every atom in split(d, "&&") {
		atom_holds(trim_space(atom)) == "yes"
	}
} else := "maybe"

atom_holds(atom) := {true: "yes", false: "no"}[holds[0]] if {
	holds := [entry.holds | some entry in tables.merge_request_conditions; regex.match(entry.pattern, atom)]
	count(holds) > 0
} else := "maybe"

# --- Jenkins: stages for change requests -----------------------------------------

change_request_context(i) := context if {
	job := input.jobs[i]
	why := change_request_stage(job)
	credentials := stage_credentials(i)
	gates := input_gates(i)
	context := {
		"who": sprintf("with %s for change requests (%s)", [credentials, why]),
		"note": change_request_note(i, gates),
		"fix": "a pull request's build runs its code with the credentials before anyone merges it; run the stage only for branches maintainers push (`when { branch 'main' }`, `not { changeRequest() }`)",
		"severity": lowered(change_request_severity(i), gates),
	}
}

# change_request_stage says why a stage runs for change requests: its
# when { } asks for them, or it has none in a Jenkinsfile whose other
# stages tell change requests apart (so the job builds them).
change_request_stage(job) := sprintf("when { %s }", [job.condition.value]) if {
	regex.match(tables.change_request_condition, job.condition.value)
	not regex.match(tables.not_change_request_condition, job.condition.value)
} else := sprintf("no when { }, and stage %q tells change requests apart", [others[0]]) if {
	job.condition.value == ""
	others := [other.id.value | some other in input.jobs; regex.match(tables.change_request_condition, other.condition.value)]
	count(others) > 0
}

# stage_credentials names the credentials a stage binds: withCredentials
# variables and credentials() values (Source "secret"), a credential
# wrapper step, a step's credentialsId.
stage_credentials(i) := sprintf("credentials %s", [concat(", ", names)]) if {
	names := sort({v.name.value |
		some v in array.concat(array.concat(input.env, input.jobs[i].env), [v | some step in input.jobs[i].steps; some v in step.env])
		v.source == "secret"
	})
	count(names) > 0
} else := sprintf("credentials of %s", [step.call.value]) if {
	some step in input.jobs[i].steps
	step.call.value in tables.credential_calls
} else := sprintf("credentials %s", [v.value.value]) if {
	some step in input.jobs[i].steps
	some v in step.with
	v.name.value == "credentialsId"
}

# input_gates are the input steps with submitters of the stage and the
# stages before it: someone named must approve the run.
input_gates(i) := {"an input with submitters" | i in jobs_after_input_gate}

# jobs_after_input_gate are the stages with such an input and those after
# them, found once (see jobs_kept_out).
jobs_after_input_gate := deploys.downstream({k |
	some k, job in input.jobs
	some step in job.steps
	step.call.value == "input"
	some v in step.with
	v.name.value == "submitter"
	v.value.value != ""
})

change_request_note(i, gates) := concat("", [code_note(i), gate_note(gates)])

code_note(i) := sprintf(", and builds the change's code (%q at line %d)", [cmd.name.value, cmd.name.pos.line]) if {
	cmd := change_code(i)
} else := ""

change_code(i) := [cmd | some step in input.jobs[i].steps; some cmd in step.script.commands; checkouts.runs_code(cmd)][0]

change_request_severity(i) := "critical" if change_code(i)

change_request_severity(i) := "high" if not change_code(i)
