# METADATA
# description: |
#   Classification tables the rules read. Each table is a partial set, so a
#   policy author extends it from another file in this package:
#
#     package pipelint.lib.tables
#     testing_commands contains {"names": ["our-test-runner"]}
#
#   Command matchers are described in data.pipelint.lib.commands.
package pipelint.lib.tables

# --- tests -----------------------------------------------------------------

testing_commands contains m if some m in [
	{"names": ["go"], "args": ["test"]},
	{"names": ["gotestsum"]},
	{"names": ["ginkgo"]},
	{"names": ["pytest", "py.test", "tox", "nox"]},
	{"names": ["unittest"]}, # python -m unittest
	{"names": ["python", "python3"], "args": ["setup.py", "test"]},
	{"names": ["pipx"], "args": ["run", "{tox,nox,pytest}"]},
	{"names": ["hatch"], "args": ["test"]},
	{"names": ["npm", "pnpm", "yarn", "bun"], "args": ["{test,t,tst}"]},
	{"names": ["npm", "pnpm", "yarn", "bun"], "args": ["run", "{test,test:*,test-*,tests,e2e,coverage,cover}"]},
	{"names": ["yarn", "pnpm"], "args": ["{test:*,test-*,e2e}"]},
	{"names": ["jest", "vitest", "mocha", "ava", "karma", "jasmine", "tap", "cypress", "c8", "nyc"]},
	{"names": ["istanbul"], "args": ["{cover,test}"]},
	{"names": ["bats"]},
	{"names": ["playwright"], "args": ["test"]},
	{"names": ["mvn", "mvnw"], "any_arg": "{test,verify,install,package,deploy,integration-test}", "unless": ["-DskipTests", "-DskipTests=true", "-Dmaven.test.skip", "-Dmaven.test.skip=true"]},
	{"names": ["gradle", "gradlew"], "any_arg": "{test,check,build,*Test,*Check,connectedCheck}", "unless_after": {"-x": "test", "--exclude-task": "test"}},
	{"names": ["sbt", "lein"], "any_arg": "test"},
	{"names": ["cargo"], "args": ["{test,nextest,tarpaulin,llvm-cov}"]},
	{"names": ["dotnet"], "args": ["{test,vstest}"]},
	{"names": ["ctest"]},
	{"names": ["meson"], "args": ["test"]},
	{"names": ["make", "gmake"], "any_arg": "{test,tests,check,test-*,*-test,unittest,integration,e2e}"},
	{"names": ["rake"], "any_arg": "{test,spec,test:*}"},
	{"names": ["rspec", "minitest", "cucumber"]},
	{"names": ["phpunit", "pest", "codecept", "behat"]},
	{"names": ["composer"], "args": ["{test,tests}"]},
	{"names": ["swift", "flutter", "dart", "deno", "bazel", "bazelisk", "zig", "mix", "stack", "cabal", "elm-test"], "args": ["test"]},
	{"names": ["xcodebuild"], "any_arg": "test"},
	{"names": ["ant"], "any_arg": "{test,junit}"},
	{"names": ["Invoke-Pester"]},
]

# testing_actions are actions that run tests or publish their results.
testing_actions contains action if some action in {
	"dorny/test-reporter",
	"EnricoMi/publish-unit-test-result-action",
	"mikepenz/action-junit-report",
	"cypress-io/github-action",
	"codecov/codecov-action",
	"coverallsapp/github-action",
	"paambaati/codeclimate-action",
}

# script_input_actions run a shell command given in one of their inputs
# (`run:` of a benchmark action, `command:` of a retry action): a test
# command there tests like one in a run step.
script_input_actions contains entry if some entry in [
	{"action": "CodSpeedHQ/action", "input": "run"},
	{"action": "nick-fields/retry", "input": "command"},
	{"action": "nick-invision/retry", "input": "command"},
	{"action": "Wandalen/wretry.action", "input": "command"},
	{"action": "coactions/setup-xvfb", "input": "run"},
	{"action": "GabrielBB/xvfb-action", "input": "run"},
	{"action": "reactivecircus/android-emulator-runner", "input": "script"},
]

# testing_calls are non-shell steps (Jenkins steps) that record test results.
testing_calls contains call if some call in {"junit", "xunit", "nunit", "mstest", "testNG", "jacoco", "publishCoverage", "recordCoverage", "cobertura", "publishTestResults"}

# testing_report_kinds are job reports that only test runs produce.
testing_report_kinds contains kind if some kind in {"junit", "coverage", "coverage_report"}

# testing_name_pattern marks a job or step name as (weak) test evidence.
testing_name_pattern := `(?i)(^|[^a-z])(tests?|testing|specs?|unit|integration|e2e|qa|fuzz|fuzzing|conformance|smoke)([^a-z]|$)`

# not_testing_name_pattern marks names that say "test" but name a place,
# not a test run: publishing to Test PyPI tests nothing.
not_testing_name_pattern := `(?i)test[ ._-]?pypi`

# --- builds ----------------------------------------------------------------

build_commands contains m if some m in [
	{"names": ["go"], "args": ["build"]},
	{"names": ["goreleaser"], "unless": ["check", "healthcheck", "init"]},
	{"names": ["npm", "pnpm", "yarn", "bun"], "args": ["run", "{build,build:*,compile,dist,bundle}"]},
	{"names": ["yarn", "pnpm"], "args": ["{build,build:*}"]},
	{"names": ["tsc", "webpack", "vite", "rollup", "esbuild", "next", "ng", "parcel"]},
	{"names": ["mvn", "mvnw"], "unless": ["help:*", "versions:*", "dependency:*"]},
	# buildScanPublishPrevious uploads the build scan of an earlier build.
	{"names": ["gradle", "gradlew"], "unless": ["help", "dependencies", "properties", "wrapper", "tasks", "buildScanPublishPrevious"]},
	{"names": ["sbt", "ant"]},
	{"names": ["cargo"], "args": ["build"]},
	# `cargo install <crate>` installs a tool; `--path` builds the project.
	{"names": ["cargo"], "args": ["install"], "requires": "--path*"},
	{"names": ["dotnet"], "args": ["{build,publish,pack}"]},
	{"names": ["msbuild"]},
	{"names": ["make", "gmake"], "no_positional": true},
	{"names": ["make", "gmake"], "any_arg": "{build,all,release,dist,compile,package,bin,binaries,image,images,docker,build-*,*-build}"},
	{"names": ["cmake"], "requires": "--build"},
	{"names": ["ninja", "scons"]},
	{"names": ["meson", "bazel", "bazelisk"], "args": ["{build,compile}"]},
	{"names": ["build"]}, # python -m build
	{"names": ["python", "python3"], "args": ["setup.py", "{build,bdist*,sdist}"]},
	{"names": ["poetry", "uv", "hatch", "pdm", "flit"], "args": ["build"]},
	{"names": ["docker", "podman", "buildah"], "args": ["build"]},
	{"names": ["docker", "podman"], "args": ["buildx", "build"]},
	{"names": ["swift", "flutter"], "args": ["build*"]},
	{"names": ["xcodebuild"]},
]

