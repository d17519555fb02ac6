# Facts about the GITHUB_TOKEN, credentials and runners that the security
# hygiene rules judge by (excessive-permissions, persist-credentials,
# self-hosted-runner, insecure-commands, spoofable-bot-condition). Written
# from GitHub's documentation of the token, of actions/checkout and
# actions/upload-artifact, and of the runner's workflow commands. Action
# names are lower case globs over owner/repo[/path]. Each table is a
# partial set or object: a policy extends it from another file of this
# package.
package pipelint.lib.tables

# token_free_actions do not write anything through the job's GITHUB_TOKEN
# or request an OIDC token: they set up tools, cache, move artifacts
# between jobs, or read the repository. A job made only of these and of
# scripts that never name the token needs no write scope. An action not
# listed may use the token (most take `github.token` as a default input).
token_free_actions contains action if some action in {
	"actions/checkout",
	"actions/cache", "actions/cache/*",
	"actions/upload-artifact", "actions/download-artifact",
	"actions/upload-artifact/*", "actions/download-artifact/*",
	"*/setup-*",
	"docker/metadata-action",
	"dtolnay/rust-toolchain", "actions-rs/toolchain", "actions-rs/cargo",
	"swatinem/rust-cache", "mozilla-actions/sccache-action", "hendrikmuhs/ccache-action",
	"taiki-e/install-action", "jdx/mise-action",
	"ilammy/msvc-dev-cmd",
	"pre-commit/action",
	"gradle/wrapper-validation-action", "gradle/actions/wrapper-validation",
	"golangci/golangci-lint-action",
}

# token_commands act on GitHub with whatever token the job holds (the
# GitHub CLI reads GH_TOKEN or GITHUB_TOKEN from the environment).
token_commands contains m if some m in [
	{"names": ["gh", "hub"]},
]

# git_push_commands push to the repository with the credentials the
# checkout persisted: a job that runs one after actions/checkout keeps
# them on purpose.
git_push_commands contains m if some m in [
	{"names": ["git"], "args": ["push"]},
	{"names": ["git"], "args": ["subtree", "push"]},
	{"names": ["mkdocs"], "args": ["gh-deploy"]},
	{"names": ["mike"], "args": ["{deploy,delete,alias,set-default,retitle}"], "requires": "{-p,--push}"},
	{"names": ["ghp-import"], "requires": "{-p,--push}"},
	{"names": ["gh-pages"]},
	{"names": ["lerna"], "args": ["{version,publish}"], "unless": ["--no-push", "--no-git-tag-version"]},
	{"names": ["mvn", "mvnw"], "any_arg": "release:prepare"},
	{"names": ["semantic-release", "release-it"]},
]

# git_push_actions commit and push to the repository (a branch, a pull
# request's branch, GitHub Pages): a job that uses one after
# actions/checkout keeps the checkout's credentials on purpose, whether
# the action pushes with them or with a token of its own.
git_push_actions contains action if some action in {
	"stefanzweifel/git-auto-commit-action",
	"endbug/add-and-commit",
	"ad-m/github-push-action",
	"peter-evans/create-pull-request",
	"changesets/action",
	"actions-js/push",
	"github-actions-x/commit",
	"devops-infra/action-commit-push",
	"planetscale/ghcommit-action",
	"peaceiris/actions-gh-pages",
	"jamesives/github-pages-deploy-action",
	"helm/chart-releaser-action",
}

# oidc_commands request the job's OIDC token (`id-token: write`):
# keyless signing and trusted publishing to package registries.
oidc_commands contains m if some m in [
	{"names": ["cosign"], "args": ["{sign,sign-blob,attest,attest-blob}"]},
	{"names": ["npm", "pnpm"], "args": ["publish"]},
	{"names": ["uv"], "args": ["publish"]},
]

# credential_checkouts are the actions that check out a repository and
# leave the token they fetched with in the workspace's git configuration
# unless `input` is false. From version `separate_file_from` on, the token
# is kept in a file under $RUNNER_TEMP that .git/config includes, so an
# upload of the workspace no longer carries it; later steps still can use
# it. Every released version persists by default.
credential_checkouts contains entry if some entry in [
	{"action": "actions/checkout", "input": "persist-credentials", "separate_file_from": 6},
]

# credential_checkout_calls are the built-in checkout steps (a step's
# `call`) that leave the job's token in the workspace's git configuration
# when `input` is true; they do not by default. Azure Pipelines'
# `checkout:` keeps System.AccessToken with `persistCredentials: true`.
credential_checkout_calls contains entry if some entry in [
	{"call": "checkout", "input": "persistCredentials", "token": "the job's access token"},
]

