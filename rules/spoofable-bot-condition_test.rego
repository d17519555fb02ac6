package pipelint.rules.spoofable_bot_condition_test

import data.pipelint.lib.build
import data.pipelint.rules.spoofable_bot_condition

trigger(event, types) := {"event": build.str(event, 1), "branches": [], "types": [build.str(t, 1) | some t in types]}

workflow(triggers, jobs) := object.union(build.pipeline("github", jobs), {"triggers": triggers})

gated(condition) := object.union(build.job("a", []), {"condition": build.str(condition, 4)})

found(p) := [[f.pos.line, f.severity] | some f in findings] if {
	findings := spoofable_bot_condition.findings with input as p
}

test_bot_comparisons if {
	every condition in [
		"github.actor == 'dependabot[bot]'",
		"${{ github.actor == 'dependabot[bot]' && contains(github.head_ref, 'deps') }}",
		"github.triggering_actor == 'renovate[bot]'",
		"'dependabot[bot]' == github.actor",
		"GITHUB.ACTOR == 'Dependabot[bot]'",
		"github.actor == 'dependabot'",
		"github.event_name == 'push' || github.actor == 'dependabot[bot]'",
		"startsWith(github.actor, 'renovate')",
		"endsWith(github.actor, '[bot]')",
		"contains(fromJSON('[\"dependabot[bot]\", \"octocat\"]'), github.actor)",
	] {
		found(workflow([trigger("pull_request_target", [])], [gated(condition)])) == [[4, "high"]]
	}
}

test_not_a_bot_gate if {
	every condition in [
		"github.actor == 'octocat'",
		"github.actor != 'dependabot[bot]'",
		"github.event.pull_request.user.login == 'dependabot[bot]' && github.actor == 'dependabot[bot]'",
		"github.event.pull_request.user.id == 49699333 && github.actor == 'dependabot[bot]'",
		"github.event_name == 'push' && github.actor == 'dependabot[bot]'",
	] {
		found(workflow([trigger("pull_request_target", [])], [gated(condition)])) == []
	}
}

test_triggers if {
	found(workflow([trigger("pull_request", [])], [gated("github.actor == 'dependabot[bot]'")])) == [[4, "medium"]]
	found(workflow([trigger("workflow_run", [])], [gated("github.actor == 'dependabot[bot]'")])) == [[4, "high"]]
	found(workflow([trigger("pull_request_target", ["opened", "synchronize"])], [gated("github.actor == 'dependabot[bot]'")])) == [[4, "high"]]

	# the actor of an opened or reopened pull request is its author
	found(workflow([trigger("pull_request_target", ["opened", "reopened"])], [gated("github.actor == 'dependabot[bot]'")])) == []

	# only people with write access, or their bots, cause these
	found(workflow([trigger("push", []), trigger("schedule", [])], [gated("github.actor == 'dependabot[bot]'")])) == []
}

# A step's condition is judged with its job's: an author check on the job
# covers the step.
test_step_conditions if {
	step := object.union(build.step, {"condition": build.str("github.actor == 'dependabot[bot]'", 9)})
	found(workflow([trigger("pull_request_target", [])], [build.job("a", [step])])) == [[9, "high"]]
	checked := object.union(build.job("a", [step]), {"condition": build.str("github.event.pull_request.user.login == 'dependabot[bot]'", 4)})
	found(workflow([trigger("pull_request_target", [])], [checked])) == []
}
