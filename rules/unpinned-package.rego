# METADATA
# title: Package installed by a moving name
# description: |
#   A job installs packages that no version pins: `pip install name` with
#   no `==`, a requirements file (read from the repository) with such
#   lines, `npm install -g tool`, `go install path@latest`, `gem install`
#   without `-v`, `cargo install` without `--version`, a package fetched
#   from a git branch (`pip install git+https://...@main`), or a project
#   install that does not hold to the lock file the repository has (`npm
#   install` beside package-lock.json, Yarn 1 without `--frozen-lockfile`).
#   Each run takes whatever the registry or the branch serves that day,
#   and runs it with the job's token and secrets: a hijacked maintainer
#   account or a typo in a release reaches CI at once. On a privileged
#   trigger (pull_request_target, workflow_run, issue_comment, ...), `npm
#   install` and `npm ci` without `--ignore-scripts` also run every
#   dependency's install scripts with the base repository's secrets.
#   Severity follows how far the name moves: a branch is high, no version
#   medium, a lock file not held to low. Not reported: the project itself
#   (`pip install .`, `-e .`), files a build wrote (`dist/*.whl`), bounded
#   ranges (`urllib3<2`, `pnpm@8`), names set by variables, and the package
#   manager upgrading itself (`pip install --upgrade pip setuptools wheel`).
# custom:
#   id: unpinned-package
#   severity: medium
#   precision: high
#   remediation: |
#     Pin what the job installs: `pip install pytest==8.3.3` (better, a
#     requirements file with hashes made by `pip-compile
#     --generate-hashes` or `uv pip compile --generate-hashes`), `npm ci`
#     instead of `npm install`, `yarn install --frozen-lockfile`, `npm i -g
#     tool@1.2.3`, `go install path@v1.2.3`, `gem install name -v 1.2.3`,
#     `cargo install name --version 1.2.3 --locked`, a full commit SHA
#     for a git source. Dependabot and Renovate keep such pins up to date.
#     On privileged triggers add `--ignore-scripts` to npm installs.
#   tags: [supply-chain, external/cwe/cwe-829, external/cwe/cwe-1357]
package pipelint.rules.unpinned_package

import data.pipelint.lib.commands
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

# --- packages named on the command line -------------------------------------------

findings contains finding if {
	some install in installs
	packages := moving_packages(install)
	count(packages) > 0
	not run_from_workspace(install.cmd)
	some movement in {p.movement | some p in packages}
	moving := [p | some p in packages; p.movement == movement]
	finding := {
		"msg": sprintf("%q installs %s %s; %s", [
			commands.display(install.cmd, install.matcher), listed(moving), reason[movement],
			fix(install, movement),
		]),
		"pos": moving[0].arg.pos,
		"severity": severity[movement],
	}
}

reason := {
	"branch": "from a branch, which moves with every push",
	"latest": "with no fixed version, so each run takes whatever the registry serves then",
}

severity := {"branch": "high", "latest": "medium", "unlocked": "low", "lifecycle": "medium"}

fix(_, "branch") := "pin a full commit SHA"

fix(install, "latest") := install.manager.pin

# listed names the packages of a finding, at most three.
listed(packages) := concat(", ", [sprintf("%q", [p.arg.value]) | some p in packages]) if count(packages) <= 3

listed(packages) := sprintf("%s and %d more", [
	concat(", ", [sprintf("%q", [p.arg.value]) | some p in array.slice(packages, 0, 3)]),
	count(packages) - 3,
]) if count(packages) > 3

# installs are the package installs of the pipeline, from the one match of
# every command table (commands.matched), with their manager's entry, the
# packages they name (the words after the subcommand, neither options nor
# the values of its manager's value options) and the set of their
# arguments, which has_option looks options up in.
installs contains object.union(m, {"manager": manager, "packages": packages, "args": args}) if {
	some m in commands.matched_by_table["package_install"]
	manager := tables.package_managers[m.matcher.manager]
	args := {arg.value | some arg in m.cmd.args}
	words := positional_words(m.cmd.args, args & manager.value_options)
	packages := array.slice(words, count(m.matcher.args), count(words))
}

# positional_words are the arguments that are neither options nor the
# values of the value options given, in order.
positional_words(args, value_options) := [arg | some arg in args; not startswith(arg.value, "-")] if {
	count(value_options) == 0
} else := [arg |
	some i, arg in args
	not startswith(arg.value, "-")
	not option_value(args, i, value_options)
]

