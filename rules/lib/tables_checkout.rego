# What untrusted-checkout and cache-poisoning judge by: the contexts that
# name a pull request's head, the commands and actions that fetch it or
# the triggering run's artifacts, what runs the code in the workspace, the
# conditions by which maintainers let it run, and how caches are keyed,
# restored and switched off. Written from GitHub's webhook payload,
# actions/checkout, actions/cache and the setup actions' documentation.
# Context paths are lower case, `*` standing for any one element or
# property, as in Expression.reads. Each table is a partial set or object:
# a policy extends it from another file of this package.
package pipelint.lib.tables

# --- the pull request's head ----------------------------------------------------

# pr_head_commit_contexts name a commit of a pull request's head, or the
# merge commit GitHub makes of it. The base repository serves a fork's
# commits by SHA (refs/pull/<n>/head), so checking one out fetches the
# author's code.
pr_head_commit_contexts contains path if some path in {
	"github.event.pull_request.head.sha",
	"github.event.pull_request.merge_commit_sha",
	"github.event.workflow_run.head_sha",
	"github.event.workflow_run.head_commit.id",
	"github.event.workflow_run.pull_requests.*.head.sha",
}

# pr_head_repository_contexts name the repository a pull request comes
# from, a fork: whatever is checked out of it is the author's.
pr_head_repository_contexts contains path if some path in {
	"github.event.pull_request.head.repo.full_name",
	"github.event.pull_request.head.repo.clone_url",
	"github.event.pull_request.head.repo.git_url",
	"github.event.pull_request.head.repo.ssh_url",
	"github.event.pull_request.head.repo.html_url",
	"github.event.workflow_run.head_repository.full_name",
	"github.event.workflow_run.head_repository.clone_url",
	"github.event.workflow_run.head_repository.html_url",
}

# pr_head_branch_contexts name the branch of a pull request's head. Fetched
# from the base repository (actions/checkout's default), such a name is a
# branch there, which only people with write access push; only fetched
# from the head repository is it the author's code.
pr_head_branch_contexts contains path if some path in {
	"github.head_ref",
	"github.event.pull_request.head.ref",
	"github.event.workflow_run.head_branch",
	"github.event.workflow_run.pull_requests.*.head.ref",
}

# pr_ref_pattern matches a ref of a pull request's head or merge commit,
# which the base repository keeps for every pull request, forks' included
# (`refs/pull/${{ github.event.issue.number }}/head`, `pull/42/merge`).
pr_ref_pattern := `(^|[^A-Za-z0-9_])pull/([^/\s"'{}]+|\$\{\{[^}]*\}\})/(head|merge)([^A-Za-z0-9_]|$)`

# head_ref_actions resolve the head of the pull request an event is about
# (an issue comment's): `commit` lists their outputs naming its commit,
# `branch` those naming its branch.
head_ref_actions contains entry if some entry in [
	{"action": "xt0rted/pull-request-comment-branch", "commit": ["head_sha"], "branch": ["head_ref"]},
	{"action": "eficode/resolve-pr-refs", "commit": ["head_sha"], "branch": ["head_ref"]},
]

# head_output_pattern matches a script (a run step's, actions/github-script's)
# that looks up a pull request's head and writes it as a step output: the
# REST fields (`pr.head.sha`, `data.head.ref`) and gh's JSON fields
# (`headRefOid`, `headRefName`).
head_commit_output_pattern := `head\.sha|headRefOid|head_sha\b`

head_branch_output_pattern := `head\.ref\b|headRefName|head_ref\b`

# pr_checkout_commands fetch and check out a pull request by number, a
# fork's included.
pr_checkout_commands contains m if some m in [
	{"names": ["gh", "hub"], "args": ["pr", "checkout"]},
]

# git_fetch_subcommands bring commits into the repository (a pull request's
# head when named by its ref, its SHA or its repository);
# git_switch_subcommands put a fetched commit in the working tree (a head
# SHA).
git_fetch_subcommands contains word if some word in {"fetch", "pull", "clone"}

git_switch_subcommands contains word if some word in {"checkout", "switch", "reset", "worktree"}

# --- artifacts of the triggering run ------------------------------------------------

