# Deploys, infrastructure and the credentials they run with: what the
# deploy rules (untrusted-deploy, deploy-without-approval) read besides
# the deploy, release and credential tables of tables.rego, and the facts
# of a GitLab merge request pipeline. Each table is a partial set or
# object: a policy extends it from another file of this package.
package pipelint.lib.tables

# infrastructure_commands change or remove cloud infrastructure beyond
# the deploy commands that apply it (`terraform apply`, `pulumi up`,
# `cdk deploy` and `aws cloudformation deploy` are deploy_commands).
infrastructure_commands contains m if some m in [
	{"names": ["terraform", "tofu"], "args": ["{destroy,import}"], "tool": "terraform"},
	{"names": ["terragrunt"], "any_arg": "destroy", "tool": "terraform"},
	{"names": ["pulumi"], "args": ["{destroy,import,refresh}"], "tool": "pulumi"},
	{"names": ["cdk"], "args": ["destroy"], "tool": "cloudformation"},
	{"names": ["cdktf"], "args": ["{deploy,destroy}"], "tool": "terraform"},
	{"names": ["aws"], "args": ["cloudformation", "{delete-stack,create-change-set,execute-change-set}"], "tool": "cloudformation"},
	{"names": ["az"], "args": ["deployment", "{group,sub,mg,tenant}", "create"], "tool": "generic"},
	{"names": ["az"], "args": ["stack", "{group,sub,mg}", "create"], "tool": "generic"},
	{"names": ["gcloud"], "args": ["deployment-manager", "deployments", "{create,update,delete}"], "tool": "generic"},
	{"names": ["gcloud"], "args": ["infra-manager", "deployments", "apply"], "tool": "generic"},
]

# preview_deploy_commands and preview_deploy_actions publish a preview of
# a change (a pull request's site at its own URL): not a deploy to roll
# back or approve, but one that needs the hosting service's token.
preview_deploy_commands contains m if some m in [
	{"names": ["vercel"], "args": ["deploy"], "unless": ["--prod", "--target=production"]},
	{"names": ["netlify"], "args": ["deploy"], "unless": ["--prod", "--prodIfUnlocked", "--prod-if-unlocked"]},
	{"names": ["surge"]},
	{"names": ["firebase"], "args": ["hosting:channel:deploy"]},
]

preview_deploy_actions contains action if some action in {
	"nwtgck/actions-netlify",
	"FirebaseExtended/action-hosting-deploy",
	"afc163/surge-preview",
	"rossjrw/pr-preview-action",
}

# cloud_login_actions turn the job's OpenID Connect token (the id-token:
# write permission) or a long-lived key given as an input into a cloud's
# or a secret store's credentials for the steps after them.
cloud_login_actions contains action if some action in {
	"aws-actions/configure-aws-credentials",
	"azure/login",
	"google-github-actions/auth",
	"hashicorp/vault-action",
	"digitalocean/action-doctl",
	"pulumi/auth-actions",
}

# deploy_secret_pattern matches the names of long-lived credentials that
# deploy or publish (a secret a job reads, a GitLab `secrets:` variable):
# cloud keys, cluster configurations, deploy keys and tokens, hosting and
# registry tokens. A job that receives one holds what a deploy holds.
deploy_secret_pattern := `(?i)^(aws_(secret_access_key|access_key_id|session_token)|azure_(credentials|client_secret)|arm_client_secret|(gcp|gcloud|google)_(sa_key|service_account_key|credentials|application_credentials)|kube_?config(_[a-z0-9_]+)?|[a-z0-9_]*deploy_?(key|token)|[a-z0-9_]*ssh_private_key|(do|digitalocean)_(token|access_token)|heroku_api_key|fly_api_token|vercel_token|netlify_auth_token|cloudflare_api_token|npm_token|pypi_(api_)?token|twine_password|docker(hub)?_(password|token)|registry_(password|token)|cargo_registry_token|rubygems_api_key)$`

# deploy_calls are Jenkins steps that deploy (besides the shell commands
# of deploy_commands); publishing_calls (tables.rego) publish.
deploy_calls contains call if some call in {
	"ansiblePlaybook", "kubernetesDeploy", "deploy", "openshiftDeploy",
	"azureWebAppPublish", "azureFunctionAppPublish", "cfPush",
}