# analysis_actions mark a pipeline that builds code only to analyse it
# (CodeQL and friends); it is not expected to run tests.
analysis_actions contains action if some action in {
	"CodSpeedHQ/action",
	"benchmark-action/github-action-benchmark",
	"github/codeql-action/init",
	"github/codeql-action/autobuild",
	"github/codeql-action/analyze",
	"ossf/scorecard-action",
	"SonarSource/sonarcloud-github-action",
	"SonarSource/sonarqube-scan-action",
}

build_actions contains action if some action in {
	"docker/build-push-action",
	"goreleaser/goreleaser-action",
	"gradle/gradle-build-action",
}

# action_input_conditions qualify an action's entry in one action table
# (by_action): with `only_if`, the step counts when one of the inputs
# matches its regex; with `unless`, when none does. An input not set is "".
# goreleaser-action with install-only only installs the tool, `check`
# validates the configuration, and a --snapshot or build publishes nothing;
# build-push-action pushes only when told to.
action_input_conditions := {
	"goreleaser/goreleaser-action": {
		"build": {"unless": {"install-only": `^true$`, "args": `^\s*(check|healthcheck|init)\b`}},
		"release": {"unless": {"install-only": `^true$`, "args": `^\s*(check|healthcheck|init|build)\b|--snapshot|--skip[= ]?publish`}},
	},
	"docker/build-push-action": {"release": {"only_if": {"push": `^(true|\$\{\{.*)$`, "outputs": `push=(true|\$\{\{)`}}},
}

# action_input_conditions_by_name is action_input_conditions by the lower
# case action name, as steps are matched.
action_input_conditions_by_name := {lower(action): c | some action, c in action_input_conditions}

# container_build_calls are non-shell steps that build an image (Jenkins
# `docker.build(...)`). Such an image ships when the job then pushes an
# image (a call matching container_push_call, `image.push()`); otherwise it
# is an environment to run steps in (`.inside { }`).
container_build_calls contains call if some call in {"docker.build"}

container_push_call := `\.push$`

# tooling_image_pattern matches the tag, Dockerfile or target of an image
# built for CI itself (a build environment, a test image): it is tooling,
# not the product, and has no tests of its own to run.
tooling_image_pattern := `(?i)(^|[^a-z])(build[-_]?env|buildenv|ci[-_]image|test|tests|testing|devcontainer|toolchain)([^a-z]|$)`

# analysis_commands check the code rather than build it for use: dependency
# and quality scans, API and ABI compatibility checks, benchmarks and
# documentation builds. A job that runs one and neither deploys nor
# publishes builds only for the check.
analysis_commands contains m if some m in [
	{"names": ["mvn", "mvnw"], "any_arg": "{dependency-check:*,org.owasp:dependency-check-maven:*,sonar:sonar,org.sonarsource.scanner.maven:sonar-maven-plugin:*,japicmp:*,revapi:*,javadoc:*,site,site:*}"},
	{"names": ["gradle", "gradlew"], "any_arg": "{sonar,sonarqube,dependencyCheck*,apiCheck,japicmp*,revapi*,javadoc,dokka*}"},
	# `go vet -vettool=` runs an analyzer that the job has just built.
	{"names": ["go"], "args": ["vet"], "requires": "-vettool=*"},
	{"names": ["apidiff", "gorelease", "abidiff", "abi-compliance-checker", "japicmp", "revapi", "api-extractor", "dependency-check", "sonar-scanner"]},
	{"names": ["cargo"], "args": ["{semver-checks,public-api,bench,codspeed,doc}"]},
	{"names": ["make", "gmake"], "any_arg": "{apidiff*,api-diff,api-check,abi-check,abidiff,bench,benchmark*,doc,docs,html}"},
	{"names": ["sphinx-build", "mkdocs", "jekyll", "hugo", "doxygen", "typedoc", "mdbook", "docfx", "hyperfine", "asv"]},
]

# analysis_name_pattern marks a job (by id, name or stage) or a whole
# pipeline (by name) whose builds serve a check: benchmarks, documentation,
# compatibility checks, code analysis.
analysis_name_pattern := `(?i)(^|[^a-z])(bench|benchmarks?|benchmarking|perf|performance|profiling|memory|docs?|documentation|wiki|(api|abi)[-_ ]?(diff|compat|compatibility|check)|apidiff|abidiff|semver|compat|compatibility|analy[sz]e|analy[sz]er|analysis|sonar|sonarqube|sonarcloud|owasp|dependency[-_ ]?check|codeql)([^a-z]|$)`

# change_events are the events that start a pipeline for a change to the
# code: a push, a pull or merge request, a merge queue, a polled commit.
# A pipeline that declares no trigger runs on every push (GitLab without
# `workflow: rules`, a Jenkinsfile).
change_events contains event if some event in {
	"push", "pull_request", "merge_group", # GitHub
	"merge_request_event", "external_pull_request_event", # GitLab
	"pollSCM", "githubPush", "gitlabPush", "bitbucketPush", # Jenkins
	"internal_pull_request", # Bitbucket: a pull request from a branch of the repository (forks' are never built)
}

# call_triggers are the events by which only another pipeline starts this
# one (a GitHub reusable workflow): its callers decide what runs before it.
call_triggers contains event if some event in {"workflow_call"}

# environment_setup_jobs prepare an environment and ship nothing (GitHub
# runs the job copilot-setup-steps to set up Copilot's coding agent).
environment_setup_jobs contains id if some id in {"copilot-setup-steps"}

# query_args are the arguments of a command that asks the tool about
# itself (`mvn --version`, `gradle -v`): given only these, it runs nothing.
query_args contains arg if some arg in {"--version", "-version", "-v", "-V", "version", "--help", "-help", "-h", "help"}

# testing_hints name, per build tool (a command name or an action),
# the usual way to run the project's tests, for messages.
testing_hints := {
	"go": "go test ./...", "goreleaser": "go test ./...", "goreleaser/goreleaser-action": "go test ./...",
	"npm": "npm test", "pnpm": "pnpm test", "yarn": "yarn test", "bun": "bun test",
	"mvn": "mvn verify", "mvnw": "./mvnw verify", "gradle": "gradle check", "gradlew": "./gradlew check",
	"gradle/gradle-build-action": "gradle check", "sbt": "sbt test", "ant": "ant test",
	"cargo": "cargo test", "dotnet": "dotnet test", "msbuild": "dotnet test",
	"make": "make test", "gmake": "make test", "cmake": "ctest", "ninja": "ctest", "meson": "meson test",
	"bazel": "bazel test //...", "bazelisk": "bazel test //...",
	"build": "pytest", "python": "pytest", "python3": "pytest", "poetry": "pytest", "uv": "pytest",
	"hatch": "hatch test", "pdm": "pytest", "flit": "pytest",
	"swift": "swift test", "flutter": "flutter test", "xcodebuild": "xcodebuild test",
}

