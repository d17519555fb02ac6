package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
//   - the second "#" of a log command that CI runners read anywhere in a
//     line (see commandHashes) is written "\x23": "##[error]" becomes
//     "#\x23[error]", "##vso[task.setvariable …]" "#\x23vso[…".
func Escape(s string) string { return escape(s, false) }

// escape is Escape, but with keepLineBreaks leaves \n and \r alone, for
// formats that escape line breaks their own way (GitHub workflow
// commands, Markdown).
func escape(s string, keepLineBreaks bool) string {
	hashes := commandHashes(s)
	if len(hashes) == 0 && utf8.ValidString(s) && !strings.ContainsFunc(s, mustEscape) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if len(hashes) > 0 && hashes[0] == i {
			b.WriteString(`\x23`)
			hashes = hashes[1:]
			i++
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
// name starting with a space or a colon, invisible characters aside, is
// written "./name", since the GitHub Actions runner also reads a line that
// starts with "::", spaces aside, as a command (`::error::…`).
func EscapeFileName(name string) string {
	name = Escape(name)
	if first := strings.TrimLeftFunc(name, ignorable); first != "" && (first[0] == ':' || unicode.IsSpace([]rune(first)[0])) {
		return "./" + name
	}
	return name
}

// EscapeLines is Escape for a text of several lines whose content comes
// from a repository and whose layout matters, such as its configuration
// printed back (`pipelint config print`): each line is escaped on its own,
// and a line that the GitHub Actions runner would read as a workflow
// command, one that starts with "::" once spaces and invisible characters
// are left out, has its first ":" written "\x3a".
func EscapeLines(text string) string {
	var b strings.Builder
	for line := range strings.SplitAfterSeq(text, "\n") {
		body, newline := strings.CutSuffix(line, "\n")
		body = Escape(body)
		start := strings.IndexFunc(body, func(r rune) bool { return !unicode.IsSpace(r) && !ignorable(r) })
		if start >= 0 {
			if _, command := matchPrefix(body, start, "::"); command {
				body = body[:start] + `\x3a` + body[start+1:]
			}
		}
		b.WriteString(body)
		if newline {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// commandHashes returns the byte offsets in s of the second "#" of every
// log command that CI runners find anywhere in a line: GitHub's old
// syntax "##[name]" (`##[error]`, `##[add-mask]`, `##[set-output …]`),
// which Azure Pipelines also reads as formatting (`##[section]`), and
// Azure Pipelines' logging commands "##vso[area.action …]", in any case
// as its agent's own neutraliser matches them. Invisible characters
// (ignorable) between the characters of a prefix do not hide it: both
// runners are .NET programs, and a culture-aware search (the GitHub
// runner's IndexOf("##[") is one) skips them. Changing the second "#" is
// enough: no prefix is left.
func commandHashes(s string) []int {
	var hashes []int
	for i := 0; ; i++ {
		next := strings.IndexByte(s[i:], '#')
		if next < 0 {
			return hashes
		}
		i += next
		if second, ok := matchPrefix(s, i+1, "#"); ok {
			if _, ok := matchPrefix(s, second+1, "["); ok {
				hashes = append(hashes, second)
			} else if _, ok := matchPrefix(s, second+1, "vso["); ok {
				hashes = append(hashes, second)
			}
		}
	}
}

// matchPrefix reports whether s from byte offset i holds prefix, ASCII
// case aside and ignorable runes before each of its characters skipped,
// and returns the offset of the last character matched.
func matchPrefix(s string, i int, prefix string) (last int, ok bool) {
	for p := 0; p < len(prefix); p++ {
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !ignorable(r) {
				break
			}
			i += size
		}
		if i >= len(s) || lower(s[i]) != lower(prefix[p]) {
			return 0, false
		}
		last = i
		i++
	}
	return last, true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ignorable reports whether a rune is invisible and may be skipped by a
// culture-aware string search: the default-ignorable code points (format
// characters such as U+200B and U+00AD, variation selectors, fillers) and
// control characters.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
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

// WriteJSON writes v as indented JSON that is safe to print into a CI log
// as well as to read: JSON's own escapes keep every string on its line and
// ESC out, and on top of them the second "#" of a log command
// (commandHashes) is written \u0023, and DEL, C1 and bidirectional
// controls as \u escapes. JSON's syntax has neither "#" nor those runes,
// so they are in strings, where the escapes decode to the same text.
func WriteJSON(w io.Writer, v any) error {
	var out bytes.Buffer
	encoder := json.NewEncoder(&out)
	encoder.SetIndent("", "  ")
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(jsonForLogs(out.Bytes()))
	return err
}

// jsonForLogs applies WriteJSON's escapes to encoded JSON.
func jsonForLogs(data []byte) []byte {
	hashes := commandHashes(string(data))
	if len(hashes) == 0 && !bytes.ContainsFunc(data, func(r rune) bool { return r >= 0x7f && mustEscape(r) }) {
		return data
	}
	out := make([]byte, 0, len(data)+6*len(hashes))
	for i := 0; i < len(data); {
		if len(hashes) > 0 && hashes[0] == i {
			out = append(out, `\u0023`...)
			hashes = hashes[1:]
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r >= 0x7f && mustEscape(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out
}