# Azure Pipelines tasks that deploy, as a step's `task:` names them.
deploy_calls contains call if some call in {
	"HelmDeploy@0", "HelmDeploy@1", "KubernetesManifest@0", "KubernetesManifest@1", "Kubernetes@1",
	"AzureWebApp@1", "AzureWebAppContainer@1", "AzureRmWebAppDeployment@4", "AzureFunctionApp@1", "AzureFunctionApp@2",
	"AzureFunctionAppContainer@1", "AzureContainerApps@1", "AzureResourceManagerTemplateDeployment@3", "AzureStaticWebApp@0",
}

# credential_calls are Jenkins steps that give the steps inside them a
# credential, as withCredentials does: an SSH agent, cloud, cluster,
# registry or secret store login.
credential_calls contains call if some call in {
	"sshagent", "withAWS", "withKubeConfig", "withKubeCredentials",
	"withDockerRegistry", "docker.withRegistry", "withVault", "azureCLI",
}

# approval_idiom says, per system, how to put a reviewer before a
# production deploy (read with for_system; see tables.rego).
approval_idiom[system] := idiom if some system, idiom in {
	"*": "put an approval a reviewer controls before the deploy",
	"github": "give the job an `environment:` whose protection rules require a reviewer",
	"gitlab": "give the job an `environment:` (protected, with required approvals) or `when: manual`",
	"jenkins": "add an `input` step with a `submitter` before the deploy",
	"bitbucket": "give the step a `deployment:` environment (its deployment permissions say who may deploy) or `trigger: manual`",
	"azure": "deploy from a `deployment` job whose `environment:` has an approval check",
}

# report_only_commands only print, test, wait or touch files: a job that
# runs nothing else deploys nothing (deploys.only_reports).
report_only_commands contains name if some name in {
	"echo", "printf", "touch", "test", "[", "[[", "true", "false", ":", "exit", "sleep", "date", "env", "printenv", "export", "set", "cd", "pwd", "ls",
}

# production_word matches a word (a run of letters and digits) of a
# job's names, a deploy command's arguments, a variable's value or a
# runner label that names production.
production_word := `(?i)^(prod|production|prd|live)$`

# non_production_word matches a word of a job's id or name that names
# another target: such a job deploys elsewhere, whatever else it mentions.
non_production_word := `(?i)^(staging|stage|stg|dev|develop|development|test|testing|qa|uat|preview|review|sandbox|demo|nightly|canary|integration|int)$`

