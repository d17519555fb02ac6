package pipelint.rules.missing_tests_test

import data.pipelint.lib.build
import data.pipelint.rules.missing_tests

job_with(id, words_list, extra) := object.union(build.job(id, [build.run([build.cmd(words, 10 + i) | some i, words in words_list])]), extra)

findings_for(jobs) := f if {
	f := missing_tests.findings with input as build.pipeline("github", jobs)
}

test_build_without_tests if {
	findings_for([job_with("build", [["npm", "ci"], ["npm", "run", "build"]], {})]) == {{
		"msg": "pipeline builds with \"npm run build\" but runs no tests anywhere in the pipeline; run the tests first (e.g. `npm test`)",
		"pos": build.at(11, 7),
		"severity": "medium",
	}}
}

test_release_pipeline_is_low if {
	some f in findings_for([job_with("release", [["cargo", "build", "--release"], ["cargo", "publish"]], {})])
	f.severity == "low"
	endswith(f.msg, "run the tests first (e.g. `cargo test`), or make the pipeline that tests this release gate it")
}

test_analysis_pipeline_is_not_missing_tests if {
	codeql := object.union(build.job("analyze", [build.uses("github/codeql-action/init", "v3", {}), build.run([build.cmd(["npm", "run", "build"], 9)])]), {})
	count(findings_for([codeql])) == 0
}

test_tool_installs_and_maven_help_are_not_builds if {
	count(findings_for([job_with("lint", [["go", "install", "golang.org/x/vuln/cmd/govulncheck@latest"], ["mvn", "help:evaluate", "-q"]], {})])) == 0
}

test_tests_anywhere_satisfy_the_pipeline if {
	count(findings_for([
		job_with("build", [["go", "build", "./..."]], {}),
		job_with("check", [["go", "test", "./..."]], {}),
	])) == 0
}

test_table_entries_count_as_tests if {
	some words in [
		["pytest", "-q"], ["tox"], ["npm", "test"], ["npm", "run", "test:unit"], ["yarn", "test"], ["jest"],
		["vitest", "run"], ["playwright", "test"], ["mvn", "-B", "verify"], ["gradle", "check"],
		["cargo", "test"], ["cargo", "nextest", "run"], ["dotnet", "test"], ["ctest"], ["make", "check"],
		["rspec"], ["rake", "test"], ["phpunit"],
	]
	count(findings_for([job_with("build", [["go", "build"], words], {})])) == 0
}

test_skipped_tests_do_not_count if {
	some words in [["mvn", "install", "-DskipTests"], ["gradle", "build", "-x", "test"]]
	count(findings_for([job_with("build", [words], {})])) == 1
}

test_lint_only_pipelines_build_nothing if {
	count(findings_for([job_with("lint", [["npm", "ci"], ["npx", "eslint", "."]], {})])) == 0
}

test_action_metadata_is_never_missing_tests if {
	count(missing_tests.findings) == 0 with input as object.union(build.pipeline("github", [job_with("runs", [["go", "build"]], {})]), {"kind": "action"})
}

test_junit_report_and_test_names_are_evidence if {
	count(findings_for([job_with("build", [["go", "build"]], {"reports": [{"kind": build.str("junit", 3), "paths": []}]})])) == 0
	count(findings_for([job_with("unit-tests", [["./ci.sh"]], {}), job_with("build", [["go", "build"]], {})])) == 0
}

test_deploy_job_must_depend_on_tests if {
	test_job := job_with("test", [["go", "test", "./..."]], {})
	deploy := job_with("deploy", [["kubectl", "apply", "-f", "k8s/"]], {})
	findings_for([test_job, deploy]) == {{
		"msg": "deploy job \"deploy\" does not depend on the jobs that run tests (test), so it can deploy untested code",
		"pos": build.at(2, 7),
	}}
	count(findings_for([test_job, object.union(deploy, {"needs": [build.str("test", 5)]})])) == 0
}

test_transitive_needs_count if {
	jobs := [
		job_with("test", [["pytest"]], {}),
		job_with("build", [["docker", "build", "."]], {"needs": [build.str("test", 5)]}),
		job_with("deploy", [["helm", "upgrade", "app", "chart"]], {"needs": [build.str("build", 5)]}),
	]
	count(findings_for(jobs)) == 0
}

