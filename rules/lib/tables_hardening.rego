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

# xtrace_patterns find, in a file's text or a script's, a shell told to
# print each command before it runs it (`set -x`, `set -euxo pipefail`,
# `set -o xtrace`, `bash -x script.sh`): the look before a script's
# commands are read, which then tell exactly. Each starts with a literal,
# which Go's regular expressions look for first; one alternation of them
# all scanned a file a hundred times slower.
xtrace_patterns := [`set -(?:[A-Za-z]*x|o xtrace)`, `sh -[A-Za-z]*x`]

# debug_logging_keywords are words every debug variable and every trace
# holds (text.mentions_any's form): debug-logging's first look at a file's
# text, before the debug variables and xtrace_patterns tell exactly.
debug_logging_keywords := {"_DEBUG", "set -", "sh -"}

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

# --- GitLab security scanners ------------------------------------------------

# security_scanners are GitLab's security scanners as its templates add
# them: the variable that switches a scanner off (its jobs' first rule is
# `if: $X_DISABLED == 'true' || $X_DISABLED == '1'`, `when: never`; older
# templates test only that it is set), the templates that add it (globs
# over the `include: template:` path; Auto-DevOps adds them all), the
# names of its scanning jobs (globs), and the finding's severity.
# Container scanning and DAST need an image or a running application,
# which many projects do not have: switching them off is more often a
# fitting choice.
security_scanners[scanner] := entry if some scanner, entry in {
	"SAST": {
		"variable": "SAST_DISABLED",
		"templates": ["{Security,Jobs}/SAST{,.latest,-IaC,-IaC.latest}.gitlab-ci.yml", "SAST.gitlab-ci.yml"],
		"jobs": ["*-sast"], "severity": "medium",
	},
	"secret detection": {
		"variable": "SECRET_DETECTION_DISABLED",
		"templates": ["{Security,Jobs}/Secret-Detection{,.latest}.gitlab-ci.yml"],
		"jobs": ["secret_detection"], "severity": "medium",
	},
	"dependency scanning": {
		"variable": "DEPENDENCY_SCANNING_DISABLED",
		"templates": ["{Security,Jobs}/Dependency-Scanning{,.latest,.v2}.gitlab-ci.yml", "Dependency-Scanning.gitlab-ci.yml"],
		"jobs": ["*-dependency_scanning", "dependency-scanning"], "severity": "medium",
	},
	"container scanning": {
		"variable": "CONTAINER_SCANNING_DISABLED",
		"templates": ["{Security,Jobs}/Container-Scanning{,.latest}.gitlab-ci.yml"],
		"jobs": ["container_scanning"], "severity": "low",
	},
	"DAST": {
		"variable": "DAST_DISABLED",
		"templates": ["{Security,Jobs}/DAST{,.latest}.gitlab-ci.yml", "DAST{,.latest}.gitlab-ci.yml"],
		"jobs": ["dast"], "severity": "low",
	},
}

# scanner_bundles are templates that add every scanner of security_scanners.
scanner_bundles contains template if some template in {"Auto-DevOps.gitlab-ci.yml"}

# configuration_scanner_jobs are the templates' jobs that hold settings
# for the scanning jobs and never run themselves (their rules already say
# `when: never`), and the analyzers GitLab retired in 15.4, whose jobs
# only fail: switching one off changes nothing.
configuration_scanner_jobs contains job if some job in {
	"sast", "iac-sast", "dependency_scanning",
	"bandit-sast", "eslint-sast", "gosec-sast",
}

# scanner_keywords are words every scanner's variable or job name holds
# (text.mentions_any's form): the look at a file's text before any
# variable or job is read.
scanner_keywords := {
	"_DISABLED", "-sast", "secret_detection", "dependency_scanning", "dependency-scanning",
	"container_scanning", "dast",
}

# true_switch_values switch a scanner off (compared in lower case).
true_switch_values contains value if some value in {"true", "1"}

# --- Docker daemons -----------------------------------------------------------

# docker_daemon_keywords are words every finding of insecure-docker-daemon
# holds (text.mentions_any's form): the look at a file's text before any
# container is read.
docker_daemon_keywords := {
	"docker.sock", "docker_engine", "--privileged", "DOCKER_TLS_CERTDIR", ":2375", "--tls=false",
}

# docker_socket_mount matches `docker run` options (or a volume entry)
# that mount the Docker daemon's socket, or its Windows pipe, into a
# container: whoever runs in it commands the daemon, as root on its
# machine.
docker_socket_mount := `(?:^|[\s=,"'])(?:/var)?/run/docker\.sock(?:[:,"'\s]|$)|//\./pipe/docker_engine|\\\\\.\\pipe\\docker_engine`

# privileged_option matches the `docker run` option that lifts every
# isolation of a container from its machine.
privileged_option := `(?:^|\s)--privileged(?:=true)?(?:\s|$)`

# plain_daemon_option matches daemon flags and client settings that serve
# or reach the Docker API in plain TCP, with no TLS and so no
# authentication: a dockerd listening on tcp://...:2375 or told
# --tls=false.
plain_daemon_option := `(?:^|\s)(?:--tls=false|(?:-H|--host)[=\s]+tcp://[^\s]*:2375)(?:\s|$)`

