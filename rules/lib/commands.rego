# METADATA
# description: |
#   Matching shell commands against the classification tables. A matcher is
#   an object:
#     names:   the command names it applies to (wrappers such as sudo, npx
#              or `python -m` are already stripped by the parser); rules
#              find the matchers of a command through tables.by_command
#     args:    globs the leading positional (non-flag) arguments must match,
#              in order
#     any_arg: a glob at least one positional argument must match
#     unless:  globs; the command does not match when any argument matches
#              one (e.g. -DskipTests)
#     requires: a glob that some argument, flags included, must match
#     no_positional: true when the command must have no positional argument
#     unless_after: {flag: glob}; the command does not match when the flag
#              is followed by an argument matching the glob (`-x test`)
#     only_of, few_named: an install that names packages, with no
#              requirement file (-r, -e, -c) and no local project (`.`,
#              `./dir`), does not match when, leaving out the packages in
#              only_of and files the job built (*.whl, *.tar.gz, ...), it
#              names at most few_named of them (default 0): `pip install
#              --upgrade pip` and `pip install meson ninja` install tools,
#              `pip install dist/app.whl` the job's own build, not a
#              project's dependencies. Packages are the positional
#              arguments after those `args` matches.
#   Argument globs use glob.match syntax with no delimiters (null, so that
#   `*` also crosses dots and slashes): `*`, `?`,
#   `{a,b}`. `matched` holds every match of the pipeline's commands;
#   `matching(table, cmd)` matches one command against one table.
package pipelint.lib.commands

import data.pipelint.lib.tables

# matched lists, in one pass over the pipeline's shell commands, every
# matcher of every command table that a command matches, with where the
# command is: {"table", "matcher", "job", "step", "cmd"} (job and step are
# indexes). Rules read a table's commands from it rather than matching
# every command against every table again. The walk and the dispatch
# through the tables' indexes are the builtin pipelint.commands_matched
# (docs/policies.md), which scripts of thousands of commands need.
matched contains {"table": table, "matcher": m, "job": i, "step": s, "cmd": cmd} if {
	some [table, m, i, s, cmd] in pipelint.commands_matched(input.jobs, tables.by_command, tables.by_subcommand)
	not names_only_tools(cmd, m)
}

# matched_by_table indexes matched by table: a rule that reads one
# table's matches does not walk the others'. A comprehension, which OPA
# indexes by table, and not a partial rule (`p[m.table] contains m`),
# which OPA builds in time quadratic in its entries (see lib/runs).
matched_by_table := {table: group |
	some table in {m.table | some m in matched}
	group := {m | some m in matched; m.table == table}
}

# matching lists the matchers of the named table (see tables.by_name) that
# match cmd.
matching(table, cmd) := [m |
	some m in tables.by_name[table][cmd.name.value]
	matches(cmd, m)
]

positional(cmd) := [a.value | some a in cmd.args; not startswith(a.value, "-")]

# first_positional is positional(cmd)[0], without listing them all in the
# common case of a subcommand first (`npm ci --quiet`).
first_positional(cmd) := cmd.args[0].value if {
	not startswith(cmd.args[0].value, "-")
} else := positional(cmd)[0]

# matches is true when cmd meets every condition of the matcher m (from the
# tables' indexes, so every field is present). The conditions on the
# arguments are checked by the builtin pipelint.command_matches, in one
# call (docs/policies.md).
matches(cmd, m) if {
	pipelint.command_matches(cmd, m)
	not names_only_tools(cmd, m)
}

names_only_tools(cmd, m) if {
	count(m.only_of) + m.few_named > 0
	not requirement_flag(cmd)
	args := positional(cmd)
	packages := array.slice(args, count(m.args), count(args))
	count(packages) > 0
	every p in packages {
		not local_source(p)
	}
	count([p |
		some p in packages
		not lower(regex.find_n(`^@?[^=<>!~;\[@\s]*`, p, 1)[0]) in m.only_of
		not built_file(p)
	]) <= m.few_named
}

# built_file is a package file a build wrote (dist/app-1.0.whl).
built_file(p) if regex.match(`(?i)\.(whl|tar\.gz|tgz|zip|egg)$`, p)

# local_source is the project or another source tree on disk (`.`,
# `.[test]`, `./lib`, `/src/tool`), whose requirements an install resolves.
local_source(p) if {
	regex.match(`^(\.\.?(/|\[|$)|/|~/|file:)`, p)
	not built_file(p)
}

requirement_flag(cmd) if {
	some arg in cmd.args
	regex.match(`^(-r|--requirement|-e|--editable|-c|--constraint)(=.*)?$|^-[re].+`, arg.value)
}

# is_query is true for a command that only asks the tool about itself
# (`mvn --version`, `gradle -v`, `make --help`): it runs nothing else.
is_query(cmd) if {
	count(cmd.args) > 0
	every arg in cmd.args {
		arg.value in tables.query_args
	}
}

# located lists every shell command of the pipeline with the indexes of
# its job and step, [job, step, command], and all the commands alone. They
# are arrays, computed once per evaluation, so rules that scan every
# command share one walk of the jobs and steps.
located := [[i, s, cmd] | cmd := input.jobs[i].steps[s].script.commands[_]]

all := [cmd | cmd := input.jobs[_].steps[_].script.commands[_]]

# display names a command for messages: its name and the subcommand words
# the matcher m looked at (`npm run build`, `helm upgrade`), or the first
# positional argument when m names none. Nothing else is shown, since
# arguments may hold secrets. The builtin pipelint.command_display
# (docs/policies.md) reads the arguments: every build, deploy and release
# site of a script is named so.
display(cmd, m) := pipelint.command_display(cmd, max([1, count(object.get(m, "args", []))]))

# normalized_name is a command's name as the tables write it: lower case,
# without a Windows `.exe`, Python and PyPy without their version
# (python3.12 is python).
normalized_name(cmd) := without_python_version(lower(trim_suffix(cmd.name.value, ".exe")))

without_python_version(n) := regex.replace(n, `^(python|pypy)[0-9.]*$`, "$1") if {
	startswith(n, "py")
} else := n

# env_reference is how a script in the given shell (or language: a
# code input's "javascript") reads environment variable name, the safe
# way to give it a value: "$NAME" quoted, $env:NAME, %NAME%,
# process.env.NAME.
env_reference(name, shell) := sprintf("$env:%s", [name]) if shell in {"pwsh", "powershell"}

env_reference(name, "javascript") := sprintf("process.env.%s", [name])

env_reference(name, "cmd") := sprintf("%%%s%%", [name])

env_reference(name, shell) := sprintf(`"$%s"`, [name]) if not shell in {"pwsh", "powershell", "javascript", "cmd"}
