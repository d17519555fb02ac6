# Who controls what a pipeline reads, and how much a trigger grants: the
# facts the untrusted-input rules (script-injection, prompt-injection,
# untrusted-checkout, ...) judge by. Written from GitHub's webhook payload
# and GITHUB_TOKEN documentation. Context paths are lower case, `*`
# standing for any one element or property, as in Expression.reads.
# Each table is a partial set: a policy extends it from another file of
# this package.
package pipelint.lib.tables

# outsider_contexts are free text that anyone able to open an issue, a
# pull request from a fork, a comment, a review or a discussion writes:
# titles and bodies, branch names, commit messages and author names, wiki
# page names, and the previous text of an edited one.
outsider_contexts contains path if some path in {
	"github.head_ref",
	"github.event.issue.title", "github.event.issue.body",
	"github.event.pull_request.title", "github.event.pull_request.body",
	"github.event.pull_request.head.ref", "github.event.pull_request.head.label",
	"github.event.pull_request.head.repo.default_branch",
	"github.event.pull_request.head.repo.description",
	"github.event.pull_request.head.repo.homepage",
	"github.event.comment.body", "github.event.review.body", "github.event.review_comment.body",
	"github.event.discussion.title", "github.event.discussion.body",
	"github.event.pages.*.page_name", "github.event.pages.*.title",
	"github.event.changes.*.from",
	"github.event.head_commit.message", "github.event.head_commit.author.name", "github.event.head_commit.committer.name",
	"github.event.commits.*.message", "github.event.commits.*.author.name", "github.event.commits.*.committer.name",
	"github.event.merge_group.head_commit.message", "github.event.merge_group.head_commit.author.name",
	"github.event.workflow_run.head_branch", "github.event.workflow_run.display_title",
	"github.event.workflow_run.head_commit.message", "github.event.workflow_run.head_commit.author.name",
	"github.event.workflow_run.head_commit.committer.name",
	"github.event.workflow_run.pull_requests.*.head.ref",
	"github.event.workflow_run.head_repository.description",
	"github.event.check_suite.head_branch", "github.event.check_run.check_suite.head_branch",
}

# context_roots are the first part of the context paths of the tables
# below, one per system whose expressions read contexts: GitHub's
# `github.*`, CircleCI's `pipeline.*` values.
context_roots contains root if some root in {"github", "pipeline"}

# And the CircleCI pipeline values an outsider
# writes when a fork's pull request is built (the project setting
# "Build forked pull requests"): branch names, commit messages and
# titles, author names.
outsider_contexts contains path if some path in {
	"pipeline.git.branch",
	"pipeline.trigger_parameters.github_app.branch",
	"pipeline.trigger_parameters.github_app.commit_message",
	"pipeline.trigger_parameters.github_app.commit_title",
	"pipeline.trigger_parameters.github_app.user_name",
	"pipeline.trigger_parameters.gitlab.branch",
	"pipeline.trigger_parameters.gitlab.commit_message",
	"pipeline.trigger_parameters.gitlab.commit_title",
	"pipeline.trigger_parameters.gitlab.user_name",
}

# Azure Pipelines' predefined variables that carry a change's branch
# name or commit message, which its macros ($(Build.SourceBranchName))
# substitute into scripts before they run.
outsider_contexts contains path if some path in {
	"system.pullrequest.sourcebranch",
	"build.sourcebranch", "build.sourcebranchname", "build.sourceversionmessage",
}

# Azure's predefined variables are read under their own roots.
context_roots contains root if some root in {"build", "system"}

# input_prefixes are the prefixes of the paths that read a pipeline's
# inputs: GitHub's and GitLab's inputs, Azure's template parameters.
input_prefixes contains prefix if some prefix in {"inputs.", "github.event.inputs.", "parameters."}

# partly_controlled_contexts are structured values an outsider chooses
# within a format that still admits shell metacharacters: e-mail
# addresses (`"$(id)"@example.com` is one) and free-form URLs.
partly_controlled_contexts contains path if some path in {
	"github.event.head_commit.author.email", "github.event.head_commit.committer.email",
	"github.event.commits.*.author.email", "github.event.commits.*.committer.email",
	"github.event.merge_group.head_commit.author.email",
	"github.event.workflow_run.head_commit.author.email", "github.event.workflow_run.head_commit.committer.email",
}

# fixed_contexts are values no outsider can shape into code: SHAs,
# numbers and ids, GitHub's own names and results, logins (letters,
# digits and hyphens). Rules never report them, even inside a larger
# context an outsider writes (`github.event.pull_request.head.sha`).
fixed_contexts contains path if some path in {
	"github.sha", "github.event.*.sha", "github.event.*.*.sha", "github.event.*.head_sha",
	"github.event.*.number", "github.event.*.id", "github.event.number",
	"github.run_id", "github.run_number", "github.run_attempt", "github.job",
	"github.repository", "github.repository_owner", "github.repository_id", "github.event_name",
	"github.actor", "github.triggering_actor", "github.event.*.user.login", "github.event.sender.login",
	"github.ref", "github.ref_name", "github.base_ref", "github.workspace", "github.server_url", "github.api_url",
	"github.event.pull_request.head.repo.full_name", "github.event.pull_request.head.repo.fork",
	"github.event.*.html_url", "github.event.*.url",
	"steps.*.outcome", "steps.*.conclusion", "needs.*.result", "job.status", "runner.*",
	"secrets.*", "github.token", "vars.*",
}

