package pipelint.rules.deploy_without_rollback_test

import data.pipelint.lib.build
import data.pipelint.rules.deploy_without_rollback

deploy_job(words, extra) := object.union(build.job("deploy", [build.run([build.cmd(words, 10)])]), extra)

production := {"environment": {"name": build.str("production", 4), "url": build.str("", 0), "action": build.str("", 0), "tier": build.str("", 0), "on_stop": build.str("", 0)}}

findings_for(system, jobs) := f if {
	f := deploy_without_rollback.findings with input as build.pipeline(system, jobs)
}

test_kubectl_to_production_is_high if {
	findings_for("github", [deploy_job(["kubectl", "apply", "-f", "k8s/"], production)]) == {{
		"msg": "job \"deploy\" deploys to \"production\" with kubectl apply with no rollback path; run `kubectl rollout status` and, on failure, `kubectl rollout undo` for each changed deployment, or a step or job with `if: failure()` that restores the previous version",
		"pos": build.at(2, 7),
		"severity": "high",
	}}
}

test_severity_by_target if {
	[f.severity | some f in findings_for("github", [deploy_job(["helm", "upgrade", "app", "./chart"], {})])] == ["medium"]
	staging := {"environment": object.union(production.environment, {"name": build.str("staging", 4)})}
	[f.severity | some f in findings_for("github", [deploy_job(["./deploy.sh"], staging)])] == ["low"]
	tier := {"environment": object.union(production.environment, {"name": build.str("eu-1", 4), "tier": build.str("production", 5)})}
	[f.severity | some f in findings_for("gitlab", [deploy_job(["./deploy.sh"], tier)])] == ["high"]
}

test_deploy_table_entries if {
	some words in [
		["kubectl", "set", "image", "deploy/x", "x=y"], ["kubectl", "rollout", "restart", "deploy/x"],
		["helm", "install", "x", "c"], ["terraform", "apply", "-auto-approve"], ["pulumi", "up", "--yes"],
		["aws", "ecs", "update-service", "--cluster", "c"], ["aws", "lambda", "update-function-code"],
		["gcloud", "run", "deploy", "svc"], ["gcloud", "app", "deploy"], ["az", "webapp", "deploy"],
		["flyctl", "deploy"], ["git", "push", "heroku", "main"], ["serverless", "deploy"], ["cdk", "deploy"],
		["ansible-playbook", "site.yml"],
	]
	count(findings_for("github", [deploy_job(words, {})])) == 1
}

test_releases_are_not_deploys if {
	some words in [["twine", "upload", "dist/*"], ["npm", "publish"], ["docker", "push", "x"], ["cargo", "publish"]]
	count(findings_for("github", [deploy_job(words, {})])) == 0
	pypi := {"environment": object.union(production.environment, {"name": build.str("pypi", 4)})}
	count(findings_for("github", [deploy_job(["twine", "upload", "dist/*"], pypi)])) == 0
}

test_rollback_paths if {
	# helm --atomic rolls itself back
	count(findings_for("github", [deploy_job(["helm", "upgrade", "--install", "--atomic", "app", "c"], production)])) == 0

	# a failure step in the job
	on_failure := object.union(build.run([build.cmd(["kubectl", "rollout", "undo", "deploy/app"], 12)]), {"when": "on_failure"})
	job := deploy_job(["kubectl", "apply", "-f", "k8s"], production)
	count(findings_for("github", [object.union(job, {"steps": array.concat(job.steps, [on_failure])})])) == 0

	# a rollback job
	count(findings_for("github", [job, build.job("rollback", [build.run([build.cmd(["./redeploy.sh"], 20)])])])) == 0

	# a manual job for the same environment (GitLab's idiom)
	manual := object.union(deploy_job(["./deploy.sh", "previous"], production), {"id": build.str("redeploy", 30), "when": "manual"})
	count(findings_for("gitlab", [job, manual])) == 0
}

test_on_stop_is_not_a_rollback if {
	stop := {"environment": object.union(production.environment, {"action": build.str("stop", 4)})}
	teardown := object.union(deploy_job(["kubectl", "delete", "ns", "x"], stop), {"id": build.str("stop", 30), "when": "manual"})
	count(findings_for("gitlab", [deploy_job(["kubectl", "apply", "-f", "k8s"], production), teardown])) == 1
}

test_manual_dispatch_of_a_version_is_a_rollback_path if {
	pipeline := object.union(build.pipeline("github", [deploy_job(["kubectl", "apply", "-f", "k8s"], production)]), {
		"triggers": [{"event": build.str("workflow_dispatch", 2), "branches": []}],
		"parameters": [{"name": build.str("version", 4), "value": build.str("", 0), "source": "literal"}],
	})
	count(deploy_without_rollback.findings) == 0 with input as pipeline
}