# run_from_workspace is true for a command run by the path of a file at
# the top of the workspace (`./uv pip install anyio`, `.\uv.exe`): the
# package manager the job built and tests, which installs test packages
# on purpose, not the runner's.
run_from_workspace(cmd) if {
	line := source_lines[cmd.name.pos.file][cmd.name.pos.line - 1]
	written := substring(line, cmd.name.pos.column - 1, cmd.name.pos.end_column - cmd.name.pos.column)
	regex.match(`^["']?\.[/\\][^/\\]+$`, written)
}

source_lines := {s.file: s.lines | some s in object.get(input, "sources", [])}

# moving_packages lists the packages an install names that move, with
# how far ("branch" or "latest"): among the words after its subcommand,
# and the sources its options give (pip -e, cargo --git). None when the
# whole install keeps to local archives or asks for pre-releases.
moving_packages(install) := [] if {
	has_option(install, install.manager.offline_options) # --find-links archives only
} else := [] if {
	asks_for_prereleases(install)
} else := array.concat(
	[{"arg": arg, "movement": movement} |
		some arg in named_packages(install)
		movement := package_movement(install, arg.value)
		movement != "fixed"
		not package_name(arg.value) in install.manager.bootstrap
	],
	[{"arg": arg, "movement": movement} |
		count(install.manager.source_options) > 0
		some arg in option_values(install, install.manager.source_options)
		movement := source_movement(install, arg.value)
		movement != "fixed"
	],
)

# named_packages are the packages an install names by name: none for the
# crates of a git repository or a directory (--git is judged on its own).
named_packages(install) := [] if {
	install.matcher.manager == "cargo"
	count(option_values(install, ["--git", "--path"])) > 0
} else := install.packages

# option_values are the values given to the options of an install: `-e
# X`, `-e=X`, `--editable=X` (with the position of the whole word). A look
# at the set of its arguments comes before each walk of them.
option_values(install, options) := array.concat(
	[args[i + 1] | has_option(install, options); some i, arg in args; arg.value in options; args[i + 1]],
	[{"value": substring(arg.value, count(option) + 1, -1), "pos": arg.pos} |
		contains(concat(" ", install.args), "=")
		some arg in args
		startswith(arg.value, "-")
		some option in options
		startswith(arg.value, option)
		substring(arg.value, count(option), 1) == "="
	],
) if {
	args := install.cmd.args
}

option_value_of(install, options) := values[count(values) - 1].value if {
	values := option_values(install, options)
	count(values) > 0
}

# has_option is true when an install is given one of the options.
has_option(install, options) if {
	some option in options
	install.args[option]
}

# package_movement is how far a package as written moves: "branch",
# "latest", or "fixed" for anything not reported (a version, a bounded
# range, a path, a name in a variable).
package_movement(install, spec) := vcs_movement(spec) if {
	vcs_source(install, spec)
} else := url_movement(spec) if {
	regex.match(`^https?://`, spec)
} else := "fixed" if {
	contains(spec, "$")
} else := "fixed" if {
	regex.match(tables.local_package_pattern, spec)
} else := version_movement(install.matcher.manager, version_of(install, spec))

# option_value is true for the argument at i when the one before is one
# of the value options.
option_value(args, i, value_options) if args[i - 1].value in value_options

# asks_for_prereleases is true for an install that takes pre-releases or
# nightly builds on purpose (pip --pre, an index of nightly wheels): the
# job tests what is coming, which a pin would defeat.
asks_for_prereleases(install) if has_option(install, tables.prerelease_options)

asks_for_prereleases(install) if {
	contains(concat(" ", install.args), "ightly") # in one look at them all
	some arg in install.args
	contains(arg, "ightly")
	regex.match(tables.prerelease_words, arg)
}

# vcs_source is true for a package fetched from version control, npm's
# `owner/repo` shorthand for a GitHub repository included.
vcs_source(_, spec) if regex.match(tables.vcs_package_pattern, spec)

vcs_source(install, spec) if {
	install.matcher.manager in {"npm", "yarn"}
	regex.match(`^[A-Za-z0-9][\w.-]*/[\w.-]+(#.*)?$`, spec)
}

# source_movement judges a source given by an option: pip's `-e X` is a
# package; cargo's `--git URL` fetches the crates named from the ref the
# other options give, the default branch if none.
source_movement(install, spec) := package_movement(install, spec) if install.matcher.manager != "cargo"

