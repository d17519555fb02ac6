# METADATA
# title: Downloaded script run without a checksum check
# description: |
#   A script fetched from the network is run as it arrives: piped into a
#   shell or interpreter (`curl -fsSL URL | sh`, `wget -qO- URL | sudo
#   bash`, `curl URL | python3 -`), run through a substitution (`bash <(curl
#   URL)`, `sh -c "$(curl URL)"`, `eval "$(curl URL)"`), evaluated by
#   PowerShell (`iwr URL | iex`, `iex ((New-Object
#   Net.WebClient).DownloadString(URL))`), or saved and then run (`curl -o
#   x.sh URL && bash x.sh`, `chmod +x x.sh && ./x.sh`) with no checksum or
#   signature check in between (`sha256sum -c`, `shasum -a 256 -c`, `gpg
#   --verify`, `cosign verify-blob`, ...). Whoever controls that server, the
#   domain or the path to it runs code in the pipeline with its secrets: the
#   Codecov bash uploader was altered this way for two months in 2021.
#   Severity follows the URL: plain http is high, a URL that names a version
#   or commit is low, one that moves (`main`, `latest`, or no version) is
#   medium.
# custom:
#   id: remote-script-exec
#   severity: medium
#   precision: high
#   remediation: |
#     Download the script to a file, check it against a SHA-256 you
#     recorded (or its publisher's signature), and run it only then:
#     `curl -fsSLo install.sh URL && echo "<sha256>  install.sh" | sha256sum
#     -c - && sh install.sh`. Better still, pin a version in the URL, or use
#     a package, a release archive with a published checksum, or a setup
#     action pinned to a commit.
#   tags: [supply-chain, external/cwe/cwe-494]
package pipelint.rules.remote_script_exec

import data.pipelint.lib.commands
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text as source_text

# Every finding needs a download, and most files have none: the text is
# looked at once before any command is.
mentions_download if source_text.mentions_any_lower(tables.download_mentions)

# --- piped into an interpreter ---------------------------------------------------

findings contains finding if {
	mentions_download
	some job in input.jobs
	some step in job.steps
	cmds := step.script.commands
	some k, cmd in cmds
	cmd.piped
	reads_piped_code(cmd)
	sources := [c | some c in upstream(cmds, k); fetches_to_output(c)]
	count(sources) > 0
	url := url_of(sources[count(sources) - 1]) # the closest download
	finding := {
		"msg": sprintf("script downloaded from %s is piped into %s and run without a checksum check; %s", [shown(url), cmd.name.value, fix(cmd)]),
		"pos": cmd.pos,
		"severity": severity(url),
	}
}

# reads_piped_code is true for a command that runs what is piped into it
# as code: an interpreter given no script or the script `-`, PowerShell's
# Invoke-Expression, `source /dev/stdin`.
reads_piped_code(cmd) if name(cmd) in {"iex", "invoke-expression"}

reads_piped_code(cmd) if {
	entry := tables.script_interpreters[name(cmd)]
	not code_option(cmd, entry)
	stdin_script(cmd, entry)
}

reads_piped_code(cmd) if {
	name(cmd) in {"source", "."}
	cmd.args[0].value == "/dev/stdin"
}

stdin_script(cmd, entry) if {
	some arg in options(cmd, entry)
	cluster_has(arg.value, entry.stdin)
}

stdin_script(cmd, entry) if script_word(cmd, entry).value in {"-", "/dev/stdin"}

stdin_script(cmd, entry) if not script_word(cmd, entry)

# upstream are the elements of the pipeline that cmds[k] ends, before it:
# the commands from the pipeline's first element to cmds[k], leaving out
# those inside a substitution of their own (`curl "$(x)" | sh`).
upstream(cmds, k) := [cmds[j] |
	some j in numbers.range(head, k - 1)
	cmds[j].substituted == cmds[k].substituted
] if {
	k > 0
	head := max([j |
		some j in numbers.range(0, k - 1)
		cmds[j].substituted == cmds[k].substituted
		not cmds[j].piped
	])
}