# --- dependency installs (need a cache) -------------------------------------

# Python tooling whose installation alone is not a project's dependencies.
python_tooling := ["pip", "setuptools", "wheel", "build", "twine", "virtualenv", "pipx", "uv", "poetry", "tox", "nox", "pre-commit", "pip-tools", "setuptools-scm", "hatch", "ruff", "black", "flake8"]

install_commands contains m if some m in [
	{"names": ["npm"], "args": ["{ci,clean-install}"], "ecosystem": "npm"},
	{"names": ["npm"], "args": ["{install,i}"], "unless": global_install_flags, "few_named": few_named_tools, "ecosystem": "npm"},
	{"names": ["yarn"], "args": ["install"], "ecosystem": "yarn"},
	{"names": ["pnpm"], "args": ["{install,i}"], "unless": global_install_flags, "ecosystem": "pnpm"},
	{"names": ["bun"], "args": ["{install,i}"], "unless": global_install_flags, "few_named": few_named_tools, "ecosystem": "bun"},
	{"names": ["pip", "pip3"], "args": ["install"], "unless": ["--no-index"], "only_of": python_tooling, "few_named": few_named_tools, "ecosystem": "pip"},
	{"names": ["poetry"], "args": ["install"], "ecosystem": "poetry"},
	{"names": ["pipenv"], "args": ["{install,sync}"], "ecosystem": "pipenv"},
	{"names": ["uv"], "args": ["sync"], "ecosystem": "uv"},
	{"names": ["uv"], "args": ["pip", "install"], "unless": ["--no-index"], "only_of": python_tooling, "few_named": few_named_tools, "ecosystem": "uv"},
	{"names": ["bundle"], "args": ["install"], "ecosystem": "bundler"},
	{"names": ["go"], "args": ["{build,test,vet}"], "ecosystem": "go"},
	# go install pkg@version builds a tool outside the module.
	{"names": ["go"], "args": ["install"], "unless": ["*@*"], "ecosystem": "go"},
	# go mod init, edit or why download nothing.
	{"names": ["go"], "args": ["mod", "{download,tidy,vendor}"], "ecosystem": "go"},
	# A goal or task is needed: mvn -version, gradle --version install nothing.
	{"names": ["mvn", "mvnw"], "any_arg": "*", "unless": ["help:*", "versions:*"], "ecosystem": "maven"},
	# buildScanPublishPrevious uploads the scan of an earlier build.
	{"names": ["gradle", "gradlew"], "any_arg": "*", "unless": ["buildScanPublishPrevious"], "ecosystem": "gradle"},
	{"names": ["cargo"], "args": ["{build,test,check,clippy,fetch,nextest}"], "ecosystem": "cargo"},
	{"names": ["cargo"], "args": ["install"], "few_named": few_named_tools, "ecosystem": "cargo"},
	{"names": ["composer"], "args": ["{install,update}"], "ecosystem": "composer"},
	# --no-restore builds with the packages an earlier restore installed.
	{"names": ["dotnet"], "args": ["{restore,build,test,publish}"], "unless": ["--no-restore"], "ecosystem": "nuget"},
]

# few_named_tools is how many named packages an install may name and still
# be the installation of a few tools (`pip install meson ninja`,
# `npm i some-cli@1.2`, `cargo install cargo-deny`), not of a project's
# dependencies: such an install has no lock file to key a cache on, and
# caching a few downloads gains little.
few_named_tools := 3

# global_install_flags install a package manager's package as a tool for
# the machine (`npm i -g some-cli`), not into the project.
global_install_flags := ["-g", "--global", "--location=global"]

# project_init_commands create a project inside the job (`go mod init`,
# `uv init`): an install into it has no lock file to key a cache on.
project_init_commands contains m if some m in [
	{"names": ["go"], "args": ["mod", "init"], "ecosystem": "go"},
	{"names": ["uv"], "args": ["init"], "ecosystem": "uv"},
	{"names": ["npm"], "args": ["init"], "ecosystem": "npm"},
	{"names": ["yarn"], "args": ["init"], "ecosystem": "yarn"},
	{"names": ["pnpm"], "args": ["init"], "ecosystem": "pnpm"},
	{"names": ["bun"], "args": ["init"], "ecosystem": "bun"},
	{"names": ["poetry"], "args": ["{init,new}"], "ecosystem": "poetry"},
	{"names": ["cargo"], "args": ["{init,new}"], "ecosystem": "cargo"},
	{"names": ["bundle"], "args": ["init"], "ecosystem": "bundler"},
	{"names": ["composer"], "args": ["{init,create-project}"], "ecosystem": "composer"},
	{"names": ["dotnet"], "args": ["new"], "ecosystem": "nuget"},
	{"names": ["gradle"], "args": ["init"], "ecosystem": "gradle"},
	{"names": ["mvn"], "any_arg": "archetype:generate", "ecosystem": "maven"},
]

# A bare `yarn` installs dependencies.
bare_install_commands contains {"names": ["yarn"], "no_positional": true, "ecosystem": "yarn"}

# cache_actions: actions that cache dependencies. `input` names the input
# that turns the cache on (any non-empty value other than "false");
# `default_since` is the first major version that caches with no input
# (an input set to "false" turns it off); `always` caches unconditionally.
# `ecosystems` lists what the cache covers; "*" covers everything. An
# action whose input names the ecosystem (`cache: npm`) lists the values
# it takes in `offers`.
cache_actions contains entry if some entry in [
	{"action": "actions/cache", "always": true, "ecosystems": ["*"]},
	{"action": "actions/cache/restore", "always": true, "ecosystems": ["*"]},
	{"action": "actions/setup-node", "input": "cache", "ecosystems_from_input": true, "offers": ["npm", "yarn", "pnpm"]},
	{"action": "actions/setup-python", "input": "cache", "ecosystems_from_input": true, "offers": ["pip", "pipenv", "poetry"]},
	{"action": "actions/setup-java", "input": "cache", "ecosystems_from_input": true, "offers": ["maven", "gradle", "sbt"]},
	{"action": "actions/setup-dotnet", "input": "cache", "ecosystems": ["nuget"]},
	{"action": "actions/setup-go", "input": "cache", "default_since": 4, "ecosystems": ["go"]},
	{"action": "ruby/setup-ruby", "input": "bundler-cache", "ecosystems": ["bundler"]},
	{"action": "astral-sh/setup-uv", "input": "enable-cache", "default_since": 6, "ecosystems": ["uv", "pip"]},
	{"action": "gradle/actions/setup-gradle", "always": true, "ecosystems": ["gradle"]},
	{"action": "gradle/gradle-build-action", "always": true, "ecosystems": ["gradle"]},
	{"action": "Swatinem/rust-cache", "always": true, "ecosystems": ["cargo"]},
	{"action": "actions-rust-lang/setup-rust-toolchain", "input": "cache", "default_since": 1, "ecosystems": ["cargo"]},
	{"action": "jdx/mise-action", "input": "cache", "default_since": 2, "ecosystems": ["*"]},
	{"action": "DeterminateSystems/magic-nix-cache-action", "always": true, "ecosystems": ["*"]},
	{"action": "bahmutov/npm-install", "always": true, "ecosystems": ["npm", "yarn", "pnpm"]},
	{"action": "pnpm/action-setup", "input": "cache", "ecosystems": ["pnpm"]},
	{"action": "oven-sh/setup-bun", "input": "cache", "ecosystems": ["bun"]},
	{"action": "ramsey/composer-install", "always": true, "ecosystems": ["composer"]},
	{"action": "julia-actions/cache", "always": true, "ecosystems": ["*"]},
]

