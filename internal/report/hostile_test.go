package report

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// A repository chooses its file names, the values its messages quote, its
// source lines and, through its policies, rule ids and titles. Printed as
// they are, they could move a terminal's cursor, recolour or hide text, or,
// in a CI log, start log commands: a line that starts with "::" (spaces
// aside) for GitHub Actions, or anywhere in a line GitHub's old "##[" and
// Azure Pipelines' "##vso[", also with invisible characters between the
// characters of the prefix.
const (
	hostileFile    = "evil\n::error file=x.yml::pwned\x1b[2J##vso[task.setvariable variable=A]b.yml"
	hostileMessage = "bad\r\n::warning::injected ##[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b " +
		"##vso[task.setvariable variable=PATH]/tmp #\u00ad#[add-mask]x ##\u200bVSO[build.addbuildtag]y"
	hostileSource = "on: push\nrun: echo \"##[add-mask]secret\" \x1b[31m \u202e ##Vso[task.complete result=Succeeded]\n"
)

func hostileRun() *Run {
	return &Run{
		Rules:    []finding.Rule{{ID: "rule\x1b[8m", Title: "title ##vso[task.complete]", Severity: finding.Low, Description: "##[group]x"}},
		Findings: []finding.Finding{{RuleID: "rule\x1b[8m", Severity: finding.Low, Message: hostileMessage, Pos: pos(hostileFile, 2, 6, 2, 31)}},
		Errors: []*model.ParseError{
			{Pos: pos(hostileFile, 1, 1, 0, 0), Message: hostileMessage},
			{Pos: pos("::warning::x.yml", 0, 0, 0, 0), Message: "m"},
			{Pos: pos(" ::notice::y.yml", 0, 0, 0, 0), Message: "m"},
			{Pos: pos("\u200b::notice::z.yml", 0, 0, 0, 0), Message: "m"},
		},
		FilesChecked: 1,
		Source:       func(string) Source { return sourceOf(hostileSource) },
	}
}

// logCommand reports whether a CI runner would read line as holding a
// command: it starts with "::", or holds "##[" or "##vso[" (any case), once
// spaces and invisible characters are left out.
func logCommand(line string) bool {
	visible := strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) {
			return -1
		}
		return r
	}, line)
	return strings.HasPrefix(strings.TrimLeftFunc(visible, unicode.IsSpace), "::") ||
		strings.Contains(visible, "##[") || strings.Contains(strings.ToLower(visible), "##vso[")
}

// assertNoCommandsOrEscapes fails on a line of out that a terminal or a
// CI runner would act on.
func assertNoCommandsOrEscapes(t *testing.T, out string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if logCommand(line) {
			t.Errorf("line %d holds a log command: %q", i+1, line)
		}
		if strings.ContainsFunc(line, mustEscape) || strings.ContainsRune(line, '\x9b') {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
}

// TestNoFormatPrintsALogCommand: every format may end up in a CI log,
// printed by pipelint or by a job that shows a report file. None holds a
// log command or a control character from what the repository wrote.
// JSON, SARIF and GitLab's format escape line breaks and ESC, so no text
// of theirs starts a line, and they write the second "#" of a command as
// \u0023 and C1 and bidirectional controls as \u escapes, which decode to
// the same text. GitHub annotations are commands by design: each line is
// exactly one, and nothing in it starts another.
func TestNoFormatPrintsALogCommand(t *testing.T) {
	for _, format := range Formats {
		out := string(render(t, format, Options{}, hostileRun()))
		if format != "github" {
			assertNoCommandsOrEscapes(t, out)
			continue
		}
		for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			name, rest, _ := strings.Cut(strings.TrimPrefix(line, "::"), " ")
			if !strings.HasPrefix(line, "::") || name != "error" && name != "notice" || logCommand(rest) {
				t.Errorf("github, line %d is not exactly one annotation: %q", i+1, line)
			}
			if strings.ContainsFunc(line, mustEscape) || strings.ContainsRune(line, '\x9b') {
				t.Errorf("github, line %d holds a control character: %q", i+1, line)
			}
		}
	}
	var document struct {
		Findings []struct{ Message, File string }
	}
	if err := json.Unmarshal(render(t, "json", Options{}, hostileRun()), &document); err != nil {
		t.Fatal(err)
	}
	if f := document.Findings[0]; f.Message != strings.ToValidUTF8(hostileMessage, "\uFFFD") || f.File != hostileFile {
		t.Errorf("JSON changed the data: %q in %q", f.Message, f.File)
	}
}

