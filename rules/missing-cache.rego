# METADATA
# title: Dependencies installed without a cache
# description: |
#   A job installs dependencies or builds with a package manager (npm, pip,
#   Poetry, uv, Bundler, Go, Maven, Gradle, Cargo, Composer, NuGet, ...) and
#   nothing caches what it downloads. Every run fetches the same packages
#   again: slower feedback, more load on registries, and builds that fail
#   whenever a registry does.
# custom:
#   id: missing-cache
#   severity: medium
#   precision: high
#   remediation: |
#     Cache the package manager's download directory, keyed on the lock
#     file. On GitHub, most setup actions do it with one input
#     (`cache: npm` on actions/setup-node, `cache: pip` on
#     actions/setup-python, `cache: maven` on actions/setup-java); setup-go
#     v4 and later caches by default. On GitLab, add a `cache:` with
#     `key: files:`. On Jenkins, use the Job Cacher `cache(...)` step.
#   tags: [performance, reliability]
package pipelint.rules.missing_cache

import data.pipelint.lib.commands
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables

# One finding per install command: a command inherited by many jobs (a
# GitLab template, a Jenkins shared stage) is reported once, where it is
# written, naming the jobs.
findings contains finding if {
	some [pos, ecosystem] in {[u.cmd.name.pos, u.ecosystem] | some u in uncovered}
	same := [u | some u in uncovered; u.cmd.name.pos == pos; u.ecosystem == ecosystem]
	jobs := sort({input.jobs[u.job].id.value | some u in same})
	finding := {
		"msg": sprintf("%s dependencies are installed by %q in %s with no cache; %s", [ecosystem, commands.display(same[0].cmd, same[0].matcher), job_list(jobs), hint(ecosystem)]),
		"pos": pos,
		"severity": severity({input.jobs[u.job].runner.ephemeral | some u in same}),
	}
}

# uncovered holds, per job and ecosystem without a cache, the first install.
uncovered contains install if {
	some k, [job_index, ecosystem, _, _, install] in installs_in_order
	not same_group_as_previous(k)
	not covered(job_index, ecosystem)
}

# installs_in_order sorts the installs by job, ecosystem and position: the
# first install of a job and ecosystem is the one where either changes.
installs_in_order := sort([[i.job, i.ecosystem, i.cmd.pos.line, i.cmd.pos.column, i] | some i in installs])

same_group_as_previous(k) if {
	k > 0
	installs_in_order[k - 1][0] == installs_in_order[k][0]
	installs_in_order[k - 1][1] == installs_in_order[k][1]
}

job_list(jobs) := sprintf("job %q", [jobs[0]]) if count(jobs) == 1

job_list(jobs) := sprintf("jobs %q and %q", [jobs[0], jobs[1]]) if count(jobs) == 2

job_list(jobs) := sprintf("jobs %q, %q and %d more", [jobs[0], jobs[1], count(jobs) - 2]) if count(jobs) > 2

# installs are the commands that install dependencies, with their job
# index and ecosystem.
installs contains {"job": m.job, "ecosystem": m.matcher.ecosystem, "cmd": m.cmd, "matcher": m.matcher} if {
	some m in commands.matched
	m.table in {"install", "bare_install"}
}

# A job-level cache (GitLab cache:, the Jenkins Job Cacher, a volume mount)
# covers the job when it is declared with a key or holds a directory where
# package managers keep downloads; a cache of build output or a mounted
# docker socket does not.
covered(job_index, _) if {
	some cache in input.jobs[job_index].caches
	cache.key.value != ""
}

covered(job_index, _) if {
	some cache in input.jobs[job_index].caches
	some path in cache.paths
	regex.match(tables.package_cache_path, path.value)
}

# The install itself points the package manager at a cached location
# (mvn -Dmaven.repo.local=...).
covered(job_index, ecosystem) if {
	some install in installs
	install.job == job_index
	install.ecosystem == ecosystem
	some flag in tables.cache_location_flags[ecosystem]
	some arg in install.cmd.args
	glob.match(flag, null, arg.value)
}

covered(job_index, ecosystem) if {
	some step in input.jobs[job_index].steps
	some provided in cached_by(step)
	provided in {ecosystem, "*"}
}

# An action the tables do not know, given a cache setting (`cache: true`,
# `cache_key_suffix: x`), is taken at its word: do not guess against the
# user.
covered(job_index, _) if {
	some step in input.jobs[job_index].steps
	step.uses != null
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
