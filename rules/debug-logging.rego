# METADATA
# title: Debug output that prints secrets
# description: |
#   The file turns on debug output that writes secrets into the job log,
#   which everyone who can read the log reads: GitLab's `CI_DEBUG_TRACE`
#   (every variable, masked ones included) or `CI_DEBUG_SERVICES`
#   (service logs, where masking misses), GitHub's `ACTIONS_STEP_DEBUG` or
#   `ACTIONS_RUNNER_DEBUG` set in `env:`, or a shell trace (`set -x`,
#   `bash -x`) over a command that uses a credential: the trace prints the
#   command with the credential expanded.
# custom:
#   id: debug-logging
#   severity: high
#   precision: high
#   remediation: |
#     Remove the debug variable from the file and turn debug output on for
#     one run when needed (GitLab: a variable of that run; GitHub: re-run
#     the job with debug logging). Turn a shell trace off around commands
#     that use a credential (`set +x` before, `set -x` after), or drop it.
#   tags: [security, secrets, logging, external/cwe/cwe-532]
package pipelint.rules.debug_logging

import data.pipelint.lib.secrets
import data.pipelint.lib.tables
import data.pipelint.lib.text

# One look at the file's text, for a debug variable or a trace, keeps
# every other file from reading any element.
findings contains finding if {
	text.mentions_any(tables.debug_logging_keywords)
	debug_logging_in_text
	some finding in variable_findings | trace_findings
}

debug_logging_in_text if text.mentions_any(object.keys(tables.debug_variables))

debug_logging_in_text if {
	some pattern in tables.xtrace_patterns
	text.matches(pattern)
}

# --- debug variables ----------------------------------------------------------

variable_findings contains finding if {
	some site in debug_sites
	entry := tables.debug_variables[site.var.name.value]
	lower(trim_space(site.var.value.value)) in entry.on
	finding := {
		"msg": sprintf("%s=%q turns on debug output for %s: the log gets %s, for everyone who can read it; remove it, and turn debug output on for one run when needed", [site.var.name.value, site.var.value.value, site.whom, entry.prints]),
		"pos": site.var.pos,
		"severity": entry.severity,
	}
}

# debug_sites are where the file sets a variable: for every job, for one
# job, for one step.
debug_sites contains {"var": v, "whom": "every job"} if some v in input.env

debug_sites contains {"var": v, "whom": sprintf("job %q", [job.id.value])} if {
	some job in input.jobs
	some v in job.env
}

debug_sites contains {"var": v, "whom": "the step"} if {
	some job in input.jobs
	some step in job.steps
	some v in step.env
}

# --- shell traces over credentials -------------------------------------------

# A trace turned on (`set -x`) prints each later command of the script,
# until one turns it off (`set +x`); a shell run with -x prints the
# commands of the script it runs, whose text is not in view: it counts when
# its own words hold a credential. A credential the step only binds in the
# environment is not enough: tools read such variables from there
# (Gradle's ORG_GRADLE_PROJECT_*, JReleaser's JRELEASER_*), which prints
# nothing.
trace_findings contains finding if {
	some job in input.jobs
	some step in job.steps
	traces(step.script.text.value)
	cmds := step.script.commands
	some k, cmd in cmds
	trace := tracing(cmd)
	uses := credential_uses(job, step, traced(trace, cmds, k))
	count(uses) > 0
	first := min(uses)
	finding := {
		"msg": sprintf("%s prints %s with its variables expanded: %s, %s; %s", [
			trace_display(cmd), trace_scope[trace], first[2], masking[first[0]], trace_fix[trace],
		]),
		"pos": cmd.pos,
		"severity": severity[first[0]],
	}
}

# traces is true for a script that tells a shell to print each command.
traces(script) if {
	some pattern in tables.xtrace_patterns
	regex.match(pattern, script)
}

trace_scope := {"on": "every later command", "shell": "every command of the script it runs"}

trace_fix := {
	"on": "turn the trace off around it (set +x) or drop it",
	"shell": "drop -x, or trace only the parts of the script that use no credential",
}

# trace_display names a tracing command by its name and the flag that
# traces (`set -euxo`, `bash -x`), never its other words.
trace_display(cmd) := concat(" ", [cmd.name.value, [arg.value |
	some arg in cmd.args
	regex.match(`^[-+]([A-Za-z]*x[A-Za-z]*|o)$`, arg.value)
][0]])

# masking says how much of a credential the log hides.
masking := {
	true: "a secret the log masks only as the exact value (anything derived from it, base64 or URL-encoded, shows in full)",
	false: "a variable the file does not set, which the log shows in full unless it is masked in the project's settings",
}

severity := {true: "low", false: "medium"}

# tracing is how a command traces: "on" for `set -x` (and -euxo, -o
# xtrace), "shell" for a shell given -x before its script.
tracing(cmd) := "on" if {
	cmd.name.value == "set"
	xtrace_flag(cmd.args, "-")
} else := "shell" if {
	cmd.name.value in tables.xtrace_shells
	some arg in cmd.args
	regex.match(`^-[A-Za-z]*x[A-Za-z]*$`, arg.value)
}