test_a_failure_notification_is_not_a_rollback if {
	notify := object.union(build.job("notify-failure", [build.run([build.cmd(["./notify-slack.sh"], 30)])]), {"when": "on_failure"})
	step_notify := object.union(build.run([build.cmd(["curl", "-X", "POST", "https://hooks.example.com"], 12)]), {"when": "on_failure"})
	job := deploy_job(["kubectl", "apply", "-f", "k8s"], production)
	count(findings_for("gitlab", [job, notify])) == 1
	count(findings_for("jenkins", [object.union(job, {"steps": array.concat(job.steps, [step_notify])})])) == 1
}

test_a_rollback_job_covers_only_its_environment if {
	staging := {"environment": object.union(production.environment, {"name": build.str("staging", 4)})}
	rollback := object.union(build.job("rollback-production", [build.run([build.cmd(["helm", "rollback", "app"], 30)])]), production)
	[f.pos.line | some f in findings_for("gitlab", [deploy_job(["helm", "upgrade", "app", "c"], staging), rollback])] == [2]
	count(findings_for("gitlab", [deploy_job(["helm", "upgrade", "app", "c"], production), rollback])) == 0
}

test_a_pipeline_level_failure_handler_that_redeploys_covers_every_deploy if {
	post := build.job("post", [object.union(build.run([build.cmd(["aws", "ecs", "update-service", "--task-definition", "$PREVIOUS"], 40)]), {"when": "on_failure"})])
	count(findings_for("jenkins", [deploy_job(["aws", "ecs", "update-service", "--task-definition", "app:42"], {}), post])) == 0
}

test_configured_production_environments if {
	eu := {"environment": object.union(production.environment, {"name": build.str("eu-live-1", 4)})}
	[f.severity | some f in findings_for("github", [deploy_job(["./deploy.sh"], eu)])] == ["low"]
	config := {"rules": {"deploy-without-rollback": {"options": {"production-environments": ["EU-LIVE-1"]}}}}
	[f.severity | some f in deploy_without_rollback.findings] == ["high"] with input as build.pipeline("github", [deploy_job(["./deploy.sh"], eu)]) with data.pipelint.config as config
}

# A system the tables do not name gets the same findings, with the default
# wording of a failure path, and its rollback paths still count.
test_a_system_the_tables_do_not_name_still_gets_findings if {
	findings_for("madeup-ci", [deploy_job(["kubectl", "apply", "-f", "k8s/"], production)]) == {{
		"msg": "job \"deploy\" deploys to \"production\" with kubectl apply with no rollback path; run `kubectl rollout status` and, on failure, `kubectl rollout undo` for each changed deployment, or a step or job run on failure that restores the previous version",
		"pos": build.at(2, 7),
		"severity": "high",
	}}
	[f.severity | some f in findings_for("madeup-ci", [deploy_job(["./deploy.sh"], production)])] == ["high"]
	count(findings_for("madeup-ci", [deploy_job(["helm", "upgrade", "--atomic", "app", "c"], production)])) == 0
	on_failure := object.union(build.run([build.cmd(["kubectl", "rollout", "undo", "deploy/app"], 12)]), {"when": "on_failure"})
	job := deploy_job(["kubectl", "apply", "-f", "k8s"], production)
	count(findings_for("madeup-ci", [object.union(job, {"steps": array.concat(job.steps, [on_failure])})])) == 0
}

test_a_deploy_tool_without_an_idiom_gets_the_generic_advice if {
	some f in findings_for("github", [deploy_job(["kubectl", "apply", "-f", "k8s/"], {})]) with data.pipelint.lib.tables.rollback_idiom as {"generic": "GENERIC ADVICE"}
	contains(f.msg, "GENERIC ADVICE")
}

env(name) := {"environment": object.union(production.environment, {"name": build.str(name, 4)})}

test_an_environment_alone_is_not_a_deploy if {
	# an environment scoping the secrets of a job that deploys nothing
	count(findings_for("github", [ship_job(["./update-redirects.sh"], production)])) == 0
	count(findings_for("gitlab", [ship_job(["make"], env("intel-compiler"))])) == 0
}

# ship_job is deploy_job under a name that says nothing of deploying.
ship_job(words, extra) := object.union(deploy_job(words, extra), {"id": build.str("ship", 2)})