test_configured_test_commands if {
	jobs := [job_with("build", [["go", "build"], ["task", "test"]], {})]
	count(findings_for(jobs)) == 1
	count(missing_tests.findings) == 0 with input as build.pipeline("github", jobs) with data.pipelint.config as {"rules": {"missing-tests": {"options": {"test-commands": ["task test"]}}}}
}

test_a_pipeline_that_also_deploys_is_not_let_off_as_a_release if {
	jobs := [job_with("ship", [["poetry", "build"], ["poetry", "publish"], ["terraform", "apply"]], {})]
	some f in findings_for(jobs)
	f.severity == "medium"
	startswith(f.msg, "pipeline builds with \"poetry build\"")
	endswith(f.msg, "run the tests first (e.g. `pytest`)")
}

test_the_fix_names_the_flag_that_skips_the_tests if {
	some f in findings_for([job_with("package", [["gradle", "build", "-x", "test"]], {})])
	endswith(f.msg, "let the tests run (drop -x test)")
}

test_a_tool_with_no_known_test_command_gets_the_general_fix if {
	some f in findings_for([job_with("image", [["docker", "build", "-t", "app", "."]], {})])
	endswith(f.msg, "run the project's tests first")
}

test_version_queries_and_substituted_commands_are_not_builds if {
	count(findings_for([job_with("info", [["mvn", "--version"], ["gradle", "-v"], ["make", "--help"]], {})])) == 0
	substituted := object.union(build.cmd(["mvn", "-q", "help:x"], 12), {"substituted": true, "name": build.str("gradlew", 12)})
	count(missing_tests.findings) == 0 with input as build.pipeline("github", [build.job("v", [build.run([substituted])])])
}

test_the_site_is_the_build_not_the_query_before_it if {
	some f in findings_for([job_with("package", [["mvn", "-v"], ["mvn", "-B", "clean", "package", "-DskipTests"]], {})])
	f.pos == build.at(11, 7)
	contains(f.msg, "\"mvn clean\"")
}

test_more_test_commands if {
	some words in [["python3", "setup.py", "test"], ["pipx", "run", "tox"], ["hatch", "test"]]
	count(findings_for([job_with("build", [["make"], words], {})])) == 0
}

test_tests_in_an_action_shell_input_count if {
	retry := build.uses("nick-fields/retry", "v3", {"command": "cd app && ./node_modules/.bin/jest --ci"})
	count(findings_for([build.job("build", [build.run([build.cmd(["npm", "run", "build"], 9)]), retry])])) == 0
	other := build.uses("nick-fields/retry", "v3", {"command": "npm run lint"})
	count(findings_for([build.job("build", [build.run([build.cmd(["npm", "run", "build"], 9)]), other])])) == 1
}

test_the_pipeline_name_or_a_written_test_stage_is_evidence_of_tests if {
	jobs := [job_with("build", [["go", "build"]], {})]
	count(missing_tests.findings) == 0 with input as object.union(build.pipeline("github", jobs), {"name": build.str("e2e", 1)})
	count(findings_for([job_with("build", [["make"]], {}), job_with("check", [["./run.sh"]], {"stage": build.str("test", 4)})])) == 0
	# GitLab gives a job with no stage the stage "test", written nowhere.
	count(findings_for([job_with("build", [["make"]], {"stage": {"value": "test", "pos": build.at(0, 0)}})])) == 1
}

test_a_build_per_android_abi_is_not_a_check if {
	count(findings_for([job_with("build", [["gradle", "assembleRelease"]], {"name": build.str("Build ${{ matrix.abi }}", 3)})])) == 1
}

test_jobs_that_only_check_build_for_the_check if {
	some extra in [
		{"id": build.str("abidiff", 2)},
		{"name": build.str("Run benchmarks", 2)},
		{"stage": build.str("docs", 3)},
		{"id": build.str("copilot-setup-steps", 2)},
	]
	count(findings_for([job_with("build", [["cargo", "build"]], extra)])) == 0
}

test_analysis_commands_make_a_checking_job if {
	some words in [
		["mvn", "package", "-DskipTests", "dependency-check:check"], ["gradle", "clean", "sonarqube"],
		["go", "vet", "-vettool=/tmp/vet", "./..."], ["make", "apidiff-compare"], ["cargo", "semver-checks"],
		["mkdocs", "build"],
	]
	count(findings_for([job_with("check", [["go", "build", "./..."], words], {})])) == 0
}