# xtrace_flag is true when the arguments of `set` switch the trace with
# the given sign: `-x`, `-eux`, `-o xtrace` (sign -), or `+x` (sign +).
xtrace_flag(args, sign) if {
	some arg in args
	regex.match(sprintf(`^\%s[A-Za-z]*x[A-Za-z]*$`, [sign]), arg.value)
}

xtrace_flag(args, sign) if {
	some i, arg in args
	arg.value == sprintf("%so", [sign])
	args[i + 1].value == "xtrace"
}

# traced lists the commands the trace of cmds[k] prints: for `set -x`, the
# later commands up to the first that turns the trace off; for a shell
# given -x, the command itself.
traced("on", cmds, k) := array.slice(cmds, k + 1, trace_end(cmds, k))

traced("shell", cmds, k) := [cmds[k]]

trace_end(cmds, k) := min([j |
	some j, cmd in cmds
	j > k
	cmd.name.value == "set"
	xtrace_flag(cmd.args, "+")
]) if {
	some j, cmd in cmds
	j > k
	cmd.name.value == "set"
	xtrace_flag(cmd.args, "+")
} else := count(cmds)

# credential_uses lists the credentials the traced commands hold in their
# words, each [masked, line, what], those the log may show in full first
# (see credential).
credential_uses(job, step, cmds) := array.concat(word_uses(job, step, cmds), expression_uses(cmds))

word_uses(job, step, cmds) := [[masked, cmd.pos.line, sprintf("%q on line %d uses $%s", [cmd.name.value, cmd.pos.line, name])] |
	some cmd in cmds
	some arg in cmd.args
	some name in referenced(arg.value)
	masked := credential(job, step, name)
]

# expression_uses are the GitHub secrets a command's words name, which
# GitHub writes into the script before the shell reads it.
expression_uses(cmds) := [[true, cmd.pos.line, sprintf("%q on line %d uses %s", [cmd.name.value, cmd.pos.line, m[0]])] |
	some cmd in cmds
	some arg in cmd.args
	contains(arg.value, "${{")
	some m in regex.find_all_string_submatch_n(`\$\{\{\s*(?i:secrets)\.([A-Za-z0-9_-]+)\s*\}\}`, arg.value, -1)
	not sprintf("secrets.%s", [lower(m[1])]) in tables.job_token_contexts
]

# referenced lists the variables a word expands ($NAME, ${NAME},
# ${NAME:-x}); a GitHub expression's ${{ is not one.
referenced(word) := {m[1] | some m in regex.find_all_string_submatch_n(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`, word, -1)} if contains(word, "$")

# credential is whether the log masks the credential a variable holds:
# true for a secret the file binds (a secret store reference, a GitHub
# secret, a Jenkins credential binding), which the system masks; false
# for a variable the file does not set whose name says it holds a secret
# (a project or group variable, masked only if set so). A variable the
# file sets to anything else, a job-scoped token and the parts of a
# credential that are not secret (a user name, a key file's path) are
# none.
credential(job, step, name) := masked if {
	not name in tables.job_scoped_tokens
	not secrets.holds_no_secret(name)
	masked := binding_masked(defined(job, step, name))
}

# A Jenkins username-password credential bound to NAME also sets
# NAME_USR and NAME_PSW; the password is the secret.
credential(job, step, name) := true if {
	endswith(name, "_PSW")
	count(defined(job, step, name)) == 0
	binding_masked(defined(job, step, trim_suffix(name, "_PSW")))
}

credential(job, step, name) := false if {
	not name in tables.job_scoped_tokens
	count(defined(job, step, name)) == 0
	secret_name(name)
}

# defined lists the file's definitions of a variable the step sees,
# nearest first: the step's, the job's, the pipeline's.
defined(job, step, name) := [v |
	some vars in [step.env, job.env, input.env]
	some v in vars
	v.name.value == name
]

binding_masked(vars) := true if {
	count(vars) > 0
	secret_var(vars[0])
}

secret_var(v) if {
	v.source == "secret"
	not job_token_var(v)
	not secrets.holds_no_secret(v.name.value)
}

secret_var(v) if {
	v.source == "expression"
	some e in v.expressions
	some path in e.reads
	startswith(path, "secrets.")
	not path in tables.job_token_contexts
}

job_token_var(v) if {
	count(v.expressions) > 0
	every e in v.expressions {
		every path in e.reads {
			path in tables.job_token_contexts
		}
	}
}

# secret_name is true for a name that says its variable holds a secret.
secret_name(name) if {
	regex.match(secrets.secret_word_prefilter, name)
	split_name := lower(regex.replace(name, `([a-z0-9])([A-Z])`, "${1}_${2}"))
	regex.match(secrets.secret_key_pattern, split_name)
	not regex.match(secrets.non_secret_key_pattern, split_name)
}
