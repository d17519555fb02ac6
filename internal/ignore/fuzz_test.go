package ignore

import (
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// FuzzCollect checks that no comment text makes Collect or Match panic,
// that every directive lies within its comment, and that a directive
// always comes with a reason and known rules.
func FuzzCollect(f *testing.F) {
	for _, seed := range []string{
		workflow,
		"pipelint: ignore[unpinned-action] vendored",
		"v4.1.0 # pipelint: ignore[a, b] -- reason",
		"\n * pipelint: ignore[missing-tests] nightly\n ",
		"pipelint: ignore[",
		"pipelint:ignore[ ]",
		"// pipelint: ignore[missing-cache]:",
	} {
		f.Add(seed, 3)
	}
	f.Fuzz(func(t *testing.T, text string, line int) {
		line = 1 + max(line, 0)%1000
		lines := strings.Count(text, "\n")
		comment := model.Comment{Text: text, Pos: model.Pos{File: "f", Line: line, Column: 3, EndLine: line + lines, EndColumn: 9}}
		p := &model.Pipeline{
			File:     "f",
			Comments: []model.Comment{comment},
			Jobs:     []model.Job{{Pos: model.Pos{File: "f", Line: line, Column: 1, EndLine: line + 5, EndColumn: 2}}},
			Sources:  []model.SourceFile{{File: "f", Lines: strings.Split("  "+text, "\n")}},
		}
		s := Collect(p, knownRules)
		for _, d := range s.Unused() {
			if d.Reason == "" || len(d.Rules) == 0 || d.Pos.Line < line || d.Pos.Line > line+lines {
				t.Fatalf("bad directive %+v from %q", d, text)
			}
			for _, id := range d.Rules {
				if !slices.Contains(knownRules, id) {
					t.Fatalf("directive with unknown rule %q from %q", id, text)
				}
			}
		}
		for _, problem := range s.Problems() {
			if problem.RuleID != InvalidRule.ID || problem.Message == "" || problem.Pos.Line < line || problem.Pos.Line > line+lines {
				t.Fatalf("bad problem %+v from %q", problem, text)
			}
		}
		for _, rule := range knownRules {
			for l := line - 1; l <= line+lines+6; l++ {
				s.Match(found(rule, "f", l, 1))
			}
		}
	})
}