# credential_exposing_calls are the steps (by the start of their `call`)
# that put a credential in their script's environment when `input` is
# true; `used` matches a script that reads it.
credential_exposing_calls contains entry if some entry in [
	{
		"call": "AzureCLI@", "input": "addSpnToEnvironment",
		"credential": "the service connection's service principal (servicePrincipalId, servicePrincipalKey, idToken)",
		"used": `(?i)servicePrincipal(Id|Key)|idToken|tenantId`,
	},
]

# artifact_uploads are the actions that upload files of the workspace as
# an artifact anyone who can read the run can download: `input` holds the
# paths (one per line, `!` excluding). From version `hidden_excluded_from`
# ([major, minor]) on, files and directories whose name starts with a dot
# (.git among them) are left out unless `hidden_input` is true.
artifact_uploads contains entry if some entry in [
	{"action": "actions/upload-artifact", "input": "path", "hidden_excluded_from": [4, 4], "hidden_input": "include-hidden-files"},
]

# truthy_runner_values are the values the runner reads as true in
# ACTIONS_ALLOW_UNSECURE_COMMANDS (compared in lower case).
truthy_runner_values contains value if some value in {"true", "1", "$true"}

# unsecure_commands_variable re-enables the `set-env` and `add-path`
# workflow commands, which the runner disabled in 2020 (CVE-2020-15228).
unsecure_commands_variable := "ACTIONS_ALLOW_UNSECURE_COMMANDS"

# unsecure_workflow_commands are those commands as a script prints them,
# at the start of a line (the runner reads no command elsewhere); the
# group is the command's name.
unsecure_workflow_commands := `(?:^|\s)["']?::(set-env|add-path)(?: |::)`

# bot_logins are the logins of well-known bots as people write them in
# conditions without the `[bot]` suffix GitHub Apps carry; any login
# ending in `[bot]` is a bot too.
bot_logins contains login if some login in {
	"dependabot", "dependabot-preview", "renovate", "renovate-bot", "github-actions",
	"mergify", "pre-commit-ci", "allcontributors", "imgbot", "snyk-bot", "pyup-bot",
}

# fork_guards match conditions that keep a job from running on a fork's
# pull request (or on an outsider's event): the head repository compared
# with the base, the fork flag, the author's association, a label only
# maintainers can add.
fork_guards contains pattern if some pattern in {
	`(?i)pull_request\.head\.repo\.(full_name|fork|owner)`,
	`(?i)author_association`,
	`(?i)pull_request\.labels`,
}

# author_contexts name who wrote the pull request, issue or comment, which
# no one else can change: the login and id of its user, or the app it
# was made through. A condition that checks one of these does not rest
# on github.actor alone.
author_contexts := `(?i)github\.event\.[a-z_]+\.user\.(login|id|type)|performed_via_github_app`

# trusted_event_condition matches a condition that limits a job or step
# to events only people with write access cause, or, on workflow_run, to
# runs such an event started: with no `||` that could let others in.
trusted_event_condition := `(?is)^[^|]*github\.event(_name|\.workflow_run\.event)\s*==\s*'(push|schedule|workflow_dispatch|release|repository_dispatch)'[^|]*$`

# spoofable_actor_triggers are the events whose actor (github.actor) can
# be someone, or a bot, other than whoever wrote the change the workflow
# runs on: a bot pushing to an outsider's pull request, labelling it,
# commenting on it, or running the workflow that started this one.
spoofable_actor_triggers contains event if some event in {
	"pull_request", "pull_request_target", "workflow_run",
	"issue_comment", "issues", "pull_request_review", "pull_request_review_comment",
	"discussion", "discussion_comment",
}

# author_activity_types are the activities of a pull request whose actor
# is always its author: a trigger limited to them leaves no room for a
# bot acting on someone else's pull request.
author_activity_types contains type if some type in {"opened", "reopened"}

# self_hosted_runner_labels are the runner labels (lower case) that send
# a job to a self-hosted machine: GitHub's `self-hosted`, Bitbucket's
# `self.hosted`.
self_hosted_runner_labels contains label if some label in {"self-hosted", "self.hosted"}

# hosted_runner_labels match the labels of GitHub-hosted machines,
# standard or larger (`ubuntu-latest-16-cores`, `windows-2022-8core`): a
# runner group asked for one of these holds GitHub's machines, fresh for
# every job.
hosted_runner_labels := `(?i)^(ubuntu|windows|macos)-`

# pool_wording says, per system, what a named group of runners is called
# and where to move a job off self-hosted machines (self-hosted-runner,
# read with for_system).
pool_wording[system] := wording if some system, wording in {
	"*": {"group": "a named pool of runners", "hosted": "move the job to machines the CI service provides fresh for each job"},
	"github": {"group": "a runner group", "hosted": "move the job to a GitHub-hosted runner"},
	"azure": {"group": "a named agent pool", "hosted": "move the job to a Microsoft-hosted pool (`vmImage:`)"},
}
