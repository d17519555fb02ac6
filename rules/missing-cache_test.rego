package pipelint.rules.missing_cache_test

import data.pipelint.lib.build
import data.pipelint.rules.missing_cache

findings_for(system, steps) := findings if {
	findings := missing_cache.findings with input as build.pipeline(system, [build.job("build", steps)])
}

test_npm_without_cache if {
	findings := findings_for("github", [
		build.uses("actions/setup-node", "v4", {"node-version": "20"}),
		build.run([build.cmd(["npm", "ci"], 9), build.cmd(["npm", "test"], 9)]),
	])
	findings == {{
		"msg": "npm dependencies are installed by \"npm ci\" in job \"build\" with no cache; add `cache: npm` to actions/setup-node",
		"pos": build.at(9, 7),
		"severity": "medium",
	}}
}

test_setup_node_cache_covers_npm_only if {
	findings := findings_for("github", [
		build.uses("actions/setup-node", "v4", {"cache": "npm"}),
		build.run([build.cmd(["npm", "ci"], 9), build.cmd(["pip", "install", "-r", "requirements.txt"], 10)]),
	])
	[f.pos.line | some f in findings] == [10]
}

test_setup_go_caches_by_default_from_v4 if {
	count(findings_for("github", [build.uses("actions/setup-go", "v5", {}), build.run([build.cmd(["go", "test", "./..."], 9)])])) == 0
	count(findings_for("github", [build.uses("actions/setup-go", "v3", {}), build.run([build.cmd(["go", "test", "./..."], 9)])])) == 1
	count(findings_for("github", [build.uses("actions/setup-go", "v5", {"cache": "false"}), build.run([build.cmd(["go", "build"], 9)])])) == 1
}

test_sha_pinned_default_cache_uses_version_comment if {
	sha := "0123456789abcdef0123456789abcdef01234567"
	old := json.patch(build.uses("actions/setup-go", sha, {}), [{"op": "replace", "path": "/uses/version_comment", "value": "v3.5.0"}])
	count(findings_for("github", [old, build.run([build.cmd(["go", "build"], 9)])])) == 1

	# With no comment, the version is unknown: do not guess against the user.
	count(findings_for("github", [build.uses("actions/setup-go", sha, {}), build.run([build.cmd(["go", "build"], 9)])])) == 0
}

test_pip_upgrading_pip_alone_is_not_an_install if {
	count(findings_for("github", [build.run([build.cmd(["pip", "install", "--upgrade", "pip"], 9)])])) == 0
	count(findings_for("github", [build.run([build.cmd(["pip", "install", "twine", "build"], 9)])])) == 0
	count(findings_for("github", [build.run([build.cmd(["pip", "install", "-r", "requirements.txt"], 9)])])) == 1
	count(findings_for("github", [build.run([build.cmd(["pip", "install", "-e", "."], 9)])])) == 1
}

test_one_finding_per_ecosystem_at_the_first_install if {
	findings := findings_for("github", [build.run([build.cmd(["npm", "install"], 12), build.cmd(["npm", "ci"], 9)])])
	[f.pos.line | some f in findings] == [9]
}

test_table_entries if {
	some words in [
		["yarn"], ["yarn", "install"], ["pnpm", "install"], ["poetry", "install"], ["uv", "sync"],
		["uv", "pip", "install", "x"], ["bundle", "install"], ["go", "mod", "download"], ["mvn", "-B", "verify"],
		["gradlew", "build"], ["cargo", "build"], ["composer", "install"], ["dotnet", "restore"],
	]
	count(findings_for("github", [build.run([build.cmd(words, 9)])])) == 1
}

test_caching_actions if {
	some cache_step in [
		build.uses("actions/cache", "v4", {"path": "~/.m2"}),
		build.uses("actions/setup-java", "v4", {"cache": "maven"}),
		build.uses("gradle/actions/setup-gradle", "v4", {}),
	]
	count(findings_for("github", [cache_step, build.run([build.cmd(["mvn", "verify"], 9)]), build.run([build.cmd(["gradle", "build"], 10)])])) < 2
}

test_rust_cache_and_setup_ruby if {
	count(findings_for("github", [build.uses("Swatinem/rust-cache", "v2", {}), build.run([build.cmd(["cargo", "test"], 9)])])) == 0
	count(findings_for("github", [build.uses("ruby/setup-ruby", "v1", {"bundler-cache": "true"}), build.run([build.cmd(["bundle", "install"], 9)])])) == 0
}

test_job_cache_covers_everything if {
	job := object.union(build.job("build", [build.run([build.cmd(["npm", "ci"], 9)])]), {"caches": [{"key": build.str("x", 3), "paths": [], "policy": build.str("", 0)}]})
	count(missing_cache.findings) == 0 with input as build.pipeline("gitlab", [job])
}

test_persistent_runner_lowers_severity if {
	job := object.union(build.job("build", [build.run([build.cmd(["npm", "ci"], 9)])]), {"runner": {"labels": [], "ephemeral": false}})
	[f.severity | some f in missing_cache.findings] == ["low"] with input as build.pipeline("github", [job])
	[f.severity | some f in missing_cache.findings] == ["info"] with input as build.pipeline("jenkins", [job])
}

