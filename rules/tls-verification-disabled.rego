# METADATA
# title: TLS certificate verification switched off
# description: |
#   A command, setting or variable tells a tool to accept any certificate:
#   `curl -k`, `wget --no-check-certificate`, `git -c http.sslVerify=false`,
#   `git config http.sslVerify false`, `GIT_SSL_NO_VERIFY`, `npm config set
#   strict-ssl false`, `pip --trusted-host`, `NODE_TLS_REJECT_UNAUTHORIZED=0`,
#   `helm`/`kubectl --insecure-skip-tls-verify`, `skopeo
#   --src-tls-verify=false`, a step setting such as Bitbucket's `clone:
#   skip-ssl-verify: true`. Anyone on the network path (a proxy, a
#   poisoned DNS answer, a compromised network) can then pose as the
#   server: read what the job sends and change what it receives. High when
#   what comes back is run (packages, sources, images, a script piped into
#   a shell) or a credential goes with it; low for a probe that throws the
#   body away (`curl -skI`); medium otherwise. A server on
#   the runner itself (localhost, 127.0.0.1, a throwaway cluster the job
#   starts) is not reported.
# custom:
#   id: tls-verification-disabled
#   severity: high
#   precision: high
#   remediation: |
#     Remove the option, setting or variable. For a server whose
#     certificate is signed by a private CA, give the tool that CA instead
#     (`curl --cacert`, `git config http.sslCAInfo`, `npm config set
#     cafile`, `pip --cert`, `NODE_EXTRA_CA_CERTS`, `kubectl
#     --certificate-authority`); for a certificate that expired or names
#     another host, fix the server.
#   tags: [security, supply-chain, network, external/cwe/cwe-295]
package pipelint.rules.tls_verification_disabled

import data.pipelint.lib.commands
import data.pipelint.lib.deploys
import data.pipelint.lib.pipeline
import data.pipelint.lib.tables
import data.pipelint.lib.text

# One look at the file's text keeps every other file from reading any
# element.
findings contains finding if {
	text.mentions_any_lower(tables.tls_off_keywords)
	some site in sites
	finding := {
		"msg": sprintf("%s turns off TLS certificate verification %s: anyone on the network path can pose as the server, %s; %s", [site.what, site.scope, harm[site.exposes], fix]),
		"pos": site.pos,
		"severity": severity[site.exposes],
	}
}

harm := {
	"code": "and send code the job then runs",
	"credentials": "and take the credentials the tool sends",
	"download": "and send the script the job runs",
	"sent": "and take the credential the command sends",
	"probe": "and fake the answer the job checks",
	"": "and read or change what passes between them",
}

severity := {"code": "high", "credentials": "high", "download": "high", "sent": "high", "": "medium", "probe": "low"}

fix := "remove it, and give the tool the server's CA certificate if it has a private one"

# --- command options ----------------------------------------------------------

# sites are the places that switch verification off: {"what", "scope",
# "exposes", "pos"}. A command is reported once, at its first option.
sites contains site if {
	some [i, s, cmd, name] in named
	[k, e] := first_option(i, cmd, name)
	site := {
		"what": sprintf("%s %s", [cmd.name.value, shown_option(cmd.args, k, e)]),
		"scope": "for this command",
		"exposes": command_exposes(input.jobs[i].steps[s].script.commands, cmd, e),
		"pos": cmd.args[k].pos,
	}
}

# named are the commands the tables of options or settings name, with
# the indexes of their job and step and their normalized name: [job,
# step, cmd, name]. One lookup of each command's name in lower case finds
# the few (tables.tls_off_command_names).
named contains [i, s, cmd, commands.normalized_name(cmd)] if {
	some [i, s, cmd] in commands.located
	tables.tls_off_command_names[lower(cmd.name.value)]
}

# A daemon started as a service with options (`command:` of GitLab's
# docker:dind) reads them as its command line.
sites contains site if {
	some i, job in input.jobs
	some svc in job.services
	some daemon, pattern in tables.daemon_images
	regex.match(pattern, svc.name.value)
	cmd := {"name": {"value": daemon}, "args": svc.command}
	[k, e] := first_option(i, cmd, daemon)
	site := {
		"what": sprintf("the service %q, started with %s,", [svc.name.value, shown_option(cmd.args, k, e)]),
		"scope": "for the images it pulls and pushes",
		"exposes": e.exposes,
		"pos": cmd.args[k].pos,
	}
}

# first_option is where the first option of the command (of job i,
# named name) that switches verification off is, [index, entry], unless
# the command reaches a server on the runner.
first_option(i, cmd, name) := [k, e] if {
	entries := tables.tls_off_options_by_name[name]
	starts := tables.tls_off_option_starts[name]
	hits := [[k, e] |
		some k, arg in cmd.args
		starts[lower(substring(arg.value, 0, 1))] # before each entry is tried
		word := lower(arg.value)
		some e in entries
		may_give(word, e)
		option_at(cmd.args, k, e)
	]
	count(hits) > 0
	[k, e] := hits[0]
	not local_target(cmd, k, e)
	not local_cluster(i, e)
}

