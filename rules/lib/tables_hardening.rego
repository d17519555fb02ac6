# Facts about debug output, GitLab's security scanners and Docker daemons
# that debug-logging, security-scan-disabled and insecure-docker-daemon
# judge by. Written from GitLab's documentation of CI/CD variables, of
# GitLab Runner and of its security templates (Jobs/*.gitlab-ci.yml),
# GitHub's of debug logging, and Docker's of the daemon socket and of the
# docker:dind image. Each table is a partial set or object: a policy
# extends it from another file of this package.
package pipelint.lib.tables

# --- debug output -----------------------------------------------------------

# debug_variables turn on a CI system's debug output when the file sets
# them: what the log then holds, the values that turn it on (compared in
# lower case) and the finding's severity. GitLab Runner reads its two
# with Go's strconv.ParseBool (1, t, true); GitLab keeps such a log from
# non-members only for "true". GitHub's runner reads its two from the
# repository's secrets and variables only: set in `env:`, they turn on
# the debug output of the actions and tools that read them (@actions/core
# reads RUNNER_DEBUG, others ACTIONS_STEP_DEBUG), on every run.
debug_variables[name] := entry if some name, entry in {
	"CI_DEBUG_TRACE": {
		"prints": "the trace of every command with the value of every variable, masked secrets included",
		"on": {"1", "t", "true"}, "severity": "high",
	},
	"CI_DEBUG_SERVICES": {
		"prints": "the service containers' logs, in among the job's own lines, where masking misses secrets",
		"on": {"1", "t", "true"}, "severity": "medium",
	},
	"ACTIONS_STEP_DEBUG": {
		"prints": "the debug output of the actions and tools that read it (request bodies, resolved inputs)",
		"on": {"1", "true"}, "severity": "low",
	},
	"ACTIONS_RUNNER_DEBUG": {
		"prints": "the debug output of the actions and tools that read it",
		"on": {"1", "true"}, "severity": "low",
	},
}

# xtrace_text finds, in a file's text or a script's, a shell told to print
# each command before it runs it (`set -x`, `set -euxo pipefail`, `set -o
# xtrace`, `bash -x script.sh`): the cheap look before any command is
# read, which the commands then confirm. Literal words and classes only:
# `\b` or `\s+` make Go's matcher allocate on every file.
xtrace_text := `set -[A-Za-z]*x|set -o xtrace|sh -[A-Za-z]*x`

# debug_logging_text finds, in a file's text, any of debug_variables or a
# shell trace: debug-logging's one look before it reads any element.
debug_logging_text := concat("|", array.concat([name | some name, _ in debug_variables], [xtrace_text]))

# xtrace_shells trace the script they run when given -x.
xtrace_shells contains name if some name in {"bash", "sh", "zsh", "ksh", "dash"}

# job_scoped_tokens are credentials a CI system mints for one job, masks
# in every log and revokes when the job ends: a trace that prints one
# leaks nothing that outlives the job.
job_scoped_tokens contains name if some name in {
	"CI_JOB_TOKEN", "CI_BUILD_TOKEN", "CI_REGISTRY_PASSWORD", "CI_DEPENDENCY_PROXY_PASSWORD",
	"CI_JOB_JWT", "CI_JOB_JWT_V1", "CI_JOB_JWT_V2",
	"GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
}

# job_token_contexts are the GitHub expressions of the job's own token.
job_token_contexts contains path if some path in {"github.token", "secrets.github_token"}