# privileged_triggers run the base repository's workflow with its token
# (write by default on older repositories) and its secrets, on an event an
# outsider causes: a fork's pull request, an issue, a comment, a review, a
# discussion, a wiki edit, or a run another of those started.
privileged_triggers contains event if some event in {
	"pull_request_target", "workflow_run",
	"issue_comment", "issues",
	"discussion", "discussion_comment",
	"pull_request_review", "pull_request_review_comment",
	"gollum",
}

# context_events are the events whose payload carries a context: a path
# under one of these prefixes is only set when one of its events started
# the run.
context_events := {
	"github.head_ref": {"pull_request", "pull_request_target"},
	"github.event.pull_request": {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"},
	"github.event.issue": {"issues", "issue_comment"},
	"github.event.comment": {"issue_comment", "pull_request_review_comment", "commit_comment", "discussion_comment"},
	"github.event.review": {"pull_request_review"},
	"github.event.review_comment": {"pull_request_review_comment"},
	"github.event.discussion": {"discussion", "discussion_comment"},
	"github.event.pages": {"gollum"},
	"github.event.head_commit": {"push"},
	"github.event.commits": {"push"},
	"github.event.merge_group": {"merge_group"},
	"github.event.workflow_run": {"workflow_run"},
	"github.event.check_suite": {"check_suite"},
	"github.event.check_run": {"check_run"},
	"system.pullrequest": {"pull_request"},
	"build.sourcebranch": {"push", "pull_request"},
	"build.sourcebranchname": {"push", "pull_request"},
	"build.sourceversionmessage": {"push", "pull_request"},
}

# fork_triggers run on outsiders' changes without the base repository's
# secrets and with a read-only token when the change comes from a fork.
fork_triggers contains event if some event in {"pull_request", "merge_group"}

# code_input_actions evaluate one of their inputs as code, in the
# language given: an expression spliced into it is code, as in `run:`.
# The actions of script_input_actions run a shell command from an input
# and count too.
code_input_actions contains entry if some entry in [
	{"action": "actions/github-script", "input": "script", "language": "javascript"},
	{"action": "azure/cli", "input": "inlineScript", "language": "bash"},
	{"action": "azure/powershell", "input": "inlineScript", "language": "pwsh"},
	{"action": "appleboy/ssh-action", "input": "script", "language": "bash"},
	{"action": "mathiasvr/command-output", "input": "run", "language": "bash"},
]

# jenkins_change_variables are the environment variables a Jenkins
# multibranch build sets from the change it builds, and who writes them:
# the title, branch and author of a pull request come from its author
# ("outsider": with a fork's change request, anyone); branch and tag
# names from people who can push ("pusher"). A Groovy string interpolates
# them into a script's text before the shell runs it.
jenkins_change_variables := {
	"CHANGE_TITLE": "outsider",
	"CHANGE_BRANCH": "outsider",
	"CHANGE_AUTHOR": "outsider",
	"CHANGE_AUTHOR_DISPLAY_NAME": "outsider",
	"CHANGE_AUTHOR_EMAIL": "outsider",
	"CHANGE_FORK": "outsider",
	"BRANCH_NAME": "pusher",
	"GIT_BRANCH": "pusher",
	"GIT_LOCAL_BRANCH": "pusher",
	"TAG_NAME": "pusher",
}

# shell_calls are the Jenkins steps that run their first argument (or
# `script:`) as a script, and the shell that reads it.
shell_calls := {"sh": "sh", "bat": "cmd", "powershell": "powershell", "pwsh": "pwsh"}

# ai_agent_actions run an AI coding agent on the prompt given in the
# inputs named; the agent acts with the job's token and tools, so text in
# its prompt is instructions.
ai_agent_actions contains entry if some entry in [
	{"action": "anthropics/claude-code-action", "inputs": ["prompt", "direct_prompt", "override_prompt", "custom_instructions"]},
	{"action": "anthropics/claude-code-base-action", "inputs": ["prompt", "append_system_prompt"]},
	{"action": "google-github-actions/run-gemini-cli", "inputs": ["prompt"]},
	{"action": "openai/codex-action", "inputs": ["prompt"]},
	{"action": "actions/ai-inference", "inputs": ["prompt", "system-prompt"]},
]

# ai_agent_commands are the command-line agents whose arguments are a
# prompt.
ai_agent_commands contains m if some m in [
	{"names": ["claude", "gemini", "codex", "aider", "opencode", "cursor-agent", "amp", "qwen", "goose"]},
	{"names": ["copilot"]},
	{"names": ["gh"], "args": ["copilot"]},
]

# The context tables as anchored regular expressions, built once with the
# tables: a path is matched against a whole table in one step. The
# holders patterns match the objects that hold such a context
# (`github.event.issue` holds the issue's title), for an expression that
# reads the whole object (`toJSON(github.event)`).
outsider_contexts_pattern := context_pattern(outsider_contexts)

outsider_holders_pattern := context_pattern(holders(outsider_contexts))

partly_controlled_contexts_pattern := context_pattern(partly_controlled_contexts)

partly_controlled_holders_pattern := context_pattern(holders(partly_controlled_contexts))

fixed_contexts_pattern := context_pattern(fixed_contexts)

# holders are the paths above each context: github.event and
# github.event.issue for github.event.issue.title.
holders(contexts) := {concat(".", array.slice(parts, 0, n)) |
	some c in contexts
	parts := split(c, ".")
	count(parts) > 1
	some n in numbers.range(1, count(parts) - 1)
}

# context_pattern turns context paths, `*` standing for one element, into
# one anchored regular expression.
context_pattern(contexts) := concat("", ["^(", concat("|", [replace(replace(c, ".", `\.`), "*", `[^.]+`) | some c in contexts]), ")$"])