# run_artifact_actions download the artifacts of another workflow run when
# one of `inputs` names it (a run id, or the commit, branch or pull
# request whose runs to search). `path` is where they land.
run_artifact_actions contains entry if some entry in [
	{"action": "actions/download-artifact", "inputs": ["run-id"], "path": "path"},
	{"action": "dawidd6/action-download-artifact", "inputs": ["run_id", "workflow", "commit", "pr", "branch"], "path": "path"},
]

# run_artifact_commands download a run's artifacts in a script.
run_artifact_commands contains m if some m in [
	{"names": ["gh"], "args": ["run", "download"]},
]

# artifact_download_script_pattern matches actions/github-script code that
# downloads an artifact (the recipe of GitHub's workflow_run documentation).
artifact_download_script_pattern := `downloadArtifact`

# --- what runs the code in the workspace ---------------------------------------------

# workspace_run_commands run code of the project in the directory they
# are given, beyond the build, install and test tables: task runners,
# package scripts, `go run`, build-system generators, and tools that load
# code from their configuration files (eslint.config.js, a pylint or mypy
# plugin, a .rubocop.yml `require:`).
workspace_run_commands contains m if some m in [
	{"names": ["make", "gmake", "task", "just", "rake", "mage", "invoke", "fab", "cmake", "meson", "ctest", "bazel", "bazelisk", "pre-commit", "tox", "nox", "danger"]},
	{"names": ["npm", "pnpm", "yarn", "bun"], "args": ["{run,run-script,exec,start,x}"]},
	{"names": ["go"], "args": ["{run,generate}"]},
	{"names": ["cargo"], "args": ["{run,xtask,make}"]},
	{"names": ["dotnet"], "args": ["run"]},
	{"names": ["poetry", "uv", "pipenv", "hatch", "pdm", "rye"], "args": ["run"]},
	{"names": ["bundle"], "args": ["exec"]},
	{"names": ["composer"], "args": ["{run-script,run}"]},
	{"names": ["deno"], "args": ["{run,task}"]},
	{"names": ["eslint", "prettier", "stylelint", "commitlint", "pylint", "mypy", "rubocop", "phpstan", "php-cs-fixer", "markdownlint-cli2", "semantic-release", "changeset"]},
]

# file_runners run the file named by their first argument, beyond the
# shells and interpreters of script_interpreters (tables_remote.rego).
file_runners contains name if some name in {"source", ".", "deno", "bun", "tsx", "ts-node"}

# workspace_code_actions run code from the workspace: they build, install
# or test the project there, or run hooks it configures. `only_if`
# restricts an entry to steps whose input matches (an input not set is
# ""); `context` names the input that points the action at a directory,
# without which it builds from elsewhere (docker/build-push-action builds
# the event's commit from git unless given a `context:`).
workspace_code_actions contains entry if some entry in [
	{"action": "github/codeql-action/autobuild"},
	{"action": "pre-commit/action"},
	{"action": "cypress-io/github-action"},
	{"action": "bahmutov/npm-install"},
	{"action": "ramsey/composer-install"},
	{"action": "php-actions/composer"},
	{"action": "gradle/gradle-build-action"},
	{"action": "goreleaser/goreleaser-action"},
	{"action": "actions-rs/cargo"},
	{"action": "borales/actions-yarn"},
	{"action": "docker/build-push-action", "context": "context"},
	{"action": "ruby/setup-ruby", "only_if": {"bundler-cache": `^true$`}},
	{"action": "pnpm/action-setup", "only_if": {"run_install": `^(true|\s*-.*|\{.*)$`}},
]

# inert_actions never run anything of the workspace: after a checkout of
# untrusted code they leave it data.
inert_actions contains action if some action in {
	"actions/checkout", "actions/upload-artifact", "actions/download-artifact",
	"actions/cache", "actions/cache/restore", "actions/cache/save",
	"actions/setup-node", "actions/setup-python", "actions/setup-go", "actions/setup-java", "actions/setup-dotnet",
	"actions/create-github-app-token", "actions/github-script",
}