source_movement(install, _) := cargo_git_movement(install) if install.matcher.manager == "cargo"

cargo_git_movement(install) := "fixed" if {
	has_option(install, ["--rev", "--tag"])
} else := "fixed" if {
	some arg in install.cmd.args
	regex.match(`^--(rev|tag)=`, arg.value)
} else := "branch"

# package_name is the name of a package as written, in lower case with
# pip's `_` and `.` as `-`: `Setuptools[x]>=60` is setuptools.
package_name(spec) := replace(replace(lower(regex.find_n(`^@?[^=<>!~;\[@\s:]*`, spec, 1)[0]), "_", "-"), ".", "-")

# vcs_movement: a git source moves unless its ref is a commit (or a
# version tag, which is a release); no ref is the default branch.
vcs_movement(spec) := "fixed" if {
	ref := vcs_ref(spec)
	regex.match(`^([0-9a-f]{7,40}|semver:.*|v?[0-9]+(\.[0-9]+)+.*)$`, ref)
} else := "fixed" if {
	contains(vcs_ref(spec), "$")
} else := "branch"

# vcs_ref is the ref of a git source: npm's `#ref`, else pip's `@ref`
# after the repository path (`git+https://host/o/r.git@ref#egg=x`).
vcs_ref(spec) := ref if {
	parts := split(spec, "#")
	count(parts) > 1
	not regex.match(`^(egg|subdirectory)=`, parts[1])
	ref := parts[1]
} else := ref if {
	ref := regex.find_all_string_submatch_n(`^[^#]*://[^/#]*/[^@#]*@([^#]+)`, spec, 1)[0][1]
}

# url_movement: an archive URL moves when it names a branch or "latest"
# (`.../archive/refs/heads/main.zip`).
url_movement(spec) := "branch" if {
	some segment in regex.split(`[/.#?=]`, lower(spec))
	segment in tables.moving_url_segments
} else := "fixed"

# version_of is the version a package is asked at: after `==` and the
# like (pip), `@` (npm, go, cargo), `:` (gem), or in a version option (gem
# -v, cargo --version); "" when none is given.
version_of(install, spec) := option_value_of(install, install.manager.version_options) if {
	count(install.manager.version_options) > 0
	option_value_of(install, install.manager.version_options)
} else := substring(spec, count(name), -1) if {
	install.matcher.manager == "pip"
	name := regex.find_n(`^[^=<>!~;\[\s]*(\[[^\]]*\])?`, spec, 1)[0]
} else := regex.replace(spec, `^@?[^@:]*[@:]?`, "") if {
	not install.matcher.manager == "pip"
}

# version_movement judges a version as written. pip's environment markers
# (`; python_version < "3.9"`) are no version. A name or version in a
# variable is taken as fixed: what it holds is not in the file.
version_movement("pip", version) := "fixed" if {
	regex.match(`===?|<|~=`, split(version, ";")[0])
} else := "latest"

version_movement(manager, version) := "fixed" if {
	manager in {"npm", "yarn"}
	not npm_moving(version)
} else := "latest" if manager in {"npm", "yarn"}

npm_moving(version) if version == ""

npm_moving(version) if {
	not regex.match(`^v[0-9]`, version)
	not lower(version) in tables.prerelease_tags
	regex.match(`^(\*|x|[A-Za-z][\w.-]*|>=?\s*[0-9][0-9.]*)$`, version)
}

version_movement("go", version) := "latest" if {
	version in {"latest", "upgrade", "patch"}
} else := "fixed" if {
	regex.match(`^(|v[0-9].*|[0-9a-f]{7,40})$`, version)
} else := "branch"

version_movement(manager, version) := "fixed" if {
	manager in {"gem", "cargo"}
	regex.match(`[=<~^]|^\s*[0-9]`, version)
	not regex.match(`^\s*>`, version)
} else := "latest" if manager in {"gem", "cargo"}

# --- project installs that do not hold to the lock file ----------------------------

findings contains finding if {
	some install in installs
	install.matcher.project
	count(lock_files) > 0
	count(install.packages) == 0
	not has_option(install, tables.global_install_flags)
	not has_option(install, install.manager.frozen_options)
	lock := lock_file(install)
	finding := {
		"msg": sprintf("%q does not hold to %s: it resolves versions anew when package.json and the lock file disagree, and rewrites the lock file; %s", [
			commands.display(install.cmd, install.matcher), lock, unlocked_fix[install.matcher.manager],
		]),
		"pos": install.cmd.name.pos,
		"severity": severity.unlocked,
	}
}

