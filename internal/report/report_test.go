package report

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/secret"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The secret in the sample workflow; no report may print it in full.
const sampleSecret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"

var sampleSources = map[string]string{
	".github/workflows/ci.yml": `name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      API_TOKEN: ` + sampleSecret + `
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
`,
	".gitlab-ci.yml": `deploy:
  script:
    - |
      curl -sSL https://example.com/install.sh | bash
      echo done
`,
	"Jenkinsfile": "pipeline {\n\tagent any\n\tstages { stage('Ünïcode') { steps { sh 'make' } } }\n}\n",
}

// sourceOf is a file of text as the runner gives it to the text report:
// its lines split as the model's are.
func sourceOf(text string) Source {
	return Source{Lines: syntax.Source("", []byte(text)).Lines}
}

func pos(file string, line, column, endLine, endColumn int) model.Pos {
	return model.Pos{File: file, Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
}

// sampleRun has a finding of every severity, a secret, a span over two
// lines, a tab-indented line with non-ASCII text, a rule without findings
// or metadata, and two parse errors (one without a position).
func sampleRun() *Run {
	return &Run{
		ToolVersion: "0.1.0",
		Rules: []finding.Rule{
			{ID: "agent-any", Title: "Jenkins pipeline runs on any agent", Severity: finding.Info,
				Description: "The pipeline may run on any agent, including shared ones.",
				Remediation: "Name a dedicated agent label.", HelpURI: "https://pipelint.dev/rules/agent-any",
				Tags: []string{"reliability"}},
			{ID: "curl-bash", Title: "Script piped from the network into a shell", Severity: finding.Low,
				Description: "A script downloaded at run time is executed without verification.",
				Precision:   "medium", Tags: []string{"supply-chain"}},
			{ID: "hardcoded-secret", Title: "Secret written in the pipeline file", Severity: finding.Critical,
				Description: "A credential is written in plain text in the pipeline definition.",
				Remediation: "Move it to the CI system's secret store and rotate it.",
				Tags:        []string{"secrets", "security", "external/cwe/cwe-798", "secrets"},
				Help:        "# hardcoded-secret\n\nUse `${{ secrets.NAME }}` instead.",
				HelpURI:     "https://pipelint.dev/rules/hardcoded-secret"},
			{ID: "script-injection", Title: "Untrusted input expanded into a script", Severity: finding.Medium,
				Description: "An attacker-controlled value is expanded into a shell script.",
				Remediation: "Pass it through an environment variable.", Tags: []string{"external/cwe/cwe-94"}},
			{ID: "unpinned-action", Title: "Action not pinned to a commit", Severity: finding.High,
				Description: "A tag or branch can be moved to point at other code.",
				Remediation: "Pin the action to a full commit SHA.", Precision: "very-high",
				Tags: []string{"supply-chain", "external/cwe/cwe-829"}},
			{ID: "unused-rule", Severity: finding.Medium},
		},
		Findings: []finding.Finding{
			{RuleID: "hardcoded-secret", Severity: finding.Critical, Sensitive: true,
				Message: `env "API_TOKEN" holds a literal GitHub token`,
				Pos:     pos(".github/workflows/ci.yml", 7, 18, 7, 58), Fingerprint: "fp-secret"},
			{RuleID: "unpinned-action", Severity: finding.High,
				Message: `"actions/checkout@v4" is not pinned to a commit`,
				Pos:     pos(".github/workflows/ci.yml", 9, 15, 9, 34), Fingerprint: "fp-unpinned",
				// Pinned once the network resolves it: fixable, but no edits yet.
				Fix: &finding.Fix{Kind: finding.PinReference, Pos: pos(".github/workflows/ci.yml", 9, 15, 9, 34)}},
			{RuleID: "script-injection", Severity: finding.Medium,
				Message: `"github.event.issue.title" is expanded into a script; use an environment variable & quote it`,
				Pos:     pos(".github/workflows/ci.yml", 10, 20, 10, 51), Fingerprint: "fp-injection",
				Fix: &finding.Fix{Kind: finding.MoveToEnv, Pos: pos(".github/workflows/ci.yml", 10, 20, 10, 51), Unsafe: true},
				Edits: []finding.TextEdit{
					{Pos: pos(".github/workflows/ci.yml", 10, 20, 10, 51), New: "${EVENT_ISSUE_TITLE}"},
					{Pos: pos(".github/workflows/ci.yml", 11, 1, 11, 1), New: "        env:\n          EVENT_ISSUE_TITLE: ${{ github.event.issue.title }}\n"},
				}},
			{RuleID: "curl-bash", Severity: finding.Low,
				Message: `"https://example.com/install.sh" is piped into bash`,
				Pos:     pos(".gitlab-ci.yml", 4, 7, 5, 16), Fingerprint: "fp-curl"},
			{RuleID: "agent-any", Severity: finding.Info,
				Message: `pipeline runs on "any" agent`,
				Pos:     pos("Jenkinsfile", 2, 2, 2, 11)},
			{RuleID: "agent-any", Severity: finding.Info,
				Message: `stage "Ünïcode" runs a shell step`,
				Pos:     pos("Jenkinsfile", 3, 38, 3, 47), Fingerprint: "fp-stage"},
		},
		Errors: []*model.ParseError{
			{Pos: pos("docs/my workflow.yml", 3, 5, 0, 0), Message: "mapping values are not allowed in this context"},
			{Pos: model.Pos{File: "unreadable.yml"}, Message: "open unreadable.yml: permission denied"},
		},
		FilesChecked: 5,
		Source: func(file string) Source {
			if src, ok := sampleSources[file]; ok {
				return sourceOf(src)
			}
			return Source{}
		},
	}
}

// emptyRun checked files, found nothing and had no errors.
func emptyRun() *Run {
	run := sampleRun()
	run.Findings, run.Errors = nil, nil
	run.FilesChecked = 1
	return run
}

func render(t *testing.T, format string, opts Options, run *Run) []byte {
	t.Helper()
	reporter, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := reporter.Report(&out, run); err != nil {
		t.Fatalf("%s report: %v", format, err)
	}
	return out.Bytes()
}

// checkGolden compares got with testdata/<name>.golden. On a difference it
// writes got to testdata/<name>.got for diffing; -update rewrites the golden.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name+".golden")
	gotPath := filepath.Join("testdata", name+".got")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		if err := os.WriteFile(gotPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Errorf("output differs from %s; see %s (go test -update accepts it)", golden, gotPath)
		return
	}
	_ = os.Remove(gotPath) // left over from an earlier failure
}

