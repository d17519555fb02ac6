# METADATA
# description: |
#   What the file fixes of a value GitHub computes at run time. A value such
#   as `name-${{ matrix.v }}:latest` or `${{ cond && 'redis:7' || '' }}` is
#   only partly dynamic: rules judge the literal parts, or expand a static
#   matrix, through these helpers rather than reading `${{ }}` themselves.
package pipelint.lib.expressions

# github_expressions lists the `${{ ... }}` expressions of a text, in order.
github_expressions(text) := regex.find_n(`\$\{\{.*?\}\}`, text, -1)

# after_last_expression is the text after the last expression of a text
# that has one.
after_last_expression(text) := suffix if {
	parts := split(text, "}}")
	count(parts) > 1
	suffix := parts[count(parts) - 1]
}

# matrix_variable is the variable of a text holding one expression, that
# reads a matrix variable (`node:${{ matrix.version }}`): [expression,
# variable], the variable in lower case (contexts ignore case), a dotted
# path for a value inside a mapping (`matrix.config.image`).
matrix_variable(text) := [expression, lower(m[1])] if {
	[expression] := github_expressions(text)
	m := regex.find_all_string_submatch_n(`^\$\{\{\s*(?i:matrix)\.([A-Za-z0-9_.-]+)\s*\}\}$`, expression, 1)[0]
}

# result_literals lists the string literals a text that is one whole
# expression can evaluate to: those after `&&` or `||`, the idiom of a
# conditional value (`cond && 'a' || 'b'`), not the operands of a
# comparison or a function (`matrix.os == 'linux'`, `format('{0}', x)`).
# Each is {"value", "offset"}, offset being where the literal's text starts
# in the text, in characters.
result_literals(text) := {{"value": m[2], "offset": offset} |
	[text] == github_expressions(text)
	some m in regex.find_all_string_submatch_n(`(&&|\|\|)\s*'([^']*)'`, text, -1)
	some at in indexof_n(text, m[0])
	offset := at + count(m[0]) - count(m[2]) - 1
}

# reading lists the expressions the model holds for a pipeline (in its env
# and outputs, and in its jobs' env, inputs, outputs, strategy, containers
# and steps: env, inputs, scripts) that read a path starting with prefix
# (`secrets`). Conditions are text. Each place is filtered before it is
# collected: a file holds thousands of expressions, few read any one
# context.
reading(p, prefix) := array.concat(
	[e | some v in array.concat(p.env, p.outputs); some e in v.expressions; reads_under(e, prefix)],
	[e | some job in p.jobs; some e in job_reading(job, prefix)],
)

job_reading(job, prefix) := array.concat(
	array.concat(
		[e | some v in job_vars(job); some e in v.expressions; reads_under(e, prefix)],
		[e | some e in object.get(job, ["strategy", "expressions"], []); reads_under(e, prefix)],
	),
	array.concat(
		[e | some step in job.steps; some v in array.concat(step.env, step.with); some e in v.expressions; reads_under(e, prefix)],
		[e | some step in job.steps; some e in object.get(step, ["script", "expressions"], []); reads_under(e, prefix)],
	),
)

job_vars(job) := array.concat(
	array.concat(job.env, job.with),
	array.concat(job.outputs, [v | some image in images(job); some v in image.env]),
)

images(job) := array.concat([job.container | job.container != null], job.services)

reads_under(e, prefix) if {
	some path in e.reads
	startswith(path, prefix)
}
