# Builders of small model inputs for the rules' unit tests.
package pipelint.lib.build

at(line, column) := {"file": "ci.yml", "line": line, "column": column, "end_line": line, "end_column": column + 1}

str(value, line) := {"value": value, "pos": at(line, 7)}

# cmd builds a shell command from its words, on the given line.
cmd(words, line) := {
	"name": str(words[0], line),
	"args": [str(w, line) | some w in array.slice(words, 1, count(words))],
	"substituted": false,
	"writes": [],
	"pos": at(line, 7),
}

run(cmds) := object.union(step, {"kind": "run", "script": {"text": str("", 1), "shell": "bash", "expressions": [], "commands": cmds}})

# uses builds an action step: uses("actions/setup-node", "v4", {"cache": "npm"}).
uses(action, ref, inputs) := object.union(step, {
	"kind": "uses",
	"uses": {
		"kind": "action", "owner": split(action, "/")[0], "repo": split(action, "/")[1],
		"path": concat("/", array.slice(split(action, "/"), 2, 10)),
		"ref": ref, "version_comment": "", "value": str(sprintf("%s@%s", [action, ref]), 1),
		"pinned": false, "local": false, "dynamic": false,
	},
	"with": [{"name": str(k, 1), "value": str(v, 1), "source": "literal", "type": "", "expressions": []} | some k, v in inputs],
})

step := {
	"kind": "other", "id": str("", 0), "name": str("", 0), "script": null, "uses": null, "callee": "",
	"call": str("", 0), "with": [], "env": [], "condition": str("", 0), "when": "", "continue_on_error": false,
}

job(id, steps) := {
	"id": str(id, 2), "name": str("", 0), "stage": str("", 0),
	"runner": {"labels": [], "ephemeral": true}, "container": null, "services": [], "environment": null,
	"needs": [], "condition": str("", 0), "when": "", "rules": [], "env": [], "id_tokens": [], "caches": [], "reports": [],
	"strategy": null, "permissions": null, "uses": null, "with": [], "secrets_inherit": false,
	"callee": "", "outputs": [], "steps": steps,
}

pipeline(system, jobs) := {
	"system": system, "kind": "workflow", "file": "ci.yml", "name": str("", 0),
	"triggers": [], "rules": [], "env": [], "parameters": [], "outputs": [], "permissions": null, "jobs": jobs, "callees": [],
	"references": [], "comments": [], "sources": [], "repository": null,
}

# expression builds an expression that reads and lets flow the given
# paths, on the given line.
expression(value, paths, line) := {"value": value, "reads": paths, "flows": paths, "pos": at(line, 10)}

# on adds trigger events to a pipeline.
on(p, events) := object.union(p, {"triggers": [{"event": str(e, 1), "branches": [], "pos": at(1, 1)} | some e in events]})