func TestTextEscapesWhatTheRepositoryWrote(t *testing.T) {
	out := string(render(t, "text", Options{}, hostileRun()))
	assertNoCommandsOrEscapes(t, out)
	const (
		file    = `evil\n::error file=x.yml::pwned\x1b[2J#\x23vso[task.setvariable variable=A]b.yml`
		message = `bad\r\n::warning::injected #\x23[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b ` +
			"#\\x23vso[task.setvariable variable=PATH]/tmp #\u00ad\\x23[add-mask]x #\\x23\u200bVSO[build.addbuildtag]y"
	)
	for _, want := range []string{
		file + ":1:1: error: " + message + "\n",
		"./::warning::x.yml: error: m\n",
		"./ ::notice::y.yml: error: m\n",
		"./\u200b::notice::z.yml: error: m\n",
		file + `:2:6: low rule\x1b[8m: ` + message + "\n",
		" 2 | run: echo \"#\uFFFD[add-mask]secret\" \uFFFD[31m \uFFFD #\uFFFDVso[task.complete result=Succeeded]\n   |      ^~~~~~~~~~~~~~~~~~~~~~~~~\n",
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
		"plain text, ünïcode and\ttabs":  "plain text, ünïcode and\ttabs",
		"a\nb\rc\x1bd\x7fe\u0085f":       `a\nb\rc\x1bd\x7fe\u0085f`,
		"##[error]x":                     `#\x23[error]x`,
		"###[error]x, ##[x ##[":          `##\x23[error]x, #\x23[x #\x23[`,
		"# [not] ## [either]":            "# [not] ## [either]",
		"##vso[task.setvariable]x":       `#\x23vso[task.setvariable]x`,
		"##VsO[a.b]":                     `#\x23VsO[a.b]`,
		"#\u00ad#\u200b[x] ##\ufe0fvso[": "#\u00ad\\x23\u200b[x] #\\x23\ufe0fvso[",
		"## vso[ ##vs[ #vso[":            "## vso[ ##vs[ #vso[",
		"\u202eevil\u2066":               `\u202eevil\u2066`,
		"bad \xff\x9b byte":              `bad \xff\x9b byte`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		".github/workflows/ci.yml":   ".github/workflows/ci.yml",
		"::error::x.yml":             "./::error::x.yml",
		" ::error::x.yml":            "./ ::error::x.yml",
		"\u00a0::error::x.yml":       "./\u00a0::error::x.yml",
		"\u200b\u00ad::error::x.yml": "./\u200b\u00ad::error::x.yml",
		"/abs/::x.yml":               "/abs/::x.yml",
	} {
		if got := EscapeFileName(in); got != want {
			t.Errorf("EscapeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"rules:\n  a: 1\n":                    "rules:\n  a: 1\n",
		"::error::x\n  ::warning::y\nz ::not": `\x3a:error::x` + "\n  " + `\x3a:warning::y` + "\nz ::not",
		"\u200b :\u00ad:x\n\t::y\r\n: :z\n::": "\u200b " + `\x3a` + "\u00ad:x\n\t" + `\x3a:y\r` + "\n: :z\n" + `\x3a:`,
		"a: \"##[error]\x1b[2J\"\n":           `a: "#\x23[error]\x1b[2J"` + "\n",
	} {
		if got := EscapeLines(in); got != want {
			t.Errorf("EscapeLines(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGitHubEscapesControlCharacters: GitHub's escapes (%25, %0D, %0A, and
// %3A, %2C in properties) keep a command on its line; the annotation and
// the log line the runner prints from it must not carry a terminal's
// escape sequences or another log command either.
func TestGitHubEscapesControlCharacters(t *testing.T) {
	out := string(render(t, "github", Options{}, hostileRun()))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want 5:\n%s", len(lines), out)
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::notice ") {
			t.Errorf("not one command: %q", line)
		}
		if strings.ContainsFunc(line, mustEscape) || strings.ContainsRune(line, '\x9b') {
			t.Errorf("control character in %q", line)
		}
	}
	want := `::notice file=evil%0A%3A%3Aerror file=x.yml%3A%3Apwned\x1b[2J#\x23vso[task.setvariable variable=A]b.yml,line=2,col=6,endLine=2,endColumn=31,title=pipelint rule\x1b[8m` +
		`::bad%0D%0A::warning::injected #\x23[error]old style \x1b]8;;http://x\x07link \u202eevil\u2028 \x9b ` +
		"#\\x23vso[task.setvariable variable=PATH]/tmp #\u00ad\\x23[add-mask]x #\\x23\u200bVSO[build.addbuildtag]y"
	if lines[4] != want {
		t.Errorf("got  %s\nwant %s", lines[4], want)
	}
}
