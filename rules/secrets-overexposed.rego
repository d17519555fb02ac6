# METADATA
# title: Every secret exposed at once
# description: |
#   An expression reads the whole `secrets` context (`toJSON(secrets)`) or
#   picks a secret by a computed name (`secrets[format('KEY_{0}',
#   matrix.env)]`). GitHub sends a job only the secrets it names, unless it
#   cannot tell which: then every secret of the repository, its
#   organisation and environment goes to the runner, where any step
#   can leak them, and `toJSON(secrets)` puts them all in one value.
#   Also, on every system: the whole environment dumped into a file
#   (`env > .env`, `printenv | sort > vars.txt`, `export -p`, `declare
#   -px`, PowerShell's `Get-ChildItem env: | Out-File env.txt`) that the
#   job keeps as an artifact (high), a cache or a Jenkins stash (medium):
#   the log masks secrets, the file keeps them in clear.
#   And a step that hands a credential to its whole script when the
#   script never reads it: Azure's AzureCLI task with
#   `addSpnToEnvironment: true` puts the service principal's id, key or
#   token in the environment of every command it runs.
# custom:
#   id: secrets-overexposed
#   severity: high
#   precision: very-high
#   remediation: |
#     Name each secret the job needs (`secrets.NPM_TOKEN`). For a secret
#     chosen per matrix entry, put the choice in the matrix:
#     `include: [{env: prod, token: PROD_TOKEN}]` cannot name it either, so
#     write one `if:`-guarded step per secret, or one job per environment
#     with environment secrets under the same name. Write only the
#     variables a later job needs to the file it keeps (`echo
#     "VERSION=$VERSION" > build.env`), never the whole environment.
#   tags: [security, secrets, least-privilege, external/cwe/cwe-200]
package pipelint.rules.secrets_overexposed

import data.pipelint.lib.commands
import data.pipelint.lib.expressions
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables
import data.pipelint.lib.text

findings contains finding if {
	mentions_whole_or_index
	some e in expressions.reading(input, "secrets")
	some path in e.reads
	finding := judged(e, path)
}

# mentions_whole_or_index is a cheap look at the text: `secrets` followed
# by what ends a whole context (`toJSON(secrets)`, `secrets }}`) or opens
# an index.
mentions_whole_or_index if text.matches(`secrets\s*[\[)},]`)

judged(e, "secrets") := {
	"msg": sprintf("%q reads the whole secrets context: every secret of the repository, its organisation and environment goes to the runner, in one value; name each secret the job needs (secrets.NAME)", [e.value]),
	"pos": e.pos,
	"severity": "high",
}

judged(e, "secrets.*") := {
	"msg": sprintf("%q picks a secret by a computed name: every secret of the repository, its organisation and environment goes to the runner for it to choose from; name each secret the job needs (secrets.NAME)", [e.value]),
	"pos": e.pos,
	"severity": "medium",
}

# A step whose input hands its script a credential (tables.credential_exposing_calls)
# that the script never names.
findings contains {"msg": msg, "pos": v.value.pos, "severity": "medium"} if {
	some call, places in pipeline.steps_by_call
	some entry in tables.credential_exposing_calls
	startswith(lower(call), lower(entry.call))
	some [j, s] in places
	step := input.jobs[j].steps[s]
	some v in step.with
	v.name.value == entry.input
	lower(trim_space(v.value.value)) == "true"
	step.script.text.value != "" # a script file may read it
	not regex.match(entry.used, step.script.text.value)
	msg := sprintf("%s with %s: true puts %s in the environment of every command of its script, which never reads it; remove %s", [
		step.call.value, entry.input, entry.credential, entry.input,
	])
}
# --- the environment dumped into a file the job keeps ---------------------------

# A command that prints every environment variable (`env`, `printenv`,
# `export -p`, `Get-ChildItem env:`), written to a file (directly, or
# through commands that keep every value: sort, tee, Out-File) that the
# job keeps: an artifact anyone with read access downloads, a cache or
# stash later jobs restore. Printed to the log only, it is not reported:
# the log masks secrets, a file does not.
findings contains finding if {
	some [i, s, k, cmd] in dumps
	kept_dumps := [[severity_rank[kept.severity], kept.pos.line, kept, file] |
		some file in dumped_files(input.jobs[i].steps[s], k)
		some kept in kept_paths(i, s)
		keeps(kept, file)
	]
	count(kept_dumps) > 0
	[_, _, kept, file] := sort(kept_dumps)[0] # the most exposed, then the first
	finding := {
		"msg": sprintf("%q writes every environment variable, secrets included, to %q, which line %d keeps as %s: %s; write only the variables the job needs, or leave the file out", [shown_dump(cmd), trim(file.written, `"'`), kept.pos.line, kept.what, kept.reach]),
		"pos": cmd.pos,
		"severity": kept.severity,
	}
}

severity_rank := {"high": 0, "medium": 1}