# --- run through a substitution -------------------------------------------------

findings contains finding if {
	mentions_download
	some job in input.jobs
	some step in job.steps
	cmds := step.script.commands
	fetched := [c | some c in cmds; c.substituted; fetches_to_output(c)] # few steps have any
	count(fetched) > 0
	some cmd in cmds
	substitutes(cmd) # cheap, before the interpreter tables are consulted
	sources := [c |
		some word in evaluated_words(cmd)
		substitution(word.value)
		some c in fetched
		within(c.pos, word.pos)
	]
	count(sources) > 0
	url := url_of(sources[0])
	finding := {
		"msg": sprintf("script downloaded from %s is run by %s through a substitution, without a checksum check; %s", [shown(url), cmd.name.value, fix(cmd)]),
		"pos": cmd.pos,
		"severity": severity(url),
	}
}

# substitutes is true for a command with a word that runs a substitution
# ($(...), <(...), `...`).
substitutes(cmd) if {
	some arg in cmd.args
	substitution(arg.value)
}

substitution(word) if contains(word, "$(")

substitution(word) if contains(word, "<(")

substitution(word) if contains(word, "`")

# evaluated_words are the arguments a command runs as code: every one of
# eval and source, the script (or the code of -c) of an interpreter.
evaluated_words(cmd) := cmd.args if name(cmd) in {"eval", "source", "."}

evaluated_words(cmd) := [word] if {
	entry := tables.script_interpreters[name(cmd)]
	word := script_word(cmd, entry)
}

within(inner, outer) if {
	inner.file == outer.file
	[inner.line, inner.column] >= [outer.line, outer.column]
	[inner.end_line, inner.end_column] <= [outer.end_line, outer.end_column]
}

# --- PowerShell text -----------------------------------------------------------------

# The line splitter leaves PowerShell expressions as words: a download
# inside the argument of Invoke-Expression, or in a -Command that calls it,
# is found in their text.
findings contains finding if {
	mentions_download
	source_text.mentions_any_lower({"iex", "invoke-expression", "scriptblock"}) # what evaluates_download_text needs
	some job in input.jobs
	some step in job.steps
	some cmd in step.script.commands
	powershell_evaluation(cmd) # cheap, before any text is built
	evaluates_download_text(cmd)
	url := url_in_text(text(cmd))
	finding := {
		"msg": sprintf("script downloaded from %s is run by %s without a checksum check; %s", [shown(url), cmd.name.value, powershell_fix]),
		"pos": cmd.pos,
		"severity": severity(url),
	}
}

powershell_evaluation(cmd) if lower(trim_suffix(cmd.name.value, ".exe")) in {"iex", "invoke-expression", "pwsh", "powershell"}

powershell_evaluation(cmd) if contains(lower(cmd.name.value), "scriptblock")

evaluates_download_text(cmd) if {
	name(cmd) in {"iex", "invoke-expression"}
	regex.match(tables.powershell_download_pattern, text(cmd))
}

evaluates_download_text(cmd) if {
	name(cmd) in {"pwsh", "powershell"}
	regex.match(`(?i)(^|[\s;(|])(iex|invoke-expression)(\s|$|\()|\[scriptblock\]::create\(`, text(cmd))
	regex.match(tables.powershell_download_pattern, text(cmd))
}

evaluates_download_text(cmd) if {
	not name(cmd) in {"iex", "invoke-expression", "pwsh", "powershell"}
	regex.match(`(?i)\[scriptblock\]::create\(`, text(cmd))
	regex.match(tables.powershell_download_pattern, text(cmd))
}

# --- saved, then run ----------------------------------------------------------------

