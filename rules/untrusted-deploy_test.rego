package pipelint.rules.untrusted_deploy_test

import data.pipelint.lib.build
import data.pipelint.rules.untrusted_deploy

found(p) := {[f.pos.line, f.severity] | some f in untrusted_deploy.findings with input as p}

github(events, jobs) := build.on(build.pipeline("github", jobs), events)

deploy_step(words, line) := build.run([build.cmd(words, line)])

# secret_env gives a step an env variable read from a secret.
secret_env(step, name) := object.union(step, {"env": [{
	"name": build.str(name, 9), "value": build.str(sprintf("${{ secrets.%s }}", [name]), 9), "source": "secret", "type": "",
	"expressions": [build.expression(sprintf("secrets.%s", [name]), [lower(sprintf("secrets.%s", [name]))], 9)],
}]})

head_checkout := object.union(build.uses("actions/checkout", "v4", {}), {"pos": build.at(5, 7), "with": [{
	"name": build.str("ref", 6), "value": build.str("${{ github.event.pull_request.head.sha }}", 6), "source": "expression", "type": "",
	"expressions": [build.expression("github.event.pull_request.head.sha", ["github.event.pull_request.head.sha"], 6)],
}]})

with_condition(job, condition) := object.union(job, {"condition": build.str(condition, 3)})

test_privileged_triggers if {
	job := build.job("deploy", [secret_env(deploy_step(["helm", "upgrade", "--install", "app", "./chart"], 10), "KUBECONFIG")])
	found(github(["pull_request_target"], [job])) == {[10, "high"]}
	found(github(["issue_comment"], [job])) == {[10, "high"]}

	# the pull request's head built before the deploy
	built := build.job("deploy", [head_checkout, deploy_step(["npm", "ci"], 8), deploy_step(["wrangler", "deploy"], 10)])
	found(github(["pull_request_target"], [built])) == {[10, "critical"]}

	# a workflow_run follow-up counts only when it runs what the run made
	found(github(["workflow_run"], [job])) == set()
	found(github(["workflow_run"], [built])) == {[10, "critical"]}

	# trusted triggers
	found(github(["push", "workflow_dispatch", "release"], [built])) == set()
}

test_privileged_gates_and_exclusions if {
	job := build.job("deploy", [deploy_step(["terraform", "apply", "-auto-approve"], 10)])
	found(github(["issue_comment"], [with_condition(job, "github.event.comment.author_association == 'OWNER'")])) == {[10, "medium"]}
	found(github(["pull_request_target"], [object.union(job, {"environment": {"name": build.str("production", 4)}})])) == {[10, "medium"]}

	# a permission check in a job it waits for
	check := build.job("check", [object.union(build.run([build.cmd(["exit", "1"], 5)]), {"condition": build.str("github.event.comment.author_association != 'MEMBER'", 5)})])
	found(github(["issue_comment"], [check, object.union(job, {"needs": [build.str("check", 3)]})])) == {[10, "medium"]}

	# merged by a maintainer, from the repository itself, or another event only
	every condition in [
		"github.event.pull_request.merged == true",
		"github.event.pull_request.head.repo.full_name == github.repository",
		"github.event_name == 'push'",
	] {
		found(github(["pull_request_target", "push"], [with_condition(job, condition)])) == set()
	}
}

test_acts if {
	some [words, kind] in [
		[["kubectl", "apply", "-f", "k8s/"], "deploys"],
		[["terraform", "destroy", "-auto-approve"], "changes infrastructure"],
		[["az", "deployment", "group", "create", "-g", "rg"], "changes infrastructure"],
		[["npm", "publish"], "publishes"],
		[["surge", "./build"], "deploys a preview"],
		[["mkdocs", "gh-deploy"], "deploys a site"],
	]
	findings := untrusted_deploy.findings with input as github(["pull_request_target"], [build.job("j", [deploy_step(words, 10)])])
	[f | some f in findings; startswith(f.msg, sprintf("job \"j\" %s with", [kind]))] != []

	# reading a release, or deploying into a cluster the job creates, is no act
	every words in [["gh", "release", "download", "v1"], ["gh", "release", "view"]] {
		found(github(["pull_request_target"], [build.job("j", [deploy_step(words, 10)])])) == set()
	}
	kind_cluster := build.job("j", [deploy_step(["kind", "create", "cluster"], 9), deploy_step(["kubectl", "apply", "-f", "k8s/"], 10)])
	found(github(["pull_request_target"], [kind_cluster])) == set()
}