# inert_commands only move, compare or report files and text: in the
# author's tree they run none of its code (git reads no hooks or
# configuration from a checkout).
inert_commands contains name if some name in {
	"git", "gh", "hub", "curl", "wget", "echo", "printf", "cat", "jq", "yq", "grep", "egrep", "fgrep",
	"sed", "awk", "cut", "tr", "sort", "uniq", "head", "tail", "wc", "ls", "find", "test", "[", "[[",
	"diff", "cmp", "comm", "mkdir", "rm", "cp", "mv", "ln", "touch", "chmod", "tar", "unzip", "zip",
	"gzip", "gunzip", "base64", "sha256sum", "sha1sum", "shasum", "md5sum", "date", "sleep", "true",
	"false", "exit", "export", "cd", "pushd", "popd", "set", "shopt", "read", "basename", "dirname",
	"realpath", "tee", "which", "command", "type", ":",
}

# --- who lets the code run ------------------------------------------------------------

# approval_gates are conditions by which a maintainer lets a pull
# request's code run (a label only they can add, a comment only their
# association passes, an environment's reviewers): they lower the risk
# as far as the maintainer reads every push first. `name` says which in
# messages; `pattern` matches the job's or step's `if:` (a label that must
# be absent, `!contains(...)`, lets anyone in).
approval_gates contains gate if some gate in [
	{"name": "a label condition", "pattern": `(^|[^!])contains\(\s*github\.event\.pull_request\.labels\.\*\.name|github\.event\.label\.name\s*==|github\.event\.action\s*==\s*'labeled'`},
	{"name": "the commenter's association", "pattern": `(comment|review)\.author_association`},
	{"name": "an actor condition", "pattern": `github\.(triggering_)?actor\b`},
]

# permission_check_pattern matches a step's script that checks the
# permission or association of whoever triggered the run before going on
# (issue_comment commands).
permission_check_pattern := `author_association|getCollaboratorPermissionLevel|/collaborators/[^\s]*/permission|checkPermission`

# trusted_author_patterns match a condition that lets only pull requests
# from the base repository itself, or by its members, run: their code is
# not an outsider's.
trusted_author_patterns contains pattern if some pattern in [
	`(pull_request|issue)\.author_association[^|]*'(OWNER|MEMBER|COLLABORATOR)'|'(OWNER|MEMBER|COLLABORATOR)'[^|]*(pull_request|issue)\.author_association`,
	`head\.repo\.full_name\s*==\s*github\.repository\b|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name`,
	`head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork`,
	`pull_request\.user\.login\s*==\s*'[^']*\[bot\]'`,
]

# compared_events are the event names a condition compares
# `github.event_name` with for equality (`github.event_name ==
# 'pull_request'`, `'push' == github.event_name`).
compared_events(condition) := {n |
	some m in regex.find_all_string_submatch_n(`github\.event_name\s*==\s*'([a-z_]+)'|'([a-z_]+)'\s*==\s*github\.event_name`, condition, -1)
	some n in array.slice(m, 1, 3)
	n != ""
}

# --- caches ------------------------------------------------------------------------------

# cache_key_inputs name, per action, the inputs that name a cache entry
# it restores or saves.
cache_key_inputs := {
	"actions/cache": ["key", "restore-keys"],
	"actions/cache/restore": ["key", "restore-keys"],
	"actions/cache/save": ["key"],
	"Swatinem/rust-cache": ["prefix-key", "shared-key", "key"],
}

# cache_no_restore_inputs make a cache action restore nothing: with the
# input set to a value matching the pattern, it only looks the key up.
cache_no_restore_inputs := {
	"actions/cache": {"lookup-only": `^true$`},
	"actions/cache/restore": {"lookup-only": `^true$`},
	"Swatinem/rust-cache": {"lookup-only": `^true$`},
	"gradle/actions/setup-gradle": {"cache-write-only": `^true$`},
}

# gha_cache_inputs are the inputs by which a build action reads image
# layers from the GitHub Actions cache (`cache-from: type=gha`), with
# the pattern of a value that does.
gha_cache_inputs := {
	"docker/build-push-action": {"cache-from": `\btype=gha\b`},
	"docker/bake-action": {"set": `cache-from=[^\n]*\btype=gha\b`},
}

# release_workflow_pattern marks, by its name or file, a workflow run by
# hand that releases (workflow_dispatch of a release workflow).
release_workflow_pattern := `(?i)(^|[^a-z])(release|releases|releasing|publish|publishing)([^a-z]|$)`