# plain_docker_host matches a DOCKER_HOST a client reaches the daemon at in
# plain TCP.
plain_docker_host := `^\s*tcp://[^\s]*:2375/?\s*$`

# dind_image_pattern matches images that run a Docker daemon
# (docker:27-dind, docker:dind-rootless).
dind_image_pattern := `(?i)dind`

# docker_image_pattern matches Docker's own images (the daemon and its
# client, docker:27, docker:dind), on Docker Hub: giving one the socket or
# privileges gives them to the daemon's own makers.
docker_image_pattern := `^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?(?:library/)?docker(?::[^/]*)?(?:@.*)?$`

# docker_run_calls are the Jenkins steps that start a container with
# `docker run` options given as their arguments, and whose code runs in
# it: the job's steps ("container") or the image's own ("service").
docker_run_calls := {
	"docker.image.inside": "container",
	"withDockerContainer": "container",
	"docker.image.withRun": "service",
	"docker.image.run": "service",
}

# --- environment dumps ---------------------------------------------------------

# environment_dump_commands print every environment variable, secrets
# included, when given no arguments but those `allowed` (a regular
# expression every argument before a redirection must match; "" allows
# none): `env`, `printenv`, `set` (sh and cmd), `export -p`, `declare
# -px`, PowerShell's `Get-ChildItem env:`. `requires` is an argument one
# of them must match (the env: drive). Names are lower case.
environment_dump_commands[name] := entry if some name, entry in {
	"env": {"allowed": `^(-0|--null)$`, "requires": ""},
	"printenv": {"allowed": `^(-0|--null)$`, "requires": ""},
	"set": {"allowed": "", "requires": ""},
	"export": {"allowed": `^-p$`, "requires": ""},
	"declare": {"allowed": `^-[px]+$`, "requires": ""},
	"typeset": {"allowed": `^-[px]+$`, "requires": ""},
	"get-childitem": {"allowed": `(?i)^(env:[\\/]?\*?|-path|-literalpath)$`, "requires": `(?i)^env:[\\/]?\*?$`},
	"gci": {"allowed": `(?i)^(env:[\\/]?\*?|-path|-literalpath)$`, "requires": `(?i)^env:[\\/]?\*?$`},
	"dir": {"allowed": `(?i)^(env:[\\/]?\*?|-path|-literalpath)$`, "requires": `(?i)^env:[\\/]?\*?$`},
	"ls": {"allowed": `(?i)^(env:[\\/]?\*?|-path|-literalpath)$`, "requires": `(?i)^env:[\\/]?\*?$`},
	"get-item": {"allowed": `(?i)^(env:[\\/]?\*|-path|-literalpath)$`, "requires": `(?i)^env:[\\/]?\*$`},
}

# environment_dump_command_names are the names of
# environment_dump_commands, each also with `.exe`: a first look at a
# command's name in lower case, before the exact lookup, for
# secrets-overexposed.
environment_dump_command_names := {n | some name, _ in environment_dump_commands; some n in [name, concat("", [name, ".exe"])]}

# environment_dump_passthrough are commands a dump may be piped through
# and still hold every value: they sort, copy, encode or compress it, or
# write it to a file (`files`: how they name it, "positional" for every
# positional argument, else the options that take it, a first positional
# argument included). A pipe through anything else (grep -v, sed, awk, cut)
# is taken to filter the secrets out, and the dump is not reported.
environment_dump_passthrough[name] := entry if some name, entry in {
	"sort": {"files": []},
	"uniq": {"files": []},
	"cat": {"files": []},
	"base64": {"files": []},
	"gzip": {"files": []},
	"tee": {"files": "positional"},
	"sort-object": {"files": []},
	"format-table": {"files": []},
	"format-list": {"files": []},
	"out-string": {"files": []},
	"convertto-json": {"files": []},
	"out-file": {"files": ["-filepath", "-path", "-literalpath"]},
	"set-content": {"files": ["-path", "-literalpath"]},
	"add-content": {"files": ["-path", "-literalpath"]},
	"tee-object": {"files": ["-filepath", "-path", "-literalpath"]},
	"export-csv": {"files": ["-path", "-literalpath"]},
}

# workspace_prefixes are how a script names the workspace, which artifact
# and cache paths are relative to, and current_directory_prefixes how it
# names the directory it runs in: stripped from a written file's path
# before it is compared with them.
workspace_prefixes := [
	"$CI_PROJECT_DIR/", "${CI_PROJECT_DIR}/", "$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/",
	"${{ github.workspace }}/", "$WORKSPACE/", "${WORKSPACE}/", "${env.WORKSPACE}/",
]

current_directory_prefixes := ["./", "$PWD/", "${PWD}/"]

# artifact_upload_actions keep the files of their `path` input (lines;
# `!` excludes) as an artifact anyone with read access can download.
# Since `hidden_since` (major.minor) they leave out hidden files (.env)
# unless `include-hidden-files` is true.
artifact_upload_actions[action] := entry if some action, entry in {
	"actions/upload-artifact": {"input": "path", "hidden_since": [4, 4]},
}
