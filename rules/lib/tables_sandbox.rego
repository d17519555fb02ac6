# Groovy that Jenkins' script security keeps out of the Pipeline sandbox,
# for sandbox-escape. A Jenkinsfile runs in the sandbox; what is listed
# here runs only once an administrator approves its signature (which then
# holds for every Pipeline of the controller) or in a script run without
# the sandbox, and it runs on the controller, with its files, its
# credentials and its whole object model. Written from Jenkins' script
# security documentation and the signatures its approval page flags as
# dangerous. Each table is a partial set: a policy extends it from
# another file of this package.
package pipelint.lib.tables

# sandbox_escape_calls are method calls and property reads (Groovy reads
# `x.instance` by calling `getInstance()`, so both spellings are listed)
# named in names, on a receiver written as one of receivers (a class, as
# written with or without its package), of one of receiver_kinds
# ("string", "list": a literal), or on any receiver when receivers is
# ["*"]. does says what the call gives the script.
sandbox_escape_calls contains entry if some entry in [
	{
		"receivers": ["Runtime", "java.lang.Runtime"],
		"names": ["getRuntime", "runtime"],
		"does": "starts processes on the controller",
	},
	{
		"receiver_kinds": ["string", "list"],
		"names": ["execute"],
		"does": "runs the command on the controller, not on an agent as sh does",
	},
	{
		"receivers": ["Class", "java.lang.Class"],
		"names": ["forName"],
		"does": "loads any class by name on the controller",
	},
	{
		"receivers": ["*"],
		"names": ["classLoader", "getClassLoader", "contextClassLoader", "getContextClassLoader"],
		"does": "reaches a class loader of the controller, which loads any class",
	},
	{
		"receivers": ["Jenkins", "jenkins.model.Jenkins", "Hudson", "hudson.model.Hudson"],
		"names": ["instance", "getInstance", "get", "getInstanceOrNull", "instanceOrNull", "getActiveInstance", "activeInstance"],
		"does": "reaches the controller's object model (every job, credential and setting)",
	},
	{
		"receivers": ["Eval", "groovy.util.Eval"],
		"names": ["me", "x", "xy", "xyz"],
		"does": "runs a string as Groovy on the controller",
	},
]

# sandbox_escape_constructors are the classes whose construction (`new X`)
# leaves the sandbox, as written with or without their package.
sandbox_escape_constructors contains entry if some entry in [
	{
		"classes": ["ProcessBuilder", "java.lang.ProcessBuilder"],
		"does": "starts processes on the controller",
	},
	{
		"classes": ["GroovyShell", "groovy.lang.GroovyShell", "GroovyClassLoader", "groovy.lang.GroovyClassLoader"],
		"does": "compiles and runs Groovy on the controller in a shell of its own",
	},
]

# sandbox_escape_annotations act when the script compiles, before any
# sandbox check (CVE-2019-1003000 to 1003002); Jenkins has refused them in
# sandboxed scripts since.
sandbox_escape_annotations contains entry if some entry in [
	{
		"names": ["Grab", "groovy.lang.Grab"],
		"does": "downloads a library and runs it on the controller as the script compiles",
	},
	{
		"names": ["ASTTest", "groovy.transform.ASTTest"],
		"does": "runs its code on the controller as the script compiles",
	},
]

# sandbox_escape_index[syntax][name] lists the entries that may match a
# call, constructor or annotation by its name, the lookup sandbox-escape
# makes before anything else.
sandbox_escape_index := {
	"call": {name: {e | some e in sandbox_escape_calls; name in e.names} | some e in sandbox_escape_calls; some name in e.names},
	"constructor": {name: {e | some e in sandbox_escape_constructors; name in e.classes} | some e in sandbox_escape_constructors; some name in e.classes},
	"annotation": {name: {e | some e in sandbox_escape_annotations; name in e.names} | some e in sandbox_escape_annotations; some name in e.names},
}