# dumps are the commands that print the whole environment, with the
# indexes of their job and step and their place among the step's commands:
# [job, step, command, cmd]. Only those of jobs that keep files count, so
# only their commands are read.
dumps contains [i, s, k, cmd] if {
	some i in keeping_jobs
	some s, step in input.jobs[i].steps
	some k, cmd in step.script.commands
	# The cheapest look first, then the exact one: normalized_name's Python
	# case cannot name a dump, lower case and no .exe is all it takes.
	tables.environment_dump_command_names[lower(cmd.name.value)]
	entry := tables.environment_dump_commands[lower(trim_suffix(cmd.name.value, ".exe"))]
	not cmd.substituted
	dumps_all(before_redirection(cmd.args), entry)
}

# keeping_jobs are the jobs that may keep a file (kept_paths): those with
# artifacts or a cache's paths, and every job of a file whose text names
# an upload action (looking for its steps costs more than reading the
# commands of the jobs without one).
keeping_jobs contains i if {
	some i, job in input.jobs
	job.artifacts[0] # null when none
}

keeping_jobs contains i if {
	some i, job in input.jobs
	some cache in job.caches
	cache.paths[0]
}

keeping_jobs contains i if {
	text.mentions_any_lower(object.keys(tables.artifact_upload_actions))
	some i, _ in input.jobs
}

# shown_dump is the dump command as written, without its redirection.
shown_dump(cmd) := concat(" ", array.concat([cmd.name.value], [a.value | some a in before_redirection(cmd.args)]))

dumps_all(args, entry) if {
	entry.allowed == ""
	count(args) == 0
}

dumps_all(args, entry) if {
	entry.allowed != ""
	every arg in args {
		regex.match(entry.allowed, arg.value)
	}
	requirement_met(args, entry.requires)
}

requirement_met(_, "")

requirement_met(args, requires) if {
	requires != ""
	some arg in args
	regex.match(requires, arg.value)
}

# before_redirection are a command's arguments before a redirection that
# the line splitter of PowerShell and cmd leaves among them (`> env.txt`).
before_redirection(args) := array.slice(args, 0, min(array.concat([i | some i, arg in args; redirection(arg.value)], [count(args)])))

redirection(word) if regex.match(`^[0-9*]?>>?`, word)

# dumped_files are the files the dump at steps.script.commands[k] ends up
# in: the dump's own writes, and those of the commands it is piped
# through when each keeps every value. {"written", "path"}: the file as
# written, and its path in the workspace (undefined for a path naming
# another variable).
dumped_files(step, k) := {file |
	cmds := step.script.commands
	chain := piped_chain(cmds, k)
	every c in chain {
		tables.environment_dump_passthrough[lower(c.name.value)]
	}
	some c in array.concat([cmds[k]], chain)
	some written in files_written(c)
	file := {"written": written, "path": workspace_path(step, written)}
}

# piped_chain are the commands after cmds[k] that its output is piped
# into, in order.
piped_chain(cmds, k) := [cmds[j] |
	some j in numbers.range(k + 1, count(cmds) - 1)
	j > k
	j < stop
] if {
	stop := min(array.concat([j | some j in numbers.range(k + 1, count(cmds) - 1); j > k; not cmds[j].piped], [count(cmds)]))
}

files_written(cmd) := ({w.value | some w in cmd.writes} | redirected(cmd)) | passed_files(cmd)

# redirected are the files of redirections left among the arguments.
redirected(cmd) := {cmd.args[i + 1].value | some i, arg in cmd.args; regex.match(`^[0-9*]?>>?$`, arg.value); i + 1 < count(cmd.args)} | {m[1] | some arg in cmd.args; m := regex.find_all_string_submatch_n(`^[0-9*]?>>?([^>&].*)$`, arg.value, 1)[0]}

# passed_files are the files a pass-through command writes, named as its
# arguments (tee env.txt, Out-File -FilePath env.txt).
passed_files(cmd) := {arg.value |
	tables.environment_dump_passthrough[lower(cmd.name.value)].files == "positional"
	some arg in before_redirection(cmd.args)
	not startswith(arg.value, "-")
} | {value |
	options := tables.environment_dump_passthrough[lower(cmd.name.value)].files
	is_array(options)
	count(options) > 0
	some value in option_files(before_redirection(cmd.args), options)
}

option_files(args, options) := {args[i + 1].value | some i, arg in args; lower(arg.value) in options; i + 1 < count(args)} | {args[0].value | count(args) > 0; not startswith(args[0].value, "-")}

# workspace_path is a written file's path relative to the workspace:
# quotes dropped, a path from the workspace's variable as it is, a path
# from the current directory joined to the step's working directory.
# Undefined for a path naming any other variable.
workspace_path(step, written) := path if {
	bare := trim(written, `"'`)
	path := from_workspace(bare, object.get(object.get(step.script, "working_directory", {}), "value", ""))
	not contains(path, "$")
}

