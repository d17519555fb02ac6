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
