# METADATA
# description: |
#   The text of the file checked, for a cheap look before a rule walks the
#   model: a word a rule's finding needs (`ACTIONS_ALLOW_UNSECURE_COMMANDS`,
#   `github.actor`) is looked for once, in Go, and the file is only read
#   element by element when it is there. Never a reason to report.
package pipelint.lib.text

# file_text is the text of the file checked and of the files it includes,
# not of its callees (checked on their own), as one string.
file_text := concat("\n", [concat("\n", s.lines) | some s in input.sources; not s.callee])

# mentions is true when the text holds word, or when the input carries no
# text (a unit test's), which is then read in full.
mentions(word) := contains(file_text, word) if has_text else := true

# mentions_any_case is mentions ignoring case, for words of contexts
# (GitHub's ignore case).
mentions_any_case(word) := contains(file_text_lower, lower(word)) if has_text else := true

# mentions_any_lower is mentions_any ignoring case, for words written in
# lower case. Prefer it to matches with `(?i)`: a case-insensitive regular
# expression is the slowest kind to scan a whole file with.
mentions_any_lower(words) := pipelint.contains_any(file_text_lower, words) if has_text else := true

file_text_lower := lower(file_text)

# mentions_any is mentions for any of a set of words, in one call
# (pipelint.contains_any). Prefer it to matches with an alternation
# (`a|b|c`), which Go's regular expressions scan ten times slower.
mentions_any(words) := pipelint.contains_any(file_text, words) if has_text else := true

# matches is mentions for a regular expression.
matches(pattern) := regex.match(pattern, file_text) if has_text else := true

has_text if count(object.get(input, "sources", [])) > 0

# at is the text written at pos, when pos is on one line of a file of the
# input; else "".
at(pos) := substring(line, pos.column - 1, pos.end_column - pos.column) if {
	pos.line == pos.end_line
	some source in input.sources
	source.file == pos.file
	line := source.lines[pos.line - 1]
} else := ""
