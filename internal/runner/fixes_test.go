package runner

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

const fixableWorkflow = `on: issues
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.issue.title }}"
`

func writeRepository(t *testing.T, name, text string) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// The check asked for them gives each finding whose fix needs no network
// the edits `pipelint fix --unsafe` makes; a pin, which needs the
// network, has none. Not asked, it works none out. A file left out of the
// repository view (a large one) gets the same edits from the model its
// check parsed.
func TestFindingsCarryTheirFixEdits(t *testing.T) {
	for _, c := range []struct {
		name          string
		maxViewValues int
	}{{"in the view", 0}, {"left out of the view", 1}} {
		t.Run(c.name, func(t *testing.T) { testFindingsCarryTheirFixEdits(t, c.maxViewValues) })
	}
}

func testFindingsCarryTheirFixEdits(t *testing.T, maxViewValues int) {
	root := writeRepository(t, "ci.yml", fixableWorkflow)
	plain, err := Check(context.Background(), []string{root}, Options{Policy: PolicyOptions{NoConfig: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range plain.Run.Findings {
		if len(f.Edits) > 0 {
			t.Errorf("%s: edits %+v worked out unasked", f.RuleID, f.Edits)
		}
	}
	result, err := Check(context.Background(), []string{root}, Options{Policy: PolicyOptions{NoConfig: true}, FixEdits: true, MaxViewValues: maxViewValues})
	if err != nil {
		t.Fatal(err)
	}
	edits := map[string]string{}
	for _, f := range result.Run.Findings {
		var texts []string
		for _, e := range f.Edits {
			texts = append(texts, e.New)
		}
		edits[f.RuleID] = strings.Join(texts, "|")
	}
	want := map[string]string{
		"persist-credentials":   "        with:\n          persist-credentials: false\n",
		"excessive-permissions": "permissions:\n  contents: read\n",
		"script-injection":      "${EVENT_ISSUE_TITLE}|        env:\n          EVENT_ISSUE_TITLE: ${{ github.event.issue.title }}\n",
		"unpinned-action":       "",
	}
	for rule, text := range want {
		if got, ok := edits[rule]; !ok || got != text {
			t.Errorf("%s: edits %q (found: %v), want %q", rule, got, ok, text)
		}
	}
	if len(result.Checked) != 1 || len(result.Checked[0].Findings) != len(result.Run.Findings) {
		t.Fatalf("checked %+v", result.Checked)
	}
}

// A change whose text holds a secret is given to no finding: reports
// would print it.
func TestNoEditsHoldingASecret(t *testing.T) {
	root := writeRepository(t, "ci.yml", fixableWorkflow)
	files, _, err := parser.Discover([]string{root}, parser.Options{})
	if err != nil || len(files) != 1 {
		t.Fatalf("discover: %v %v", files, err)
	}
	f := files[0]
	at := f.Display
	uses := finding.Finding{RuleID: "r", Message: "m"}
	uses.Pos.File, uses.Pos.Line, uses.Pos.Column, uses.Pos.EndLine, uses.Pos.EndColumn = at, 6, 15, 6, 34
	withSecret, plain := uses, uses
	withSecret.Fix = &finding.Fix{Kind: finding.SetInput, Pos: uses.Pos, Input: "token", Value: "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
	plain.RuleID = "s"
	plain.Fix = &finding.Fix{Kind: finding.SetInput, Pos: uses.Pos, Input: "fetch-depth", Value: "0"}
	for _, c := range []struct {
		found finding.Finding
		edits int
	}{{withSecret, 0}, {plain, 1}} {
		got := withEdits(context.Background(), f, fileResult{findings: []finding.Finding{c.found}}, nil)
		if len(got) != 1 || len(got[0].Edits) != c.edits {
			t.Errorf("%s: edits %+v, want %d", c.found.Fix.Value, got[0].Edits, c.edits)
		}
	}
}

// TestFixEditsCountInTheFileBudget: working out the edits of the fixes
// parses the fixed text, in what is left of the file's time budget. A
// parse that never ends there is abandoned at the file's deadline: the findings are
// reported, without edits, and a warning says why.
func TestFixEditsCountInTheFileBudget(t *testing.T) {
	github, ok := parser.Lookup("github")
	if !ok {
		t.Fatal("no GitHub parser")
	}
	release := make(chan struct{})
	var parses atomic.Int64
	stuckAfterTheCheck := syntax.Parser{
		System: "stuck-after-the-check",
		Files:  "*.second",
		Detect: func(slashPath string) bool { return path.Ext(slashPath) == ".second" },
		Parse: func(in syntax.Input) syntax.Result {
			if parses.Add(1) > 1 {
				<-release
			}
			return github.Parse(in)
		},
	}
	parser.Parsers = append(parser.Parsers, stuckAfterTheCheck)
	t.Cleanup(func() {
		close(release)
		parsesRunning.Wait() // abandoned parses read parser.Parsers
		parser.Parsers = parser.Parsers[:len(parser.Parsers)-1]
	})
	root := repository(t, map[string]string{"ci.second": fixableWorkflow})
	// The budget must be generous enough for the check of ci.second on a
	// loaded machine: the stuck parse costs the test this long.
	result, err := Check(t.Context(), []string{root}, Options{Policy: PolicyOptions{NoConfig: true}, FixEdits: true, FileTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(result.Run.Errors) > 0 || !slices.ContainsFunc(result.Run.Findings, func(f finding.Finding) bool { return f.RuleID == "script-injection" }) {
		t.Fatalf("errors %v, findings %v: ci.second was not checked", result.Run.Errors, findingFiles(result.Run))
	}
	for _, f := range result.Run.Findings {
		if len(f.Edits) > 0 {
			t.Errorf("%s: edits %+v worked out past the deadline", f.RuleID, f.Edits)
		}
	}
	var warnings []string
	for _, w := range result.Warnings {
		warnings = append(warnings, w.Error())
	}
	want := []string{"ci.second:1:1: the edits of the fixes are left out: working them out took longer than was left of the file's time limit of 2s"}
	if !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
}
