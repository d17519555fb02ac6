package pipelint.rules.secrets_overexposed_test

import data.pipelint.lib.build
import data.pipelint.rules.secrets_overexposed

expr(value, reads, line) := {"value": value, "reads": reads, "flows": reads, "pos": build.at(line, 14)}

env_var(name, expressions) := {"name": build.str(name, 9), "value": build.str("", 9), "source": "expression", "expressions": expressions}

job(steps) := object.union(build.job("a", steps), {"outputs": []})

workflow(jobs) := object.union(build.pipeline("github", jobs), {"outputs": []})

findings_for(expressions) := findings if {
	findings := secrets_overexposed.findings with input as workflow([job([object.union(build.step, {"env": [env_var("X", expressions)]})])])
}

test_to_json_of_secrets_is_high if {
	findings := findings_for([expr("toJSON(secrets)", ["secrets"], 9)])
	findings == {{
		"msg": `"toJSON(secrets)" reads the whole secrets context: every secret of the repository, its organisation and environment goes to the runner, in one value; name each secret the job needs (secrets.NAME)`,
		"pos": build.at(9, 14),
		"severity": "high",
	}}
}

test_computed_key_is_medium if {
	[f.severity | some f in findings_for([expr("secrets[matrix.name]", ["matrix.name", "secrets.*"], 9)])] == ["medium"]
}

test_named_secrets_and_other_contexts_are_fine if {
	count(findings_for([
		expr("secrets.TOKEN", ["secrets.token"], 9),
		expr("toJSON(github.event)", ["github.event"], 10),
		expr("toJSON(matrix)", ["matrix"], 11),
	])) == 0
}

# Expressions are found wherever the model holds them: scripts, inputs,
# job env and outputs, matrices, container env and the workflow's env.
test_every_place_is_read if {
	e := [expr("toJSON(secrets)", ["secrets"], 9)]
	v := env_var("X", e)
	places := [
		workflow([job([object.union(build.run([]), {"script": {"expressions": e}})])]),
		workflow([job([object.union(build.step, {"with": [v]})])]),
		workflow([object.union(job([]), {"env": [v]})]),
		workflow([object.union(job([]), {"outputs": [v]})]),
		workflow([object.union(job([]), {"strategy": {"expressions": e}})]),
		workflow([object.union(job([]), {"container": {"env": [v]}})]),
		object.union(workflow([]), {"env": [v]}),
	]
	every p in places {
		count(secrets_overexposed.findings) == 1 with input as p
	}
}

# --- the environment dumped into a kept file ----------------------------------

written(words, line, files) := object.union(build.cmd(words, line), {"writes": [build.str(f, line) | some f in files], "piped": false})

piped(words, line, files) := object.union(written(words, line, files), {"piped": true})

kept_job(steps, artifacts) := object.union(build.job("a", steps), {"artifacts": [build.str(a, 20) | some a in artifacts]})

dump_findings(cmds, artifacts) := {[f.pos.line, f.severity] | some f in secrets_overexposed.findings with input as build.pipeline("gitlab", [kept_job([build.run(cmds)], artifacts)])}

test_dump_into_an_artifact_is_high if {
	every c in [
		[written(["env"], 4, [".env"])],
		[written(["printenv"], 4, ["vars.txt"])],
		[written(["export", "-p"], 4, ["./vars.txt"])],
		[written(["declare", "-px"], 4, ["$CI_PROJECT_DIR/vars.txt"])],
		[written(["set"], 4, ["\"vars.txt\""])],
		[written(["env"], 4, []), piped(["sort"], 4, ["vars.txt"])],
		[written(["printenv"], 4, []), piped(["sort"], 4, []), piped(["tee", "-a", "vars.txt"], 4, [])],
	] {
		dump_findings(c, ["vars.txt", ".env"]) == {[4, "high"]}
	}
}

in_directory(wd, file) := object.union(build.run([written(["env"], 4, [file])]), {"script": {"working_directory": build.str(wd, 3)}})

test_written_paths_from_the_workspace if {
	in_app := {[f.pos.line] | some f in secrets_overexposed.findings with input as build.pipeline("github", [kept_job([in_directory("app", "./env.txt")], ["app/env.txt"])])}
	in_app == {[4]}
	from_root := {[f.pos.line] | some f in secrets_overexposed.findings with input as build.pipeline("github", [kept_job([in_directory("app", "$GITHUB_WORKSPACE/env.txt")], ["env.txt"])])}
	from_root == {[4]}
	elsewhere := {[f.pos.line] | some f in secrets_overexposed.findings with input as build.pipeline("github", [kept_job([in_directory("app", "env.txt")], ["env.txt"])])}
	elsewhere == set()
}