# may_give is true when an argument, in lower case, starts as option e
# does (alone, `--option=value`, or before its value), or when e can be in
# a cluster: the cheap look before option_at.
may_give(word, e) if startswith(word, e.prefix)

may_give(_, e) if e.cluster != ""

# shown_option is the option as written, with its value when that is the
# next word.
shown_option(args, k, e) := sprintf("%s %q", [args[k].value, args[k + 1].value]) if {
	e.value != ""
	same_option(args[k].value, e.option, e)
} else := sprintf("%q", [args[k].value])

# option_at is true when the arguments from k on give option e.
option_at(args, k, e) if {
	e.value == ""
	switch(args[k].value, e)
}

option_at(args, k, e) if {
	e.value != ""
	regex.match(e.value, option_value(args, k, e))
}

option_at(args, k, e) if {
	e.cluster != ""
	regex.match(sprintf(`^-[^-=%s]*%s`, [e.takes_value, e.cluster]), args[k].value)
}

switch(arg, e) if same_option(arg, e.option, e)

switch(arg, e) if {
	[name, value] := split_once(arg)
	same_option(name, e.option, e)
	lower(value) in tables.truthy_option_values
}

same_option(arg, option, e) if arg == option

same_option(arg, option, e) if {
	e.ignore_case
	lower(arg) == lower(option)
}

# option_value is the value given to e at args[k]: joined with `=`, or the
# next word.
option_value(args, k, e) := value if {
	[name, value] := split_once(args[k].value)
	same_option(name, e.option, e)
}

option_value(args, k, e) := args[k + 1].value if same_option(args[k].value, e.option, e)

split_once(arg) := [substring(arg, 0, i), substring(arg, i + 1, -1)] if {
	i := indexof(arg, "=")
	i > 0
}

# local_target is true when what the command reaches is on the runner: the
# hosts an option trusts, or else every URL among its arguments.
local_target(cmd, k, e) if {
	e.host
	local_hosts(option_value(cmd.args, k, e))
}

local_target(cmd, _, e) if {
	not e.host
	urls := targets([url | some a in cmd.args; some url in urls_in(a.value)], e.target)
	count(urls) > 0
	every url in urls {
		regex.match(tables.local_host_pattern, url)
	}
}

targets(urls, "") := urls

targets(urls, "first") := array.slice(urls, 0, 1)

targets(urls, "last") := array.slice(urls, count(urls) - 1, count(urls))

# urls_in is the URL an argument is or gives an option (`--server=URL`).
urls_in(arg) := [arg] if regex.match(tables.url_pattern, arg)

urls_in(arg) := [value] if {
	not regex.match(tables.url_pattern, arg)
	[_, value] := split_once(arg)
	regex.match(tables.url_pattern, value)
}

# local_hosts is true for a list of hosts (separated by spaces or commas)
# that are all on the runner.
local_hosts(value) if {
	hosts := [h | some h in regex.split(`[\s,]+`, trim_space(value)); h != ""]
	count(hosts) > 0
	every h in hosts {
		regex.match(tables.local_host_pattern, h)
	}
}

local_cluster(i, e) if {
	e.with_cluster
	i in deploys.local_cluster_jobs
}

# command_exposes is what goes over a plain download's connection: a
# script piped into an interpreter, a credential, or only an answer the
# job checks (a probe whose body is thrown away).
command_exposes(_, _, e) := e.exposes if e.exposes != ""

command_exposes(cmds, cmd, e) := "download" if {
	e.exposes == ""
	some k, c in cmds
	c.pos == cmd.pos
	cmds[k + 1].piped
	interpreter(cmds[k + 1])
} else := "sent" if {
	e.exposes == ""
	some arg in cmd.args
	regex.match(tables.credential_arg_pattern, arg.value)
} else := "probe" if {
	e.exposes == ""
	pattern := tables.discarded_download_patterns[commands.normalized_name(cmd)]
	regex.match(pattern, concat(" ", [a.value | some a in cmd.args]))
} else := e.exposes

interpreter(cmd) if tables.script_interpreters[commands.normalized_name(cmd)]

interpreter(cmd) if commands.normalized_name(cmd) in tables.evaluating_commands

# --- configuration commands ---------------------------------------------------

sites contains site if {
	some [_, _, cmd, name] in named
	some e in tables.tls_off_settings_by_name[name]
	args := [a | some a in cmd.args; not startswith(a.value, "-")]
	count(args) > count(e.args)
	every j, word in e.args {
		args[j].value == word
	}
	rest := array.slice(args, count(e.args), count(args))
	some j, key in rest
	value := setting_value(rest, j, key.value, e)
	regex.match(e.off, value)
	not local_setting(key.value, value, e)
	site := {
		"what": sprintf("%s %s %q", [cmd.name.value, concat(" ", e.args), key.value]),
		"scope": sprintf("for every later %s command of the job", [cmd.name.value]),
		"exposes": e.exposes,
		"pos": key.pos,
	}
}

setting_value(rest, j, key, e) := rest[j + 1].value if regex.match(e.key, key)

