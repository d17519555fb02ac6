# METADATA
# title: Groovy that leaves the Pipeline sandbox
# description: |
#   A Jenkinsfile's Groovy runs on the controller, inside the script
#   security sandbox. Code that reaches past it (`Runtime.getRuntime()`,
#   `new ProcessBuilder`, `"cmd".execute()`, `new GroovyShell`,
#   `Class.forName`, a class loader, `Jenkins.instance`, `@Grab`) fails
#   until an administrator approves it, and then runs on the controller
#   with its files, its credentials and every job. An approval holds for
#   every Pipeline of the controller: once one Jenkinsfile's call is
#   approved, anyone who can push a Jenkinsfile can make the same call.
# custom:
#   id: sandbox-escape
#   severity: high
#   precision: high
#   remediation: |
#     Do the work in a step, which runs on an agent (`sh`, `bat`,
#     `readFile`, `readYaml`), or, when it needs the controller, in a
#     trusted shared library that is reviewed like the controller's
#     configuration; then revoke the approval (Manage Jenkins > In-process
#     Script Approval).
#   tags: [security, least-privilege, external/cwe/cwe-250]
package pipelint.rules.sandbox_escape

import data.pipelint.lib.tables

# Only a Jenkinsfile has Groovy: the one look at other files.
findings contains finding if {
	is_object(input.groovy)
	some finding in escapes
}

# Calls and property reads: `Runtime.getRuntime()`, `"cmd".execute()`,
# `Jenkins.instance`, `x.classLoader`.
escapes contains finding if {
	some call in input.groovy.calls
	some entry in tables.sandbox_escape_index.call[call.name.value]
	call.kind != "constructor"
	receives(entry, call)
	finding := escape(spelled(call), entry, call.function, call.pos)
}

escapes contains finding if {
	some call in input.groovy.calls
	some entry in tables.sandbox_escape_index.constructor[call.name.value]
	call.kind == "constructor"
	finding := escape(sprintf("new %s(...)", [call.name.value]), entry, call.function, call.pos)
}

escapes contains finding if {
	some annotation in input.groovy.annotations
	some entry in tables.sandbox_escape_index.annotation[annotation.name.value]
	finding := escape_with(sprintf("@%s", [annotation.name.value]), entry, "", annotation.pos, unsandboxed)
}

# A static import of such a method (`import static
# java.lang.Runtime.getRuntime`, or all of the class's) lets the code call
# it without its class.
escapes contains finding if {
	some imported in input.groovy.imports
	imported.static
	parts := split(imported.name.value, ".")
	class := concat(".", array.slice(parts, 0, count(parts) - 1))
	some entry in imported_entries(class, parts[count(parts) - 1])
	finding := escape(sprintf("import static %s", [imported.name.value]), entry, "", imported.pos)
}

imported_entries(class, "*") := {e | some e in tables.sandbox_escape_calls; class in object.get(e, "receivers", [])}

imported_entries(class, name) := {e | some e in tables.sandbox_escape_index.call[name]; class in object.get(e, "receivers", [])} if name != "*"

receives(entry, call) if {
	call.receiver_kind == "name"
	call.receiver.value in object.get(entry, "receivers", [])
}

receives(entry, call) if call.receiver_kind in object.get(entry, "receiver_kinds", [])

receives(entry, call) if {
	call.receiver_kind != ""
	"*" in object.get(entry, "receivers", [])
}

# spelled writes a call as the message shows it.
spelled(call) := sprintf("%s.%s%s", [receiver_text[call.receiver_kind], call.name.value, parentheses[call.kind]]) if call.receiver_kind != "name"

spelled(call) := sprintf("%s.%s%s", [call.receiver.value, call.name.value, parentheses[call.kind]]) if call.receiver_kind == "name"

receiver_text := {"string": "'...'", "list": "[...]", "other": "..."}

parentheses := {"method": "()", "property": ""}

escape(code, entry, function, pos) := escape_with(code, entry, function, pos, approved)

approved := "it works only once an administrator approves it, and then for every Pipeline"

# Jenkins refuses the compile-time annotations in the sandbox whatever is
# approved.
unsandboxed := "Jenkins refuses it in the sandbox, so it works only in a script an administrator lets run without it"

escape_with(code, entry, function, pos, works) := {
	"msg": sprintf("%q%s %s, outside the Pipeline sandbox%s: %s; use a step on an agent or a trusted shared library instead", [code, where, entry.does, note, works]),
	"pos": pos,
} if {
	[where, note] := non_cps(function)
}

# non_cps names the @NonCPS function the code sits in, with a note: the
# annotation only turns off the CPS transformation, the sandbox still
# applies.
non_cps(function) := [sprintf(" in @NonCPS function %q", [function]), ", which @NonCPS does not lift"] if {
	function != ""
	some annotation in input.groovy.annotations
	annotation.target == "method"
	annotation.declares == function
	annotation.name.value in {"NonCPS", "com.cloudbees.groovy.cps.NonCPS"}
} else := ["", ""]
