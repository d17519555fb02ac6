package fix

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aymanbagabas/go-udiff"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/github"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func parseAs(name string) func([]byte) (*model.Pipeline, error) {
	return func(src []byte) (*model.Pipeline, error) { return github.Parse(name, src) }
}

// checkoutFixes proposes, as the rules would, persist-credentials: false
// on every checkout, contents: read for a workflow without permissions
// (unsafe) and moving every expression of a script into the step's env
// (unsafe).
func checkoutFixes(t *testing.T, name string, src []byte) []finding.Finding {
	t.Helper()
	p, err := github.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	var findings []finding.Finding
	for _, job := range p.Jobs {
		for _, step := range job.Steps {
			if step.Uses != nil && step.Uses.Repo == "checkout" {
				pos := step.Uses.Value.Pos
				findings = append(findings, finding.Finding{RuleID: "persist-credentials", Message: "m", Pos: pos,
					Fix: &finding.Fix{Kind: finding.SetInput, Pos: pos, Input: "persist-credentials", Value: "false"}})
			}
			if step.Script != nil {
				for _, e := range step.Script.Expressions {
					findings = append(findings, finding.Finding{RuleID: "script-injection", Message: "m", Pos: e.Pos,
						Fix: &finding.Fix{Kind: finding.MoveToEnv, Pos: e.Pos, Unsafe: true}})
				}
			}
		}
	}
	if p.Permissions == nil {
		findings = append(findings, finding.Finding{RuleID: "excessive-permissions", Message: "m", Pos: p.Pos,
			Fix: &finding.Fix{Kind: finding.AddPermissions, Pos: p.Pos, Unsafe: true, Permissions: []finding.Permission{{Scope: "contents", Level: "read"}}}})
	}
	return findings
}

// TestGolden fixes every testdata/<case>.yml with checkoutFixes and
// compares the text with <case>.yml.fixed, byte for byte, and the fixes
// left with <case>.yml.left. With -update it writes them.
func TestGolden(t *testing.T) {
	eachCase(t, func(t *testing.T, path, name string, src []byte) {
		out, err := File(context.Background(), Source{Name: name, Src: src, Parse: parseAs(name)}, checkoutFixes(t, name, src), Options{Unsafe: true})
		if err != nil {
			t.Fatal(err)
		}
		var left strings.Builder
		for _, l := range out.Left {
			fmt.Fprintf(&left, "%d:%d %s: %s\n", l.Finding.Pos.Line, l.Finding.Pos.Column, l.Finding.RuleID, l.Reason)
		}
		golden(t, path+".fixed", out.Src)
		if got := applyTextEdits(t, src, out.Fixed); !bytes.Equal(got, out.Src) {
			t.Errorf("the findings' edits give\n%q\nnot\n%q", got, out.Src)
		}
		golden(t, path+".left", []byte(left.String()))
	})
}