setting_value(_, _, key, e) := value if {
	[name, value] := split_once(key)
	regex.match(e.key, name)
}

# local_setting is true for hosts on the runner, or for a git setting
# scoped to a URL on it (http.https://localhost:8443/.sslVerify).
local_setting(_, value, e) if {
	e.host
	local_hosts(value)
}

local_setting(key, _, e) if {
	e.url_in_key != ""
	url := regex.find_all_string_submatch_n(e.url_in_key, key, 1)[0][1]
	regex.match(tables.local_host_pattern, url)
}

# --- configuration files -----------------------------------------------------

sites contains site if {
	text.mentions_any_lower(tables.tls_off_rc_files)
	some [_, _, cmd] in commands.located
	lower(cmd.name.value) in tables.rc_writers
	count(cmd.writes) > 0
	line := concat(" ", [a.value | some a in cmd.args; not regex.match(`^-[neE]+$`, a.value)]) # echo's own options
	some e in tables.tls_off_rc_lines
	some w in cmd.writes
	endswith(trim(w.value, `"'`), concat("", ["/", e.file]))
	regex.match(e.line, replace(line, "\\n", ""))
	site := {
		"what": sprintf("%s %q >> %s", [cmd.name.value, trim_space(replace(line, "\\n", "")), w.value]),
		"scope": sprintf("for every later %s command of the job", [e.tool]),
		"exposes": e.exposes,
		"pos": cmd.pos,
	}
}

# --- environment variables ----------------------------------------------------

sites contains site if {
	text.mentions_any_lower(tables.tls_off_env_words) # before variables walks every step
	some [v, scope] in variables
	e := tables.tls_off_env[v.name.value]
	regex.match(e.off, v.value.value)
	not local_variable(v, e)
	site := {
		"what": sprintf("%s=%q", [v.name.value, v.value.value]),
		"scope": sprintf("for %s in %s", [e.for, scope]),
		"exposes": e.exposes,
		"pos": v.pos,
	}
}

variables contains [v, "every job"] if some v in input.env

variables contains [v, sprintf("job %q", [job.id.value])] if {
	some job in input.jobs
	some v in job.env
}

variables contains [v, "the step"] if {
	some job in input.jobs
	some step in job.steps
	some v in step.env
}

local_variable(v, e) if {
	e.host
	local_hosts(v.value.value)
}

# A variable a script assigns (`export GIT_SSL_NO_VERIFY=1`, `GIT_SSL_NO_VERIFY=1
# git clone ...`, `$env:NODE_TLS_REJECT_UNAUTHORIZED = 0`, or `echo
# "NAME=0" >> $GITHUB_ENV` for later steps) is found in the script's text,
# which the commands do not keep.
sites contains site if {
	text.mentions_any_lower(tables.tls_off_env_words)
	some job in input.jobs
	some step in job.steps
	script := step.script
	some name, e in tables.tls_off_env
	contains(script.text.value, name)
	some assignment in assignments(script.text.pos, name)
	regex.match(e.off, assignment.value)
	not local_assignment(assignment.value, e)
	site := {
		"what": sprintf("%s=%q", [name, assignment.value]),
		"scope": sprintf("for %s", [e.for]),
		"exposes": e.exposes,
		"pos": assignment.pos,
	}
}

local_assignment(value, e) if {
	e.host
	local_hosts(value)
}

# assignments are the assignments of the variable on the lines of the
# script's span, outside comments: {"value", "pos"}.
assignments(span, name) := {{"value": m[2], "pos": at(span.file, n, column, (column + count(m[0])) - count(m[1]))} |
	some source in input.sources
	source.file == span.file
	some n in numbers.range(span.line, span.end_line)
	line := source.lines[n - 1]
	contains(line, name)
	some m in regex.find_all_string_submatch_n(assignment_pattern(name), line, -1)
	column := (indexof(line, m[0]) + count(m[1])) + 1
	not commented(substring(line, 0, column - 1))
	within_span(span, n, column)
}

assignment_pattern(name) := sprintf(`(^|[^A-Za-z0-9_.-])(?:(?i:\$env:)%s\s*=\s*|%s=)["']?([^\s"';&|)]*)`, [name, name])

commented(prefix) if regex.match(`(^|\s)#`, prefix)

within_span(span, n, column) if {
	[n, column] >= [span.line, span.column]
	[n, column] < [span.end_line, span.end_column]
}

at(file, line, column, end_column) := {"file": file, "line": line, "column": column, "end_line": line, "end_column": end_column}

# --- step settings ------------------------------------------------------------

sites contains site if {
	some e in tables.tls_off_step_settings
	some [j, s] in pipeline.steps_by_call[e.call]
	step := input.jobs[j].steps[s]
	step.kind == "other"
	some w in step.with
	w.name.value == e.input
	regex.match(e.off, w.value.value)
	site := {
		"what": sprintf("%s %s: %s", [e.call, e.input, w.value.value]),
		"scope": "for the step",
		"exposes": e.exposes,
		"pos": w.pos,
	}
}
