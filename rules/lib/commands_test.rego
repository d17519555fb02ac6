package pipelint.lib.commands_test

import data.pipelint.lib.build
import data.pipelint.lib.commands

pipeline(words_list) := build.pipeline("github", [build.job("build", [build.run([build.cmd(words, 10 + i) | some i, words in words_list])])])

matched_tables(words_list) := tables if {
	matched := commands.matched with input as pipeline(words_list)
	tables := {[m.table, m.cmd.name.value] | some m in matched}
}

test_matched_finds_every_table_a_command_is_in if {
	matched_tables([["npm", "ci"], ["npm", "test"], ["echo", "hi"]]) == {["install", "npm"], ["package_install", "npm"], ["testing", "npm"]}
}

test_matched_reads_the_first_positional_argument_past_flags if {
	matched_tables([["npm", "--silent", "ci"]]) == {["install", "npm"], ["package_install", "npm"]}
}

test_matched_follows_globs_in_the_first_argument if {
	matched_tables([["npm", "run", "test:unit"]]) == {["testing", "npm"]}
}

test_matched_keeps_conditions_beyond_the_first_argument if {
	matched_tables([["mvn", "install", "-DskipTests"]]) == {["build", "mvn"], ["install", "mvn"]}
}

test_matched_says_where_the_command_is if {
	matched := commands.matched with input as pipeline([["echo"], ["go", "test", "./..."]])
	{[m.job, m.step, m.cmd.pos.line] | some m in matched} == {[0, 0, 11]} # go test, not echo
}

test_a_bare_yarn_installs_but_yarn_add_does_not_count_as_bare if {
	matched_tables([["yarn"]]) == {["bare_install", "yarn"], ["package_install", "yarn"]}
	not ["bare_install", "yarn"] in matched_tables([["yarn", "build"]])
}

test_matching_one_table if {
	[m.ecosystem | some m in commands.matching("install", build.cmd(["pip", "install", "-r", "requirements.txt"], 1))] == ["pip"]
	count(commands.matching("install", build.cmd(["pip", "install", "--upgrade", "pip"], 1))) == 0
}

test_located_lists_commands_with_job_and_step if {
	located := commands.located with input as pipeline([["make"], ["make", "test"]])
	[[j, s, c.pos.line] | some [j, s, c] in located] == [[0, 0, 10], [0, 0, 11]]
}

test_display_shows_the_subcommand_words_the_matcher_looked_at if {
	commands.display(build.cmd(["npm", "--silent", "run", "build", "--prod"], 1), {"args": ["run", "*"]}) == "npm run build"
	commands.display(build.cmd(["helm", "upgrade", "app", "./chart"], 1), {"args": ["upgrade"]}) == "helm upgrade"
	commands.display(build.cmd(["make"], 1), {}) == "make"
	commands.display(build.cmd(["make", "all"], 1), {}) == "make all" # the first positional argument when the matcher names none
}

test_display_stops_at_a_word_that_may_be_a_value if {
	commands.display(build.cmd(["terraform", "apply", "Plan.tfplan"], 1), {"args": ["apply", "*"]}) == "terraform apply"
	commands.display(build.cmd(["curl", "https://example.com/x", "go"], 1), {"args": ["*", "*"]}) == "curl"
	commands.display(build.cmd(["kubectl", "apply", "-f", "Deploy.yaml"], 1), {"args": ["apply", "*"]}) == "kubectl apply"
}

test_is_query_for_a_command_given_only_version_or_help_flags if {
	commands.is_query(build.cmd(["mvn", "--version"], 1))
	commands.is_query(build.cmd(["gradle", "-v"], 1))
	not commands.is_query(build.cmd(["mvn", "-V", "install"], 1))
	not commands.is_query(build.cmd(["make"], 1))
}

installs(words) := [m.ecosystem | some m in commands.matching("install", build.cmd(words, 1))]

test_a_few_named_tools_or_the_jobs_own_build_are_no_dependency_install if {
	every words in [
		["pip", "install", "--upgrade", "pip"],
		["pip", "install", "--user", "mako", "markdown"],
		["pip", "install", "pre-commit==4.6.0"],
		["pip", "install", "git+https://github.com/acme/tool.git@0123abc"],
		["pip", "install", "dist/app-1.0-py3-none-any.whl", "--force-reinstall"],
		["pip", "install", "/bluez/pytest_bluezenv-1.0.whl"],
		["gradlew", "--info", "buildScanPublishPrevious"],
		["pip", "install", "app", "--no-index", "--find-links", "dist/"],
		["uv", "pip", "install", "-p", "venv/bin/python", "pyodide-build==0.30.7", "pip"],
		["npm", "install", "-g", "typescript", "vsce"],
		["npm", "i", "gulp-cli"],
		["cargo", "install", "cargo-deny", "--locked"],
		["go", "install", "golang.org/x/vuln/cmd/govulncheck@v1.1.0"],
		["go", "mod", "init", "example.com/demo"],
		["mvn", "-version"],
		["mvn", "help:evaluate", "-Dexpression=project.version"],
		["gradlew", "--version"],
	] {
		installs(words) == []
	}
}

test_requirement_files_projects_and_many_packages_are_dependency_installs if {
	every words in [
		["pip", "install", "-r", "requirements.txt"],
		["pip", "install", "."],
		["pip", "install", ".[test]"],
		["pip", "install", "/src/tool"],
		["pip", "install", "-e", "."],
		["pip", "install", "pytest", "pytest-cov", "hypothesis", "numpy"],
		["npm", "install"],
		["cargo", "install", "--path", "."],
		["go", "install", "./cmd/tool"],
		["go", "mod", "download"],
		["mvn", "-B", "clean", "verify"],
	] {
		count(installs(words)) == 1
	}
}
