# METADATA
# title: Dependencies installed without a cache
# description: |
#   A job installs dependencies or builds with a package manager (npm, pip,
#   Poetry, uv, Bundler, Go, Maven, Gradle, Cargo, Composer, NuGet, ...) and
#   nothing caches what it downloads. Every run fetches the same packages
#   again: slower feedback, more load on registries, and builds that fail
#   whenever a registry does. Not reported: a few named tools or the job's
#   own build installed, an explicit opt-out (`cache: false`, GitLab's
#   `cache: []`, `--no-cache-dir`, ...), and jobs that publish, sign,
#   deploy, push to the repository or hold registry or cloud credentials,
#   where a cache could be poisoned.
# custom:
#   id: missing-cache
#   severity: medium
#   precision: high
#   remediation: |
#     Cache the package manager's download directory, keyed on the lock
#     file. On GitHub, most setup actions do it with one input (`cache: npm`
#     on actions/setup-node, `cache: pip` on actions/setup-python, `cache:
#     maven` on actions/setup-java; the message names the action the job
#     runs, at its version), else use actions/cache. On GitLab, add a
#     `cache:` with `key: files:`. On Jenkins, use the Job Cacher `cache(...)`
#     step. Never add a cache to a job that publishes, signs or deploys:
#     such jobs are not reported.
#   tags: [performance, reliability]
package pipelint.rules.missing_cache

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.runs
import data.pipelint.lib.tables

# One finding per install command: a command inherited by many jobs (a
# GitLab template, a Jenkins shared stage) is reported once, where it is
# written, naming the jobs.
findings contains finding if {
	some [start, end] in runs.bounds([site | some [site, _] in uncovered_by_site])
	same := [u | some [_, u] in array.slice(uncovered_by_site, start, end)]
	[pos, ecosystem] := [same[0].cmd.name.pos, same[0].ecosystem]
	jobs := sort({input.jobs[u.job].id.value | some u in same})
	finding := {
		"msg": sprintf("%s dependencies are installed by %q in %s with no cache; %s", [ecosystem, install_display(same[0].cmd, same[0].matcher), job_list(jobs), job_hint(min({u.job | some u in same}), ecosystem)]),
		"pos": pos,
		"severity": severity({input.jobs[u.job].runner.ephemeral | some u in same}),
	}
}

# uncovered_by_site sorts the uncovered installs by where they are written
# and their ecosystem: the installs of one finding are a run of neighbours
# (see runs), in the order of the set uncovered.
uncovered_by_site := sort([[[u.cmd.name.pos, u.ecosystem], u] | some u in uncovered])

# uncovered holds, per job and ecosystem without a cache, the first install,
# unless caching there was decided against or the job publishes.
uncovered contains install if {
	some [start, _] in runs.bounds([[job_index, ecosystem] | some [job_index, ecosystem, _, _, _] in installs_in_order])
	[job_index, ecosystem, _, _, install] := installs_in_order[start]
	not covered(job_index, ecosystem)
	not decided(job_index, ecosystem)
	not fresh_project(job_index, ecosystem)
	not job_index in publishing_jobs
	not after_install_on_same_agent(job_index, ecosystem)
}

# Jobs that inherit one persistent runner declaration (stages nested under
# a Jenkins agent, jobs given the same self-hosted runner) run on machines
# that keep their disk: the first install there fills the package cache
# the later jobs read, and one cache set up for that runner serves them
# all. Only the first install of each runner declaration is reported.
after_install_on_same_agent(job_index, ecosystem) if {
	runner := input.jobs[job_index].runner
	not runner.ephemeral
	runner.pos.line > 0
	first_install_on_runner[[runner.pos, ecosystem]] < job_index
}

# first_install_on_runner is, for each runner declaration and ecosystem,
# the first job that installs: the start of its run in one sorted list
# (see runs), rather than a walk of the installs for every job.
first_install_on_runner := {runner_installs[start][0]: runner_installs[start][1] |
	some [start, _] in runs.bounds([key | some [key, _] in runner_installs])
}