test_an_environment_with_a_job_step_or_script_named_for_deploying_is_a_deploy if {
	[f.severity | some f in findings_for("github", [ship_job(["./scripts/deploy-api.sh"], env("staging"))])] == ["low"]
	[f.severity | some f in findings_for("github", [ship_job(["make", "deploy"], production)])] == ["high"]
	[f.severity | some f in findings_for("github", [ship_job(["npm", "run", "deploy:prod"], production)])] == ["high"]
	[f.severity | some f in findings_for("github", [ship_job(["./release.sh"], object.union(production, {"name": build.str("Redeploy the API", 3)}))])] == ["high"]
	step := object.union(build.run([build.cmd(["./release.sh"], 10)]), {"name": build.str("Deploy to production", 9)})
	[f.severity | some f in findings_for("github", [object.union(build.job("ship", [step]), production)])] == ["high"]
	count(findings_for("github", [build.job("ship", [step])])) == 0 # a name with no environment
	# an argument that only mentions deploying names nothing
	count(findings_for("github", [ship_job(["echo", "deploying"], production)])) == 0
}

test_test_lint_signing_and_upload_jobs_are_not_deploys if {
	some id in ["e2e-tests", "lint", "sign", "upload-profiles", "notarize"]
	job := object.union(deploy_job(["./deploy-fixtures.sh"], production), {"id": build.str(id, 2)})
	count(findings_for("github", [job])) == 0
}

test_a_deploy_into_a_throwaway_cluster_is_a_test if {
	cluster := build.run([build.cmd(["kind", "create", "cluster"], 9)])
	job := deploy_job(["kubectl", "apply", "-f", "k8s/"], {})
	count(findings_for("github", [object.union(job, {"steps": array.concat([cluster], job.steps)})])) == 0
	kind_action := build.uses("helm/kind-action", "v1", {})
	count(findings_for("github", [object.union(job, {"steps": array.concat([kind_action], job.steps)})])) == 0
}

test_new_deploy_commands if {
	some words in [
		["sf", "project", "deploy", "start", "-d", "force-app"], ["sfdx", "force:source:deploy", "-p", "force-app"],
		["sfdx", "force:mdapi:deploy", "-d", "mdapi"], ["rsync", "-az", "--delete", "public/", "web@host:/var/www/site"],
		["rsync", "--delete-after", "-r", "out/", "/var/www/html"], ["firebase", "deploy", "--only", "functions"],
	]
	[f.severity | some f in findings_for("github", [deploy_job(words, {})])] == ["medium"]
}

test_previews_validations_and_local_copies_are_not_deploys if {
	some words in [
		["vercel", "deploy", "--prebuilt"], ["netlify", "deploy", "--dir", "dist"],
		["sf", "project", "deploy", "start", "--dry-run"], ["sfdx", "force:source:deploy", "--checkonly", "-p", "x"],
		["rsync", "-a", "--delete", "src/", "build/"], ["rsync", "-a", "dist/", "host:/var/www/site"],
	]
	count(findings_for("github", [deploy_job(words, {})])) == 0
}

test_atomic_targets_are_info if {
	some [words, target] in [
		[["vercel", "--prod"], "Vercel"], [["netlify", "deploy", "--prod"], "Netlify"],
		[["wrangler", "pages", "deploy", "dist"], "Cloudflare Pages"], [["wrangler", "deploy"], "Cloudflare Workers"],
		[["firebase", "deploy", "--only", "hosting"], "Firebase Hosting"], [["mkdocs", "gh-deploy"], "GitHub Pages"],
	]
	some f in findings_for("github", [deploy_job(words, production)])
	f.severity == "info"
	contains(f.msg, sprintf("; %s switches deployments atomically", [target]))
}

test_an_atomic_target_is_told_by_the_environment_url if {
	pages := {"environment": object.union(production.environment, {"name": build.str("site", 4), "url": build.str("https://acme.github.io/docs", 5)})}
	[f.severity | some f in findings_for("gitlab", [deploy_job(["./deploy-site.sh"], pages)])] == ["info"]
	other := {"environment": object.union(pages.environment, {"url": build.str("https://github.io.example.com/", 5)})}
	[f.severity | some f in findings_for("gitlab", [deploy_job(["./deploy-site.sh"], other)])] == ["low"]
}

test_a_job_deploying_to_an_atomic_target_and_elsewhere_is_not_info if {
	job := deploy_job(["vercel", "--prod"], production)
	both := object.union(job, {"steps": array.concat(job.steps, [build.run([build.cmd(["kubectl", "apply", "-f", "k8s/"], 12)])])})
	[f.severity | some f in findings_for("github", [both])] == ["high"]
}
