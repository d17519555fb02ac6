package pipelint.rules.deploy_without_approval_test

import data.pipelint.lib.build
import data.pipelint.rules.deploy_without_approval

found(p) := {[f.pos.line, f.severity] | some f in deploy_without_approval.findings with input as p}

deploy_job(id, words, extra) := object.union(build.job(id, [build.run([build.cmd(words, 10)])]), extra)

environment(name) := {"environment": {"name": build.str(name, 4), "url": build.str("", 0), "action": build.str("", 0), "tier": build.str("", 0), "on_stop": build.str("", 0)}}

test_production_deploy_without_environment if {
	[f.msg | some f in deploy_without_approval.findings with input as build.pipeline("github", [deploy_job("deploy-prod", ["kubectl", "apply", "-f", "k8s/"], {})])] == [concat("", [`job "deploy-prod" deploys with "kubectl apply" to production (its id "deploy-prod"), and nothing a reviewer controls approves it first; give the job an `, "`environment:`", ` whose protection rules require a reviewer`])]
	found(build.pipeline("github", [deploy_job("deploy-prod", ["kubectl", "apply", "-f", "k8s/"], environment("production"))])) == set()
}

test_what_says_production if {
	# arguments, variables, runner labels, step and pipeline names
	found(build.pipeline("github", [deploy_job("deploy", ["helm", "upgrade", "--install", "app", "./chart", "--namespace", "prod"], {})])) == {[10, "high"]}
	variable := {"env": [{"name": build.str("STAGE", 5), "value": build.str("production", 5), "source": "literal", "type": "", "expressions": []}]}
	found(build.pipeline("github", [deploy_job("deploy", ["terraform", "apply"], variable)])) == {[10, "high"]}
	build_mode := {"env": [{"name": build.str("NODE_ENV", 5), "value": build.str("production", 5), "source": "literal", "type": "", "expressions": []}]}
	found(build.pipeline("github", [deploy_job("deploy", ["terraform", "apply"], build_mode)])) == set()
	secret := {"env": [{"name": build.str("STAGE", 5), "value": build.str("${{ secrets.PROD }}", 5), "source": "secret", "type": "", "expressions": []}]}
	found(build.pipeline("github", [deploy_job("deploy", ["terraform", "apply"], secret)])) == set()
	runner := {"runner": {"labels": [build.str("self-hosted", 4), build.str("prod-eu", 4)], "ephemeral": false}}
	found(build.pipeline("github", [deploy_job("deploy", ["ansible-playbook", "site.yml"], runner)])) == {[10, "high"]}
	named := object.union(build.pipeline("github", [deploy_job("deploy", ["fly", "deploy"], {})]), {"name": build.str("Ship to production", 1)})
	found(named) == {[10, "high"]}

	# nothing says production: the target is unknown
	found(build.pipeline("github", [deploy_job("deploy", ["helm", "upgrade", "--install", "app", "./chart"], {})])) == set()

	# words inside others do not count (productivity, prodigal, live-reload's "reload")
	found(build.pipeline("github", [deploy_job("deploy", ["kubectl", "apply", "-f", "productivity/"], {})])) == set()
}

test_other_targets if {
	every id in ["deploy-staging", "Deploy to dev", "preview-prod-config", "review"] {
		found(build.pipeline("github", [deploy_job(id, ["kubectl", "apply", "--context", "production", "-f", "k8s/"], {})])) == set()
	}
}

test_configured_production_environments if {
	p := build.pipeline("github", [deploy_job("deploy", ["kubectl", "apply", "--context", "eu-1", "-f", "k8s/"], {})])
	found(p) == set()
	config := {"rules": {"deploy-without-rollback": {"options": {"production-environments": ["EU-1"]}}}}
	count(deploy_without_approval.findings) == 1 with input as p with data.pipelint.config as config
}

test_named_deploys if {
	# a script named for deploying, on a production runner
	runner := {"runner": {"labels": [build.str("production", 4)], "ephemeral": false}}
	found(build.pipeline("github", [deploy_job("ship", ["deploy.sh"], runner)])) == {[10, "high"]}
	found(build.pipeline("github", [deploy_job("ship", ["make", "deploy-prod"], {})])) == {[10, "high"]}
	found(build.pipeline("github", [deploy_job("ship", ["make", "build-prod"], {})])) == set()
}

test_gates if {
	job := deploy_job("deploy-prod", ["kubectl", "apply", "-f", "k8s/"], {})

	# an environment on a job it waits for
	approve := object.union(build.job("approve", []), environment("production"))
	found(build.pipeline("github", [approve, object.union(job, {"needs": [build.str("approve", 3)]})])) == set()

	# GitLab's manual job
	found(build.pipeline("gitlab", [object.union(job, {"when": "manual"})])) == set()

	# throwaway clusters are tests
	cluster := object.union(job, {"steps": [build.run([build.cmd(["kind", "create", "cluster"], 9)]), build.run([build.cmd(["kubectl", "apply", "-f", "k8s/"], 10)])]})
	found(build.pipeline("github", [cluster])) == set()
}

input_step(settings) := object.union(build.step, {"call": build.str("input", 8), "with": settings, "when": "manual", "pos": build.at(8, 5)})

test_jenkins_inputs if {
	deploy := build.run([build.cmd(["kubectl", "apply", "-f", "k8s/"], 10)])
	submitter := [{"name": build.str("submitter", 8), "value": build.str("ops", 8), "source": "literal", "type": "", "expressions": []}]
	found(build.pipeline("jenkins", [build.job("Deploy production", [deploy])])) == {[10, "high"]}
	found(build.pipeline("jenkins", [object.union(build.job("Deploy production", [input_step(submitter), deploy]), {"when": "manual"})])) == set()
	found(build.pipeline("jenkins", [object.union(build.job("Deploy production", [input_step([]), deploy]), {"when": "manual"})])) == {[10, "medium"]}

	# an input with submitters in a stage before it
	approve := build.job("Approve", [input_step(submitter)])
	found(build.pipeline("jenkins", [approve, object.union(build.job("Deploy production", [deploy]), {"needs": [build.str("Approve", 3)]})])) == set()
}