# A download and the first command after it that runs the file, with no
# new download of the file in between: neighbours in the sorted list of
# the job's downloads and runs of that file.
findings contains finding if {
	mentions_download
	some k, [job, file, q, kind, _] in downloads_and_runs
	kind == "run"
	[job, file, _, "download", d] = downloads_and_runs[k - 1]
	flat := job_commands[job]
	not checked_between(flat, d, q)
	finding := {
		"msg": sprintf("script %q downloaded from %s on line %d is run without a checksum check in between; %s", [d.file, shown(d.url), d.cmd.pos.line, check_before_running(d.file)]),
		"pos": flat[q].pos,
		"severity": severity(d.url),
	}
}

# downloads_and_runs lists the downloads and the runs of each downloaded
# file, as [job, file, place among the job's commands, kind, download],
# sorted: each job's events of one file in order. Looking, for every
# download, through every later command and download would cost their
# product.
downloads_and_runs := sort(array.concat(
	[[d.job, d.file, d.at, "download", d] | some d in downloads],
	[[job, file, q, "run", null] | some [job, file, q] in run_sites],
))

# run_sites are [job, file, place] for the commands of a downloading job
# that run a file it downloads. A command is asked only about the files
# its own words name (its name, or an argument's base name), in any case.
run_sites contains [i, file, q] if {
	some i, flat in job_commands
	some q, cmd in flat
	some word in named_files(cmd)
	some file in downloaded_files[[i, word]]
	mentions(cmd, file) # cheap, before the command is parsed
	runs_file(cmd, file)
}

# named_files are the lower-case names of the files a command may run
# (see runs_file): its own name, and the base names of its arguments when
# it reads a script from one.
named_files(cmd) := {lower(cmd.name.value)} | {lower(base(a.value)) | reads_script(cmd); some a in cmd.args}

reads_script(cmd) if tables.script_interpreters[name(cmd)]

reads_script(cmd) if name(cmd) in {"source", "."}

# downloaded_files holds, by [job, lower-case name], the names of the files
# the job downloads, grouped from one sorted list (see runs).
downloaded_files := runs.group_sets(download_names)

download_names := sort({[[d.job, lower(d.file)], d.file] | some d in downloads})

# downloads are the commands that save a download to a file, with the
# file's base name and the command's place among its job's commands.
downloads contains {"job": i, "at": p, "file": file, "url": url_of(cmd), "cmd": cmd} if {
	some i, flat in job_commands
	some p, cmd in flat
	lower(cmd.name.value) in tables.download_commands
	file := base(output_file(cmd))
	file != ""
}

# job_commands are the commands of each job that downloads something, in
# order across its steps.
job_commands := {i: [c | some step in input.jobs[i].steps; some c in step.script.commands] | some i in downloading_jobs}

downloading_jobs contains i if {
	name := input.jobs[i].steps[_].script.commands[_].name.value # one expression walks every command
	lower(name) in tables.download_commands
}

# mentions is true for a command whose name or an argument holds the
# file's name.
mentions(cmd, file) if endswith(lower(cmd.name.value), lower(file))

mentions(cmd, file) if {
	some arg in cmd.args
	contains(arg.value, file)
}

runs_file(cmd, file) if {
	lower(cmd.name.value) == lower(file)
	regex.match(tables.script_extension_pattern, file)
}

runs_file(cmd, file) if {
	entry := tables.script_interpreters[name(cmd)]
	not code_option(cmd, entry)
	base(script_word(cmd, entry).value) == file
}

runs_file(cmd, file) if {
	name(cmd) in {"source", "."}
	base(cmd.args[0].value) == file
}

checked_between(flat, d, q) if {
	d.at + 1 < q
	some p in numbers.range(d.at + 1, q - 1)
	checks(flat[p], d.file)
}

checks(cmd, file) if {
	name(cmd) in tables.checksum_commands
	some arg in cmd.args
	checks_argument(arg.value, file)
}

checks(cmd, _) if {
	some m in tables.signature_checks
	name(cmd) in m.names
	commands.matches(cmd, tables.matcher(m))
}

