package pipelint.rules.persist_credentials_test

import data.pipelint.lib.build
import data.pipelint.rules.persist_credentials

workflow(events, permissions, steps) := object.union(build.pipeline("github", [build.job("a", steps)]), {
	"triggers": [{"event": build.str(e, 1), "branches": [], "types": []} | some e in events],
	"permissions": permissions,
})

read_only := {"all": build.str("", 0), "scopes": [{"name": build.str("contents", 3), "value": build.str("read", 3)}]}

checkout(ref, inputs) := build.uses("actions/checkout", ref, inputs)

upload(ref, inputs) := build.uses("actions/upload-artifact", ref, inputs)

severities(p) := [f.severity | some f in findings] if {
	findings := persist_credentials.findings with input as p
}

test_artifact_of_the_workspace_is_high if {
	findings := persist_credentials.findings with input as workflow(["push"], read_only, [checkout("v4", {}), upload("v3", {"path": "."})])
	findings == {{
		"msg": `actions/checkout@v4 keeps the job's GITHUB_TOKEN in .git/config, and "actions/upload-artifact@v3" on line 1 uploads it as an artifact (path "."): anyone who can download the run's artifacts gets it; set persist-credentials: false`,
		"pos": build.at(1, 7),
		"severity": "high",
		"fix": {"kind": "set-input", "pos": build.at(1, 7), "input": "persist-credentials", "value": "false", "unsafe": false},
	}}
}

unsafe_fixes(p) := [f.fix.unsafe | some f in findings] if {
	findings := persist_credentials.findings with input as p
}

# The fix sets persist-credentials: false; it is unsafe when true was
# written, or a later step runs git or gh, which may use the credential.
test_fix if {
	unsafe_fixes(workflow(["push"], null, [checkout("v4", {}), build.run([build.cmd(["make"], 3)])])) == [false]
	unsafe_fixes(workflow(["push"], null, [checkout("v4", {}), build.run([build.cmd(["git", "fetch", "--tags"], 3)])])) == [true]
	unsafe_fixes(workflow(["push"], null, [checkout("v4", {}), build.run([build.cmd(["gh", "release", "view"], 3)])])) == [true]
	unsafe_fixes(workflow(["push"], null, [build.run([build.cmd(["git", "fetch"], 3)]), checkout("v4", {})])) == [false]
	unsafe_fixes(workflow(["push"], read_only, [checkout("v4", {"persist-credentials": "true"}), upload("v3", {"path": "."})])) == [true]
}

# Upload paths that take the checkout's .git, and those that do not.
test_upload_paths if {
	every path in [".", "./", "${{ github.workspace }}", "*", "repo", "repo/", "./repo/.git", "**"] {
		severities(workflow(["push"], read_only, [checkout("v4", {"path": "repo"}), upload("v3", {"path": path})])) == ["high"]
	}
	every path in ["dist", "repo/dist", "!repo", "other"] {
		severities(workflow(["push"], read_only, [checkout("v4", {"path": "repo"}), upload("v3", {"path": path})])) == []
	}
}

# upload-artifact leaves hidden files out from v4.4 on (`@v4` follows the
# latest v4), unless include-hidden-files is true; checkout keeps the
# token out of .git/config from v6 on.
test_versions if {
	severities(workflow(["push"], read_only, [checkout("v4", {}), upload("v4", {"path": "."})])) == []
	severities(workflow(["push"], read_only, [checkout("v4", {}), upload("v4.3.6", {"path": "."})])) == ["high"]
	severities(workflow(["push"], read_only, [checkout("v4", {}), upload("v4.4.0", {"path": "."})])) == []
	severities(workflow(["push"], read_only, [checkout("v4", {}), upload("v5", {"path": ".", "include-hidden-files": "true"})])) == ["high"]
	severities(workflow(["push"], read_only, [checkout("v6", {}), upload("v3", {"path": "."})])) == []
	sha := "11bd71901bbe5b1630ceea73d27597364c9af683"
	commented := json.patch(checkout(sha, {}), [{"op": "replace", "path": "/uses/version_comment", "value": " v6.0.1"}])
	severities(workflow(["push"], read_only, [commented, upload("v3", {"path": "."})])) == []
	severities(workflow(["push"], read_only, [checkout(sha, {}), upload("v3", {"path": "."})])) == ["high"]
}

test_token_left_behind if {
	# the default token may write
	severities(workflow(["push"], null, [checkout("v4", {}), build.run([build.cmd(["make"], 3)])])) == ["low"]

	# a read-only one is not worth the finding
	severities(workflow(["push"], read_only, [checkout("v4", {})])) == []

	# a token of the checkout's own is, whatever the job's permissions
	severities(workflow(["push"], read_only, [checkout("v4", {"token": "${{ secrets.PAT }}"})])) == ["medium"]
	severities(workflow(["push"], read_only, [checkout("v4", {"ssh-key": "${{ secrets.KEY }}"})])) == ["medium"]

	# on a privileged trigger, a token that may write is high
	severities(workflow(["pull_request_target"], null, [checkout("v4", {})])) == ["high"]
	severities(workflow(["pull_request_target"], read_only, [checkout("v4", {})])) == []

	# unless the job only runs for events people with write access cause
	p := workflow(["workflow_run"], null, [checkout("v4", {})])
	severities(json.patch(p, [{"op": "replace", "path": "/jobs/0/condition/value", "value": "github.event.workflow_run.event == 'push'"}])) == ["low"]
}

test_explicit_choices if {
	severities(workflow(["push"], null, [checkout("v4", {"persist-credentials": "false"})])) == []
	severities(workflow(["push"], null, [checkout("v4", {"persist-credentials": "true"})])) == []
	severities(workflow(["push"], read_only, [checkout("v4", {"persist-credentials": "true"}), upload("v3", {"path": "."})])) == ["high"]
	severities(workflow(["push"], null, [checkout("v4", {"persist-credentials": "${{ inputs.persist }}"})])) == []
}

test_a_later_push_keeps_it_on_purpose if {
	every later in [
		build.run([build.cmd(["git", "push", "origin", "HEAD"], 3)]),
		build.run([build.cmd(["mkdocs", "gh-deploy", "--force"], 3)]),
		build.run([build.cmd(["mike", "deploy", "--push", "1.0"], 3)]),
		build.uses("stefanzweifel/git-auto-commit-action", "v5", {}),
		build.uses("peter-evans/create-pull-request", "v7", {}),
	] {
		severities(workflow(["push"], null, [checkout("v4", {}), later])) == []
	}

	# a push before the checkout, or a git command that only reads, is not one
	severities(workflow(["push"], null, [build.run([build.cmd(["git", "push"], 3)]), checkout("v4", {})])) == ["low"]
	severities(workflow(["push"], null, [checkout("v4", {}), build.run([build.cmd(["git", "fetch", "--tags"], 3)])])) == ["low"]
}

test_one_finding_for_a_step_shared_by_jobs if {
	p := object.union(workflow(["push"], null, []), {"jobs": [build.job("b", [checkout("v4", {})]), build.job("a", [checkout("v4", {})])]})
	findings := persist_credentials.findings with input as p
	[f.msg | some f in findings] == ["actions/checkout@v4 leaves the job's GITHUB_TOKEN configured for git for the rest of jobs \"a\" and \"b\", and no later step pushes with it; set persist-credentials: false"]
}
