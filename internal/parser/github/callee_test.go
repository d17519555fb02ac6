package github

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

func warningLines(r syntax.Result) []string {
	var lines []string
	for _, w := range r.Warnings {
		lines = append(lines, w.Error())
	}
	return lines
}

// TestCalleeChain: a chain of reusable workflows is followed to its end,
// each workflow once, in the order called; the file and every callee are
// in the sources.
func TestCalleeChain(t *testing.T) {
	repo := fstest.MapFS{}
	for i := range 12 {
		repo[fmt.Sprintf(".github/workflows/w%02d.yml", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"on: workflow_call\njobs:\n  next:\n    uses: ./.github/workflows/w%02d.yml\n  again:\n    uses: ./.github/workflows/w%02d.yml\n", i+1, i+1)}
	}
	result := Parser.Parse(syntax.Input{Repo: repo, Path: ".github/workflows/w00.yml", Display: ".github/workflows/w00.yml"})
	var callees []string
	for _, c := range result.Pipeline.Callees {
		callees = append(callees, c.File)
	}
	var want []string
	for i := 1; i < 12; i++ {
		want = append(want, fmt.Sprintf(".github/workflows/w%02d.yml", i))
	}
	if !slices.Equal(callees, want) {
		t.Errorf("callees %v, want %v", callees, want)
	}
	last := result.Pipeline.Callees[len(callees)-1].Jobs
	if last[0].Callee != "" || last[1].Callee != "" {
		t.Errorf("w11.yml calls the missing w12.yml: callees %q, %q", last[0].Callee, last[1].Callee)
	}
	if len(result.Pipeline.Sources) != 12 || len(result.Warnings) != 0 {
		t.Errorf("%d sources, warnings %q; want 12 and none: the missing w12.yml is w11.yml's to warn about", len(result.Pipeline.Sources), warningLines(result))
	}
}

// TestCalleesAreBounded: past maxCallees, the rest are not followed, with
// one warning; and past maxCalleeBytes.
func TestCalleesAreBounded(t *testing.T) {
	repo := fstest.MapFS{}
	var steps strings.Builder
	for i := range maxCallees + 10 {
		repo[fmt.Sprintf("a%03d/action.yml", i)] = &fstest.MapFile{Data: []byte("runs:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n")}
		fmt.Fprintf(&steps, "    - uses: ./a%03d\n", i)
	}
	repo["action.yml"] = &fstest.MapFile{Data: []byte("runs:\n  using: composite\n  steps:\n" + steps.String())}
	result := Parser.Parse(syntax.Input{Repo: repo, Path: "action.yml", Display: "action.yml"})
	if got := len(result.Pipeline.Callees); got != maxCallees {
		t.Errorf("%d callees followed, want %d", got, maxCallees)
	}
	want := fmt.Sprintf("action.yml:%d:13: this file calls more than 256 local workflows and actions, or more than %d bytes of them; the rest are not followed", 4+maxCallees, maxCalleeBytes)
	if got := warningLines(result); !slices.Equal(got, []string{want}) {
		t.Errorf("warnings %q, want %q", got, want)
	}
	steps0 := result.Pipeline.Jobs[0].Steps
	if steps0[maxCallees-1].Callee != "a255/action.yml" || steps0[maxCallees].Callee != "" {
		t.Errorf("callees of steps 255 and 256: %q, %q", steps0[maxCallees-1].Callee, steps0[maxCallees].Callee)
	}
}

// TestCalleeParsedOnce: a callee called from several jobs and steps is
// one entry of Callees, which they all name.
func TestCalleeParsedOnce(t *testing.T) {
	repo := fstest.MapFS{
		".github/workflows/ci.yml": {Data: []byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./setup\n      - uses: ./setup\n  b:\n    runs-on: x\n    steps:\n      - uses: ./setup\n")},
		"setup/action.yml":         {Data: []byte("runs:\n  using: composite\n  steps:\n    - run: npm ci\n      shell: bash\n")},
	}
	p := Parser.Parse(syntax.Input{Repo: repo, Path: ".github/workflows/ci.yml", Display: ".github/workflows/ci.yml"}).Pipeline
	if len(p.Callees) != 1 || p.Callees[0].File != "setup/action.yml" || len(p.Sources) != 2 {
		t.Fatalf("callees %+v, %d sources", p.Callees, len(p.Sources))
	}
	for _, job := range p.Jobs {
		for _, step := range job.Steps {
			if step.Callee != "setup/action.yml" {
				t.Errorf("step at line %d calls %q", step.Pos.Line, step.Callee)
			}
		}
	}
}

func TestCalleeBytesAreBounded(t *testing.T) {
	big := "runs:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n#" + strings.Repeat("x", maxCalleeBytes/3) + "\n"
	repo := fstest.MapFS{
		"action.yml":   {Data: []byte("runs:\n  using: composite\n  steps:\n    - uses: ./a\n    - uses: ./b\n    - uses: ./c\n    - uses: ./a\n")},
		"a/action.yml": {Data: []byte(big)},
		"b/action.yml": {Data: []byte(big)},
		"c/action.yml": {Data: []byte(big)},
	}
	result := Parser.Parse(syntax.Input{Repo: repo, Path: "action.yml", Display: "action.yml"})
	var called []string
	for _, step := range result.Pipeline.Jobs[0].Steps {
		called = append(called, step.Callee)
	}
	if want := []string{"a/action.yml", "b/action.yml", "", "a/action.yml"}; !slices.Equal(called, want) {
		t.Errorf("steps call %q, want %q", called, want)
	}
	want := fmt.Sprintf("action.yml:6:13: this file calls more than 256 local workflows and actions, or more than %d bytes of them; the rest are not followed", maxCalleeBytes)
	if got := warningLines(result); !slices.Equal(got, []string{want}) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