checks_argument(arg, _) if arg in {"-c", "--check"}

checks_argument(arg, _) if regex.match(`^-[a-z]*c[a-z]*$`, arg)

checks_argument(arg, file) if base(arg) == file

# output_file is the file a download command writes, as written: the value
# of a file option, the URL's last path segment for a remote-name option
# (or by default), else the file standard output is redirected to. It is
# undefined when the download goes to standard output.
output_file(cmd) := file if {
	file := option_file(cmd)
	file != "-"
} else := remote_name(url_of(cmd)) if {
	remote_named(cmd)
} else := cmd.writes[0].value

option_file(cmd) := [file |
	spec := tables.download_outputs[name(cmd)]
	some i, arg in cmd.args
	startswith(arg.value, "-") # the tables' options are flags: the URL and the values are not tried
	some option in spec.file
	file := option_value(cmd, i, arg.value, option)
][0]

# option_value is the value of an option at args[i]: the next word
# (`-o f`), joined (`--output=f`, `-of`), or the next word after a cluster
# of short options that ends with it (`-fsSLo f`, wget's `-qO-`).
option_value(cmd, i, arg, option) := cmd.args[i + 1].value if lower(arg) == lower(option)

option_value(_, _, arg, option) := substring(arg, count(option) + 1, -1) if {
	startswith(option, "--")
	startswith(arg, concat("", [option, "="]))
}

option_value(cmd, i, arg, option) := value if {
	regex.match(`^-[A-Za-z]$`, option)
	m := regex.find_all_string_submatch_n(concat("", [`^-[A-Za-z]*`, substring(option, 1, 1), `(.*)$`]), arg, 1)[0]
	arg != option
	value := cluster_value(cmd, i, m[1])
}

cluster_value(cmd, i, "") := cmd.args[i + 1].value

cluster_value(_, _, rest) := rest if rest != ""

remote_named(cmd) if {
	spec := tables.download_outputs[name(cmd)]
	some arg in cmd.args
	some option in spec.remote_name
	remote_name_option(arg.value, option)
}

remote_named(cmd) if {
	tables.download_outputs[name(cmd)].remote_name_default
	not option_file(cmd)
}

remote_name_option(arg, option) if arg == option

remote_name_option(arg, option) if {
	regex.match(`^-[A-Za-z]$`, option)
	regex.match(concat("", [`^-[A-Za-z]*`, substring(option, 1, 1), `[A-Za-z]*$`]), arg)
}

remote_name(url) := base(regex.replace(url, `[?#].*$`, ""))

# --- commands and words -------------------------------------------------------------

# name is a command's name as the tables list it: lower case, without
# `.exe`, Python and PyPy without their version.
name(cmd) := commands.normalized_name(cmd)

text(cmd) := concat(" ", array.concat([cmd.name.value], [a.value | some a in cmd.args]))

# fetches_to_output is true for a download whose content goes to standard
# output, to the next command of the pipeline or a substitution.
fetches_to_output(cmd) if {
	name(cmd) in tables.download_commands
	not option_file_not_stdout(cmd)
	not remote_named(cmd)
}

fetches_to_output(cmd) if {
	not name(cmd) in tables.download_commands
	regex.match(tables.powershell_download_pattern, text(cmd))
}

option_file_not_stdout(cmd) if option_file(cmd) != "-"

# script_word is the first argument of an interpreter that is neither an
# option nor an option's value: the script it runs, or the code of -c.
script_word(cmd, entry) := cmd.args[first_positional(cmd, entry)]

options(cmd, entry) := array.slice(cmd.args, 0, first_positional(cmd, entry))

first_positional(cmd, entry) := i if {
	positions := [j |
		some j, arg in cmd.args
		not option_word(arg.value)
		not value_of_option(cmd, entry, j)
	]
	count(positions) > 0
	i := positions[0]
} else := count(cmd.args)