# cleaning_goals are Maven goals and Gradle tasks that only delete build
# output: missing-cache names the goal after them (`mvn clean install`
# installs by "mvn install").
cleaning_goals := {"clean"}

# cache_opt_out_inputs are action inputs that switch an action's cache
# off, with the values that do. Written into a job (`cache: false`,
# `enable-cache: false`, `package-manager-cache: false`, an explicit
# `cache: ""`), they are a decision about caching in that job, not an
# omission.
cache_opt_out_inputs := {
	"cache": cache_off_values,
	"enable-cache": cache_off_values,
	"package-manager-cache": cache_off_values,
	"bundler-cache": cache_off_values,
	"cache-enabled": cache_off_values,
	"use-cache": cache_off_values,
	"cache-disabled": cache_on_values,
	"disable-cache": cache_on_values,
	"no-cache": cache_on_values,
	"skip-cache": cache_on_values,
}

cache_off_values := ["", "false", "none", "off", "no"]

cache_on_values := ["true", "yes", "on"]

# cache_opt_out_flags switch a package manager's own cache off for an
# install (`pip install --no-cache-dir`); cache_opt_out_env do it for a
# job or step. Either is a decision about caching for that ecosystem.
cache_opt_out_flags := {
	"pip": ["--no-cache-dir", "--no-cache"],
	"uv": ["--no-cache", "-n"],
	"poetry": ["--no-cache"],
	"composer": ["--no-cache", "clear-cache", "clearcache"], # clearing the cache first is a choice against one
	"gradle": ["--no-build-cache"],
}

cache_opt_out_env := {"pip": ["PIP_NO_CACHE_DIR"], "uv": ["UV_NO_CACHE"], "poetry": ["POETRY_NO_CACHE"]}

# cache_opt_out_flags_by_command is cache_opt_out_flags by the command
# names of each ecosystem's installs ({name: {ecosystem: flags}}), so a
# command is looked up once instead of against every ecosystem.
cache_opt_out_flags_by_command[name][ecosystem] := flags if {
	some ecosystem, flags in cache_opt_out_flags
	some m in install_commands
	m.ecosystem == ecosystem
	some name in m.names
}

# cache_location_arguments are step arguments that point a package
# manager at a cache location of the team's choosing (Jenkins
# `withMaven(mavenLocalRepo: ...)`), like cache_location_flags on a command.
cache_location_arguments := {"maven": [{"call": "withMaven", "argument": "mavenLocalRepo"}]}

# credential_actions and credential_commands log in to registries or
# clouds, or sign and attest artifacts. A job that does, or that publishes
# (release_actions, release_commands), deploys, or may request an OIDC
# token, never gets cache advice from missing-cache: what it restores from
# a cache, any run that could write the cache could have planted.
credential_actions contains action if some action in {
	"docker/login-action",
	"aws-actions/configure-aws-credentials",
	"aws-actions/amazon-ecr-login",
	"azure/login",
	"azure/docker-login",
	"google-github-actions/auth",
	"actions/attest-build-provenance",
	"actions/attest",
	"actions/attest-sbom",
	"sigstore/cosign-installer",
	"crazy-max/ghaction-import-gpg",
	"actions/upload-release-asset",
	"svenstaro/upload-release-action",
	"actions/create-release",
}

# publishing_calls are non-shell steps (Jenkins) that upload or sign
# artifacts.
publishing_calls contains call if some call in {
	"sshPublisher", "nexusArtifactUploader", "nexusPublisher", "s3Upload",
	"rtUpload", "rtPublishBuildInfo", "googleStorageUpload", "signArtifacts",
}

credential_commands contains m if some m in [
	{"names": ["docker", "podman", "buildah", "nerdctl", "skopeo", "oras", "crane", "helm"], "any_arg": "login"},
	{"names": ["cosign"], "args": ["{sign,sign-blob,attest,attest-blob}"]},
	{"names": ["gpg", "gpg2"], "requires": "{--sign,-s,--detach-sign,-b,--clearsign,--clear-sign}"},
	{"names": ["aws"], "args": ["ecr", "{get-login-password,get-login}"]},
	{"names": ["aws"], "args": ["codeartifact", "login"]},
	{"names": ["gcloud"], "args": ["auth", "{configure-docker,activate-service-account}"]},
	{"names": ["az"], "args": ["acr", "login"]},
	{"names": ["npm", "pnpm", "yarn"], "args": ["{login,adduser}"]},
]

# package_cache_path matches cache paths and volume mounts that hold
# package manager downloads.
package_cache_path := `(?i)(^|[/~.$}])(\.?m2|\.?gradle|\.?npm|node_modules|\.?yarn|\.?pnpm-store|\.?cache|pip|\.?venv|virtualenv|pkg/mod|go-build|\.?cargo|\.?ivy2|\.?sbt|\.?nuget|packages|vendor|bundle|gems|\.?composer|\.?bun|ccache|sccache|repository)(/|$)`

# cache_location_flags point a package manager's cache at a location that
# survives the run.
cache_location_flags := {"maven": ["-Dmaven.repo.local=*"], "gradle": ["--gradle-user-home=*", "-g"]}

# predefined_cache_ecosystems maps the caches a system predefines, named
# alone as a job cache's key with no paths, to the ecosystems whose
# downloads they hold: Bitbucket's `caches: [node]` keeps node_modules,
# `pip` ~/.cache/pip, `maven` ~/.m2/repository. The others (docker,
# ivy2, sbt, gradlewrapper) hold no package manager's downloads the
# install tables know.
predefined_cache_ecosystems := {
	"node": ["npm", "yarn", "pnpm", "bun"],
	"pip": ["pip"],
	"maven": ["maven"],
	"gradle": ["gradle"],
	"composer": ["composer"],
	"dotnetcore": ["nuget"],
	"docker": [], "ivy2": [], "sbt": [], "gradlewrapper": [],
}

# cache_input_ecosystems maps a setup action's cache input value to the
# ecosystems it covers.
cache_input_ecosystems := {
	"npm": ["npm"], "yarn": ["yarn"], "pnpm": ["pnpm"],
	"pip": ["pip"], "pipenv": ["pipenv"], "poetry": ["poetry"],
	"maven": ["maven"], "gradle": ["gradle"], "sbt": ["sbt"],
}

