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
		"msg": "npm dependencies are installed by \"npm ci\" in job \"build\" with no cache; add `cache: npm` to actions/setup-node@v4",
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
	[f.msg | some f in findings_for("github", [build.uses("actions/setup-go", "v3", {}), build.run([build.cmd(["go", "test", "./..."], 9)])])] == ["go dependencies are installed by \"go test\" in job \"build\" with no cache; add `cache: true` to actions/setup-go@v3"]
}

# The hint names the setup action the job runs, at its version, or
# actions/cache when the job runs none that can cache the ecosystem.
test_hint_names_the_jobs_setup_action_or_actions_cache if {
	sha := "5fda3b95a4ea91299a34e894583c3862153e4b97"
	python := json.patch(build.uses("actions/setup-python", sha, {}), [{"op": "replace", "path": "/uses/version_comment", "value": " v7.0.0"}])
	[f.msg | some f in findings_for("github", [python, build.run([build.cmd(["pip", "install", "-r", "requirements.txt"], 9)])])] == ["pip dependencies are installed by \"pip install\" in job \"build\" with no cache; add `cache: pip` to actions/setup-python (v7.0.0)"]
	[f.msg | some f in findings_for("github", [build.uses("actions/setup-java", "v4", {}), build.run([build.cmd(["gradlew", "clean", "build"], 9)])])] == ["gradle dependencies are installed by \"gradlew build\" in job \"build\" with no cache; add `cache: gradle` to actions/setup-java@v4"]
	[f.msg | some f in findings_for("github", [build.uses("actions/setup-python", "v5", {}), build.run([build.cmd(["npm", "ci"], 9)])])] == ["npm dependencies are installed by \"npm ci\" in job \"build\" with no cache; cache ~/.npm with actions/cache, keyed on package-lock.json"]
}

# An explicit opt-out is a decision: an action's cache input switched off
# anywhere in the job, a flag of the install, or the package manager's
# variable.
test_an_explicit_opt_out_is_no_finding if {
	every steps in [
		[build.uses("actions/setup-go", "v5", {"cache": "false"}), build.run([build.cmd(["go", "build"], 9)])],
		[build.uses("actions/setup-python", "v5", {"cache": ""}), build.run([build.cmd(["pip", "install", "-r", "r.txt"], 9)])],
		[build.uses("actions/setup-node", "v6", {"package-manager-cache": "false"}), build.run([build.cmd(["npm", "ci"], 9)])],
		[build.uses("astral-sh/setup-uv", "v6", {"enable-cache": "false"}), build.run([build.cmd(["uv", "sync"], 9)])],
		[build.uses("gradle/actions/setup-gradle", "v4", {"cache-disabled": "true"}), build.run([build.cmd(["gradle", "build"], 9)])],
		[build.run([build.cmd(["pip", "--no-cache-dir", "install", "-r", "requirements.txt"], 9)])],
		[build.run([build.cmd(["pip", "install", "--no-cache-dir", "--upgrade", "pip", "pipenv"], 8), build.cmd(["pip", "install", "-r", "requirements.txt"], 9)])],
		[build.run([build.cmd(["gradlew", "--no-build-cache", "publishToMavenLocal"], 9)])],
		[object.union(build.run([build.cmd(["pip", "install", "-r", "requirements.txt"], 9)]), {"env": [{"name": build.str("PIP_NO_CACHE_DIR", 8), "value": build.str("1", 8), "source": "literal"}]})],
	] {
		count(findings_for("github", steps)) == 0
	}
	count(findings_for("github", [build.uses("actions/setup-python", "v5", {"cache": "pip"}), build.run([build.cmd(["npm", "ci"], 9)])])) == 1
}

# GitLab's `cache: []` switches the job's cache off on purpose: a decision
# too. A cache with neither key nor cache directory is no decision.
test_a_cache_switched_off_is_no_finding if {
	job := build.job("unit", [build.run([build.cmd(["npm", "ci"], 9)])])
	cache := {"key": build.str("", 0), "paths": [], "policy": build.str("", 0), "off": false, "pos": build.at(8, 3)}
	count(missing_cache.findings) == 0 with input as build.pipeline("gitlab", [object.union(job, {"caches": [object.union(cache, {"off": true})]})])
	count(missing_cache.findings) == 1 with input as build.pipeline("gitlab", [object.union(job, {"caches": [cache]})])
}

permissions(scopes) := {"all": build.str("", 0), "scopes": [{"name": build.str(k, 3), "value": build.str(v, 3), "source": "literal"} | some k, v in scopes]}

