# METADATA
# title: Code built or deployed without tests
# description: |
#   A pipeline builds or deploys code and runs no tests anywhere, or a
#   deploy job does not wait for the jobs that run the tests. Untested
#   changes reach artifacts and environments, and nothing stops a broken
#   build from shipping. Builds that only serve a check (linting, code
#   analysis, benchmarks, documentation, API compatibility), images built
#   for CI itself, reusable workflows on their own and GitHub action.yml
#   files are not reported.
# custom:
#   id: missing-tests
#   severity: medium
#   precision: medium
#   remediation: |
#     Run the project's tests in the pipeline (`go test ./...`, `pytest`,
#     `npm test`, `mvn verify`, ...) and make deploy jobs depend on the test
#     job (`needs:` on GitHub and GitLab, a preceding stage on Jenkins). If
#     tests run in another pipeline, require that pipeline to pass before
#     this one can run (a required status check, `workflow_run`, or a
#     downstream trigger).
#   tags: [reliability, quality]
package pipelint.rules.missing_tests

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables

# The whole pipeline builds or deploys and nothing in it tests.
findings contains finding if {
	input.kind == "workflow"
	not only_called
	site := first_site # before tested, which may look at the whole repository
	not tested
	finding := {
		"msg": sprintf("%s with %q but runs no tests anywhere in the pipeline; %s", [verb(site), site.what, fix(site)]),
		"pos": site.pos,
		"severity": severity,
	}
}

# tested is true when the pipeline counts as tested: a job runs tests or is
# named like one, the pipeline is named like a test, or another pipeline
# of the repository tests the changes.
tested if count(pipeline.may_test_jobs) > 0

tested if regex.match(tables.testing_name_pattern, input.name.value)

tested if pipeline.tested_elsewhere

# only_called is true for a GitHub reusable workflow that only other
# workflows call: whether its builds are tested is up to its callers.
only_called if {
	count(input.triggers) > 0
	every trigger in input.triggers {
		trigger.event.value in tables.call_triggers
	}
}

# A pipeline that only publishes usually publishes a commit tested
# elsewhere; it is still worth saying, at a lower severity, that nothing
# here checks. A pipeline that also deploys is not let off.
release_only if {
	pipeline.is_release
	not deploys
}

deploys if {
	some site in sites
	site.verb == "deploys"
}

severity := "low" if release_only

severity := "medium" if not release_only

fix(site) := sprintf("%s%s", [run_tests(site), gate_note])

run_tests(site) := sprintf("let the tests run (drop %s)", [skip_flags(site.cmd)[0]]) if {
	count(skip_flags(site.cmd)) > 0
} else := sprintf("run the tests first (e.g. `%s`)", [tables.testing_hints[site.tool]]) if {
	tables.testing_hints[site.tool]
} else := "run the project's tests first"

# skip_flags are the arguments that keep a command that would test from
# testing (`mvn install -DskipTests`, `gradle build -x test`).
skip_flags(cmd) := [flag |
	some m in tables.by_name.testing[cmd.name.value]
	commands.matches(cmd, object.union(object.remove(m, ["unless", "unless_after"]), {"unless": [], "unless_after": {}}))
	some flag in skipping(cmd, m)
]

skipping(cmd, m) := array.concat(
	[arg.value | some arg in cmd.args; some pattern in m.unless; glob.match(pattern, null, arg.value)],
	[sprintf("%s %s", [arg.value, cmd.args[i + 1].value]) |
		some i, arg in cmd.args
		glob.match(m.unless_after[arg.value], null, cmd.args[i + 1].value)
	],
)

gate_note := ", or make the pipeline that tests this release gate it" if release_only

gate_note := "" if not release_only

# A deploy job that does not wait for the tests the pipeline does run.
findings contains finding if {
	input.kind == "workflow"
	some i in pipeline.deploy_jobs
	job := input.jobs[i]
	count(pipeline.may_test_jobs) > 0
	not i in pipeline.may_test_jobs
	not i in waits_for_tests
	finding := {
		"msg": sprintf("deploy job %q does not depend on the jobs that run tests (%s), so it can deploy untested code", [job.id.value, testing_job_names]),
		"pos": job.id.pos,
	}
}

# waits_for_tests holds the testing jobs and every job that waits for one,
# directly or not: one walk of the job graph, rather than one walk from
# each deploy job.
waits_for_tests := pipeline.downstream(pipeline.may_test_jobs)

testing_job_names := concat(", ", sort([input.jobs[j].id.value | some j in pipeline.may_test_jobs]))

# sites are the builds and deploys of the jobs that ship: a job that only
# checks the code (pipeline.checking_jobs) builds for the check.
sites contains object.union(site, {"verb": "builds"}) if {
	some site in pipeline.build_sites
	not site.job in pipeline.checking_jobs
}

sites contains object.union(site, {"verb": "deploys"}) if {
	some site in pipeline.deploy_sites
	not site.job in pipeline.checking_jobs
}

first_site := ordered[0][2] if {
	ordered := sort([[site.pos.line, site.pos.column, site] | some site in sites])
}

verb(site) := "pipeline builds" if site.verb == "builds"

verb(site) := "pipeline deploys" if site.verb == "deploys"
