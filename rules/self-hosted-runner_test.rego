package pipelint.rules.self_hosted_runner_test

import data.pipelint.lib.build
import data.pipelint.rules.self_hosted_runner

workflow(events, jobs) := object.union(build.pipeline("github", jobs), {"triggers": [{"event": build.str(e, 1), "branches": [], "types": []} | some e in events]})

on_runner(id, labels, extra) := object.union(build.job(id, []), object.union({"runner": {"labels": [build.str(l, 5) | some l in labels], "ephemeral": false, "pos": build.at(5, 5)}}, extra))

found(p) := {[f.pos.line, f.severity] | some f in findings} if {
	findings := self_hosted_runner.findings with input as p
}

test_pull_request_is_high_and_privileged_triggers_medium if {
	found(workflow(["pull_request"], [on_runner("a", ["self-hosted", "linux"], {})])) == {[5, "high"]}
	found(workflow(["issue_comment"], [on_runner("a", ["Self-Hosted"], {})])) == {[5, "medium"]}
	found(workflow(["pull_request_target", "pull_request"], [on_runner("a", ["self-hosted"], {})])) == {[5, "high"]}
}

test_only_on_workflows_outsiders_start if {
	every events in [["push"], ["schedule", "workflow_dispatch"], ["merge_group"], ["release"]] {
		found(workflow(events, [on_runner("a", ["self-hosted"], {})])) == set()
	}
}

test_matrix_value if {
	job := on_runner("a", ["${{ matrix.runner }}"], {"strategy": {"values": [
		{"name": build.str("runner", 8), "value": build.str("ubuntu-latest", 8), "pos": build.at(8, 9)},
		{"name": build.str("runner", 9), "value": build.str("self-hosted", 9), "pos": build.at(9, 9)},
	]}})
	findings := self_hosted_runner.findings with input as workflow(["pull_request"], [job])
	[f.msg | some f in findings] == [`job "a" runs on a self-hosted runner (matrix value on line 9) in a workflow outsiders start (pull_request); such a machine keeps what one job leaves behind for the next: move the job to a GitHub-hosted runner or keep outsiders' runs from it`]
	hosted := on_runner("a", ["${{ matrix.runner }}"], {"runner": {"ephemeral": true}, "strategy": {"values": [{"name": build.str("runner", 8), "value": build.str("ubuntu-latest", 8)}]}})
	found(workflow(["pull_request"], [hosted])) == set()
}

# A runner group (not ephemeral, no self-hosted label) may hold
# self-hosted machines, unless it is asked for GitHub-hosted labels.
test_runner_groups if {
	found(workflow(["pull_request"], [on_runner("a", [], {})])) == {[5, "low"]}
	found(workflow(["pull_request"], [on_runner("a", ["gpu"], {})])) == {[5, "low"]}
	found(workflow(["pull_request"], [on_runner("a", ["ubuntu-latest-16-cores"], {})])) == set()
}

test_guards if {
	every condition in [
		"github.event.pull_request.head.repo.full_name == github.repository",
		"${{ !github.event.pull_request.head.repo.fork }}",
		"github.event_name == 'push'",
		"contains(github.event.pull_request.labels.*.name, 'safe to test')",
		"github.event.comment.author_association == 'MEMBER'",
	] {
		found(workflow(["pull_request"], [on_runner("a", ["self-hosted"], {"condition": build.str(condition, 4)})])) == set()
	}

	# the base repository's name is no guard: a fork's run has it too
	found(workflow(["pull_request"], [on_runner("a", ["self-hosted"], {"condition": build.str("github.repository == 'o/r'", 4)})])) == {[5, "high"]}
}

test_a_guarded_job_skips_those_that_wait_for_it if {
	guarded := object.union(build.job("gate", []), {"condition": build.str("github.event.pull_request.head.repo.full_name == github.repository", 4)})
	after := on_runner("after", ["self-hosted"], {"needs": [build.str("gate", 6)]})
	found(workflow(["pull_request"], [guarded, after])) == set()
	always := on_runner("after", ["self-hosted"], {"needs": [build.str("gate", 6)], "condition": build.str("always()", 6)})
	found(workflow(["pull_request"], [guarded, always])) == {[5, "high"]}
}