test_deploy_secrets if {
	job := build.job("j", [secret_env(deploy_step(["./upload.sh"], 10), "AWS_SECRET_ACCESS_KEY")])
	[f.msg | some f in untrusted_deploy.findings with input as github(["pull_request_target"], [job])] == [`job "j" receives the deploy secret AWS_SECRET_ACCESS_KEY on pull_request_target, a trigger outsiders start; anyone who can open a pull request or comment starts it, with the credentials it uses; deploy only from runs maintainers start (push, tag, release, dispatch) or behind an environment with required reviewers`]
	found(github(["pull_request_target"], [build.job("j", [secret_env(deploy_step(["./upload.sh"], 10), "CODECOV_TOKEN")])])) == set()

	# alone, no act on pull_request (an end-to-end test against a cloud account)
	found(github(["pull_request"], [job])) == set()

	# a GitLab secrets: variable of that name
	vault := object.union(build.job("j", [deploy_step(["./sync.sh"], 20)]), {
		"rules": [rule("", "", 3)],
		"env": [{"name": build.str("KUBECONFIG", 6), "value": build.str("ops/kube@secret", 7), "source": "secret", "type": "", "expressions": []}],
	})
	found(gitlab([vault], [])) == {[6, "high"]}
}

test_cloud_login if {
	login := object.union(build.uses("aws-actions/configure-aws-credentials", "v4", {"aws-region": "eu-west-1"}), {"pos": build.at(10, 7)})
	job := object.union(build.job("j", [login]), {"permissions": {"all": build.str("", 0), "scopes": [{"name": build.str("id-token", 4), "value": build.str("write", 4)}]}})
	[f.msg | some f in untrusted_deploy.findings with input as github(["issue_comment"], [job])] == [`job "j" gets cloud credentials with aws-actions/configure-aws-credentials on issue_comment, a trigger outsiders start; anyone who can open a pull request or comment starts it, with the credentials it uses; deploy only from runs maintainers start (push, tag, release, dispatch) or behind an environment with required reviewers`]

	# on pull_request, an OpenID Connect token is a credential a branch's run gets
	found(github(["pull_request"], [job])) == {[1, "medium"]}
}

test_pull_request_jobs if {
	deploy := deploy_step(["docker", "push", "registry.example.com/app:pr"], 10)
	found(github(["pull_request"], [build.job("j", [deploy])])) == set()
	with_secret := build.job("j", [secret_env(deploy, "REGISTRY_TOKEN")])
	found(github(["pull_request"], [with_secret])) == {[10, "medium"]}
	found(github(["pull_request"], [object.union(with_secret, {"environment": {"name": build.str("registry", 4)}})])) == {[10, "low"]}

	# conditions that keep the job off pull requests, or forks out
	every condition in [
		"github.ref == 'refs/heads/main'",
		"startsWith(github.ref, 'refs/tags/')",
		"github.event_name == 'push'",
		"github.event_name != 'pull_request'",
		"github.event.pull_request.head.repo.full_name == github.repository",
		"!github.event.pull_request.head.repo.fork",
		"startsWith(github.event.ref, 'refs/tags')",
	] {
		found(github(["pull_request", "push"], [with_condition(with_secret, condition)])) == set()
	}

	# a fork's run still gets a self-hosted machine's credentials
	self_hosted := object.union(build.job("j", [deploy]), {"runner": {"labels": [build.str("self-hosted", 4)], "ephemeral": false}})
	found(github(["pull_request"], [self_hosted])) == {[10, "medium"]}

	# an image pushed only when a run-time value says so
	push_step := object.union(build.uses("docker/build-push-action", "v6", {"push": "${{ github.event_name != 'pull_request' }}"}), {"pos": build.at(10, 7)})
	found(github(["pull_request"], [build.job("j", [secret_env(push_step, "REGISTRY_TOKEN")])])) == set()
	always := object.union(build.uses("docker/build-push-action", "v6", {"push": "true"}), {"pos": build.at(10, 7)})
	found(github(["pull_request"], [build.job("j", [secret_env(always, "REGISTRY_TOKEN")])])) == {[1, "medium"]}

	# a preview is what a pull request job is for
	found(github(["pull_request"], [build.job("j", [secret_env(deploy_step(["netlify", "deploy", "--dir", "build"], 10), "NETLIFY_AUTH_TOKEN")])])) == set()
}

