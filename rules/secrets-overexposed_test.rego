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
