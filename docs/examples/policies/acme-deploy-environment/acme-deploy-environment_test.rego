package pipelint.rules.acme_deploy_environment_test

# data.pipelint.lib.build, from pipelint's own rule tests, builds small
# model inputs: build.job, build.run, build.cmd, build.str, build.at.
import data.pipelint.lib.build
import data.pipelint.rules.acme_deploy_environment

# deploy_job is a job "deploy" (id at line 2, column 7) that runs one
# command on line 10.
deploy_job(words, environment) := object.union(
	build.job("deploy", [build.run([build.cmd(words, 10)])]),
	{"environment": environment},
)

environment(name) := {
	"name": build.str(name, 4), "url": build.str("", 0), "action": build.str("", 0),
	"tier": build.str("", 0), "on_stop": build.str("", 0), "pos": build.at(4, 5),
}

findings_for(system, job) := findings if {
	findings := acme_deploy_environment.findings with input as build.pipeline(system, [job])
}

test_deploy_without_environment if {
	findings_for("github", deploy_job(["kubectl", "apply", "-f", "k8s/"], null)) == {{
		"msg": `job "deploy" deploys with kubectl apply but declares no environment; use environment "production"`,
		"pos": build.at(2, 7),
	}}
}

test_deploy_to_another_environment if {
	findings_for("gitlab", deploy_job(["helm", "upgrade", "app", "./chart"], environment("staging"))) == {{
		"msg": `job "deploy" deploys with helm upgrade to environment "staging"; use environment "production"`,
		"pos": build.at(4, 7),
	}}
}

test_production_in_any_case_is_fine if {
	count(findings_for("github", deploy_job(["terraform", "apply"], environment("Production")))) == 0
}

test_run_time_environment_is_not_judged if {
	count(findings_for("github", deploy_job(["terraform", "apply"], environment("${{ inputs.target }}")))) == 0
}

test_jobs_that_do_not_deploy_and_jenkins_are_not_reported if {
	count(findings_for("github", deploy_job(["npm", "publish"], null))) == 0
	count(findings_for("jenkins", deploy_job(["kubectl", "apply", "-f", "k8s/"], null))) == 0
}

test_environments_option if {
	options := {"acme-deploy-environment": {"options": {"environments": ["production", "staging"]}}}
	count(findings_for("github", deploy_job(["helm", "upgrade", "app", "./chart"], environment("staging")))) == 0 with data.pipelint.config.rules as options
	findings := findings_for("github", deploy_job(["helm", "upgrade", "app", "./chart"], null)) with data.pipelint.config.rules as options
	[f.msg | some f in findings] == [`job "deploy" deploys with helm upgrade but declares no environment; use environment "production" or "staging"`]
}