unlocked_fix := {
	"npm": "use npm ci, which installs exactly the lock file or fails",
	"yarn": "add --frozen-lockfile, which fails instead",
}

# lock_file is the lock file of the directory the install runs in, of a
# kind its manager only holds to when frozen.
lock_file(install) := lock.file if {
	some lock in lock_files
	lock.kind in install.manager.lock_kinds
	parent(lock.file) == install_directory(install)
}

lock_files := [f | some f in dependency_files; f.kind != "requirements"]

dependency_files := object.get(input, ["repository", "dependency_files"], [])

# --- requirement files -----------------------------------------------------------

findings contains finding if {
	some install in installs
	install.matcher.manager == "pip"
	count(requirement_files) > 0
	some arg in option_values(install, ["-r", "--requirement"])
	not constrained(install)
	dir := install_directory(install)
	file := normalized(join(dir, arg.value))
	loose := loose_requirements(file)
	count(loose) > 0
	movement := most_moving({l.movement | some l in loose})
	finding := {
		"msg": sprintf("%q installs %s, whose %s; pin every line with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes), or pass a constraints file (-c) that does", [
			commands.display(install.cmd, install.matcher), file, listed_requirements(loose, movement),
		]),
		"pos": arg.pos,
		"severity": severity[movement],
	}
}

requirement_reason := {
	"branch": {"line": "fetches from a branch, which moves with every push", "lines": "fetch from a branch (some of them), which moves with every push"},
	"latest": {"line": "names no fixed version, so each run takes whatever the registry serves then", "lines": "name no fixed version, so each run takes whatever the registry serves then"},
}

most_moving(movements) := "branch" if "branch" in movements else := "latest"

listed_requirements(loose, movement) := sprintf("%s %s %s", [noun, names, requirement_reason[movement][noun]]) if {
	shown := [sprintf("%q (%s:%d)", [l.line.value, l.line.pos.file, l.line.pos.line]) | some l in array.slice(loose, 0, 3)]
	noun := {true: "line", false: "lines"}[count(loose) == 1]
	names := concat(", ", array.concat(shown, [sprintf("and %d more", [count(loose) - 3]) | count(loose) > 3]))
}

# constrained is true for an install that pins through a constraints
# file or requires hashes, on its command line or in its environment.
constrained(install) if has_option(install, ["-c", "--constraint", "--require-hashes"])

constrained(install) if {
	some arg in install.cmd.args
	regex.match(`^(--constraint=|-c.)`, arg.value)
}

constrained(install) if {
	some var in environment(install)
	var.name.value in tables.constraint_variables
}

# environment lists the variables an install sees from the file: the
# pipeline's, its job's and its step's.
environment(install) := array.concat(array.concat(object.get(input, "env", []), job.env), job.steps[install.step].env) if {
	job := input.jobs[install.job]
}

# loose_requirements are the lines of a requirements file, and of the
# files it includes (-r), that name a moving version, in file order; none
# when any of them pins through a constraints file or hashes (pip then
# refuses unpinned lines).
loose_requirements(file) := [l |
	some f in files
	some line in requirement_files[f].requirements
	movement := requirement_movement(line.value)
	movement != "fixed"
	not package_name(line.value) in tables.package_managers.pip.bootstrap
	l := {"line": line, "movement": movement}
] if {
	requirement_files[file]
	files := sort(graph.reachable(requirement_graph, {file}))
	not pinned_elsewhere(files)
}

pinned_elsewhere(files) if {
	some f in files
	some line in requirement_files[f].requirements
	regex.match(`(^|\s)(-c|--constraint|--require-hashes|--hash)(\s|=|$)`, line.value)
}

requirement_files := {f.file: f | some f in dependency_files; f.kind == "requirements"}

# requirement_graph links each requirements file to those it includes,
# by paths relative to its own directory.
requirement_graph[file] := {normalized(join(parent(file), target)) |
	some line in f.requirements
	target := regex.find_all_string_submatch_n(`^(?:-r|--requirement)(?:\s+|=)(\S+)`, line.value, 1)[0][1]
} if some file, f in requirement_files