from_workspace(path, dir) := strip_workspace(path) if {
	strip_workspace(path) != path
} else := joined(strip_workspace(dir), from_current_directory(path)) if {
	dir != ""
	not startswith(path, "/")
} else := from_current_directory(path)

strip_workspace(path) := substring(path, count(prefix), -1) if {
	some prefix in tables.workspace_prefixes
	startswith(path, prefix)
} else := path

from_current_directory(path) := substring(path, count(prefix), -1) if {
	some prefix in tables.current_directory_prefixes
	startswith(path, prefix)
} else := path

joined(dir, path) := concat("/", [trim_suffix(from_current_directory(dir), "/"), path])

clean(path) := trim_prefix(path, "./")

# kept_paths are the paths the job keeps, with what keeps them, who can
# reach them and the severity of a dump into one: {"pattern", "excluded",
# "hidden", "what", "reach", "severity", "pos"}.
kept_paths(i, s) := ({kept |
	some a in input.jobs[i].artifacts
	kept := artifact_path(input.jobs[i], a)
} | {kept |
	some cache in input.jobs[i].caches
	some p in cache.paths
	kept := {
		"pattern": p.value, "excluded": [], "hidden": true, "what": "a cache",
		"reach": "every later job that restores the cache reads it, those of other branches included where the cache is shared",
		"severity": "medium", "pos": p.pos,
	}
}) | {kept |
	some t, step in input.jobs[i].steps
	t > s
	step.uses != null
	entry := tables.artifact_upload_actions[lower(concat("/", [step.uses.owner, step.uses.repo]))]
	some v in step.with
	v.name.value == entry.input
	lines := [trim_space(l) | some l in split(v.value.value, "\n"); trim_space(l) != ""]
	some line in lines
	not startswith(line, "!")
	kept := {
		"pattern": line, "excluded": [trim_prefix(l, "!") | some l in lines; startswith(l, "!")],
		"hidden": keeps_hidden(step, entry), "what": sprintf("an artifact (%s)", [step.uses.value.value]),
		"reach": "anyone who can read the repository downloads it",
		"severity": "high", "pos": v.value.pos,
	}
}

artifact_path(job, a) := {
	"pattern": a.value, "excluded": [], "hidden": true, "what": what,
	"reach": reach, "severity": severity, "pos": a.pos,
} if {
	[what, reach, severity] := keeper(job, a)
}

keeper(job, a) := ["a stash", "every later stage of the build that unstashes it reads it", "medium"] if {
	stashed(job, a)
} else := ["an artifact", "everyone who can download the job's artifacts reads it", "high"]

# stashed is true for a path a Jenkins stash step keeps, for the rest of
# the build only.
stashed(job, a) if {
	some step in job.steps
	step.call.value == "stash"
	some v in step.with
	v.value.pos.line == a.pos.line
	v.value.pos.column <= a.pos.column
	a.pos.end_column <= v.value.pos.end_column
}

keeps_hidden(step, entry) if {
	uploads_hidden(step, entry)
} else := false

# uploads_hidden is true when the upload keeps hidden files (.env): told
# to, or of a version before the one that left them out. A moving major
# tag (v4) is its newest release.
uploads_hidden(step, _) if {
	some v in step.with
	v.name.value == "include-hidden-files"
	lower(v.value.value) == "true"
}

uploads_hidden(step, entry) if action_version(step.uses) < entry.hidden_since

action_version(ref) := [to_number(m[1]), minor] if {
	text := ref_version_text(ref)
	m := regex.find_all_string_submatch_n(`^v?([0-9]+)(?:\.([0-9]+))?`, text, 1)[0]
	minor := minor_version(m[2])
}

# minor_version is a version's minor number; a tag with none (v4) moves
# to the newest.
minor_version("") := 1000000

minor_version(text) := to_number(text) if text != ""

ref_version_text(ref) := ref.ref if {
	regex.match(`^v?[0-9]`, ref.ref)
} else := trim_space(ref.version_comment)

# keeps is true when a kept path's pattern (a file, a directory, or a
# glob with `*` and `**`) holds the written file and no exclusion does; a
# hidden file only where hidden files are kept.
keeps(kept, file) if {
	holds(clean(kept.pattern), file.path)
	every x in kept.excluded {
		not holds(clean(x), file.path)
	}
	hidden_allowed(kept, file.path)
}

hidden_allowed(kept, _) if kept.hidden

hidden_allowed(kept, path) if {
	not kept.hidden
	not regex.match(`(^|/)\.[^./]`, path)
}

holds(pattern, path) if pattern in {".", "*", "**", "**/*"}

holds(pattern, path) if trim_suffix(pattern, "/") == path

holds(pattern, path) if {
	dir := trim_suffix(pattern, "/")
	dir != ""
	startswith(path, concat("", [dir, "/"]))
}

holds(pattern, path) if glob.match(pattern, ["/"], path)

holds(pattern, path) if glob.match(concat("/", [trim_suffix(pattern, "/"), "**"]), ["/"], path)
