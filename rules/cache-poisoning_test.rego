package pipelint.rules.cache_poisoning_test

import data.pipelint.lib.build
import data.pipelint.rules.cache_poisoning

trigger(event, tags) := {"event": build.str(event, 1), "branches": [], "tags": [build.str(t, 1) | some t in tags]}

workflow(triggers, jobs) := object.union(build.pipeline("github", jobs), {"triggers": triggers})

on_tags := [trigger("push", ["v*"])]

publish := build.run([build.cmd(["twine", "upload", "dist/*"], 9)])

findings(triggers, steps) := found if {
	found := cache_poisoning.findings with input as workflow(triggers, [build.job("release", steps)])
}

test_default_cache_of_a_setup_action_in_a_release_job if {
	[f] := [f | some f in findings(on_tags, [build.uses("actions/setup-go", "v5", {}), publish])]
	f.severity == "medium"
	f.msg == concat("", [
		`job "release" publishes on a push of tags "v*" and restores a cache with "actions/setup-go@v5" (caches by default since v4): `,
		`an entry written by any run on the default branch (a privileged workflow running a pull request's code, a compromised dependency) goes into the release; `,
		"set `cache: false` on it",
	])
}

test_explicit_caches if {
	count(findings(on_tags, [build.uses("actions/setup-python", "v5", {"cache": "pip"}), publish])) == 1
	count(findings([trigger("release", [])], [build.uses("actions/cache", "v4", {"key": "k"}), publish])) == 1
	count(findings(on_tags, [build.uses("docker/build-push-action", "v6", {"push": "true", "cache-from": "type=gha"})])) == 1
	count(findings(on_tags, [build.run([build.cmd(["docker", "buildx", "build", "--cache-from", "type=gha", "--push", "."], 9)])])) == 1
}

test_caches_switched_off_or_not_restored if {
	count(findings(on_tags, [build.uses("actions/setup-go", "v5", {"cache": "false"}), publish])) == 0
	count(findings(on_tags, [build.uses("astral-sh/setup-uv", "v6", {"enable-cache": "false"}), publish])) == 0
	count(findings(on_tags, [build.uses("actions/cache", "v4", {"key": "k", "lookup-only": "true"}), publish])) == 0
	count(findings(on_tags, [build.uses("gradle/actions/setup-gradle", "v4", {"cache-disabled": "true"}), publish])) == 0
	count(findings(on_tags, [build.uses("actions/cache/save", "v4", {"key": "k"}), publish])) == 0
}

# setup-node v5 caches by default when package.json names a package
# manager, which the workflow does not show; older versions and unknown
# versions of actions that do cache by default are not guessed either.
test_defaults_that_cannot_be_known if {
	count(findings(on_tags, [build.uses("actions/setup-node", "v5", {}), publish])) == 0
	count(findings(on_tags, [build.uses("actions/setup-go", "v3", {}), publish])) == 0
	count(findings(on_tags, [build.uses("actions/setup-go", "0123456789abcdef0123456789abcdef01234567", {}), publish])) == 0
}

test_only_release_jobs_on_release_triggers if {
	count(findings([trigger("push", [])], [build.uses("actions/setup-go", "v5", {}), publish])) == 0
	count(findings(on_tags, [build.uses("actions/setup-go", "v5", {}), build.run([build.cmd(["go", "build"], 9)])])) == 0
}

test_dispatch_of_a_release_workflow if {
	steps := [build.uses("actions/setup-java", "v4", {"cache": "maven"}), build.run([build.cmd(["mvn", "deploy"], 9)])]
	named := object.union(workflow([trigger("workflow_dispatch", [])], [build.job("publish", steps)]), {"name": build.str("Release", 1)})
	count(cache_poisoning.findings) == 1 with input as named
	count(findings([trigger("workflow_dispatch", [])], steps)) == 0
}

outsider_key := {
	"name": build.str("key", 3), "value": build.str("deps-${{ github.head_ref }}", 3), "source": "expression",
	"expressions": [{"value": "github.head_ref", "reads": ["github.head_ref"], "flows": ["github.head_ref"], "pos": build.at(3, 12)}],
}

test_key_an_outsider_writes_on_a_privileged_trigger if {
	cache := object.union(build.uses("actions/cache", "v4", {}), {"with": [outsider_key]})
	[f] := [f | some f in findings([trigger("pull_request_target", [])], [cache])]
	f.severity == "high"
	contains(f.msg, `is built from "github.head_ref", which an outsider writes: on pull_request_target the pull request's author picks`)

	# A pull request's own runs write their own scope.
	count(findings([trigger("pull_request", [])], [cache])) == 0
}

test_fixed_key_parts_are_fine if {
	sha_key := {
		"name": build.str("key", 3), "value": build.str("deps-${{ github.event.pull_request.head.sha }}", 3), "source": "expression",
		"expressions": [{"value": "github.event.pull_request.head.sha", "reads": ["github.event.pull_request.head.sha"], "flows": ["github.event.pull_request.head.sha"], "pos": build.at(3, 12)}],
	}
	cache := object.union(build.uses("actions/cache", "v4", {}), {"with": [sha_key]})
	count(findings([trigger("pull_request_target", [])], [cache])) == 0
}
