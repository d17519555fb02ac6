package report

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// A repository chooses its file names, the values its messages quote, its
// source lines and, through its policies, rule ids. Printed as they are,
// they could move a terminal's cursor, recolour or hide text, or, in a
// GitHub Actions log, start workflow commands: a line that starts with
// "::" (spaces aside), or "##[" anywhere in a line.
const (
	hostileFile    = "evil\n::error file=x.yml::pwned\x1b[2J.yml"
	hostileMessage = "bad\r\n::warning::injected ##[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b"
	hostileSource  = "on: push\nrun: echo \"##[add-mask]secret\" \x1b[31m \u202e\n"
)

func hostileRun() *Run {
	return &Run{
		Findings: []finding.Finding{{RuleID: "rule\x1b[8m", Severity: finding.Low, Message: hostileMessage, Pos: pos(hostileFile, 2, 6, 2, 31)}},
		Errors: []*model.ParseError{
			{Pos: pos(hostileFile, 1, 1, 0, 0), Message: hostileMessage},
			{Pos: pos("::warning::x.yml", 0, 0, 0, 0), Message: "m"},
			{Pos: pos(" ::notice::y.yml", 0, 0, 0, 0), Message: "m"},
		},
		FilesChecked: 1,
		Source:       func(string) []byte { return []byte(hostileSource) },
	}
}

// assertNoCommandsOrEscapes fails on a line of out that a terminal or the
// GitHub Actions runner would act on.
func assertNoCommandsOrEscapes(t *testing.T, out string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
			t.Errorf("line %d is a workflow command: %q", i+1, line)
		}
		if strings.Contains(line, "##[") {
			t.Errorf("line %d holds an old-style workflow command: %q", i+1, line)
		}
		if strings.ContainsFunc(line, mustEscape) || strings.ContainsRune(line, '\x9b') {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
}

func TestTextEscapesWhatTheRepositoryWrote(t *testing.T) {
	out := string(render(t, "text", Options{}, hostileRun()))
	assertNoCommandsOrEscapes(t, out)
	const (
		file    = `evil\n::error file=x.yml::pwned\x1b[2J.yml`
		message = `bad\r\n::warning::injected #\x23[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b`
	)
	for _, want := range []string{
		file + ":1:1: error: " + message + "\n",
		"./::warning::x.yml: error: m\n",
		"./ ::notice::y.yml: error: m\n",
		file + `:2:6: low rule\x1b[8m: ` + message + "\n",
		" 2 | run: echo \"#\uFFFD[add-mask]secret\" \uFFFD[31m \uFFFD\n   |      ^~~~~~~~~~~~~~~~~~~~~~~~~\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTextInColourEscapesWhatTheRepositoryWrote(t *testing.T) {
	out := string(render(t, "text", Options{Color: true}, hostileRun()))
	// The rule id holds an SGR sequence like the palette's: it is escaped.
	if want := `rule\x1b[8m: bad\r\n`; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	// The palette's own escapes are SGR sequences: ESC [ digits;… m.
	assertNoCommandsOrEscapes(t, regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, ""))
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcode and\ttabs": "plain text, ünïcode and\ttabs",
		"a\nb\rc\x1bd\x7fe\u0085f":      `a\nb\rc\x1bd\x7fe\u0085f`,
		"##[error]x":                    `#\x23[error]x`,
		"###[error]x, ##[x ##[":         `##\x23[error]x, #\x23[x #\x23[`,
		"# [not] ## [either]":           "# [not] ## [either]",
		"\u202eevil\u2066":              `\u202eevil\u2066`,
		"bad \xff\x9b byte":             `bad \xff\x9b byte`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		".github/workflows/ci.yml": ".github/workflows/ci.yml",
		"::error::x.yml":           "./::error::x.yml",
		" ::error::x.yml":          "./ ::error::x.yml",
		"\u00a0::error::x.yml":     "./\u00a0::error::x.yml",
		"/abs/::x.yml":             "/abs/::x.yml",
	} {
		if got := EscapeFileName(in); got != want {
			t.Errorf("EscapeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGitHubEscapesControlCharacters: GitHub's escapes (%25, %0D, %0A, and
// %3A, %2C in properties) keep a command on its line; the annotation and
// the log line the runner prints from it must not carry a terminal's
// escape sequences either.
func TestGitHubEscapesControlCharacters(t *testing.T) {
	out := string(render(t, "github", Options{}, hostileRun()))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), out)
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::notice ") {
			t.Errorf("not one command: %q", line)
		}
		if strings.ContainsFunc(line, mustEscape) || strings.ContainsRune(line, '\x9b') {
			t.Errorf("control character in %q", line)
		}
	}
	want := `::notice file=evil%0A%3A%3Aerror file=x.yml%3A%3Apwned\x1b[2J.yml,line=2,col=6,endLine=2,endColumn=31,title=pipelint rule\x1b[8m` +
		`::bad%0D%0A::warning::injected ##[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b`
	if lines[3] != want {
		t.Errorf("got  %s\nwant %s", lines[3], want)
	}
}
