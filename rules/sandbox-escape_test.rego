package pipelint.rules.sandbox_escape_test

import data.pipelint.lib.build
import data.pipelint.rules.sandbox_escape

call(kind, receiver_kind, receiver, name, function, line) := {
	"kind": kind, "receiver_kind": receiver_kind, "receiver": build.str(receiver, line),
	"name": build.str(name, line), "function": function, "pos": build.at(line, 3),
}

annotation(name, target, declares, line) := {
	"name": build.str(name, line), "arguments": build.str("", 0),
	"target": target, "declares": declares, "pos": build.at(line, 1),
}

jenkinsfile(calls, annotations, imports) := object.union(build.pipeline("jenkins", []), {"groovy": {
	"calls": calls, "annotations": annotations,
	"imports": [{"name": build.str(name, 1), "static": static, "pos": build.at(1, 1)} | some [name, static] in imports],
}})

lines(p) := sort([f.pos.line | some f in sandbox_escape.findings with input as p])

test_process_calls_on_the_controller if {
	lines(jenkinsfile([
		call("method", "string", "", "execute", "", 3),
		call("method", "list", "", "execute", "", 4),
		call("method", "name", "Runtime", "getRuntime", "", 5),
		call("property", "name", "java.lang.Runtime", "runtime", "", 6),
		call("constructor", "", "", "ProcessBuilder", "", 7),
		call("constructor", "", "", "java.lang.ProcessBuilder", "", 8),
	], [], [])) == [3, 4, 5, 6, 7, 8]
}

test_reflection_and_the_controller_object if {
	lines(jenkinsfile([
		call("method", "name", "Class", "forName", "", 3),
		call("property", "name", "this.class", "classLoader", "", 4),
		call("method", "other", "", "getClassLoader", "", 5),
		call("property", "name", "Jenkins", "instance", "", 6),
		call("method", "name", "jenkins.model.Jenkins", "get", "", 7),
		call("method", "name", "Hudson", "getInstance", "", 8),
		call("constructor", "", "", "GroovyShell", "", 9),
		call("method", "name", "Eval", "me", "", 10),
	], [], [])) == [3, 4, 5, 6, 7, 8, 9, 10]
}

# The same names on other receivers are other methods: a step's
# execute, a map's get, an evaluate() the Pipeline compiles in its own
# sandboxed shell.
test_look_alikes_are_fine if {
	lines(jenkinsfile([
		call("method", "name", "deployer", "execute", "", 3),
		call("method", "other", "", "execute", "", 4),
		call("method", "name", "config", "get", "", 5),
		call("property", "name", "currentBuild", "instance", "", 6),
		call("method", "", "", "evaluate", "", 7),
		call("method", "", "", "getRuntime", "", 8),
		call("method", "name", "Runtime", "availableProcessors", "", 9),
		call("constructor", "", "", "Binding", "", 10),
		call("method", "name", "GroovyShell", "evaluate", "", 11),
	], [], [])) == []
}

test_annotations_that_act_at_compile_time if {
	lines(jenkinsfile([], [
		annotation("Grab", "import", "org.yaml.snakeyaml.Yaml", 1),
		annotation("groovy.lang.Grab", "variable", "_", 2),
		annotation("ASTTest", "method", "f", 3),
		annotation("Grapes", "import", "x.Y", 4),
		annotation("NonCPS", "method", "f", 5),
		annotation("Library", "variable", "_", 6),
	], [])) == [1, 2, 3]
}

test_static_imports if {
	lines(jenkinsfile([], [], [
		["java.lang.Runtime.getRuntime", true],
		["java.lang.Runtime.*", true],
		["jenkins.model.Jenkins.instance", true],
		["jenkins.model.Jenkins", false],
		["java.lang.Math.max", true],
	])) == [1, 1, 1]
}

test_non_cps_functions_are_named if {
	p := jenkinsfile(
		[call("property", "name", "Jenkins", "instance", "jobNames", 9), call("property", "name", "Jenkins", "instance", "other", 12)],
		[annotation("NonCPS", "method", "jobNames", 8)],
		[],
	)
	findings := sandbox_escape.findings with input as p
	{[f.pos.line, contains(f.msg, `in @NonCPS function "jobNames"`)] | some f in findings} == {[9, true], [12, false]}
}

test_messages if {
	[f] := [f | some f in sandbox_escape.findings with input as jenkinsfile([call("method", "string", "", "execute", "", 3)], [], [])]
	f.msg == `"'...'.execute()" runs the command on the controller, not on an agent as sh does, outside the Pipeline sandbox: it works only once an administrator approves it, and then for every Pipeline; use a step on an agent or a trusted shared library instead`
}

test_other_systems_have_no_groovy if {
	count(sandbox_escape.findings) == 0 with input as build.pipeline("github", [])
}
