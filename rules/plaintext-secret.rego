# METADATA
# title: Secret written in plain text
# description: |
#   A credential is written into the pipeline file: a token of a known
#   format (GitHub, GitLab, AWS, Slack, Stripe, Google, npm, PyPI, Docker
#   Hub, JWTs, private keys, ...) anywhere in the file, a literal value under
#   a variable or input whose name says it is a secret (`*PASSWORD*`,
#   `*TOKEN*`, `*API_KEY*`, ...), a password in a URL
#   (`https://user:pass@host`), or a password passed on a command line
#   (`docker login -p`, `--password`, `curl -u user:pass`, `mysql -pX`).
#   Everyone who can read the repository, its forks and its history can use
#   it, and a command-line password also shows in process listings and
#   logs. The password a pipeline gives its own service containers (a test
#   database) is a throwaway credential: reported at info, saying so.
#   Findings show at most the first four characters of the value.
# custom:
#   id: plaintext-secret
#   severity: high
#   precision: high
#   remediation: |
#     Revoke the credential now: it is in the repository's history even
#     after you delete the line. Then store the new one in the CI system's
#     secret store and reference it (`${{ secrets.NAME }}` on GitHub, a
#     masked and protected CI/CD variable or `secrets:` on GitLab,
#     `credentials('id')` or `withCredentials` on Jenkins). Pass passwords
#     on standard input (`docker login --password-stdin`) or through an
#     environment variable, never as a command-line argument.
#   tags: [secrets, external/cwe/cwe-798]
package pipelint.rules.plaintext_secret

import data.pipelint.lib.commands
import data.pipelint.lib.secrets

# --- tokens of a known format, anywhere ----------------------------------------

findings contains finding if {
	some token in tokens
	finding := {
		"msg": sprintf("%s %q is written in plain text; revoke it and reference a stored secret instead", [token.name, secrets.mask(token.value)]),
		"pos": token.pos,
		"severity": "critical",
		"sensitive": true,
	}
}

tokens contains {"name": pattern.name, "value": match, "pos": span(source.file, i, line, match)} if {
	some [source, text] in texts
	pipelint.contains_any(text, secrets.token_keywords)
	some pattern in secrets.token_patterns
	secrets.has_keyword(text, pattern)
	regex.match(pattern.regex, text)
	some i, line in source.lines
	secrets.has_keyword(line, pattern)
	some match in regex.find_n(pattern.regex, line, -1)
	not regex.match(secrets.allowed_token_pattern, match)
	not low_variety(match)
}

# texts pairs each source file with its text, joined once for the searches
# of whole files below. The file of a local workflow or action the pipeline
# calls is left to its own check, so that what is in it is reported once.
texts := [[source, concat("\n", source.lines)] | some source in input.sources; not source.callee]

# low_variety rejects dummies such as ghp_aaaaaaaa...: real tokens are
# random, so they use many distinct characters.
low_variety(value) if count({c | some c in split(value, "")}) < 10

span(file, index, line, match) := {
	"file": file,
	"line": index + 1,
	"column": indexof(line, match) + 1,
	"end_line": index + 1,
	"end_column": indexof(line, match) + 1 + count(match),
}

has_token(value) if regex.match(secrets.token_prefilter, value)

# --- literal values under secret names ------------------------------------------

findings contains finding if {
	some name in secret_names
	variables[variable].name.value = name # one expression finds the variables of that name
	variable.source == "literal"
	holds_literal_secret(variable.value.value)
	not has_token(variable.value.value)
	finding := literal_finding(variable, service_given(variable.value.value))
}

literal_finding(variable, "") := {
	"msg": sprintf("%q is set to the literal %q; reference a stored secret instead", [variable.name.value, secrets.mask(variable.value.value)]),
	"pos": variable.value.pos,
	"sensitive": true,
}

literal_finding(variable, service) := {
	"msg": sprintf("%q is set to the literal %q, %s", [variable.name.value, secrets.mask(variable.value.value), throwaway(service)]),
	"pos": variable.value.pos,
	"severity": "info",
	"sensitive": true,
} if service != ""

# holds_literal_secret judges a value line by line, since a value may list
# several credentials, and a `user:password` or `host=user:password` entry by
# its password.
holds_literal_secret(value) if {
	some line in split(trim_space(value), "\n")
	is_literal_secret(line)
	is_literal_secret(password_part(trim_space(line)))
}

password_part(entry) := match[1] if {
	match := regex.find_all_string_submatch_n(`^[^\s:=@/]+(?:=[^\s:=@/]+)?:([^\s:]+)$`, entry, 1)[0]
} else := entry

# --- credentials of the pipeline's own service containers --------------------------

