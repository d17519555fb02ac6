package pipelint.rules.untrusted_checkout_test

import data.pipelint.lib.build
import data.pipelint.rules.untrusted_checkout

# with_value builds an input whose value holds expressions letting the
# given context paths flow.
with_value(name, value, flows) := {
	"name": build.str(name, 3), "value": build.str(value, 3), "source": "expression",
	"expressions": [{"value": p, "reads": [p], "flows": [p], "pos": build.at(3, 7)} | some p in flows],
}

checkout(inputs) := object.union(build.uses("actions/checkout", "v4", {}), {"with": inputs})

workflow(event, jobs) := object.union(build.pipeline("github", jobs), {"triggers": [{"event": build.str(event, 1), "branches": [], "tags": []}]})

findings(event, steps) := found if {
	found := untrusted_checkout.findings with input as workflow(event, [build.job("pr", steps)])
}

head_sha := with_value("ref", "${{ github.event.pull_request.head.sha }}", ["github.event.pull_request.head.sha"])

test_head_checkout_then_install_is_critical if {
	[f] := [f | some f in findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["npm", "ci"], 5)])])]
	f.severity == "critical"
	f.msg == `pull_request_target checks out the pull request's head (ref "${{ github.event.pull_request.head.sha }}"), then runs "npm ci" from it at line 5 with the base repository's token and secrets`
}

test_base_and_default_checkouts_are_fine if {
	base := with_value("ref", "${{ github.event.pull_request.base.sha }}", ["github.event.pull_request.base.sha"])
	count(findings("pull_request_target", [checkout([base]), build.run([build.cmd(["npm", "ci"], 5)])])) == 0
	count(findings("pull_request_target", [checkout([]), build.run([build.cmd(["npm", "ci"], 5)])])) == 0
}

# A head branch names a branch of the base repository unless the head's
# repository is checked out too.
test_head_branch_needs_the_head_repository if {
	branch := with_value("ref", "${{ github.head_ref }}", ["github.head_ref"])
	repo := with_value("repository", "${{ github.event.pull_request.head.repo.full_name }}", ["github.event.pull_request.head.repo.full_name"])
	count(findings("pull_request_target", [checkout([branch]), build.run([build.cmd(["make"], 5)])])) == 0
	count(findings("pull_request_target", [checkout([branch, repo]), build.run([build.cmd(["make"], 5)])])) == 1
}

test_pull_ref_by_comment if {
	ref := with_value("ref", "refs/pull/${{ github.event.issue.number }}/head", ["github.event.issue.number"])
	[f] := [f | some f in findings("issue_comment", [checkout([ref]), build.run([build.cmd(["pytest"], 5)])])]
	startswith(f.msg, "issue_comment checks out the pull request's head")
}

test_unprivileged_trigger_is_not_reported if {
	count(findings("pull_request", [checkout([head_sha]), build.run([build.cmd(["npm", "ci"], 5)])])) == 0
}

test_nothing_after_the_checkout if {
	count(findings("pull_request_target", [checkout([head_sha])])) == 0
	count(findings("pull_request_target", [checkout([head_sha]), build.uses("actions/upload-artifact", "v4", {})])) == 0
}

test_head_read_but_not_run_is_medium if {
	[f] := [f | some f in findings("pull_request_target", [checkout([head_sha]), build.uses("octo/linter", "v1", {})])]
	f.severity == "medium"
	contains(f.msg, "nothing known there runs its code")
}

test_local_action_after_the_head_runs_it if {
	local := object.union(build.uses("./.github/actions/build", "", {}), {"uses": {"local": true, "value": build.str("./.github/actions/build", 5)}})
	[f] := [f | some f in findings("pull_request_target", [checkout([head_sha]), local])]
	f.severity == "critical"
	contains(f.msg, `runs "./.github/actions/build"`)
}

# Checked out into a directory, the head runs only where a later step
# works in it.
test_head_in_a_directory if {
	into_pr := checkout([head_sha, {"name": build.str("path", 4), "value": build.str("pr", 4), "source": "literal", "expressions": []}])
	count(findings("pull_request_target", [into_pr, build.run([build.cmd(["make", "generate"], 5)])])) == 0
	count(findings("pull_request_target", [into_pr, build.run([build.cmd(["make", "-C", "pr"], 5)])])) == 1
	count(findings("pull_request_target", [into_pr, build.run([build.cmd(["npm", "ci", "--prefix=./pr"], 5)])])) == 1
	in_dir := object.union(build.run([build.cmd(["npm", "ci"], 5)]), {"script": {"working_directory": build.str("pr", 5)}})
	count(findings("pull_request_target", [into_pr, in_dir])) == 1
}

test_checkout_of_the_base_over_the_head_replaces_it if {
	count(findings("pull_request_target", [checkout([head_sha]), checkout([]), build.run([build.cmd(["npm", "ci"], 5)])])) == 0
}