# A job that publishes, signs, deploys, logs in to a registry or may
# request an OIDC token never gets cache advice: a cache there is the way
# to poison what it ships.
test_publishing_jobs_are_never_told_to_cache if {
	install := build.run([build.cmd(["npm", "ci"], 9)])
	every job in [
		build.job("release", [install, build.run([build.cmd(["npm", "publish"], 10)])]),
		build.job("image", [install, build.uses("docker/login-action", "v3", {})]),
		build.job("image", [install, build.run([build.cmd(["docker", "login", "-u", "bot", "--password-stdin"], 10)])]),
		build.job("sign", [install, build.uses("actions/attest-build-provenance", "v2", {})]),
		build.job("release-pr", [install, build.uses("changesets/action", "v1", {})]),
		build.job("format", [install, build.run([build.cmd(["git", "push"], 10)])]),
		build.job("nightlies", [install, object.union(build.step, {"call": build.str("sshPublisher", 11)})]),
		object.union(build.job("oidc", [install]), {"permissions": permissions({"id-token": "write", "contents": "read"})}),
		object.union(build.job("pages", [install]), {"environment": {"name": build.str("release-site", 3), "url": build.str("", 0), "action": build.str("", 0), "tier": build.str("", 0), "on_stop": build.str("", 0)}}),
	] {
		count(missing_cache.findings) == 0 with input as build.pipeline("github", [job])
	}

	# Workflow-level permissions apply to a job without its own.
	count(missing_cache.findings) == 0 with input as object.union(build.pipeline("github", [build.job("b", [install])]), {"permissions": permissions({"id-token": "write"})})
	count(missing_cache.findings) == 1 with input as object.union(build.pipeline("github", [object.union(build.job("b", [install]), {"permissions": permissions({"contents": "read"})})]), {"permissions": permissions({"id-token": "write"})})
}

test_a_few_named_tools_are_no_dependency_install if {
	every words in [["pip", "install", "meson", "ninja"], ["npm", "i", "-g", "some-cli@1.2"], ["go", "install", "golang.org/x/tools/cmd/goimports@latest"], ["pip", "install", "dist/app-1.0.tar.gz"]] {
		count(findings_for("github", [build.run([build.cmd(words, 9)])])) == 0
	}
}

# A go install of a tool counts the same whatever other caches the job has.
test_go_install_of_a_tool_is_counted_the_same_with_unrelated_caches if {
	tool := build.run([build.cmd(["go", "install", "github.com/google/addlicense@latest"], 9)])
	count(findings_for("github", [tool])) == 0
	count(findings_for("github", [build.uses("actions/setup-node", "v4", {"cache": "npm"}), tool])) == 0
}

test_messages_name_the_goal_after_clean if {
	[f.msg | some f in findings_for("jenkins", [build.run([build.cmd(["mvn", "-B", "clean", "install", "-DskipTests"], 9)])])] == ["maven dependencies are installed by \"mvn install\" in job \"build\" with no cache; wrap the install in the Job Cacher `cache(...)` step, or mount the package cache into the agent container"]
	some f in findings_for("jenkins", [build.run([build.cmd(["gradlew", "$COMMON_GRADLE_ARGS", "clean", "publishToMavenLocal"], 9)])])
	startswith(f.msg, "gradle dependencies are installed by \"gradlew publishToMavenLocal\"")
	some g in findings_for("gitlab", [build.run([build.cmd(["gradlew", "$FLAG", ":app:assembleDebug"], 9)])])
	startswith(g.msg, "gradle dependencies are installed by \"gradlew :app:assembleDebug\"")
}

test_with_maven_local_repository_is_a_cache if {
	with_maven := object.union(build.step, {"call": build.str("withMaven", 8), "with": [{"name": build.str("mavenLocalRepo", 8), "value": build.str("/var/data/m2", 8), "source": "literal"}]})
	count(findings_for("jenkins", [with_maven, build.run([build.cmd(["mvn", "verify"], 9)])])) == 0
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
	count(findings_for("github", [build.uses("acme/setup", "v1", {"cache_key": ""}), build.run([build.cmd(["go", "test"], 9)])])) == 1
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

# A project created in the job has no lock file to key a cache on.
test_a_project_created_in_the_job_has_nothing_to_key_on if {
	count(findings_for("github", [build.run([build.cmd(["go", "mod", "init", "example.com/demo"], 8), build.cmd(["go", "build"], 9)])])) == 0
	count(findings_for("github", [build.run([build.cmd(["uv", "init", "--python", "3.11"], 8), build.cmd(["uv", "sync"], 9)])])) == 0
	count(findings_for("github", [build.run([build.cmd(["uv", "init"], 8), build.cmd(["pip", "install", "-r", "requirements.txt"], 9)])])) == 1
}

test_stages_under_one_agent_report_the_first_install_only if {
	agent := {"labels": [], "ephemeral": false, "pos": build.at(5, 7)}
	install := object.union(build.job("install", [build.run([build.cmd(["mvn", "install"], 7)])]), {"runner": agent})
	javadoc := object.union(build.job("javadoc", [build.run([build.cmd(["mvn", "javadoc:jar"], 9)])]), {"runner": agent})
	elsewhere := build.job("verify", [build.run([build.cmd(["mvn", "verify"], 11)])])
	findings := missing_cache.findings with input as build.pipeline("jenkins", [install, javadoc, elsewhere])
	{f.pos.line | some f in findings} == {7, 11}
}

test_jobs_on_their_own_runners_are_each_reported if {
	agent := {"labels": [], "ephemeral": false, "pos": build.at(5, 7)}
	install := object.union(build.job("install", [build.run([build.cmd(["mvn", "install"], 7)])]), {"runner": agent})
	other := object.union(agent, {"pos": build.at(8, 7)})
	javadoc := object.union(build.job("javadoc", [build.run([build.cmd(["mvn", "javadoc:jar"], 9)])]), {"runner": other})
	findings := missing_cache.findings with input as build.pipeline("gitlab", [install, javadoc])
	{f.pos.line | some f in findings} == {7, 9}
}