# service_credentials are the passwords the pipeline gives the service
# containers it starts for its jobs (a test database, a broker), with the
# image they are given to: any literal under a secret name in a service's
# own env, and, in a job that starts services, a variable named like a
# database image's initial password (GitLab hands job variables to
# services). Such a container lives as long as the job: its password is no
# secret, wherever else the pipeline repeats it (a step's env, `mysql -p`,
# a connection URL).
service_credentials contains [v.value.value, image.name.value] if {
	image := input.jobs[_].services[_]
	some v in image.env
	v.source == "literal"
	v.name.value in secret_names
}

service_credentials contains [v.value.value, image.name.value] if {
	some j
	image := input.jobs[j].services[_]
	some v in array.concat(input.jobs[j].env, input.env)
	v.source == "literal"
	regex.match(secrets.service_password_pattern, v.name.value)
}

# service_given is the image of the service container a value is the
# password of, "" when it is none.
service_given(value) := min({image | some [v, image] in service_credentials; v == value}) if {
	some [v, _] in service_credentials
	v == value
} else := ""

throwaway(service) := sprintf("the password this pipeline gives its own service container %q: a throwaway credential that lives as long as the job, not a secret as long as it is used for nothing else", [service])

# variables are the named values of the file. Each rule reads one
# reference through all the jobs (and steps) that OPA walks in a single
# expression, which is cheaper than a rule body evaluated per job and step.
variables contains v if some v in input.env

variables contains v if some v in input.parameters

variables contains v if v := input.jobs[_].env[_]

variables contains v if v := input.jobs[_].with[_]

variables contains v if v := input.jobs[_].steps[_].env[_]

variables contains v if v := input.jobs[_].steps[_].with[_]

# The env of a job's container and of its services (GitHub), the
# variables of its services (GitLab), and the registry login of either.
variables contains v if v := input.jobs[_].services[_].env[_]

variables contains v if v := input.jobs[_].container.env[_]

variables contains v if v := input.jobs[_].services[_].credentials[_]

variables contains v if v := input.jobs[_].container.credentials[_]

# secret_names are the names of the file's variables that say they hold a
# secret, each judged once.
secret_names := {name | some name in variable_names; is_secret_name(name)}

variable_names := {name | name := variables[_].name.value}

is_secret_name(name) if {
	regex.match(secrets.secret_word_prefilter, name)
	words := lower(regex.replace(name, `([a-z0-9])([A-Z])`, "${1}_${2}"))
	regex.match(secrets.secret_key_pattern, words)
	not regex.match(secrets.non_secret_key_pattern, words)
}

is_literal_secret(value) if {
	trimmed := trim_space(value)
	not regex.match(secrets.placeholder_pattern, trimmed)
	not regex.match(secrets.reference_pattern, trimmed)
	not contains(trimmed, " ") # prose, not a credential
	not regex.match(`^(https?://|/|\./|~/)`, trimmed)
}

# --- passwords in URLs --------------------------------------------------------------

findings contains finding if {
	some [source, text] in texts
	regex.match(url_with_password, text)
	some i, line in source.lines
	contains(line, "://")
	contains(line, "@")
	some match in regex.find_all_string_submatch_n(secrets.url_userinfo_pattern, line, -1)
	password := match[2]
	is_literal_secret(password)
	not has_token(password)
	finding := url_finding(match, span(source.file, i, line, password), service_given(password))
}

url_finding(match, pos, "") := {
	"msg": sprintf("URL %q carries the password %q for user %q; use a stored secret (e.g. in a credential helper or an environment variable)", [host(match[0]), secrets.mask(match[2]), match[1]]),
	"pos": pos,
	"sensitive": true,
}

url_finding(match, pos, service) := {
	"msg": sprintf("URL %q carries %q for user %q, %s", [host(match[0]), secrets.mask(match[2]), match[1], throwaway(service)]),
	"pos": pos,
	"severity": "info",
	"sensitive": true,
} if service != ""

# An image reference without a scheme (GitLab's `image: user:pass@registry/image`)
# carries a password the same way.
findings contains finding if {
	some r
	input.references[r].kind = "image" # one expression finds them
	ref := input.references[r]
	not contains(ref.value.value, "://") # a URL, found above
	some match in regex.find_all_string_submatch_n(secrets.image_userinfo_pattern, ref.value.value, 1)
	[user, password] := [match[1], match[2]]
	is_literal_secret(password)
	not has_token(password)
	some source in input.sources
	source.file == ref.value.pos.file
	line := source.lines[ref.value.pos.line - 1]
	column := indexof(line, sprintf("%s:%s@", [user, password])) + count(user) + 2
	column > count(user) + 1
	finding := {
		"msg": sprintf("image %q carries the password %q for user %q; log in to the registry with a stored secret instead", [host(ref.value.value), secrets.mask(password), user]),
		"pos": {"file": source.file, "line": ref.value.pos.line, "column": column, "end_line": ref.value.pos.line, "end_column": column + count(password)},
		"sensitive": true,
	}
}