func TestNew(t *testing.T) {
	for _, format := range Formats {
		if _, err := New(format, Options{}); err != nil {
			t.Errorf("New(%q): %v", format, err)
		}
	}
	_, err := New("xml", Options{})
	if err == nil || err.Error() != `unknown format "xml" (want text, sarif, json, github, gitlab, markdown)` {
		t.Errorf("New(xml) error = %v", err)
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	for _, format := range Formats {
		first := render(t, format, Options{Color: true}, sampleRun())
		second := render(t, format, Options{Color: true}, sampleRun())
		if !bytes.Equal(first, second) {
			t.Errorf("%s: two renderings of the same run differ", format)
		}
	}
}

func TestNoFormatPrintsTheSecret(t *testing.T) {
	for _, format := range Formats {
		out := string(render(t, format, Options{}, sampleRun()))
		if strings.Contains(out, sampleSecret[:8]) {
			t.Errorf("%s output contains the secret:\n%s", format, out)
		}
	}
}

func TestRegionOf(t *testing.T) {
	tests := []struct {
		name string
		pos  model.Pos
		want region
	}{
		{"full span", pos("a", 3, 5, 4, 2), region{3, 5, 4, 2}},
		{"one line", pos("a", 3, 5, 3, 9), region{3, 5, 3, 9}},
		{"no end", pos("a", 3, 5, 0, 0), region{3, 5, 3, 6}},
		{"end column only", pos("a", 3, 5, 0, 9), region{3, 5, 3, 9}},
		{"empty span", pos("a", 3, 5, 3, 5), region{3, 5, 3, 6}},
		{"end before start", pos("a", 3, 5, 2, 9), region{3, 5, 3, 9}},
		{"unset", model.Pos{File: "a"}, region{1, 1, 1, 2}},
		{"next line, column unset", pos("a", 3, 5, 4, 0), region{3, 5, 4, 1}},
	}
	for _, tt := range tests {
		if got := regionOf(tt.pos); got != tt.want {
			t.Errorf("%s: regionOf(%+v) = %+v, want %+v", tt.name, tt.pos, got, tt.want)
		}
	}
}

// FuzzReporters feeds one finding at an arbitrary span of arbitrary source to
// every format: none may fail or panic, and a secret span is never printed.
func FuzzReporters(f *testing.F) {
	for _, finding := range sampleRun().Findings {
		p := finding.Pos
		f.Add([]byte(sampleSources[p.File]), p.Line, p.Column, p.EndLine, p.EndColumn, finding.Sensitive)
	}
	f.Add([]byte("a\tb\r\n\x00\xff\n"), 2, 1, 1, -5, true)
	f.Fuzz(func(t *testing.T, src []byte, line, column, endLine, endColumn int, sensitive bool) {
		run := sampleRun()
		run.Findings = []finding.Finding{{RuleID: "hardcoded-secret", Severity: finding.Critical, Sensitive: sensitive,
			Message: "m", Pos: pos("f.yml", line, column, endLine, endColumn)}}
		run.Source = func(string) Source { return sourceOf(string(src)) }
		for _, format := range Formats {
			reporter, _ := New(format, Options{Color: true})
			if err := reporter.Report(io.Discard, run); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
		}
		s, ok := snippetOf(sourceOf(string(src)), run.Findings[0], nil)
		if !ok {
			return
		}
		if !strings.HasPrefix(s.underline, "^") || len([]rune(s.indent)) > len([]rune(s.line)) {
			t.Errorf("snippet %#v", s)
		}
		if sensitive && !strings.Contains(s.line, secret.Mark) {
			t.Errorf("secret not masked: %#v", s)
		}
	})
}