# cache_hint says, per system and ecosystem, what cache to add; "*" stands
# for any ecosystem and, as a system, for any system it does not name (see
# the per-system tables at the end). Extend it per system and ecosystem:
# `cache_hint.github.conan := "..."`.
cache_hint[system][ecosystem] := hint if {
	some system, hints in {
		"*": {"*": "cache the package manager's download directory, keyed on the lock file, with the CI system's cache"},
		# On GitHub, a job that runs a setup action able to cache the
		# ecosystem is told which input to add to it (missing-cache); these
		# are for jobs with none.
		"github": {
			"npm": "cache ~/.npm with actions/cache, keyed on package-lock.json",
			"yarn": "cache the `yarn cache dir` directory with actions/cache, keyed on yarn.lock",
			"pnpm": "cache the `pnpm store path` directory with actions/cache, keyed on pnpm-lock.yaml",
			"bun": "cache ~/.bun/install/cache with actions/cache, keyed on bun.lock",
			"pip": "cache ~/.cache/pip with actions/cache, keyed on the requirements files",
			"poetry": "cache ~/.cache/pypoetry with actions/cache, keyed on poetry.lock",
			"pipenv": "cache ~/.cache/pipenv with actions/cache, keyed on Pipfile.lock",
			"uv": "cache ~/.cache/uv with actions/cache, keyed on uv.lock",
			"bundler": "cache vendor/bundle with actions/cache, keyed on Gemfile.lock",
			"go": "cache ~/go/pkg/mod and ~/.cache/go-build with actions/cache, keyed on go.sum",
			"maven": "cache ~/.m2/repository with actions/cache, keyed on the pom.xml files",
			"gradle": "cache ~/.gradle/caches and ~/.gradle/wrapper with actions/cache, keyed on the Gradle build files",
			"cargo": "cache ~/.cargo/registry, ~/.cargo/git and target/ with actions/cache, keyed on Cargo.lock",
			"composer": "cache the `composer config cache-files-dir` directory with actions/cache, keyed on composer.lock",
			"nuget": "cache ~/.nuget/packages with actions/cache, keyed on the packages.lock.json files",
		},
		"gitlab": {"*": "add a `cache:` keyed on the lock file (`key: files: [...]`) with the package manager's cache directory inside the project in `paths:`"},
		"jenkins": {"*": "wrap the install in the Job Cacher `cache(...)` step, or mount the package cache into the agent container"},
		"bitbucket": {
			"*": "add a custom cache under `definitions: caches:` with the package manager's download directory as its path, keyed on the lock file (`key: files: [...]`), and list it in the step's `caches:`",
			"npm": "add the predefined `node` cache to the step's `caches:`",
			"yarn": "add the predefined `node` cache to the step's `caches:`",
			"pnpm": "add the predefined `node` cache to the step's `caches:`",
			"bun": "add the predefined `node` cache to the step's `caches:`",
			"pip": "add the predefined `pip` cache to the step's `caches:`",
			"maven": "add the predefined `maven` cache to the step's `caches:`",
			"gradle": "add the predefined `gradle` cache to the step's `caches:`",
			"composer": "add the predefined `composer` cache to the step's `caches:`",
			"nuget": "add the predefined `dotnetcore` cache to the step's `caches:`",
		},
	}
	some ecosystem, hint in hints
}

# --- deploys, releases and rollbacks ------------------------------------------

# deploy_commands change a running system; `tool` selects the rollback idiom.
deploy_commands contains m if some m in [
	{"names": ["kubectl"], "args": ["{apply,replace,create}"], "tool": "kubectl"},
	{"names": ["kubectl"], "args": ["set", "image"], "tool": "kubectl"},
	{"names": ["kubectl"], "args": ["rollout", "restart"], "tool": "kubectl"},
	{"names": ["kubectl"], "args": ["patch"], "tool": "kubectl"},
	{"names": ["helm"], "args": ["{upgrade,install}"], "tool": "helm"},
	{"names": ["helmfile"], "any_arg": "{apply,sync}", "tool": "helm"},
	{"names": ["terraform"], "args": ["apply"], "tool": "terraform"},
	{"names": ["terragrunt"], "any_arg": "apply", "tool": "terraform"},
	{"names": ["tofu"], "args": ["apply"], "tool": "terraform"},
	{"names": ["pulumi"], "args": ["up"], "tool": "pulumi"},
	{"names": ["aws"], "args": ["ecs", "{update-service,deploy}"], "tool": "ecs"},
	{"names": ["aws"], "args": ["deploy", "{create-deployment,push}"], "tool": "codedeploy"},
	{"names": ["aws"], "args": ["lambda", "{update-function-code,update-function-configuration}"], "tool": "lambda"},
	{"names": ["aws"], "args": ["cloudformation", "{deploy,update-stack,create-stack}"], "tool": "cloudformation"},
	{"names": ["sam"], "args": ["deploy"], "tool": "cloudformation"},
	{"names": ["cdk"], "args": ["deploy"], "tool": "cloudformation"},
	{"names": ["gcloud"], "args": ["run", "deploy"], "tool": "cloudrun"},
	{"names": ["gcloud"], "args": ["app", "deploy"], "tool": "appengine"},
	{"names": ["gcloud"], "args": ["functions", "deploy"], "tool": "generic"},
	{"names": ["az"], "args": ["webapp", "{deploy,up}"], "tool": "azure-webapp"},
	{"names": ["az"], "args": ["webapp", "deployment", "source"], "tool": "azure-webapp"},
	{"names": ["az"], "args": ["containerapp", "update"], "tool": "generic"},
	{"names": ["flyctl", "fly"], "args": ["deploy"], "tool": "fly"},
	{"names": ["heroku"], "args": ["{container:release,releases:*,deploy*}"], "tool": "heroku"},
	{"names": ["git"], "args": ["push", "heroku*"], "tool": "heroku"},
	{"names": ["serverless", "sls"], "args": ["deploy"], "tool": "cloudformation"},
	{"names": ["ansible-playbook"], "tool": "generic"},
	# Only production deploys: a Vercel or Netlify deploy without --prod is a
	# preview, which changes nothing users see.
	{"names": ["vercel"], "requires": "{--prod,--target=production}", "tool": "vercel"},
	{"names": ["netlify"], "args": ["deploy"], "requires": "{--prod,--prodIfUnlocked,--prod-if-unlocked}", "tool": "netlify"},
	{"names": ["wrangler"], "args": ["{deploy,publish}"], "tool": "cloudflare-workers"},
	{"names": ["firebase"], "args": ["deploy"], "requires": "{hosting,hosting:*,--only=hosting,--only=hosting:*}", "tool": "firebase-hosting"},
	{"names": ["firebase"], "args": ["deploy"], "unless": ["hosting", "hosting:*", "--only=hosting", "--only=hosting:*"], "tool": "generic"},
	# Salesforce: a deploy, not a validation (--dry-run, --checkonly).
	{"names": ["sf", "sfdx"], "args": ["project", "deploy", "{start,quick,resume}"], "unless": ["--dry-run"], "tool": "salesforce"},
	{"names": ["sf", "sfdx"], "args": ["{force:source:deploy,force:mdapi:deploy}"], "unless": ["--checkonly", "-c"], "tool": "salesforce"},
	{"names": ["argocd"], "args": ["app", "sync"], "tool": "argocd"},
	{"names": ["cf"], "args": ["push"], "tool": "generic"},
	{"names": ["capistrano", "cap"], "any_arg": "deploy", "tool": "generic"},
	{"names": ["kamal"], "args": ["deploy"], "tool": "generic"},
	{"names": ["eb"], "args": ["deploy"], "tool": "generic"},
	{"names": ["skaffold"], "args": ["{run,deploy}"], "tool": "kubectl"},
]