test_a_checking_job_that_publishes_still_ships if {
	count(findings_for([job_with("docs", [["cargo", "build"], ["cargo", "publish"]], {})])) == 1
	count(findings_for([job_with("bench", [["go", "build"]], {"environment": {"name": build.str("pypi", 3), "action": build.str("", 0)}})])) == 1
}

test_an_analysis_action_marks_its_own_job_only if {
	codeql := build.job("analyze", [build.uses("github/codeql-action/init", "v3", {}), build.run([build.cmd(["cargo", "build"], 9)])])
	release := job_with("release", [["cargo", "build", "--release"], ["cargo", "publish"]], {})
	[f.pos.line | some f in findings_for([codeql, release])] == [10]
}

test_a_reusable_workflow_only_called_by_others_is_not_judged_alone if {
	jobs := [job_with("build", [["go", "build"]], {})]
	called := {"event": build.str("workflow_call", 3), "branches": []}
	pushed := {"event": build.str("push", 4), "branches": []}
	count(missing_tests.findings) == 0 with input as object.union(build.pipeline("github", jobs), {"triggers": [called]})
	count(missing_tests.findings) == 1 with input as object.union(build.pipeline("github", jobs), {"triggers": [called, pushed]})
}

test_tools_installed_or_checked_are_not_builds if {
	some step in [
		build.run([build.cmd(["cargo", "install", "wasm-pack"], 9)]),
		build.run([build.cmd(["gradle", "--info", "buildScanPublishPrevious"], 9)]),
		build.run([build.cmd(["goreleaser", "check"], 9)]),
		build.uses("goreleaser/goreleaser-action", "v6", {"install-only": "true"}),
		build.uses("goreleaser/goreleaser-action", "v6", {"args": "check --verbose"}),
	]
	count(findings_for([build.job("tools", [step])])) == 0
}

test_cargo_install_of_the_project_builds if {
	count(findings_for([job_with("install", [["cargo", "install", "--path", "."]], {})])) == 1
}

test_action_inputs_decide_whether_a_build_publishes if {
	severity_of(build.uses("docker/build-push-action", "v6", {"push": "false"})) == "medium"
	severity_of(build.uses("docker/build-push-action", "v6", {})) == "medium"
	severity_of(build.uses("docker/build-push-action", "v6", {"push": "${{ github.event_name != 'pull_request' }}"})) == "low"
	severity_of(build.uses("docker/build-push-action", "v6", {"outputs": "type=image,push=true"})) == "low"
	severity_of(build.uses("goreleaser/goreleaser-action", "v6", {"args": "release --snapshot --clean"})) == "medium"
	severity_of(build.uses("goreleaser/goreleaser-action", "v6", {"args": "release --clean"})) == "low"
}

severity_of(step) := f.severity if some f in findings_for([build.job("image", [step])])

test_publishing_commands_are_releases if {
	some words in [["docker", "buildx", "build", "--push", "."], ["mvn", "release:perform"], ["pkg-pr-new", "publish"]]
	some f in findings_for([job_with("ship", [["go", "build"], words], {})])
	f.severity == "low"
}

test_images_built_for_ci_itself_are_not_builds if {
	count(findings_for([job_with("env", [["docker", "build", "-t", "acme/app:build_env", "."], ["docker", "push", "acme/app:build_env"]], {})])) == 0
	fixture := build.uses("docker/build-push-action", "v6", {"file": "images/test-ubuntu-git.Dockerfile", "push": "true"})
	count(findings_for([build.job("image", [fixture])])) == 0
}

jenkins_step(call, args) := object.union(build.step, {
	"call": build.str(call, 5),
	"with": [{"name": build.str("", 0), "value": build.str(a, 5), "source": "literal"} | some a in args],
})

test_a_jenkins_image_build_ships_when_the_job_pushes_it if {
	built := jenkins_step("docker.build", ["acme/app"])
	pushed := jenkins_step("image.push", [])
	findings_for([build.job("image", [built, pushed])]) == {{
		"msg": "pipeline builds with \"docker.build\" but runs no tests anywhere in the pipeline; run the project's tests first, or make the pipeline that tests this release gate it",
		"pos": build.str("", 5).pos,
		"severity": "low",
	}}
	count(findings_for([build.job("image", [built, jenkins_step("env.inside", [])])])) == 0
	count(findings_for([build.job("image", [pushed, built])])) == 0
}