test_gates_lower_the_severity if {
	labelled := object.union(build.job("pr", [checkout([head_sha]), build.run([build.cmd(["npm", "test"], 5)])]), {
		"condition": build.str("contains(github.event.pull_request.labels.*.name, 'safe to test')", 2),
		"environment": {"name": build.str("external", 3)},
	})
	[f] := [f | some f in untrusted_checkout.findings] with input as workflow("pull_request_target", [labelled])
	f.severity == "high"
	endswith(f.msg, `(gated by a label condition and environment "external": safe only if a maintainer reviews every push before it runs)`)
}

test_members_and_same_repository_only if {
	some condition in [
		"github.event.pull_request.head.repo.full_name == github.repository",
		"github.event.pull_request.author_association == 'MEMBER' || github.event.pull_request.author_association == 'OWNER'",
	]
	gated := object.union(build.job("pr", [checkout([head_sha]), build.run([build.cmd(["npm", "ci"], 5)])]), {"condition": build.str(condition, 2)})
	count(untrusted_checkout.findings) == 0 with input as workflow("pull_request_target", [gated])
}

test_fork_only_condition_is_no_gate if {
	forks := object.union(build.job("pr", [checkout([head_sha]), build.run([build.cmd(["npm", "ci"], 5)])]), {
		"condition": build.str("github.event.pull_request.head.repo.full_name != github.repository", 2),
	})
	count(untrusted_checkout.findings) == 1 with input as workflow("pull_request_target", [forks])
}

test_job_only_on_an_unprivileged_event if {
	job := object.union(build.job("pr", [checkout([head_sha]), build.run([build.cmd(["npm", "ci"], 5)])]), {"condition": build.str("github.event_name == 'pull_request'", 2)})
	both := object.union(workflow("pull_request_target", [job]), {"triggers": [
		{"event": build.str("pull_request", 1), "branches": [], "tags": []},
		{"event": build.str("pull_request_target", 1), "branches": [], "tags": []},
	]})
	count(untrusted_checkout.findings) == 0 with input as both
}

test_head_sha_through_env_and_step_outputs if {
	env_ref := with_value("ref", "${{ env.SHA }}", ["env.sha"])
	job := object.union(build.job("pr", [checkout([env_ref]), build.run([build.cmd(["make"], 5)])]), {"env": [with_value("SHA", "${{ github.event.pull_request.head.sha }}", ["github.event.pull_request.head.sha"])]})
	count(untrusted_checkout.findings) == 1 with input as workflow("pull_request_target", [job])

	resolver := object.union(build.uses("xt0rted/pull-request-comment-branch", "v2", {}), {"id": build.str("pr", 4)})
	out_ref := with_value("ref", "${{ steps.pr.outputs.head_sha }}", ["steps.pr.outputs.head_sha"])
	count(findings("issue_comment", [resolver, checkout([out_ref]), build.run([build.cmd(["make"], 5)])])) == 1
}

test_script_fetches if {
	count(findings("issue_comment", [build.run([build.cmd(["gh", "pr", "checkout", "42"], 4), build.cmd(["npm", "ci"], 5)])])) == 1
	count(findings("pull_request_target", [build.run([build.cmd(["git", "fetch", "origin", "pull/42/head:pr"], 4), build.cmd(["git", "checkout", "pr"], 4), build.cmd(["gradle", "build"], 5)])])) == 1
	count(findings("pull_request_target", [build.run([build.cmd(["git", "fetch", "origin", "main"], 4), build.cmd(["make"], 5)])])) == 0
}

test_artifacts_of_the_triggering_run if {
	run_id := with_value("run-id", "${{ github.event.workflow_run.id }}", ["github.event.workflow_run.id"])
	download := object.union(build.uses("actions/download-artifact", "v4", {}), {"with": [run_id]})
	[f] := [f | some f in findings("workflow_run", [checkout([]), download, build.run([build.cmd(["npm", "ci"], 5)])])]
	f.severity == "critical"
	contains(f.msg, "downloads the triggering run's artifacts")

	# Data only: read, never run.
	count(findings("workflow_run", [download, build.run([build.cmd(["unzip", "pr.zip"], 5)])])) == 0

	# Artifacts of the run itself.
	own := build.uses("actions/download-artifact", "v4", {"name": "dist"})
	count(findings("workflow_run", [own, build.run([build.cmd(["npm", "ci"], 5)])])) == 0
}

# An interpreter runs the repository's file it is given, past the options
# that take a value; code given inline (`bash -c`) is the workflow's own.
test_interpreters_given_a_file if {
	count(findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["bash", "-o", "pipefail", "scripts/ci.sh"], 5)])])) == 1
	count(findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["python3.12", "tools/report.py"], 5)])])) == 1
	count(findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["bash", "-c", "echo hi"], 5), build.cmd(["echo", "hi"], 5)])])) == 0
}

# Commands that only move or report files leave the head data; any other
# is reported as reading it.
test_inert_commands if {
	count(findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["git", "diff", "--name-only"], 5), build.cmd(["curl", "-X", "POST", "https://api.github.com"], 6)])])) == 0
	[f] := [f | some f in findings("pull_request_target", [checkout([head_sha]), build.run([build.cmd(["sonar-scanner"], 5)])])]
	f.severity == "medium"
}
