package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/fatih/color"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/secret"
)

var _ Reporter = (*Text)(nil)

// Text is the format for people. Parse errors come first, then findings,
// each with the source line and the span underlined, then a summary:
//
//	ci.yml:3:1: error: mapping values are not allowed in this context
//	 3 | on push:
//	   | ^
//
//	ci.yml:12:15: high unpinned-action: "actions/checkout@v4" is not pinned to a commit [fixable]
//	 12 |       - uses: actions/checkout@v4
//	    |               ^~~~~~~~~~~~~~~~~~~
//
//	1 finding (1 high) in 1 file; 1 fixable by pipelint fix; 1 error
//
// A finding `pipelint fix` changes the file for is marked [fixable], or
// [fixable with --unsafe] when its fix may change what the pipeline does,
// after the message: the line up to the message keeps the one form
// scripts and editors read (file:line:col: severity rule: message).
//
// Snippets mask every secret on their line (see snippetOf).
type Text struct {
	Color bool
}

func (t *Text) Report(w io.Writer, run *Run) error {
	p := newPalette(t.Color)
	secrets := sensitiveSpans(run)
	var out bytes.Buffer
	// File names, messages and rule ids come from the repository: Escape.
	for _, e := range run.Errors {
		file := EscapeFileName(e.Pos.File)
		location := file + ":"
		if e.Pos.Line > 0 {
			location = fmt.Sprintf("%s:%d:%d:", file, e.Pos.Line, max(e.Pos.Column, 1))
		}
		fmt.Fprintf(&out, "%s %s %s\n", p.bold(location), p.errorLabel("error:"), Escape(e.Message))
		if e.Pos.Line > 0 {
			writeSnippet(&out, run, finding.Finding{Pos: e.Pos}, p.errorLabel, secrets)
		}
	}
	for _, f := range run.Findings {
		severity := p.severity(f.Severity)
		r := regionOf(f.Pos)
		fmt.Fprintf(&out, "%s %s %s: %s%s\n",
			p.bold(fmt.Sprintf("%s:%d:%d:", EscapeFileName(f.Pos.File), r.StartLine, r.StartColumn)),
			severity(Escape(string(f.Severity))), Escape(f.RuleID), Escape(f.Message), fixMark(f))
		writeSnippet(&out, run, f, severity, secrets)
	}
	out.WriteString(summary(run))
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// writeSnippet prints the source line of a finding or an error with its
// span underlined, when the source is known.
func writeSnippet(out *bytes.Buffer, run *Run, f finding.Finding, paint func(string) string, secrets map[lineOf][]secret.Span) {
	if run.Source == nil {
		return
	}
	if s, ok := snippetOf(run.Source(f.Pos.File), f, secrets[lineOf{f.Pos.File, regionOf(f.Pos).StartLine}]); ok {
		number := strconv.Itoa(s.lineNumber)
		gutter := strings.Repeat(" ", len(number))
		fmt.Fprintf(out, " %s | %s\n %s | %s%s\n\n", number, s.line, gutter, s.indent, paint(s.underline))
	}
}

// lineOf is a line of a file.
type lineOf struct {
	file string
	line int
}

// sensitiveSpans returns, by line, the spans that hold a secret of the
// sensitive findings of a run, suppressed ones included: a snippet masks
// them whichever finding it shows.
func sensitiveSpans(run *Run) map[lineOf][]secret.Span {
	spans := map[lineOf][]secret.Span{}
	add := func(f finding.Finding) {
		if f.Sensitive {
			key := lineOf{f.Pos.File, regionOf(f.Pos).StartLine}
			spans[key] = append(spans[key], finding.SecretSpan(f.Pos))
		}
	}
	for _, f := range run.Findings {
		add(f)
	}
	for _, s := range run.Suppressed {
		add(s.Finding)
	}
	return spans
}

// snippet is a source line ready to print under a finding.
type snippet struct {
	lineNumber int
	line       string // the source line, control characters replaced, secrets masked
	indent     string // whitespace up to the span, keeping tabs so the underline aligns
	underline  string // ^~~~ under the span
}

// snippetOf cuts the finding's start line out of src. The underline covers
// Column..EndColumn, or runs to the end of the line when the span goes on.
// Every secret on the line is masked: the finding's own span when it is
// Sensitive, the spans of other sensitive findings on the line (secrets),
// the values the check flagged wherever they occur, and whatever the
// masker of the file's policies finds (passwords in URLs, tokens, literals
// under secret names). ok is false when there is no source or the line
// does not exist.
func snippetOf(src Source, f finding.Finding, secrets []secret.Span) (s snippet, ok bool) {
	r := regionOf(f.Pos)
	if r.StartLine > len(src.Lines) {
		return snippet{}, false
	}
	text := src.Lines[r.StartLine-1]
	// A CI file is untrusted input: never send its escape sequences to a
	// terminal, nor a log command ("##[", "##vso[") to a CI log. One rune
	// for one keeps the underline in place.
	commands := commandHashes(text)
	line := make([]rune, 0, len(text))
	for i, c := range text {
		switch {
		case len(commands) > 0 && commands[0] == i:
			c = unicode.ReplacementChar
			commands = commands[1:]
		case mustEscape(c):
			c = unicode.ReplacementChar
		}
		line = append(line, c)
	}
	start := min(r.StartColumn-1, len(line))
	end := len(line)
	if r.EndLine == r.StartLine {
		end = max(min(r.EndColumn-1, len(line)), start)
	}
	secrets = append(slices.Clone(secrets), src.Flagged.Spans(text)...)
	if f.Sensitive {
		secrets = append(secrets, secret.Span{Start: start, End: end})
	}
	masker := src.Masker
	if masker == nil {
		masker = secret.Default()
	}
	spans := masker.Spans(text, secrets...) // as written: offsets are the same
	start, end = maskedOffset(spans, start, false), maskedOffset(spans, end, true)
	line = []rune(secret.Apply(string(line), spans))
	indent := make([]rune, start)
	for i, c := range line[:start] {
		indent[i] = ' '
		if c == '\t' {
			indent[i] = '\t'
		}
	}
	return snippet{
		lineNumber: r.StartLine,
		line:       string(line),
		indent:     string(indent),
		underline:  "^" + strings.Repeat("~", max(end-start-1, 0)),
	}, true
}

// maskedOffset is where offset, a rune offset of a line, is once spans
// (sorted, not overlapping) are replaced. The underline of a span
// [start, end) runs from maskedOffset(spans, start, false) to
// maskedOffset(spans, end, true): an offset inside a masked secret moves
// to the start of its replacement, or as an end to its end, so that the
// underline covers all of a secret it touches, and an end takes in a
// replacement inserted where the span starts and ends.
func maskedOffset(spans []secret.Span, offset int, end bool) int {
	shift := 0
	for _, s := range spans {
		grown := len([]rune(s.Replacement)) - (s.End - s.Start)
		switch {
		case s.Start > offset, s.Start == offset && (!end || s.End > offset):
			return offset + shift // at or after offset: not moved by s
		case s.End <= offset:
			shift += grown
		case end:
			return s.Start + shift + len([]rune(s.Replacement))
		default:
			return s.Start + shift
		}
	}
	return offset + shift
}

// summary is the last line: "3 findings (1 high, 2 medium) in 4 files; 1
// fixable by pipelint fix, 1 more with --unsafe; 2 suppressed; 1 error".
func summary(run *Run) string {
	var s strings.Builder
	if len(run.Findings) == 0 {
		s.WriteString("no findings")
	} else {
		count := map[finding.Severity]int{}
		for _, f := range run.Findings {
			count[f.Severity]++
		}
		var parts []string
		for _, severity := range finding.Severities {
			if count[severity] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", count[severity], severity))
			}
		}
		fmt.Fprintf(&s, "%s (%s)", Plural(len(run.Findings), "finding"), strings.Join(parts, ", "))
	}
	fmt.Fprintf(&s, " in %s", Plural(run.FilesChecked, "file"))
	safe, unsafe := 0, 0
	for _, f := range run.Findings {
		if fixable, needsUnsafe := f.Fixable(); fixable && needsUnsafe {
			unsafe++
		} else if fixable {
			safe++
		}
	}
	switch {
	case safe > 0 && unsafe > 0:
		fmt.Fprintf(&s, "; %d fixable by pipelint fix, %d more with --unsafe", safe, unsafe)
	case safe > 0:
		fmt.Fprintf(&s, "; %d fixable by pipelint fix", safe)
	case unsafe > 0:
		fmt.Fprintf(&s, "; %d fixable by pipelint fix --unsafe", unsafe)
	}
	if len(run.Suppressed) > 0 {
		fmt.Fprintf(&s, "; %d suppressed", len(run.Suppressed))
	}
	if len(run.Errors) > 0 {
		fmt.Fprintf(&s, "; %s", Plural(len(run.Errors), "error"))
	}
	for _, notice := range run.Notices {
		fmt.Fprintf(&s, "; %s", notice)
	}
	return s.String()
}