runner_installs := sort([[[input.jobs[i.job].runner.pos, i.ecosystem], i.job] | some i in installs])

# installs_in_order sorts the installs by job, ecosystem and position: the
# first install of a job and ecosystem starts their run.
installs_in_order := sort([[i.job, i.ecosystem, i.cmd.pos.line, i.cmd.pos.column, i] | some i in installs])

job_list(jobs) := sprintf("job %q", [jobs[0]]) if count(jobs) == 1

job_list(jobs) := sprintf("jobs %q and %q", [jobs[0], jobs[1]]) if count(jobs) == 2

job_list(jobs) := sprintf("jobs %q, %q and %d more", [jobs[0], jobs[1], count(jobs) - 2]) if count(jobs) > 2

# installs are the commands that install dependencies, with their job
# index and ecosystem.
installs contains {"job": m.job, "ecosystem": m.matcher.ecosystem, "cmd": m.cmd, "matcher": m.matcher} if {
	some table in {"install", "bare_install"}
	some m in commands.matched_by_table[table]
}

# install_display names the install in a message. For Maven and Gradle,
# whose matchers look at no subcommand, it is the first goal or task that
# does more than clean (`mvn clean install` installs by "mvn install").
install_display(cmd, m) := commands.display(cmd, m) if count(m.args) > 0

install_display(cmd, m) := concat(" ", [cmd.name.value, goal]) if {
	count(m.args) == 0
	goal := [arg |
		some arg in commands.positional(cmd)
		regex.match(`^:?[a-z][a-zA-Z0-9:_-]*$`, arg) # a word, or a Gradle task path
		not arg in tables.cleaning_goals
	][0]
} else := cmd.name.value if count(m.args) == 0

# --- caches --------------------------------------------------------------------

# job_steps are the steps a job runs, with those of the local workflows and
# composite actions it calls: a cache set up by `uses: ./.github/actions/setup`
# covers the job.
job_steps(job_index) := pipeline.all_steps(input.jobs[job_index])

# action_steps are those of a job's job_steps that run an action: all
# that the checks of an action's cache read, collected once per job
# (looked up by job, a rule keeps what it found) rather than in every
# check for every ecosystem.
action_steps[job_index] := [step | some step in job_steps(job_index); step.uses != null] if input.jobs[job_index]

# A job-level cache (GitLab cache:, the Jenkins Job Cacher, a volume mount,
# a Bitbucket cache) covers the job when it is declared with a key or holds
# a directory where package managers keep downloads; a cache of build
# output or a mounted docker socket does not. A predefined cache named
# alone (Bitbucket's `node`) covers only its own ecosystems.
covered(job_index, ecosystem) if {
	some cache in input.jobs[job_index].caches
	cache.key.value != ""
	covers_by_key(cache, ecosystem)
}

covers_by_key(cache, _) if count(cache.paths) > 0

covers_by_key(cache, _) if not tables.predefined_cache_ecosystems[cache.key.value]

covers_by_key(cache, ecosystem) if {
	count(cache.paths) == 0
	ecosystem in tables.predefined_cache_ecosystems[cache.key.value]
}

covered(job_index, _) if {
	some cache in input.jobs[job_index].caches
	some path in cache.paths
	regex.match(tables.package_cache_path, path.value)
}

# An install of the job points the package manager at a cached location
# (mvn -Dmaven.repo.local=...).
covered(job_index, ecosystem) if [job_index, ecosystem] in cache_location_installs

# cache_location_installs are the [job, ecosystem] of such installs,
# collected once so that covered does not walk every install.
cache_location_installs contains [install.job, install.ecosystem] if {
	some install in installs
	some flag in tables.cache_location_flags[install.ecosystem]
	some arg in install.cmd.args
	glob.match(flag, null, arg.value)
}