# url_with_password finds the files worth a look line by line: it starts
# with a literal, which the regular expression engine scans for quickly.
url_with_password := `://[^\s:/@'"]+:[^\s@/'"]+@`

host(url) := split(url, "@")[count(split(url, "@")) - 1]

# --- passwords on command lines ---------------------------------------------------

findings contains finding if {
	some value in command_passwords
	is_literal_secret(value.value)
	not has_token(value.value)
	finding := command_finding(value, service_given(value.value))
}

command_finding(value, "") := {
	"msg": sprintf("%q passes the password %q on its command line, where process listings and logs show it; pass it on standard input or through an environment variable set from a stored secret", [value.command, secrets.mask(value.value)]),
	"pos": value.pos,
	"sensitive": true,
}

command_finding(value, service) := {
	"msg": sprintf("%q passes %q on its command line, %s", [value.command, secrets.mask(value.value), throwaway(service)]),
	"pos": value.pos,
	"severity": "info",
	"sensitive": true,
} if service != ""

# flag_args are the arguments that start with "-" where a password flag
# can be, as [command index, argument index]; one pass serves all the forms
# below. Any command can take a long flag such as --password, but few files
# hold one, and one search of a file's text is cheaper than a look at
# every argument; short flags carry passwords only for the commands named
# in secrets.short_flag_commands.
flag_args contains [c, i] if {
	some [_, text] in texts
	pipelint.contains_any(text, secrets.password_flag_keywords)
	some c, i
	startswith(commands.all[c].args[i].value, "-")
}

flag_args contains [c, i] if {
	some name in short_flag_command_names
	some c, i
	commands.all[c].name.value = name # one expression finds the commands named so
	startswith(commands.all[c].args[i].value, "-")
}

# short_flag_command_names are the names of the file's commands whose short
# flags may carry a password: most files run none.
short_flag_command_names := {name | name := commands.all[_].name.value} & secrets.short_flag_commands

# --password VALUE
command_passwords contains {"command": cmd.name.value, "value": cmd.args[i + 1].value, "pos": cmd.args[i + 1].pos} if {
	some [c, i] in flag_args
	cmd := commands.all[c]
	cmd.args[i].value in secrets.password_flags
	cmd.args[i].value != "-p"
	not startswith(cmd.args[i + 1].value, "-")
}

# --password=VALUE
command_passwords contains {"command": cmd.name.value, "value": value, "pos": cmd.args[i].pos} if {
	some [c, i] in flag_args
	cmd := commands.all[c]
	[flag, value] := split_flag(cmd.args[i].value)
	flag in secrets.password_flags
}

# -p VALUE for commands where -p means password; for a container or
# cluster CLI only in its login subcommand (`docker run -p 8080:80`
# publishes a port).
command_passwords contains {"command": cmd.name.value, "value": cmd.args[i + 1].value, "pos": cmd.args[i + 1].pos} if {
	some [c, i] in flag_args
	cmd := commands.all[c]
	cmd.args[i].value == "-p"
	cmd.name.value in secrets.short_password_flag_commands
	not startswith(cmd.args[i + 1].value, "-")
	password_subcommand(cmd)
}

password_subcommand(cmd) if not secrets.short_password_flag_subcommand[cmd.name.value]

password_subcommand(cmd) if secrets.short_password_flag_subcommand[cmd.name.value] in commands.positional(cmd)

# -pVALUE (mysql, sshpass)
command_passwords contains {"command": cmd.name.value, "value": substring(arg.value, 2, -1), "pos": arg.pos} if {
	some [c, i] in flag_args
	cmd := commands.all[c]
	arg := cmd.args[i]
	startswith(arg.value, "-p")
	count(arg.value) > 2
	cmd.name.value in secrets.attached_password_commands
}

# -u user:password (curl, wget)
command_passwords contains {"command": cmd.name.value, "value": password, "pos": cmd.args[i + 1].pos} if {
	some [c, i] in flag_args
	cmd := commands.all[c]
	cmd.args[i].value in secrets.user_password_flags
	cmd.name.value in secrets.user_password_commands
	contains(cmd.args[i + 1].value, ":")
	password := substring(cmd.args[i + 1].value, indexof(cmd.args[i + 1].value, ":") + 1, -1)
}

split_flag(arg) := [flag, value] if {
	startswith(arg, "--")
	contains(arg, "=")
	flag := substring(arg, 0, indexof(arg, "="))
	value := substring(arg, indexof(arg, "=") + 1, -1)
}
