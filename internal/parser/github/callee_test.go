package github

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// calleeDepth is how many callees deep the first job or step of each
// level goes.
func calleeDepth(p *model.Pipeline) int {
	depth := 0
	for p != nil && len(p.Jobs) > 0 {
		job := p.Jobs[0]
		switch {
		case job.Callee != nil:
			p = job.Callee
		case len(job.Steps) > 0 && job.Steps[0].Callee != nil:
			p = job.Steps[0].Callee
		default:
			p = nil
		}
		if p != nil {
			depth++
		}
	}
	return depth
}

// TestCalleeDepth: a chain of reusable workflows is followed nine deep,
// as GitHub runs ten levels of workflows, and a chain of actions ten
// deep; the chain's start is warned about.
func TestCalleeDepth(t *testing.T) {
	repo := fstest.MapFS{}
	for i := range 12 {
		repo[fmt.Sprintf(".github/workflows/w%d.yml", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"on: workflow_call\njobs:\n  next:\n    uses: ./.github/workflows/w%d.yml\n", i+1)}
		repo[fmt.Sprintf("a%d/action.yml", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"runs:\n  using: composite\n  steps:\n    - uses: ./a%d\n", i+1)}
	}
	for _, tc := range []struct {
		path  string
		depth int
		warn  string
	}{
		{".github/workflows/w0.yml", maxWorkflowDepth, ".github/workflows/w0.yml:4:11: local workflows nest deeper than the 9 levels followed; the deeper ones are not followed"},
		{"a0/action.yml", maxActionDepth, "a0/action.yml:4:13: local actions nest deeper than the 10 levels followed; the deeper ones are not followed"},
	} {
		result := Parser.Parse(syntax.Input{Repo: repo, Path: tc.path, Display: tc.path})
		if got := calleeDepth(result.Pipeline); got != tc.depth {
			t.Errorf("%s: followed %d deep, want %d", tc.path, got, tc.depth)
		}
		if len(result.Warnings) != 1 || result.Warnings[0].Error() != tc.warn {
			t.Errorf("%s: warnings %v, want %s", tc.path, result.Warnings, tc.warn)
		}
		if len(result.Pipeline.Sources) != tc.depth+1 {
			t.Errorf("%s: %d sources, want the file and its %d callees", tc.path, len(result.Pipeline.Sources), tc.depth)
		}
	}
}

// TestCalleesAreBounded: actions that each call the next twice would
// double at every level; past maxCallees the rest are not followed.
func TestCalleesAreBounded(t *testing.T) {
	repo := fstest.MapFS{}
	for i := range maxActionDepth {
		repo[fmt.Sprintf("a%d/action.yml", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"runs:\n  using: composite\n  steps:\n    - uses: ./a%d\n    - uses: ./a%d\n", i+1, i+1)}
	}
	result := Parser.Parse(syntax.Input{Repo: repo, Path: "a0/action.yml", Display: "a0/action.yml"})
	followed := 0
	var count func(p *model.Pipeline)
	count = func(p *model.Pipeline) {
		for _, job := range p.Jobs {
			for _, step := range job.Steps {
				if step.Callee != nil {
					followed++
					count(step.Callee)
				}
			}
		}
	}
	count(result.Pipeline)
	if followed != maxCallees {
		t.Errorf("%d callees followed, want %d", followed, maxCallees)
	}
	var warnings []string
	for _, w := range result.Warnings {
		warnings = append(warnings, w.Error())
	}
	want := "a0/action.yml:4:13: more than 256 local workflows and actions are called from this file, counting repeats; the rest are not followed"
	if strings.Join(warnings, "\n") != want {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), want)
	}
}