# merge_request_conditions say whether an atom of a GitLab `if:` (a
# comparison or a variable alone, between `&&`) holds in a merge request
# pipeline, where CI_PIPELINE_SOURCE is merge_request_event, the
# CI_MERGE_REQUEST_* variables are set, CI_COMMIT_BRANCH and CI_COMMIT_TAG
# are not, and CI_COMMIT_REF_NAME is the source branch. The first pattern
# an atom matches decides; an atom none matches may hold or not. The
# author of a merge request picks its target branch and the files it
# changes, so a target branch compared holds; a merge train runs what a
# maintainer merges; the project's own path and host hold in its own
# pipelines.
merge_request_conditions := [
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*==\s*["']merge_request_event["']$`, "holds": true},
	{"pattern": `^["']merge_request_event["']\s*==\s*\$CI_PIPELINE_SOURCE$`, "holds": true},
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*=~\s*/[^/]*merge_request[^/]*/[a-z]*$`, "holds": true},
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*=~\s*["'][^"']*merge_request[^"']*["']$`, "holds": true},
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*(==|=~)`, "holds": false},
	{"pattern": `^["'][a-z_]+["']\s*==\s*\$CI_PIPELINE_SOURCE$`, "holds": false},
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*!=\s*["']merge_request_event["']$`, "holds": false},
	{"pattern": `^\$CI_PIPELINE_SOURCE\s*!=\s*["'][a-z_]+["']$`, "holds": true},
	{"pattern": `^\$CI_MERGE_REQUEST_EVENT_TYPE\s*==\s*["']merge_train["']$`, "holds": false},
	{"pattern": `^\$CI_MERGE_REQUEST_(IID|ID)\s*==\s*null$`, "holds": false},
	{"pattern": `^\$CI_MERGE_REQUEST_(IID|ID)\s*!=\s*null$`, "holds": true},
	{"pattern": `^\$CI_MERGE_REQUEST_(IID|ID|PROJECT_ID|PROJECT_PATH|PROJECT_URL|REF_PATH|SOURCE_BRANCH_NAME|TARGET_BRANCH_NAME|EVENT_TYPE|TITLE|DIFF_BASE_SHA)$`, "holds": true},
	{"pattern": `^\$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\s*(==|=~)`, "holds": true},
	{"pattern": `^\$CI_COMMIT_(BRANCH|TAG)\s*==\s*null$`, "holds": true},
	{"pattern": `^\$CI_COMMIT_(BRANCH|TAG)(\s*(==|=~).*)?$`, "holds": false},
	{"pattern": `^\$CI_COMMIT_REF_NAME\s*==`, "holds": false},
	{"pattern": `^\$CI_COMMIT_REF_PROTECTED\s*==\s*["']true["']$`, "holds": false},
	{"pattern": `^\$CI_(PROJECT_PATH|PROJECT_NAMESPACE|PROJECT_ROOT_NAMESPACE|PROJECT_NAME|PROJECT_ID|SERVER_HOST|SERVER_URL)\s*(==|=~)`, "holds": true},
]

# merge_request_refs are the `only:`/`except:` refs that stand for merge
# request pipelines.
merge_request_refs contains ref if some ref in {"merge_requests", "external_pull_requests"}

# change_request_condition matches a Jenkins stage's `when { }` that runs
# it for change requests (pull requests) only, or also: `changeRequest()`
# (with or without filters), an expression reading CHANGE_ID; not one
# that negates it.
change_request_condition := `\bchangeRequest\b|\bCHANGE_ID\b`

not_change_request_condition := `not\s*\{[^}]*\bchangeRequest\b|!\s*(env\.)?CHANGE_ID\b|CHANGE_ID\s*==\s*null`

# merged_condition matches a GitHub condition that runs a job only for a
# pull request a maintainer merged (pull_request_target or pull_request
# with types: [closed]): its code is the base's now.
merged_condition := `github\.event\.pull_request\.merged\s*(==\s*true\b|$|&&)|github\.event\.pull_request\.merged\s*\)?\s*$`

# non_pull_request_conditions match an alternative of a GitHub condition
# that does not hold on a pull_request run: a branch or tag ref (a pull
# request's is refs/pull/<n>/merge), another event, a merged pull request.
non_pull_request_conditions contains pattern if some pattern in [
	`github\.ref\s*==\s*'refs/(heads|tags)/`,
	`'refs/(heads|tags)/[^']*'\s*==\s*github\.ref\b`,
	`startsWith\(\s*github\.ref\s*,\s*'refs/(heads|tags)/`,
	`github\.ref_name\s*==\s*'`,
	`'[^']*'\s*==\s*github\.ref_name\b`,
	`github\.ref_type\s*==\s*'tag'`,
	`github\.event_name\s*!=\s*'pull_request'`,
	`github\.event\.pull_request\.merged\s*==\s*true`,
	`github\.event_name\s*==\s*'(push|schedule|workflow_dispatch|release|repository_dispatch|workflow_run|merge_group)'`,
	`startsWith\(\s*github\.event\.ref\s*,\s*'refs/(heads|tags)/?`,
	`github\.event\.ref\s*==\s*'refs/(heads|tags)/`,
]

# run_time_switches name, per action, the input that switches its act on
# or off (docker/build-push-action's `push:`): when a run-time value sets
# it (`push: ${{ github.event_name != 'pull_request' }}`), whether a given
# run acts is not in the file, and the step is not taken for an act.
run_time_switches := {"docker/build-push-action": "push"}

# build_mode_variables say how code is built or run, not where it is
# deployed: `NODE_ENV: production` is an optimised build.
build_mode_variables := {"NODE_ENV", "BABEL_ENV", "RAILS_ENV", "RACK_ENV", "MIX_ENV", "FLASK_ENV", "APP_ENV", "GO_ENV", "BUILD_ENV", "BUILD_MODE", "CONFIGURATION", "BUILD_CONFIGURATION"}

# --- guards ---------------------------------------------------------------------

# production_text_pattern matches a text that holds a production word
# (production_word) anywhere: deploy-without-approval looks for it in the
# file's text before it reads any deploy, after a look for the words
# themselves (production_text_words), which most files do not hold.
production_text_pattern := `(?i)(^|[^a-z0-9])(prod|production|prd|live)([^a-z0-9]|$)`

production_text_words := {"prod", "prd", "live"}