# deploy_actions are well-known actions that deploy to a running system.
deploy_actions contains entry if some entry in [
	{"action": "azure/k8s-deploy", "tool": "kubectl"},
	{"action": "azure/webapps-deploy", "tool": "azure-webapp"},
	{"action": "aws-actions/amazon-ecs-deploy-task-definition", "tool": "ecs"},
	{"action": "aws-actions/aws-cloudformation-github-deploy", "tool": "cloudformation"},
	{"action": "google-github-actions/deploy-cloudrun", "tool": "cloudrun"},
	{"action": "google-github-actions/deploy-appengine", "tool": "appengine"},
	{"action": "superfly/flyctl-actions", "tool": "fly"},
	{"action": "akhileshns/heroku-deploy", "tool": "heroku"},
	{"action": "deliverybot/helm", "tool": "helm"},
	{"action": "pulumi/actions", "tool": "pulumi"},
	{"action": "amondnet/vercel-action", "tool": "vercel"},
	{"action": "cloudflare/wrangler-action", "tool": "cloudflare-workers"},
	{"action": "appleboy/ssh-action", "tool": "generic"},
]

# site_deploy_commands and site_deploy_actions publish a static site: a
# deploy to roll back like any other, but what they ship is documentation
# or pages as often as code, so the rules about testing what is deployed
# do not read them (pipeline.deploy_sites holds the deploy tables only).
site_deploy_commands contains m if some m in [
	{"names": ["wrangler"], "args": ["pages", "{deploy,publish}"], "tool": "cloudflare-pages"},
	{"names": ["mkdocs"], "args": ["gh-deploy"], "tool": "github-pages"},
	{"names": ["gh-pages"], "tool": "github-pages"},
	# rsync --delete makes a directory on a server (or a served one) the
	# copy of the build.
	{"names": ["rsync"], "requires": "{--delete,--delete-*,--del}", "any_arg": "{*:*,$*,\"$*,/var/www*,/srv/*,*/htdocs*,*/public_html*,/usr/share/nginx/*}", "tool": "rsync"},
]

site_deploy_actions contains entry if some entry in [
	{"action": "actions/deploy-pages", "tool": "github-pages"},
	{"action": "peaceiris/actions-gh-pages", "tool": "github-pages"},
	{"action": "JamesIves/github-pages-deploy-action", "tool": "github-pages"},
	{"action": "cloudflare/pages-action", "tool": "cloudflare-pages"},
]

# rollback_commands undo a deploy, or make the deploy undo itself on failure.
rollback_commands contains m if some m in [
	{"names": ["helm"], "args": ["rollback"]},
	{"names": ["kubectl"], "args": ["rollout", "undo"]},
	{"names": ["aws"], "args": ["deploy", "stop-deployment"]},
	{"names": ["gcloud"], "args": ["run", "services", "update-traffic"]},
	{"names": ["az"], "args": ["webapp", "deployment", "slot", "swap"]},
	{"names": ["heroku"], "args": ["{rollback,releases:rollback}"]},
	{"names": ["flyctl", "fly"], "args": ["releases", "rollback"]},
	{"names": ["argocd"], "args": ["app", "rollback"]},
	{"names": ["kamal"], "args": ["rollback"]},
	{"names": ["cap"], "any_arg": "deploy:rollback"},
	{"names": ["vercel"], "args": ["rollback"]},
	{"names": ["wrangler"], "args": ["rollback"]},
	{"names": ["cf"], "args": ["rollback"]},
]

# atomic_deploy_tools are deploy targets that switch to a new deployment
# atomically and keep the earlier ones, so going back is one step (the
# idiom in rollback_idiom): a deploy there is reported at info. Each maps
# to the target's name for the message.
atomic_deploy_tools := {
	"vercel": "Vercel",
	"netlify": "Netlify",
	"cloudflare-pages": "Cloudflare Pages",
	"cloudflare-workers": "Cloudflare Workers",
	"github-pages": "GitHub Pages",
	"firebase-hosting": "Firebase Hosting",
}

# atomic_hosting_urls tell an atomic deploy target by the URL of the
# environment a job deploys to, when no command names it: the hosts
# (globs) each target serves sites from.
atomic_hosting_urls := {
	"github-pages": ["*.github.io"],
	"cloudflare-pages": ["*.pages.dev"],
	"vercel": ["*.vercel.app"],
	"netlify": ["*.netlify.app"],
	"firebase-hosting": ["*.web.app", "*.firebaseapp.com"],
}

# deploy_name_pattern marks a job, step or script as deploying by its
# name (`deploy`, `./scripts/deploy-preview.sh`, `make deploy`). With an
# environment it is evidence of a deploy; an environment alone is not.
deploy_name_pattern := `(?i)(^|[^a-z])(re)?deploy(s|ing|ment|ments)?([^a-z]|$)`

# script_runners are commands that run a named task or script, whose
# first arguments name it (`make deploy`, `npm run deploy`, `bash deploy.sh`).
script_runners contains name if some name in {
	"make", "gmake", "npm", "pnpm", "yarn", "bun", "task", "just", "rake", "fab", "invoke", "mage",
	"bash", "sh", "zsh", "pwsh", "powershell", "python", "python3", "node", "ruby", "perl",
}

# non_deploy_job_pattern marks jobs that test, lint, sign or upload: an
# environment on them scopes secrets, licences or runners; it is no deploy.
non_deploy_job_pattern := `(?i)(^|[^a-z])(tests?|testing|e2e|lint|linting|sign|signing|notari[sz]e|upload|uploads|scan|scanning|bench|benchmarks?)([^a-z]|$)`

# local_cluster_commands and local_cluster_actions create a throwaway
# cluster on the runner (kind, minikube, k3d): what a job deploys there is
# a test, not a deploy.
local_cluster_commands contains m if some m in [
	{"names": ["kind"], "args": ["create", "cluster"]},
	{"names": ["minikube"], "args": ["start"]},
	{"names": ["k3d"], "args": ["cluster", "create"]},
	{"names": ["ctlptl"], "args": ["create", "cluster"]},
]