test_an_inherited_install_is_reported_once_naming_the_jobs if {
	shared := build.run([build.cmd(["pip", "install", "-r", "requirements.txt"], 40)])
	jobs := [build.job("py-3.11", [shared]), build.job("py-3.12", [shared]), build.job("py-3.13", [shared])]
	findings := missing_cache.findings with input as build.pipeline("gitlab", jobs)
	[f.msg | some f in findings] == ["pip dependencies are installed by \"pip install\" in jobs \"py-3.11\", \"py-3.12\" and 1 more with no cache; add a `cache:` keyed on the lock file (`key: files: [...]`) with the package manager's cache directory inside the project in `paths:`"]
}

test_gitlab_hint if {
	some f in findings_for("gitlab", [build.run([build.cmd(["npm", "ci"], 9)])])
	contains(f.msg, "add a `cache:` keyed on the lock file")
}

with_cache(job, cache) := object.union(job, {"caches": [object.union({"key": build.str("", 0), "paths": [], "policy": build.str("", 0)}, cache)]})

test_what_a_job_cache_must_hold if {
	job := build.job("build", [build.run([build.cmd(["npm", "ci"], 9)])])
	count(missing_cache.findings) == 0 with input as build.pipeline("jenkins", [with_cache(job, {"paths": [build.str("/root/.npm", 3)]})])
	count(missing_cache.findings) == 0 with input as build.pipeline("gitlab", [with_cache(job, {"key": build.str("$CI_COMMIT_REF_SLUG", 3), "paths": [build.str("dist/", 3)]})])
	count(missing_cache.findings) == 1 with input as build.pipeline("jenkins", [with_cache(job, {"paths": [build.str("/var/run/docker.sock", 3)]})])
	count(missing_cache.findings) == 1 with input as build.pipeline("gitlab", [with_cache(job, {"paths": [build.str("dist/", 3)]})])
}

test_maven_repo_local_is_a_cache if {
	count(findings_for("jenkins", [build.run([build.cmd(["mvn", "-B", "-Dmaven.repo.local=/cache/m2", "verify"], 9)])])) == 0
}

test_an_unknown_action_with_a_cache_setting_is_believed if {
	count(findings_for("github", [build.uses("acme/setup", "v1", {"cache_key_suffix": "more"}), build.run([build.cmd(["go", "test"], 9)])])) == 0
	count(findings_for("github", [build.uses("acme/setup", "v1", {"cache": "false"}), build.run([build.cmd(["go", "test"], 9)])])) == 1
}

test_maven_repo_local_with_dots_in_the_path if {
	count(findings_for("jenkins", [build.run([build.cmd(["mvn", "-Dmaven.repo.local=/home/ci/.m2/repository", "verify"], 9)])])) == 0
}

# A system the tables do not name gets the same findings, worded and rated
# by the tables' default entries.
test_a_system_the_tables_do_not_name_still_gets_findings if {
	findings_for("madeup-ci", [build.run([build.cmd(["npm", "ci"], 9)])]) == {{
		"msg": "npm dependencies are installed by \"npm ci\" in job \"build\" with no cache; cache the package manager's download directory, keyed on the lock file, with the CI system's cache",
		"pos": build.at(9, 7),
		"severity": "medium",
	}}
	count(findings_for("madeup-ci", [build.uses("actions/setup-node", "v4", {"cache": "npm"}), build.run([build.cmd(["npm", "ci"], 9)])])) == 0
	job := object.union(build.job("build", [build.run([build.cmd(["mvn", "verify"], 9)])]), {"runner": {"labels": [], "ephemeral": false}})
	[f.severity | some f in missing_cache.findings] == ["low"] with input as build.pipeline("madeup-ci", [job])
	count(missing_cache.findings) == 0 with input as build.pipeline("madeup-ci", [with_cache(job, {"paths": [build.str("~/.m2/repository", 3)]})])
}

# The hint is the system's for the ecosystem, else the system's for any
# ecosystem, else the default's for the ecosystem, else the default's.
test_hint_falls_back_to_the_default_entry if {
	hints := {"*": {"*": "D", "go": "DG"}, "github": {"npm": "GN"}, "gitlab": {"*": "L"}}
	missing_cache.hint("npm") == "GN" with input.system as "github" with data.pipelint.lib.tables.cache_hint as hints
	missing_cache.hint("go") == "DG" with input.system as "github" with data.pipelint.lib.tables.cache_hint as hints
	missing_cache.hint("pip") == "D" with input.system as "github" with data.pipelint.lib.tables.cache_hint as hints
	missing_cache.hint("go") == "L" with input.system as "gitlab" with data.pipelint.lib.tables.cache_hint as hints
	missing_cache.hint("npm") == "D" with input.system as "madeup-ci" with data.pipelint.lib.tables.cache_hint as hints
}