# requirement_movement judges one requirement line as pip reads it: its
# options (-r, --index-url) aside, an editable (-e X) as X.
requirement_movement(line) := "fixed" if {
	startswith(line, "-")
	not regex.match(`^(-e|--editable)(\s|=)`, line)
} else := package_movement(pip_install, trim_space(regex.replace(line, `^(-e|--editable)(\s+|=)`, ""))) if {
	regex.match(`^(-e|--editable)(\s|=)`, line)
} else := package_movement(pip_install, regex.replace(line, `\s+--?[a-z].*$`, ""))

# pip_install stands for `pip install` when a requirement line is judged.
pip_install := {"matcher": {"manager": "pip", "args": ["install"]}, "manager": tables.package_managers.pip, "cmd": {"args": []}}

# --- install scripts on privileged triggers ------------------------------------------

findings contains finding if {
	untrusted.file_grade == "privileged"
	some install in installs
	install.matcher.lifecycle
	count(install.packages) == 0 # a tool named is judged by its version
	not has_option(install, tables.global_install_flags)
	not has_option(install, ["--ignore-scripts"])
	not scripts_ignored(install)
	finding := {
		"msg": sprintf("%q runs the install scripts of every dependency in %s, with the base repository's token and secrets; add --ignore-scripts (and run the scripts the build needs by name)", [
			commands.display(install.cmd, install.matcher), privileged_start,
		]),
		"pos": install.cmd.name.pos,
		"severity": severity.lifecycle,
	}
}

privileged_start := sprintf("a workflow started by %s", [concat(", ", sort(triggers))]) if {
	triggers := untrusted.events(input) & tables.privileged_triggers
	count(triggers) > 0
} else := "a workflow that privileged triggers start through their callers"

scripts_ignored(install) if {
	some var in environment(install)
	lower(var.name.value) == tables.lifecycle_ignore_variable
	lower(var.value.value) == "true"
}

# --- where a command runs -------------------------------------------------------------

# install_directory is the directory an install runs in, relative to the
# repository root ("" for the root): the step's working directory, then
# the `cd`s of the step before it, then its own --prefix or --cwd.
# Undefined when any of them cannot be told (a variable, a path outside
# the workspace), or when an earlier step of the job changes directory
# (GitLab runs a job's scripts in one shell).
install_directory(install) := dir if {
	step := input.jobs[install.job].steps[install.step]
	not earlier_step_changes_directory(install)
	cds := [c | some c in step.script.commands; c.name.value in {"cd", "pushd"}; not c.substituted; before(c, install.cmd)]
	options := option_values(install, directory_options)
	moves := array.concat([c.args[0] | some c in cds], options)
	targets := array.concat([concat("", ["/", object.get(step.script, ["working_directory", "value"], "")])], [t | some m in moves; t := target(m.value)])
	count(targets) == count(cds) + count(options) + 1
	start := max([i | some i, t in targets; startswith(t, "/")])
	dir := normalized(concat("/", array.slice(targets, start, count(targets))))
}

earlier_step_changes_directory(install) if {
	some s, step in input.jobs[install.job].steps
	s < install.step
	some c in step.script.commands
	c.name.value in {"cd", "pushd"}
}

before(c, cmd) if c.pos.line < cmd.pos.line

before(c, cmd) if {
	c.pos.line == cmd.pos.line
	c.pos.column < cmd.pos.column
}

# directory_options run an install in another directory (npm --prefix,
# yarn --cwd).
directory_options := ["--prefix", "--cwd", "-C", "--dir"]

# target is where a `cd` or a directory option goes: a path relative to
# the current directory, or from the workspace's root when it starts with
# "/"; undefined for anywhere else (home, another absolute path, a
# variable).
target(path) := regex.replace(path, tables.workspace_variables, "/") if {
	regex.match(tables.workspace_variables, path)
} else := path if {
	not regex.match("^[-/~]|[$`*?]", path)
}

join(dir, file) := file if dir == ""

join(dir, file) := concat("/", [dir, file]) if dir != ""

parent(file) := concat("/", array.slice(parts, 0, count(parts) - 1)) if parts := split(file, "/")

# normalized is a path without `.`, empty segments or `name/..`, relative
# to the root; undefined when it leaves the root or goes up more than
# three times.
normalized(path) := result if {
	segments := [s | some s in split(path, "/"); not s in {"", "."}]
	collapsed := up(up(up(concat("/", segments))))
	not regex.match(`(^|/)\.\.(/|$)`, collapsed)
	result := collapsed
}

up(path) := trim(regex.replace(path, `(^|/)([^./][^/]*|\.[^./][^/]*|\.\.[^/]+)/\.\.(/|$)`, "/"), "/")