// fixMark is what follows the message of a finding `pipelint fix`
// changes the file for.
func fixMark(f finding.Finding) string {
	switch fixable, unsafe := f.Fixable(); {
	case fixable && unsafe:
		return " [fixable with --unsafe]"
	case fixable:
		return " [fixable]"
	}
	return ""
}

// Plural is "1 noun" or "n nouns", as reports and summaries count.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// palette colours parts of the text output; without colour every part is
// the identity function.
type palette struct {
	bold, errorLabel func(string) string
	bySeverity       map[finding.Severity]func(string) string
}

func newPalette(enabled bool) palette {
	style := func(attributes ...color.Attribute) func(string) string {
		if !enabled {
			return func(s string) string { return s }
		}
		c := color.New(attributes...)
		c.EnableColor() // per instance: the caller decided, whatever color.NoColor says
		return func(s string) string { return c.Sprint(s) }
	}
	return palette{
		bold:       style(color.Bold),
		errorLabel: style(color.FgRed, color.Bold),
		bySeverity: map[finding.Severity]func(string) string{
			finding.Critical: style(color.FgMagenta, color.Bold),
			finding.High:     style(color.FgRed),
			finding.Medium:   style(color.FgYellow),
			finding.Low:      style(color.FgCyan),
			finding.Info:     style(color.FgBlue),
		},
	}
}

func (p palette) severity(s finding.Severity) func(string) string {
	if paint, ok := p.bySeverity[s]; ok {
		return paint
	}
	return p.bold
}