# teardown_commands remove what a job deployed, the whole namespace or
# release: a job that runs one deploys a throwaway environment for its
# tests (a namespace per build on a shared cluster), as on a local cluster.
teardown_commands contains m if some m in [
	{"names": ["kubectl"], "args": ["delete", "{namespace,ns}"]},
	{"names": ["helm"], "args": ["{delete,uninstall,del}"]},
]

local_cluster_actions contains action if some action in {
	"helm/kind-action",
	"sigstore/scaffolding/actions/setup",
	"container-tools/kind-action",
	"engineerd/setup-kind",
	"medyagh/setup-minikube",
	"manusa/actions-setup-minikube",
	"AbsaOSS/k3d-action",
	"nolar/setup-k3d-k3s",
	"debianmaster/actions-k3s",
	"jupyterhub/action-k3s-helm",
}

# self_rolling_back_flags make a deploy command roll itself back on failure.
self_rolling_back_flags contains flag if some flag in {
	"--atomic", "--atomic=true", "--rollback-on-failure", "--rollback-on-failure=true",
	"--auto-rollback-configuration", "--auto-rollback-configuration=*",
	"--rollback-configuration*",
}

# release_actions publish an artifact.
release_actions contains action if some action in {
	"pypa/gh-action-pypi-publish",
	"goreleaser/goreleaser-action",
	"softprops/action-gh-release",
	"ncipollo/release-action",
	"JS-DevTools/npm-publish",
	"docker/build-push-action",
}

# release_commands publish an artifact. A release is not a deploy: the
# artifact's consumers choose when to take it, so there is nothing to roll
# back.
release_commands contains m if some m in [
	{"names": ["twine"], "args": ["upload"]},
	{"names": ["npm", "pnpm", "yarn"], "args": ["publish"]},
	{"names": ["docker", "podman"], "args": ["push"]},
	{"names": ["docker", "podman", "buildah"], "args": ["build"], "requires": "--push"},
	{"names": ["docker", "podman"], "args": ["buildx", "build"], "requires": "--push"},
	{"names": ["cargo"], "args": ["publish"]},
	{"names": ["gem"], "args": ["push"]},
	{"names": ["poetry", "uv", "hatch", "pdm", "flit"], "args": ["publish"]},
	{"names": ["goreleaser"], "unless": ["check", "healthcheck", "init", "build", "--snapshot", "--skip=publish"]},
	{"names": ["gh"], "args": ["release"]},
	{"names": ["mvn", "mvnw"], "any_arg": "{deploy,release:perform}"},
	{"names": ["pkg-pr-new"], "args": ["publish"]},
	{"names": ["pnpx"], "args": ["pkg-pr-new", "publish"]},
	{"names": ["gradle", "gradlew"], "any_arg": "publish*", "unless": ["publishToMavenLocal"]},
	{"names": ["dotnet"], "args": ["nuget", "push"]},
]

# production_environment matches environment names that mean production.
production_environment := `(?i)^(prod|production|prd|live|main)([-_ /.:].*)?$|(^|[-_ /.:])(prod|production|prd|live)$`

# non_deploy_environment matches environments that gate publishing
# (trusted publishing, pages, registries) or only scope secrets for
# automation and tests: they are not deploy targets.
non_deploy_environment := `(?i)(^|[^a-z])(github-pages|pages|pypi|testpypi|npm|crates?(\.io)?|rubygems|gems?|nuget|maven|sonatype|homebrew|docker|dockerhub|registry|registries|publish|publishing|release|releases|docs?|documentation|automations?|bots?|secrets?|codecov|coverage|tests?|testing|ci|approval|gate)([^a-z]|$)`

# release_environment matches environments that gate publishing to a
# registry or store: a job that starts one publishes, whatever it runs.
release_environment := `(?i)(^|[^a-z])(pypi|testpypi|npm|crates?(\.io)?|rubygems|nuget|maven|sonatype|homebrew|dockerhub|registry|registries|publish|publishing|release|releases)([^a-z]|$)`

# rollback_name_pattern marks a job as a rollback path by its id or name.
rollback_name_pattern := `(?i)(roll[-_ ]?back|revert|undo[-_ ]deploy|restore[-_ ]previous)`

# rollback_idiom says, per deploy tool, how to give the deploy a rollback path.
rollback_idiom := {
	"helm": "use `helm upgrade --atomic` (`--rollback-on-failure` in Helm 4) so a failed release rolls back, or add a `helm rollback` on failure",
	"kubectl": "run `kubectl rollout status` and, on failure, `kubectl rollout undo` for each changed deployment",
	"terraform": "keep the previous state and plan, and re-apply the last known-good revision on failure",
	"pulumi": "re-run `pulumi up` on the last known-good commit on failure (or `pulumi stack export`/`import` of the previous state)",
	"ecs": "enable the ECS deployment circuit breaker with rollback, or redeploy the previous task definition on failure",
	"codedeploy": "pass `--auto-rollback-configuration enabled=true,events=DEPLOYMENT_FAILURE` to the deployment",
	"lambda": "publish versions behind an alias and move the alias back on failure",
	"cloudformation": "keep CloudFormation's automatic rollback on (no `--disable-rollback`) and add a rollback trigger, or redeploy the previous version on failure",
	"cloudrun": "deploy with `--no-traffic`, then shift traffic, and `gcloud run services update-traffic --to-revisions=<previous>=100` on failure",
	"appengine": "deploy with `--no-promote` and migrate traffic only after checks pass; move traffic back on failure",
	"azure-webapp": "deploy to a staging slot and swap; swap back on failure",
	"fly": "run `fly releases rollback` (or redeploy the previous image) on failure",
	"heroku": "run `heroku rollback` on failure",
	"argocd": "run `argocd app rollback` on failure, or rely on Argo Rollouts' automatic rollback",
	"salesforce": "keep the deploy all-or-nothing (no `--ignore-errors`), run its tests in the deploy, and redeploy the last good release's source on failure",
	"rsync": "upload each release to its own directory and switch a symlink to it, so switching back restores the previous one",
	"vercel": "`vercel rollback` (or promoting the previous deployment) restores the previous deployment in one step",
	"netlify": "publishing the previous deploy (Deploys > Publish deploy, or the API's restoreSiteDeploy) restores it in one step",
	"cloudflare-pages": "a rollback to the previous deployment (dashboard or API) restores it in one step",
	"cloudflare-workers": "`wrangler rollback` restores the previous version in one step",
	"github-pages": "re-running the previous successful deploy (or reverting the published commit) restores it in one step",
	"firebase-hosting": "rolling back to the previous release (Hosting dashboard, or `firebase hosting:clone` of it) restores it in one step",
	"generic": "add a rollback step or job that runs when the deploy fails and redeploys the last known-good version",
}

# --- images and pinning -----------------------------------------------------