# --- GitLab -----------------------------------------------------------------------

test_merge_request_conditions if {
	every pair in [
		["", "yes"],
		[`$CI_PIPELINE_SOURCE == "merge_request_event"`, "yes"],
		[`$CI_PIPELINE_SOURCE == 'push'`, "no"],
		[`$CI_PIPELINE_SOURCE != "merge_request_event"`, "no"],
		[`$CI_PIPELINE_SOURCE =~ /^(push|merge_request_event)$/`, "yes"],
		[`$CI_MERGE_REQUEST_IID`, "yes"],
		[`$CI_MERGE_REQUEST_TARGET_BRANCH_NAME == $CI_DEFAULT_BRANCH`, "yes"],
		[`$CI_MERGE_REQUEST_EVENT_TYPE == "merge_train"`, "no"],
		[`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`, "no"],
		[`$CI_COMMIT_BRANCH`, "no"],
		[`$CI_COMMIT_TAG =~ /^v/`, "no"],
		[`$CI_COMMIT_BRANCH || $CI_MERGE_REQUEST_IID`, "yes"],
		[`$CI_PROJECT_PATH == "group/app" && $CI_PIPELINE_SOURCE == "merge_request_event"`, "yes"],
		[`$DEPLOY == "true"`, "maybe"],
		[`$CI_MERGE_REQUEST_IID && $DEPLOY`, "maybe"],
		[`($CI_COMMIT_BRANCH || $CI_MERGE_REQUEST_IID) && $X`, "maybe"],
	] {
		untrusted_deploy.merge_request_holds(pair[0]) == pair[1]
	}
}

rule(condition, when, line) := {"if": build.str(condition, line), "when": build.str(when, line), "pos": build.at(line, 5)}

gitlab_job(rules, extra) := object.union(build.job("deploy", [deploy_step(["kubectl", "apply", "-f", "k8s/"], 20)]), object.union({"rules": rules}, extra))

gitlab(jobs, workflow) := object.union(build.pipeline("gitlab", jobs), {"rules": workflow})

test_merge_request_jobs if {
	# the first rule that holds decides
	found(gitlab([gitlab_job([rule(`$CI_COMMIT_TAG`, "never", 3), rule("", "", 5)], {})], [])) == {[20, "high"]}
	found(gitlab([gitlab_job([rule(`$CI_PIPELINE_SOURCE == "merge_request_event"`, "never", 3), rule("", "", 5)], {})], [])) == set()
	found(gitlab([gitlab_job([rule(`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`, "", 3)], {})], [])) == set()

	# a rule that may hold and may leave the job out stops the judgement
	found(gitlab([gitlab_job([rule(`$SKIP == "1"`, "never", 3), rule("", "", 5)], {})], [])) == set()

	# manual: someone, maybe the merge request's author, starts it
	found(gitlab([gitlab_job([rule(`$CI_MERGE_REQUEST_IID`, "manual", 3)], {})], [])) == {[20, "medium"]}

	# only: merge_requests
	found(gitlab([gitlab_job([], {"condition": build.str("only: merge_requests", 3)})], [])) == {[20, "high"]}
	found(gitlab([gitlab_job([], {"condition": build.str("only: branches, tags", 3)})], [])) == set()

	# without rules of its own, the workflow rules decide; without those
	# too, GitLab's default keeps the job to branches and tags
	found(gitlab([gitlab_job([], {})], [rule(`$CI_PIPELINE_SOURCE == "merge_request_event"`, "", 2)])) == {[20, "high"]}
	found(gitlab([gitlab_job([], {})], [rule(`$CI_COMMIT_BRANCH`, "", 2)])) == set()
	found(gitlab([gitlab_job([], {})], [])) == set()

	# workflow rules that create no merge request pipeline win over the job's
	found(gitlab([gitlab_job([rule("", "", 5)], {})], [rule(`$CI_COMMIT_BRANCH`, "", 2)])) == set()
}