# So does a step of the job (Jenkins withMaven(mavenLocalRepo: ...)).
covered(job_index, ecosystem) if {
	some location in tables.cache_location_arguments[ecosystem]
	some step in job_steps(job_index)
	step.call.value == location.call
	some arg in step.with
	arg.name.value == location.argument
}

covered(job_index, ecosystem) if {
	some step in action_steps[job_index]
	some provided in cached_by(step)
	provided in {ecosystem, "*"}
}

# An action the tables do not know, given a cache setting (`cache: true`,
# `cache_key_suffix: x`), is taken at its word: do not guess against the
# user.
covered(job_index, _) if {
	some step in action_steps[job_index]
	not pipeline.action_entry(step, "cache")
	some input_var in step.with
	contains(lower(input_var.name.value), "cache")
	not lower(input_var.value.value) in {"", "false", "none", "off"}
}

cached_by(step) := {ecosystem |
	entry := pipeline.action_entry(step, "cache")
	enabled(step, entry)
	some ecosystem in ecosystems(step, entry)
}

enabled(_, entry) if entry.always

enabled(step, entry) if {
	value := lower(pipeline.input_value(step, entry.input))
	not value in {"", "false"}
}

# An action that caches by default does so unless its input says "false".
# When the version cannot be known (a SHA with no version comment), give the
# user the benefit of the doubt.
enabled(step, entry) if {
	entry.default_since
	not lower(pipeline.input_value(step, entry.input)) == "false"
	not older_than(step.uses, entry.default_since)
}

# older_than is a rule of its own because OPA hoists a call out of `not`:
# `not f(x) < n` is false, not true, when f(x) is undefined.
older_than(ref, major) if pipeline.major_version(ref) < major

ecosystems(_, entry) := entry.ecosystems if entry.ecosystems

ecosystems(step, entry) := tables.cache_input_ecosystems[lower(pipeline.input_value(step, entry.input))] if entry.ecosystems_from_input

# --- decisions against a cache -----------------------------------------------------

# An explicit opt-out is a decision, not an omission: the job's caching
# switched off (GitLab `cache: []`) ...
decided(job_index, _) if {
	some cache in input.jobs[job_index].caches
	cache.off
}

# ... an action's cache input switched off anywhere in the job (`cache:
# false`, `enable-cache: false`, `package-manager-cache: false`, `cache:
# ""`) ...
decided(job_index, _) if {
	some step in action_steps[job_index]
	some input_var in step.with
	off := tables.cache_opt_out_inputs[lower(input_var.name.value)]
	lower(trim_space(input_var.value.value)) in off
}

# ... a flag of one of the job's commands of the package manager
# (`pip install --no-cache-dir`, also when that install is of a tool) ...
decided(job_index, ecosystem) if [job_index, ecosystem] in opted_out

# opted_out are the [job, ecosystem] of those commands, collected in one
# walk of the commands rather than one for every job.
opted_out contains [j, ecosystem] if {
	some [j, _, cmd] in commands.located
	some ecosystem, flags in tables.cache_opt_out_flags_by_command[cmd.name.value]
	some arg in cmd.args
	arg.value in flags
}

# ... or the package manager's variable for it (PIP_NO_CACHE_DIR) in the
# pipeline's, the job's or a step's env.
decided(job_index, ecosystem) if {
	names := tables.cache_opt_out_env[ecosystem] # few ecosystems have one
	job := input.jobs[job_index]
	some variable in array.concat(array.concat(input.env, job.env), [v | some step in job.steps; some v in step.env])
	variable.name.value in names
	not lower(variable.value.value) in {"", "0", "false", "off", "no"}
}

# fresh_project is true when the job creates the project it installs into
# (`go mod init`, `uv init`): there is no lock file to key a cache on.
fresh_project(job_index, ecosystem) if [job_index, ecosystem] in fresh_projects

