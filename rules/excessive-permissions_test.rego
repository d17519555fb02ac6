package pipelint.rules.excessive_permissions_test

import data.pipelint.lib.build
import data.pipelint.rules.excessive_permissions

trigger(event, line) := {"event": {"value": event, "pos": build.at(line, 3)}, "branches": [], "types": []}

workflow(events, permissions, jobs) := object.union(build.pipeline("github", jobs), {
	"triggers": [trigger(e, 1) | some e in events],
	"permissions": permissions,
	"permissions_apply": true,
	"pos": build.at(1, 1),
})

scopes(pairs) := {"all": build.str("", 0), "scopes": [{"name": build.str(name, 5), "value": build.str(level, 5), "pos": build.at(5, 3)} | some [name, level] in pairs]}

all(value) := {"all": build.str(value, 4), "scopes": []}

with_permissions(job, permissions) := object.union(job, {"permissions": permissions})

tests := build.job("test", [build.uses("actions/checkout", "v4", {}), build.run([build.cmd(["make", "test"], 9)])])

found(p) := {[f.pos.line, f.severity] | some f in findings} if {
	findings := excessive_permissions.findings with input as p
}

test_write_all if {
	found(workflow(["push"], all("write-all"), [tests])) == {[4, "medium"]}
	found(workflow(["pull_request_target"], all("write-all"), [tests])) == {[4, "high"]}

	# inert when every job has its own
	found(workflow(["push"], all("write-all"), [with_permissions(tests, scopes([]))])) == set()

	# on a job
	found(workflow(["push"], scopes([]), [with_permissions(tests, all("write-all"))])) == {[4, "medium"]}
}

test_workflow_write_scope_reaching_a_job_that_does_not_use_the_token if {
	release := build.job("release", [build.uses("goreleaser/goreleaser-action", "v6", {})])
	findings := excessive_permissions.findings with input as workflow(["push"], scopes([["contents", "write"], ["actions", "read"]]), [tests, release])
	[f.msg | some f in findings] == [`write access to "contents" is granted at workflow level to job "test", which does not use the token; grant it only in the jobs that need it`]
}

# A job may use a write scope when it runs an action not known to leave
# the token alone, reads the token, runs the GitHub CLI or pushes, or
# calls a reusable workflow (which gets its token).
test_what_uses_the_token if {
	token := {"name": build.str("GH_TOKEN", 9), "value": build.str("", 9), "source": "expression", "expressions": [{"value": "github.token", "reads": ["github.token"], "flows": ["github.token"]}]}
	every job in [
		build.job("a", [build.uses("actions/labeler", "v5", {})]),
		build.job("a", [object.union(build.run([build.cmd(["./release.sh"], 9)]), {"env": [token]})]),
		object.union(build.job("a", [build.run([build.cmd(["./release.sh"], 9)])]), {"env": [token]}),
		build.job("a", [build.run([build.cmd(["gh", "pr", "merge", "--auto"], 9)])]),
		build.job("a", [build.uses("actions/checkout", "v4", {}), build.run([build.cmd(["git", "push"], 9)])]),
		object.union(build.job("a", []), {"uses": {"kind": "reusable-workflow", "local": true, "value": build.str("./.github/workflows/x.yml", 3)}}),
		build.job("a", [object.union(build.uses("o/local", "", {}), {"uses": {"kind": "action", "local": true}})]),
	] {
		found(workflow(["push"], scopes([["contents", "write"]]), [job])) == set()
	}
	every job in [
		tests,
		build.job("a", [build.uses("actions/setup-node", "v4", {}), build.uses("actions/cache", "v4", {}), build.run([build.cmd(["npm", "ci"], 9)])]),
		build.job("a", [build.uses("docker/setup-buildx-action", "v3", {}), build.run([build.cmd(["git", "fetch"], 9)])]),
	] {
		found(workflow(["push"], scopes([["contents", "write"]]), [job])) == {[5, "medium"]}
	}
}

test_id_token_needs_a_command_or_action_that_asks_for_one if {
	signs := build.job("sign", [build.run([build.cmd(["cosign", "sign-blob", "--yes", "app"], 9)])])
	uses_gh := build.job("gh", [build.run([build.cmd(["gh", "release", "view"], 9)])])
	findings := excessive_permissions.findings with input as workflow(["push"], scopes([["id-token", "write"]]), [signs, uses_gh])
	[f.msg | some f in findings] == [`write access to "id-token" is granted at workflow level to job "gh", which does not request an OIDC token; grant it only in the jobs that need it`]
	found(workflow(["push"], scopes([["id-token", "write"]]), [build.job("a", [build.uses("aws-actions/configure-aws-credentials", "v4", {})])])) == set()
}

test_no_permissions if {
	found(workflow(["push", "pull_request"], null, [tests])) == {[1, "low"]}

	# at the trigger that outsiders cause
	p := object.union(workflow([], null, [tests]), {"triggers": [trigger("push", 2), trigger("issue_comment", 3)]})
	found(p) == {[3, "medium"]}

	# per job when others declare theirs
	lint := build.job("lint", [])
	found(workflow(["push"], null, [with_permissions(tests, scopes([["contents", "read"]])), lint])) == {[2, "low"]}
}

fixes(p) := {[f.pos.line, f.fix] | some f in findings; f.fix} if {
	findings := excessive_permissions.findings with input as p
}

# Where the workflow declares no permissions, the fix declares contents:
# read for it (unsafe: a job that writes needs its scope granted); the
# findings about scopes written are not fixed.
test_fix if {
	read_only := {"kind": "add-permissions", "pos": build.at(1, 1), "permissions": {"contents": "read"}, "unsafe": true}
	fixes(workflow(["push"], null, [tests])) == {[1, read_only]}
	lint := build.job("lint", [])
	fixes(workflow(["push"], null, [with_permissions(tests, scopes([["contents", "read"]])), lint])) == {[2, read_only]}
	fixes(workflow(["push"], all("write-all"), [tests])) == set()
	fixes(workflow(["push"], scopes([["contents", "write"]]), [tests, lint])) == set()
}

test_reusable_workflows_and_other_systems_are_not_judged if {
	found(workflow(["workflow_call"], null, [tests])) == set()
	found(workflow(["workflow_call"], all("write-all"), [tests])) == set()
	found(object.union(workflow(["push"], null, [tests]), {"permissions_apply": false})) == set()
}