test_id_tokens if {
	job := object.union(build.job("sign", [deploy_step(["./sign.sh"], 20)]), {
		"rules": [rule(`$CI_PIPELINE_SOURCE == "merge_request_event"`, "", 3)],
		"id_tokens": [{"name": build.str("AWS_TOKEN", 7), "value": build.str("https://sts.amazonaws.com", 8), "source": "secret", "type": "", "expressions": []}],
	})
	[f.msg | some f in untrusted_deploy.findings with input as gitlab([job], [])] == [concat("", [`job "sign" receives the OpenID Connect token AWS_TOKEN (aud https://sts.amazonaws.com) in merge request pipelines (rule at line 3); a merge request runs its own pipeline configuration and code with the project's credentials before anyone merges it; limit the job to protected branches or tags (`, "`rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`", `) and keep its credentials protected`])]
}

# --- Jenkins --------------------------------------------------------------------

credential(step, name) := object.union(step, {"env": [{"name": build.str(name, 9), "value": build.str("kube", 9), "source": "secret", "type": "", "expressions": []}]})

stage(id, condition, steps) := object.union(build.job(id, steps), {"condition": build.str(condition, 3)})

test_change_request_stages if {
	apply := credential(deploy_step(["kubectl", "apply", "-f", "k8s/"], 20), "KUBE_TOKEN")
	found(build.pipeline("jenkins", [stage("Preview", "changeRequest()", [apply])])) == {[20, "high"]}
	found(build.pipeline("jenkins", [stage("Preview", "expression { env.CHANGE_ID != null }", [apply])])) == {[20, "high"]}
	found(build.pipeline("jenkins", [stage("Deploy", "not { changeRequest() }", [apply])])) == set()
	found(build.pipeline("jenkins", [stage("Deploy", "branch 'main'", [apply])])) == set()

	# no credentials bound: nothing to take
	found(build.pipeline("jenkins", [stage("Preview", "changeRequest()", [deploy_step(["kubectl", "apply", "-f", "k8s/"], 20)])])) == set()

	# a stage without when, in a Jenkinsfile that builds change requests
	test_stage := stage("Test", "changeRequest()", [deploy_step(["make", "test"], 10)])
	found(build.pipeline("jenkins", [test_stage, stage("Deploy", "", [apply])])) == {[20, "high"]}
	found(build.pipeline("jenkins", [stage("Deploy", "", [apply])])) == set()

	# the change's build runs with the credentials
	found(build.pipeline("jenkins", [stage("Preview", "changeRequest()", [deploy_step(["gradlew", "assemble"], 19), apply])])) == {[20, "critical"]}
}

input_step(settings) := object.union(build.step, {"call": build.str("input", 18), "with": settings, "when": "manual"})

test_change_request_input_gates if {
	apply := credential(deploy_step(["kubectl", "apply", "-f", "k8s/"], 20), "KUBE_TOKEN")
	submitter := [{"name": build.str("submitter", 18), "value": build.str("ops", 18), "source": "literal", "type": "", "expressions": []}]
	found(build.pipeline("jenkins", [stage("Preview", "changeRequest()", [input_step(submitter), apply])])) == {[20, "medium"]}
	found(build.pipeline("jenkins", [stage("Preview", "changeRequest()", [input_step([]), apply])])) == {[20, "high"]}
}
