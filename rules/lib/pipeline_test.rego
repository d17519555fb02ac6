package pipelint.lib.pipeline_test

import data.pipelint.lib.build
import data.pipelint.lib.pipeline

# step_names lists the script texts of steps, which the tests below set to
# name them.
step_names(steps) := [step.script.text.value | some step in steps]

named(name) := object.union(build.run([]), {"script": {"text": build.str(name, 1), "shell": "bash", "commands": []}})

calling(step, file) := object.union(step, {"callee": file})

called(file, jobs) := object.union(build.pipeline("github", jobs), {"file": file, "kind": "action"})

# A job that calls a local action, which calls another, and a job that
# calls a local reusable workflow, which calls an action.
callee_input := object.union(build.pipeline("github", [
	build.job("build", [named("checkout"), calling(named("setup"), "setup/action.yml"), named("make")]),
	object.union(build.job("release", []), {"callee": ".github/workflows/release.yml"}),
]), {"callees": [
	called("setup/action.yml", [build.job("runs", [named("npm ci"), calling(named("cache"), "cache/action.yml")])]),
	called("cache/action.yml", [build.job("runs", [named("restore")])]),
	called(".github/workflows/release.yml", [build.job("ship", [named("deploy"), calling(named("notify"), "notify/action.yml")])]),
	called("notify/action.yml", [build.job("runs", [named("post")])]),
]})

test_all_steps_adds_the_steps_of_local_callees_file_by_file if {
	steps := pipeline.all_steps(callee_input.jobs[0]) with input as callee_input
	step_names(steps) == ["checkout", "setup", "make", "restore", "npm ci", "cache"]
}

test_all_steps_of_a_reusable_workflow_job_are_its_jobs_steps if {
	steps := pipeline.all_steps(callee_input.jobs[1]) with input as callee_input
	step_names(steps) == ["deploy", "notify", "post"]
}

test_all_steps_of_a_job_that_calls_nothing_are_its_own if {
	job := build.job("test", [named("go test")])
	steps := pipeline.all_steps(job) with input as build.pipeline("github", [job])
	step_names(steps) == ["go test"]
}

test_called_files_follows_calls_through_callees if {
	files := pipeline.called_files(callee_input.jobs[0]) with input as callee_input
	files == {"setup/action.yml", "cache/action.yml"}
}

view(pipelines) := object.union(build.pipeline("github", []), {"file": "deploy.yml", "repository": {"pipelines": pipelines}})

in_view(file, jobs) := object.union(build.pipeline("github", jobs), {"file": file})

repository := [
	in_view("ci.yml", [object.union(build.job("deploy", []), {"callee": "deploy.yml"})]),
	in_view("deploy.yml", []),
	in_view("nightly.yml", [build.job("run", [calling(named("wrapper"), "wrapper/action.yml")])]),
	in_view("wrapper/action.yml", [object.union(build.job("runs", []), {"callee": "deploy.yml"})]),
	in_view("lint.yml", [build.job("lint", [named("lint")])]),
]

test_callers_are_the_files_that_call_the_checked_one_directly_or_not if {
	callers := pipeline.callers with input as view(repository)
	callers == {"ci.yml", "wrapper/action.yml", "nightly.yml"}
}

test_other_pipelines_leave_the_checked_file_out if {
	others := pipeline.other_pipelines with input as view(repository)
	[p.file | some p in others] == ["ci.yml", "nightly.yml", "wrapper/action.yml", "lint.yml"]
}

test_without_a_repository_view_the_repository_is_the_checked_file if {
	alone := in_view("ci.yml", [])
	pipelines := pipeline.repository_pipelines with input as alone
	[p.file | some p in pipelines] == ["ci.yml"]
	count(pipeline.other_pipelines) == 0 with input as alone
	count(pipeline.callers) == 0 with input as alone
}

test_repository_facts_map_what_each_file_calls_and_is_called_by if {
	facts := pipeline.repository_facts with input as view(repository)
	facts.calls["ci.yml"] == {"deploy.yml"}
	facts.calls["lint.yml"] == set()
	facts.called_by["deploy.yml"] == {"ci.yml", "wrapper/action.yml"}
	facts.called_by["ci.yml"] == set()
	facts.by_file["lint.yml"].file == "lint.yml"
}

# A workflow that tests on pushes, in a directory and above it.
tester(file) := object.union(build.on(in_view(file, [build.job("test", [named("go test ./...")])]), ["push"]), {"kind": "workflow"})

release := object.union(build.on(in_view("ci/release.yml", [build.job("ship", [named("make dist")])]), ["release"]), {"kind": "workflow"})

test_testing_workflows_are_listed_by_directory if {
	facts := pipeline.repository_facts with input as view([tester("ci/test.yml"), tester("top.yml"), release])
	facts.testing_by_directory == {"ci/": {"ci/test.yml"}, "": {"top.yml"}}
}

test_tested_elsewhere_by_a_workflow_in_the_same_directory_or_above if {
	pipeline.tested_elsewhere with input as object.union(release, {"repository": {"pipelines": [tester("ci/test.yml"), release]}})
	pipeline.tested_elsewhere with input as object.union(release, {"repository": {"pipelines": [tester("top.yml"), release]}})
}

test_not_tested_elsewhere_by_itself_or_a_workflow_in_another_directory if {
	not pipeline.tested_elsewhere with input as object.union(release, {"repository": {"pipelines": [tester("other/test.yml"), release]}})
	not pipeline.tested_elsewhere with input as object.union(tester("ci/test.yml"), {"repository": {"pipelines": [tester("ci/test.yml")]}})
}

test_the_facts_the_engine_judged_are_read_instead_of_judged_again if {
	judged := {"by_file": {}, "calls": {}, "called_by": {}, "testing_by_directory": {"ci/": {"ci/test.yml"}}}
	pipeline.tested_elsewhere with input as object.union(release, {"repository": {"pipelines": [release], "facts": judged}})
}

test_directories_above_a_file if {
	pipeline.directories_above("a/b/c.yml") == {"", "a/", "a/b/"}
	pipeline.directories_above("c.yml") == {""}
}