# floating_image_tags are image tags (globs) that name no release but follow
# the newest one, as "latest" does: `docker:dind` is the latest Docker,
# `debian:stable-slim` the current Debian, `cimg/base:current` CircleCI's
# newest.
floating_image_tags contains tag if some tag in {
	"latest", "latest-*", "dind", "dind-rootless", "edge", "rolling", "nightly", "current",
	"stable", "stable-*", "oldstable", "oldstable-*", "testing", "testing-*", "unstable", "sid", "sid-*",
}

# vm_image_runner_tags are runner tags (globs) of hosted runners whose
# `image:` names a virtual machine image the runner provider keeps, not a
# container image anyone can pull by digest: GitLab's hosted macOS and
# Windows runners (`image: macos-14-xcode-15`).
vm_image_runner_tags contains tag if some tag in {"saas-macos-*", "saas-windows-*"}

# tag_pinned_actions are actions and reusable workflows (owner/repo) whose
# publisher requires them to be referenced by a full version tag, not a
# commit SHA: the SLSA generators check their own ref against a release.
tag_pinned_actions contains action if some action in {"slsa-framework/slsa-github-generator"}

# tag_pinned_action_names are tag_pinned_actions in lower case, as GitHub
# compares names.
tag_pinned_action_names := {lower(a) | some a in tag_pinned_actions}

# --- per-system tables ------------------------------------------------------

# The tables above classify commands and actions the same whatever the
# system. The few that word a message or set a severity per system are
# objects keyed by system with a default entry "*" for any system they do
# not name, so a file from a system they do not list still gets every
# finding: these two, read with for_system, and cache_hint (above), keyed
# by system and then ecosystem. They are partial objects: add a system
# from another file of this package (`failure_path_idiom.buildkite :=
# "..."`); a system's entry replaces the default, it does not merge.

# failure_path_idiom names, per system, how to run something on failure.
failure_path_idiom[system] := idiom if some system, idiom in {
	"*": "a step or job run on failure",
	"github": "a step or job with `if: failure()`",
	"gitlab": "a job with `when: on_failure` (or a manual rollback job for the same environment)",
	"jenkins": "a `post { failure { ... } }` block",
	"bitbucket": "an `after-script` that checks `$BITBUCKET_EXIT_CODE`",
}

# include_pin_idiom says, per system, how to pin what a pipeline includes
# from another project (unpinned-include).
include_pin_idiom[system] := idiom if some system, idiom in {
	"*": "pin it to a commit SHA",
	"bitbucket": "import from a tag only that repository's maintainers may move (Bitbucket imports a branch or a tag, never a commit)",
}

# persistent_runner_severity is missing-cache's severity on runners that
# keep their disk between runs (self-hosted runners, permanent agents).
persistent_runner_severity[system] := severity if some system, severity in {"*": "low", "github": "low", "gitlab": "low", "jenkins": "info"}

# for_system is the entry of a per-system table for a system, or the
# table's default entry "*" when the table does not name the system.
for_system(table, system) := object.get(table, system, table["*"])

# --- indexes ------------------------------------------------------------------

# command_tables names the command tables that by_name indexes.
command_tables := {
	"testing": testing_commands,
	"build": build_commands,
	"install": install_commands,
	"bare_install": bare_install_commands,
	"deploy": deploy_commands,
	"rollback": rollback_commands,
	"release": release_commands,
	"analysis": analysis_commands,
	"local_cluster": local_cluster_commands,
	"teardown": teardown_commands,
	"site_deploy": site_deploy_commands,
	"credential": credential_commands,
	"project_init": project_init_commands,
	"ai_agent": ai_agent_commands,
	"git_push": git_push_commands,
	"package_install": package_install_commands,
	"infrastructure": infrastructure_commands,
	"preview_deploy": preview_deploy_commands,
}

# by_name[table][command] holds the matchers of a table that apply to a
# command name, so rules try a handful of matchers per command instead of
# every one. Extend the tables above, not this.
by_name[table][name] contains matcher(m) if {
	some table, matchers in command_tables
	some m in matchers
	some name in m.names
}

# by_command[command][table] and by_subcommand[command][word][table]
# index the matchers of every table for commands.matched: a matcher whose
# first argument pattern is a word or a list of words ({install,ci}) is
# found by the command's first positional argument, any other by the
# command name alone. A command then meets only the matchers that can
# match it: `npm ci` meets the one for `npm ci`, not every one for npm.
by_command[name][table] contains matcher(m) if {
	some table, matchers in command_tables
	some m in matchers
	not first_words(m)
	some name in m.names
}

by_subcommand[name][word][table] contains matcher(m) if {
	some table, matchers in command_tables
	some m in matchers
	some word in first_words(m)
	some name in m.names
}

first_words(m) := literal_words(m.args[0])

# literal_words are the words a glob stands for when it has no wildcard:
# `test` is ["test"], `{install,ci}` is ["install", "ci"]; undefined for
# any other glob.
literal_words(glob) := [glob] if not regex.match(`[{}*?\[\]\\]`, glob)

literal_words(glob) := split(trim_suffix(trim_prefix(glob, "{"), "}"), ",") if regex.match(`^\{[^{}*?\[\]\\]*\}$`, glob)

# matcher is a matcher with every field present, so matching reads fields
# instead of defaults.
matcher(m) := object.union(
	{"args": [], "any_arg": "", "requires": "", "no_positional": false, "unless": [], "unless_after": {}, "only_of": [], "few_named": 0},
	m,
)

# by_action[table][action] is the entry of an action table for an action
# (owner/repo[/path] in lower case), from which by_action_name is built.
by_action := {
	"cache": {lower(e.action): e | some e in cache_actions},
	"deploy": {lower(e.action): e | some e in deploy_actions},
	"testing": {lower(a): {"action": a} | some a in testing_actions},
	"script_input": {lower(e.action): e | some e in script_input_actions},
	"code_input": {lower(e.action): e | some e in code_input_actions},
	"ai_agent": {lower(e.action): e | some e in ai_agent_actions},
	"analysis": {lower(a): {"action": a} | some a in analysis_actions},
	"build": {lower(a): {"action": a} | some a in build_actions},
	"release": {lower(a): {"action": a} | some a in release_actions},
	"local_cluster": {lower(a): {"action": a} | some a in local_cluster_actions},
	"site_deploy": {lower(e.action): e | some e in site_deploy_actions},
	"credential": {lower(a): {"action": a} | some a in credential_actions},
	"git_push": {lower(a): {"action": a} | some a in git_push_actions},
	"credential_checkout": {lower(e.action): e | some e in credential_checkouts},
	"artifact_upload": {lower(e.action): e | some e in artifact_uploads},
	"cloud_login": {lower(a): {"action": a} | some a in cloud_login_actions},
	"preview_deploy": {lower(a): {"action": a} | some a in preview_deploy_actions},
}

# by_action_name[action][table] is by_action the other way round, the
# index rules read (pipeline.actions and action_entry): one lookup by a
# step's action finds its entries in every table.
by_action_name[action][table] := entry if {
	some table, entries in by_action
	some action, entry in entries
}