// TestLentModelUnchanged: given the model the check parsed (Before), File
// gives what it gives when it parses the file itself, and leaves the model
// as a parse gives it: the model of a file in a repository's view is read
// by the checks of the repository's other files while its fixes are
// worked out.
func TestLentModelUnchanged(t *testing.T) {
	eachCase(t, func(t *testing.T, _, name string, src []byte) {
		parse := parseAs(name)
		lent, err := parse(src)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := parse(src)
		if err != nil {
			t.Fatal(err)
		}
		findings := checkoutFixes(t, name, src)
		want, err := File(context.Background(), Source{Name: name, Src: src, Parse: parse}, findings, Options{Unsafe: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := File(context.Background(), Source{Name: name, Src: src, Parse: parse, Before: lent}, findings, Options{Unsafe: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Src, want.Src) || len(got.Fixed) != len(want.Fixed) || len(got.Left) != len(want.Left) {
			t.Errorf("with the model lent: %d fixed, %d left, text\n%s\nwithout: %d fixed, %d left, text\n%s", len(got.Fixed), len(got.Left), got.Src, len(want.Fixed), len(want.Left), want.Src)
		}
		if !reflect.DeepEqual(lent, fresh) {
			t.Error("File changed the model it was lent")
		}
	})
}

// eachCase runs test on every testdata/<case>.yml, in a subtest named
// after the file.
func eachCase(t *testing.T, test func(t *testing.T, path, name string, src []byte)) {
	cases, err := filepath.Glob("testdata/*.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, path := range cases {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			test(t, path, name, src)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if len(got) == 0 {
			os.Remove(path)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		want, err = nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n got: %q\nwant: %q", path, got, want)
	}
}

const twoCheckouts = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
`

// A fixed file whose model differs beyond the values fixed is refused:
// here the parse of the fixed text (constructed) loses a step.
func TestRefusedWhenTheParseDisagrees(t *testing.T) {
	src := []byte(twoCheckouts)
	parse := func(text []byte) (*model.Pipeline, error) {
		p, err := github.Parse("ci.yml", text)
		if err == nil && bytes.Contains(text, []byte("persist-credentials")) {
			p.Jobs[0].Steps = p.Jobs[0].Steps[:1]
		}
		return p, err
	}
	findings := checkoutFixes(t, "ci.yml", src)
	out, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parse}, findings, Options{})
	if want := "ci.yml: not fixed: job \"a\" lost its step 2 when fixed"; err == nil || err.Error() != want || out != nil {
		t.Errorf("error = %v, want %q", err, want)
	}
	// The values fixed must be there once parsed.
	parse = func(text []byte) (*model.Pipeline, error) {
		return github.Parse("ci.yml", bytes.ReplaceAll(text, []byte("persist-credentials: false"), []byte("persist-credentials: true")))
	}
	_, err = File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parse}, findings, Options{})
	if err == nil || !strings.Contains(err.Error(), `does not read persist-credentials: "false" once fixed`) {
		t.Errorf("error = %v", err)
	}
	// Anything else that differs is named by its path in the model.
	parse = func(text []byte) (*model.Pipeline, error) {
		if bytes.Contains(text, []byte("persist-credentials")) {
			text = bytes.ReplaceAll(text, []byte("a:\n    runs-on"), []byte("b:\n    runs-on"))
		}
		return github.Parse("ci.yml", text)
	}
	_, err = File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parse}, findings, Options{})
	if err == nil || !strings.Contains(err.Error(), "parses to a different pipeline (at jobs[0].id.value)") {
		t.Errorf("error = %v", err)
	}
}

// Unsafe fixes wait for Options.Unsafe; of two fixes that edit the same
// place, the first in finding order is applied and the other is left,
// whatever order they come in.
func TestUnsafeAndOverlapping(t *testing.T) {
	src := []byte(twoCheckouts)
	findings := checkoutFixes(t, "ci.yml", src)
	other := findings[0]
	other.RuleID = "zz-other"
	other.Fix = &finding.Fix{Kind: finding.SetInput, Pos: other.Pos, Input: "fetch-depth", Value: "0"}
	for _, order := range [][]finding.Finding{append(findings, other), append([]finding.Finding{other}, findings...)} {
		out, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parseAs("ci.yml")}, order, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var left []string
		for _, l := range out.Left {
			left = append(left, l.Finding.RuleID+": "+l.Reason)
		}
		want := []string{
			"excessive-permissions: the fix may change what the pipeline does; apply it with --unsafe",
			"zz-other: it overlaps the fix of persist-credentials at 6:15, which is applied",
		}
		if strings.Join(left, "\n") != strings.Join(want, "\n") || len(out.Fixed) != 2 || strings.Count(string(out.Src), "persist-credentials: false") != 2 {
			t.Errorf("left %q, fixed %d:\n%s", left, len(out.Fixed), out.Src)
		}
	}
}

// A finding without a fix changes nothing and is not listed.
func TestNothingToFix(t *testing.T) {
	src := []byte(twoCheckouts)
	out, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parseAs("ci.yml")}, []finding.Finding{{RuleID: "r", Pos: model.Pos{File: "ci.yml", Line: 1, Column: 1}}}, Options{Unsafe: true})
	if err != nil || !bytes.Equal(out.Src, src) || len(out.Fixed)+len(out.Left)+len(out.Edits) != 0 {
		t.Errorf("out = %+v, %v", out, err)
	}
}

const titleScript = `on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.issue.title }}"
      - run: echo hi
`

// The check of a moved expression accepts the new script and env of its
// step and nothing else: a re-parse that disagrees on the script, on the
// env or on another step refuses the file.
func TestMoveToEnvRefusedWhenTheParseDisagrees(t *testing.T) {
	src := []byte(titleScript)
	findings := checkoutFixes(t, "ci.yml", src)
	out, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parseAs("ci.yml")}, findings, Options{Unsafe: true})
	if err != nil || len(out.Fixed) != 1 || !strings.Contains(string(out.Src), `echo "${EVENT_ISSUE_TITLE}"`) {
		t.Fatalf("fixed %+v, %v", out, err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`echo "${EVENT_ISSUE_TITLE}"`, `echo "${OTHER}"`, `step 1 of job "a" does not run the script expected once fixed`},
		{`EVENT_ISSUE_TITLE: ${{`, `OTHER: ${{`, `step 1 of job "a" does not have the env expected once fixed`},
		{`echo hi`, `echo ho`, `parses to a different pipeline (at jobs[0].steps[1].script.commands[0].args[0].value)`},
	} {
		parse := func(text []byte) (*model.Pipeline, error) {
			if bytes.Contains(text, []byte("EVENT_ISSUE_TITLE")) {
				text = bytes.ReplaceAll(text, []byte(c.from), []byte(c.to))
			}
			return github.Parse("ci.yml", text)
		}
		_, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parse}, findings, Options{Unsafe: true})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s → %s: error = %v, want %q", c.from, c.to, err, c.want)
		}
	}
}

// Variable names come from the property path read, without github. and
// never in GitHub's own GITHUB_ and RUNNER_ namespaces; they are unique
// in any case.
func TestEnvName(t *testing.T) {
	for _, c := range []struct {
		e    model.Expression
		want string
	}{
		{model.Expression{Value: "github.event.issue.title"}, "EVENT_ISSUE_TITLE"},
		{model.Expression{Value: "github.event.commits[0].message"}, "EVENT_COMMITS_0_MESSAGE"},
		{model.Expression{Value: "inputs.tag-name"}, "INPUTS_TAG_NAME"},
		{model.Expression{Value: "format('{0}', github.head_ref, env.X)", Flows: []string{"env.x", "github.head_ref"}}, "HEAD_REF"},
		{model.Expression{Value: "runner.temp"}, "VALUE_RUNNER_TEMP"},
		{model.Expression{Value: "env.GITHUB_TITLE"}, "ENV_GITHUB_TITLE"},
		{model.Expression{Value: "'a' || 'b'"}, "VALUE"},
	} {
		if got := envName(c.e); got != c.want {
			t.Errorf("envName(%q) = %q, want %q", c.e.Value, got, c.want)
		}
	}
	taken := map[string]bool{"TITLE": true, "TITLE_2": true}
	if got := uniqueName("Title", taken); got != "Title_3" {
		t.Errorf("uniqueName = %q", got)
	}
	if got := uniqueName("BODY", taken); got != "BODY" {
		t.Errorf("uniqueName = %q", got)
	}
}

// applyTextEdits applies the edits of the findings (each edit once) by
// their line and column positions.
func applyTextEdits(t *testing.T, src []byte, findings []finding.Finding) []byte {
	t.Helper()
	text := string(src)
	offset := func(line, column int) int {
		at := strings.Index(text, "\uFEFF") + len("\uFEFF") // after a byte-order mark, if any
		if !strings.HasPrefix(text, "\uFEFF") {
			at = 0
		}
		for range line - 1 {
			at += strings.IndexByte(text[at:], '\n') + 1
		}
		for range column - 1 {
			_, size := utf8.DecodeRuneInString(text[at:])
			at += size
		}
		return at
	}
	seen := map[finding.TextEdit]bool{}
	var edits []udiff.Edit
	for _, f := range findings {
		if len(f.Edits) == 0 {
			t.Errorf("%s at %d:%d was fixed without edits", f.RuleID, f.Pos.Line, f.Pos.Column)
		}
		for _, e := range f.Edits {
			if !seen[e] {
				seen[e] = true
				edits = append(edits, udiff.Edit{Start: offset(e.Pos.Line, e.Pos.Column), End: offset(e.Pos.EndLine, e.Pos.EndColumn), New: e.New})
			}
		}
	}
	out, err := udiff.Apply(text, edits)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// Two pipelines are equal without positions when only where their
// elements sit differs (a line inserted above), and not when a value does.
func TestEqualWithoutPositions(t *testing.T) {
	const workflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
	for _, c := range []struct {
		other string
		equal bool
	}{
		{strings.Replace(workflow, "jobs:", "\n\njobs:", 1), true},
		{strings.Replace(workflow, "runs-on: ubuntu", "runs-on:    ubuntu", 1), true},
		{strings.Replace(workflow, "make test", "make tests", 1), false},
		{strings.Replace(workflow, "  a:", "  b:", 1), false},
	} {
		a, err := github.Parse("ci.yml", []byte(workflow))
		if err != nil {
			t.Fatal(err)
		}
		b, err := github.Parse("ci.yml", []byte(c.other))
		if err != nil {
			t.Fatal(err)
		}
		if got := equalWithoutPositions(a, b); got != c.equal {
			t.Errorf("%q: equal = %v, want %v", c.other, got, c.equal)
		}
		// comparable, which names the difference, judges the same.
		ca, _ := comparable(a, nil)
		cb, _ := comparable(b, nil)
		if _, differs := firstDifference(ca, cb, ""); differs == c.equal {
			t.Errorf("%q: comparable differs = %v", c.other, differs)
		}
	}
}
