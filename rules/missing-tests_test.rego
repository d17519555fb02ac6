package pipelint.rules.missing_tests_test

import data.pipelint.lib.build
import data.pipelint.rules.missing_tests

job_with(id, words_list, extra) := object.union(build.job(id, [build.run([build.cmd(words, 10 + i) | some i, words in words_list])]), extra)

findings_for(jobs) := f if {
	f := missing_tests.findings with input as build.pipeline("github", jobs)
}

test_build_without_tests if {
	findings_for([job_with("build", [["npm", "ci"], ["npm", "run", "build"]], {})]) == {{
		"msg": "pipeline builds with \"npm run build\" but runs no tests anywhere in the pipeline",
		"pos": build.at(11, 7),
		"severity": "medium",
	}}
}

test_release_pipeline_is_low if {
	some f in findings_for([job_with("release", [["cargo", "build", "--release"], ["cargo", "publish"]], {})])
	f.severity == "low"
	endswith(f.msg, "make that pipeline gate this one")
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
