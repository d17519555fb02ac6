package pipelint.rules.secrets_inherit_test

import data.pipelint.lib.build
import data.pipelint.rules.secrets_inherit

call(value, local, callee) := object.union(build.job("call", []), {
	"uses": {"kind": "reusable-workflow", "local": local, "value": build.str(value, 4)},
	"secrets_inherit": true,
	"callee": callee,
	"outputs": [],
})

reading(paths) := object.union(build.job("deploy", [object.union(build.step, {"env": [{
	"name": build.str("X", 9), "value": build.str("", 9), "source": "expression",
	"expressions": [{"value": p, "reads": [p], "flows": [p]} | some p in paths],
}]})]), {"outputs": []})

callee(jobs) := object.union(build.pipeline("github", jobs), {"file": ".github/workflows/deploy.yml", "outputs": []})

caller(job, callees) := object.union(build.pipeline("github", [job]), {"callees": callees})

result(p) := [[f.severity, f.msg] | some f in findings] if {
	findings := secrets_inherit.findings with input as p
}

test_remote_callee_is_medium if {
	result(caller(call("o/r/.github/workflows/x.yml@v1", false, ""), [])) == [["medium", `reusable workflow "o/r/.github/workflows/x.yml@v1" of another repository gets every secret of this one, its organisation and environment through secrets: inherit; pass only the secrets it declares under secrets:`]]
}

test_local_callee_names_what_it_reads if {
	c := callee([reading(["secrets.npm_token", "secrets.github_token", "secrets.aws_key", "github.sha"])])
	result(caller(call("./.github/workflows/deploy.yml", true, c.file), [c])) == [["info", `local workflow "./.github/workflows/deploy.yml" gets every secret through secrets: inherit but reads only secrets.AWS_KEY, secrets.NPM_TOKEN; pass them under secrets: instead`]]
	none := callee([reading(["github.sha"])])
	result(caller(call("./.github/workflows/deploy.yml", true, none.file), [none])) == [["low", `local workflow "./.github/workflows/deploy.yml" gets every secret through secrets: inherit but reads none; remove secrets: inherit`]]
}

test_local_callee_not_read_or_calling_further if {
	generic := [["low", `local workflow "./.github/workflows/deploy.yml" gets every secret through secrets: inherit; pass only the secrets it uses under secrets:`]]
	result(caller(call("./.github/workflows/deploy.yml", true, ""), [])) == generic

	# the secrets a nested call is given are not in the model
	nested := callee([object.union(call("o/r/.github/workflows/y.yml@v1", false, ""), {"secrets_inherit": false})])
	result(caller(call("./.github/workflows/deploy.yml", true, nested.file), [nested])) == generic
}

# A callee that needs every secret (the whole context, a computed name, or
# passing them all on) is judged in its own file.
test_callee_that_needs_them_all if {
	every c in [
		callee([reading(["secrets"])]),
		callee([reading(["matrix.region", "secrets.*"])]),
		callee([call("o/r/.github/workflows/y.yml@v1", false, "")]),
	] {
		result(caller(call("./.github/workflows/deploy.yml", true, c.file), [c])) == []
	}
}

test_explicit_secrets_are_fine if {
	result(caller(object.union(call("o/r/.github/workflows/x.yml@v1", false, ""), {"secrets_inherit": false}), [])) == []
}