test_artifact_directories_and_globs if {
	every artifacts in [["out/"], ["out"], ["out/**"], ["**/*.txt"], ["out/*.txt"], ["."]] {
		dump_findings([written(["env"], 4, ["out/env.txt"])], artifacts) == {[4, "high"]}
	}
	every artifacts in [["dist/"], ["out/*.log"], ["env.txt/"]] {
		dump_findings([written(["env"], 4, ["out/env.txt"])], artifacts) == set()
	}
}

# A filter may drop the secrets; a single variable, a setting and a
# dump to the log (which masks secrets) are not dumps into a file.
test_not_a_kept_dump if {
	every c in [
		[written(["env"], 4, []), piped(["grep", "-v", "TOKEN"], 4, ["vars.txt"])],
		[written(["printenv", "HOME"], 4, ["vars.txt"])],
		[written(["set", "-e"], 4, ["vars.txt"])],
		[written(["env", "FOO=1", "make"], 4, ["vars.txt"])],
		[written(["env"], 4, [])],
		[written(["env"], 4, ["$OTHER_DIR/vars.txt"])],
		[written(["env"], 4, ["other.txt"])],
	] {
		dump_findings(c, ["vars.txt"]) == set()
	}
}

test_powershell_dump if {
	pwsh := object.union(
		build.run([
			build.cmd(["Get-ChildItem", "env:"], 4),
			object.union(build.cmd(["Out-File", "-FilePath", "vars.txt"], 4), {"piped": true}),
			build.cmd(["gci", "env:", ">", "all.txt"], 5),
			build.cmd(["dir", "C:\\"], 6),
		]),
		{"script": {"shell": "pwsh"}},
	)
	found := {[f.pos.line, f.severity] | some f in secrets_overexposed.findings with input as build.pipeline("gitlab", [kept_job([pwsh], ["vars.txt", "all.txt"])])}
	found == {[4, "high"], [5, "high"]}
}

test_cache_is_medium if {
	job := object.union(build.job("a", [build.run([written(["env"], 4, [".cache/env"])])]), {"caches": [{"paths": [build.str(".cache/", 9)]}]})
	{[f.pos.line, f.severity] | some f in secrets_overexposed.findings with input as build.pipeline("gitlab", [job])} == {[4, "medium"]}
}

upload(ref, version_comment, inputs) := object.union(build.uses("actions/upload-artifact", ref, inputs), {"uses": {"version_comment": version_comment}})

upload_findings(steps) := {[f.pos.line, f.severity] | some f in secrets_overexposed.findings with input as build.pipeline("github", [build.job("a", steps)])}

test_upload_artifact_in_the_same_job_after_the_dump if {
	dump := build.run([written(["env"], 4, ["env.txt"])])
	upload_findings([dump, upload("v4", "", {"path": "env.txt"})]) == {[4, "high"]}
	upload_findings([dump, upload("v4", "", {"path": "logs/\nenv.txt\n"})]) == {[4, "high"]}
	upload_findings([dump, upload("v4", "", {"path": "*.txt\n!env.txt"})]) == set()
	upload_findings([upload("v4", "", {"path": "env.txt"}), dump]) == set()
}

# upload-artifact leaves hidden files out since 4.4, unless told.
test_upload_artifact_hidden_files if {
	dump := build.run([written(["env"], 4, [".env"])])
	upload_findings([dump, upload("v4", "", {"path": "."})]) == set()
	upload_findings([dump, upload("v4.6.0", "", {"path": ".env"})]) == set()
	upload_findings([dump, upload("v4", "", {"path": ".", "include-hidden-files": "true"})]) == {[4, "high"]}
	upload_findings([dump, upload("v3", "", {"path": "."})]) == {[4, "high"]}
	upload_findings([dump, upload("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.3.6", {"path": ".env"})]) == {[4, "high"]}
}

test_jenkins_stash_is_medium if {
	stash := object.union(build.step, {"kind": "other", "call": build.str("stash", 20), "with": [
		{"name": build.str("includes", 20), "value": {"value": "vars.txt", "pos": {"file": "ci.yml", "line": 20, "column": 5, "end_line": 20, "end_column": 20}}},
	]})
	job := object.union(build.job("a", [build.run([written(["env"], 4, ["vars.txt"])]), stash]), {"artifacts": [{"value": "vars.txt", "pos": {"file": "ci.yml", "line": 20, "column": 6, "end_line": 20, "end_column": 14}}]})
	{[f.pos.line, f.severity] | some f in secrets_overexposed.findings with input as build.pipeline("jenkins", [job])} == {[4, "medium"]}
}
