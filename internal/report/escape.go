package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text that comes from a repository (a file name, a message
// quoting its values, a rule id of its policies) safe to print on a
// terminal or into a CI log, on one line:
//
//   - control characters but tab, line and paragraph separators,
//     bidirectional controls and bytes that are not UTF-8 are written as Go
//     escapes (\x1b, \n, \u202e, \x9b), so that no escape sequence reaches
//     the terminal and no line break starts a line the text chose;
//   - "##[", which the GitHub Actions runner reads as a command anywhere in
//     a line (its old syntax, `##[error]…`), is written "#\x23[".
func Escape(s string) string { return escape(s, false) }

// escape is Escape, but with keepLineBreaks leaves \n and \r alone and
// "##[" too, for GitHub workflow commands, which escape line breaks their
// own way and are not read for old-style commands.
func escape(s string, keepLineBreaks bool) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, mustEscape) && !strings.Contains(s, "##[") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !keepLineBreaks && strings.HasPrefix(s[i:], "##[") {
			b.WriteString(`#\x23[`)
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1: // not UTF-8: a lone 0x9b is a terminal's CSI
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case mustEscape(r) && !(keepLineBreaks && (r == '\n' || r == '\r')):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// EscapeFileName is Escape for a file name that starts a line of output: a
// name starting with a space or a colon is written "./name", since the
// runner also reads a line that starts with "::", spaces aside, as a
// command (`::error::…`).
func EscapeFileName(name string) string {
	name = Escape(name)
	if name != "" && (name[0] == ':' || unicode.IsSpace([]rune(name)[0])) {
		return "./" + name
	}
	return name
}

// mustEscape reports whether a rune may not be printed as it is.
func mustEscape(r rune) bool {
	return r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r))
}

func writeEscape(b *strings.Builder, r rune) {
	switch r {
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	default:
		if r < 0x80 {
			fmt.Fprintf(b, `\x%02x`, r)
		} else {
			fmt.Fprintf(b, `\u%04x`, r)
		}
	}
}