option_word(arg) if {
	startswith(arg, "-")
	arg != "-"
}

option_word(arg) if startswith(arg, "+")

value_of_option(cmd, entry, j) if {
	j > 0
	lower(cmd.args[j - 1].value) in {lower(o) | some o in entry.value_options}
}

code_option(cmd, entry) if {
	some arg in options(cmd, entry)
	cluster_has(arg.value, entry.code)
}

code_option(cmd, entry) if {
	some arg in options(cmd, entry)
	lower(arg.value) in entry.code_words
}

# cluster_has is true for a cluster of short options (`-ec`) holding one
# of the letters.
cluster_has(arg, letters) if {
	regex.match(`^-[A-Za-z]+$`, arg)
	some letter in split(letters, "")
	letter != ""
	contains(substring(arg, 1, -1), letter)
}

# base is the last path segment of a word, without quotes.
base(word) := regex.replace(trim(word, `"'`), `^.*[/\\]`, "")

# --- URLs -------------------------------------------------------------------------------

# url_of is the URL a download command fetches, as written: the argument
# that starts with a scheme, else one in the command's text (PowerShell),
# else its last argument that is not an option ($URL), else "".
url_of(cmd) := urls[0] if {
	urls := [u | some a in cmd.args; u := trim(a.value, `"'`); regex.match(`^[A-Za-z][A-Za-z0-9+.-]*://`, u)]
	count(urls) > 0
} else := found if {
	found := url_in_text(text(cmd))
} else := operands[count(operands) - 1] if {
	operands := [trim(a.value, `"'`) |
		some i, a in cmd.args
		not option_word(a.value)
		not value_of_download_option(cmd, i)
	]
	count(operands) > 0
} else := ""

value_of_download_option(cmd, i) if {
	i > 0
	lower(cmd.args[i - 1].value) in tables.download_value_options
}

url_in_text(s) := regex.find_n(`[A-Za-z][A-Za-z0-9+.-]*://[^\s'"()<>]+`, s, 1)[0]

# shown is a URL for a message: quoted, without credentials, query or
# fragment, which may hold tokens.
shown("") := "an unknown URL"

shown(url) := sprintf("%q", [regex.replace(regex.replace(url, `[?#].*$`, ""), `://[^/@]*@`, "://")]) if url != ""

# severity follows how far the URL can be trusted to serve the same code:
# plain http can be rewritten on the way, a URL without a version serves
# whatever is newest, one naming a version or commit changes only if the
# server is compromised.
severity(url) := "high" if {
	startswith(lower(url), "http://")
} else := "low" if {
	pinned_url(url)
} else := "medium"

pinned_url(url) if {
	path := url_path(url)
	not moving_url(path)
	regex.match(`(^|[/@=_-])v?[0-9]+(\.[0-9]+)+([/_.-]|$)|(^|/)[0-9a-f]{40}(/|$)|(?i:\$\{*\s*[a-z0-9_.]*version)`, path)
}

moving_url(path) if {
	some segment in split(path, "/")
	lower(segment) in tables.moving_url_segments
}

url_path(url) := regex.replace(regex.replace(url, `[?#].*$`, ""), `^[A-Za-z][A-Za-z0-9+.-]*://[^/]*`, "")

check_before_running(file) := "compare its (Get-FileHash).Hash with a published SHA-256 before running it" if {
	regex.match(`(?i)\.ps[m]?1$`, file)
} else := "check it against a published SHA-256 (sha256sum -c) or signature before running it"

fix(cmd) := powershell_fix if name(cmd) in {"iex", "invoke-expression", "pwsh", "powershell"}

fix(cmd) := "download it to a file, check it against a published SHA-256 (sha256sum -c) or signature, then run it" if {
	not name(cmd) in {"iex", "invoke-expression", "pwsh", "powershell"}
}

powershell_fix := "save it with -OutFile, compare (Get-FileHash).Hash with a published SHA-256, then run it"