fresh_projects contains [m.job, m.matcher.ecosystem] if {
	some m in commands.matched_by_table["project_init"]
}

# publishing_jobs publish or sign artifacts, deploy, push to the
# repository (`git push`, or an action that commits: a release pull
# request, generated code), log in to a registry or a cloud, or may
# request an OIDC token. What such a job restores from a cache, any run
# able to write that cache could have planted (cache poisoning), so the
# rule never recommends one there.
publishing_jobs contains m.job if {
	some table in {"release", "credential", "git_push"}
	some m in commands.matched_by_table[table]
}

publishing_jobs contains a.job if {
	some table in {"release", "deploy", "credential", "git_push"}
	some a in pipeline.actions_by_table[table]
}

publishing_jobs contains i if {
	some call, places in pipeline.steps_by_call
	call in tables.publishing_calls
	some [i, _] in places
}

publishing_jobs contains i if some i in pipeline.deploy_jobs

# A job bound to an environment holds the environment's secrets.
publishing_jobs contains i if {
	some i, job in input.jobs
	job.environment != null
}

publishing_jobs contains i if {
	some i, job in input.jobs
	writes_id_token(effective_permissions(job))
}

effective_permissions(job) := job.permissions if job.permissions != null

effective_permissions(job) := input.permissions if job.permissions == null

writes_id_token(permissions) if permissions.all.value == "write-all"

writes_id_token(permissions) if {
	some scope in permissions.scopes
	scope.name.value == "id-token"
	scope.value.value == "write"
}

# --- messages ----------------------------------------------------------------------

# job_hint names, when the job runs a setup action that can cache the
# ecosystem, the input to add to it, at the version the job uses; else the
# system's hint.
job_hint(job_index, ecosystem) := setup_hints(job_index, ecosystem)[0]

job_hint(job_index, ecosystem) := hint(ecosystem) if count(setup_hints(job_index, ecosystem)) == 0

setup_hints(job_index, ecosystem) := [sprintf("add `%s: %s` to %s", [entry.input, value, versioned(step.uses)]) |
	some step in action_steps[job_index]
	entry := pipeline.action_entry(step, "cache")
	entry.input
	some value in offered(entry, ecosystem)
]

offered(entry, ecosystem) := [value | some value in entry.offers; ecosystem in tables.cache_input_ecosystems[value]] if entry.offers

offered(entry, ecosystem) := ["true"] if {
	not entry.offers
	ecosystem in entry.ecosystems
}

# versioned names an action as the job calls it: with its tag, or the
# version a comment gives for a SHA.
versioned(ref) := sprintf("%s@%s", [pipeline.action_name(ref), ref.ref]) if not regex.match(`^[0-9a-fA-F]{40}$`, ref.ref)

versioned(ref) := sprintf("%s (%s)", [pipeline.action_name(ref), trim_space(ref.version_comment)]) if {
	regex.match(`^[0-9a-fA-F]{40}$`, ref.ref)
	trim_space(ref.version_comment) != ""
}

versioned(ref) := pipeline.action_name(ref) if {
	regex.match(`^[0-9a-fA-F]{40}$`, ref.ref)
	trim_space(ref.version_comment) == ""
}

# hint is the system's hint for the ecosystem, else its hint for any
# ecosystem; for an ecosystem or a system cache_hint does not name, the
# same from its default entry, so there is always one.
hint(ecosystem) := [text |
	some hints in [object.get(tables.cache_hint, input.system, {}), tables.cache_hint["*"]]
	some key in [ecosystem, "*"]
	text := hints[key]
][0]

# A persistent runner keeps its caches between runs, so a missing cache
# costs less there; one ephemeral job is enough for the full severity.
severity(ephemeral) := "medium" if true in ephemeral

severity(ephemeral) := tables.for_system(tables.persistent_runner_severity, input.system) if not true in ephemeral
