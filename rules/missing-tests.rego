# METADATA
# title: Code built or deployed without tests
# description: |
#   A pipeline builds or deploys code and runs no tests anywhere, or a
#   deploy job does not wait for the jobs that run the tests. Untested
#   changes reach artifacts and environments, and nothing stops a broken
#   build from shipping. Linting, documentation, labelling and scheduled
#   maintenance pipelines build nothing and are not reported; neither is a
#   GitHub action's action.yml.
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

import data.pipelint.lib.pipeline

# The whole pipeline builds or deploys and nothing in it tests.
findings contains finding if {
	input.kind == "workflow"
	count(pipeline.may_test_jobs) == 0
	not pipeline.is_analysis
	site := first_site
	finding := {
		"msg": sprintf("%s with %q but runs no tests anywhere in the pipeline%s", [verb(site), site.what, release_note]),
		"pos": site.pos,
		"severity": severity,
	}
}

# A release pipeline usually builds a commit that was tested elsewhere;
# it is still worth saying, at a lower severity, that nothing here checks.
severity := "low" if pipeline.is_release

severity := "medium" if not pipeline.is_release

release_note := "; if the release is tested in another pipeline, make that pipeline gate this one" if pipeline.is_release

release_note := "" if not pipeline.is_release

# A deploy job that does not wait for the tests the pipeline does run.
findings contains finding if {
	input.kind == "workflow"
	some i in pipeline.deploy_jobs
	job := input.jobs[i]
	testing := pipeline.may_test_jobs
	count(testing) > 0
	not i in testing
	count(testing & pipeline.upstream(i)) == 0
	names := sort([input.jobs[j].id.value | some j in testing])
	finding := {
		"msg": sprintf("deploy job %q does not depend on the jobs that run tests (%s), so it can deploy untested code", [job.id.value, concat(", ", names)]),
		"pos": job.id.pos,
	}
}

sites contains object.union(site, {"verb": "builds"}) if some site in pipeline.build_sites

sites contains object.union(site, {"verb": "deploys"}) if some site in pipeline.deploy_sites

first_site := ordered[0][2] if {
	ordered := sort([[site.pos.line, site.pos.column, site] | some site in sites])
}

verb(site) := "pipeline builds" if site.verb == "builds"

verb(site) := "pipeline deploys" if site.verb == "deploys"
