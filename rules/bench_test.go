package rules_test

import (
	"context"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/rules"
)

// BenchmarkCompileRules measures what every run pays before the first
// file: loading and compiling all built-in rules.
func BenchmarkCompileRules(b *testing.B) {
	for b.Loop() {
		if _, err := engine.New(context.Background(), engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate measures rule evaluation per file over a system's
// corpus, parsed once beforehand.
func BenchmarkEvaluate(b *testing.B) {
	e := newEngine(b)
	for _, p := range parser.Parsers {
		system := p.System
		b.Run(string(system), func(b *testing.B) {
			var pipelines []*model.Pipeline
			for _, c := range parsedCorpus(b, system) {
				pipelines = append(pipelines, c)
			}
			b.ResetTimer()
			for b.Loop() {
				for _, p := range pipelines {
					if _, err := e.Evaluate(context.Background(), p); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pipelines)), "µs/file")
		})
	}
}

func parsedCorpus(tb testing.TB, system model.System) []*model.Pipeline {
	tb.Helper()
	var pipelines []*model.Pipeline
	for _, f := range corpusPipelines(tb, system) {
		if p := parser.Parse(f).Pipeline; p != nil {
			pipelines = append(pipelines, p)
		}
	}
	return pipelines
}

// BenchmarkEvaluateEmpty measures the fixed cost of one evaluation: a
// pipeline with nothing in it.
func BenchmarkEvaluateEmpty(b *testing.B) {
	e := newEngine(b)
	p := &model.Pipeline{System: model.GitHub, Kind: model.KindWorkflow, File: "ci.yml"}
	for b.Loop() {
		if _, err := e.Evaluate(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateWithout measures what each rule adds to the evaluation
// of a system's corpus: every rule but one, against all of them
// ("all"). Compare allocs/op, which do not move with the machine's load
// (docs/performance.md); the corpus is parsed once beforehand.
func BenchmarkEvaluateWithout(b *testing.B) {
	pipelines := parsedCorpus(b, model.GitHub)
	ruleFiles, err := fs.Glob(rules.FS, "*.rego")
	if err != nil {
		b.Fatal(err)
	}
	ruleFiles = slices.DeleteFunc(ruleFiles, func(name string) bool { return strings.HasSuffix(name, "_test.rego") })
	for _, left := range append([]string{""}, ruleFiles...) {
		name := "all"
		if left != "" {
			name = strings.TrimSuffix(left, ".rego")
		}
		b.Run(name, func(b *testing.B) {
			e, err := engine.New(context.Background(), engine.WithPolicies(without(rules.FS, left)))
			if err != nil {
				b.Skipf("%s cannot be left out: %v", left, err) // another rule reads its package
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pipelines {
					if _, err := e.Evaluate(context.Background(), p); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// without is fsys without the named file.
func without(fsys fs.FS, name string) fs.FS {
	if name == "" {
		return fsys
	}
	return filteredFS{fsys, name}
}

type filteredFS struct {
	fs.FS
	left string
}

func (f filteredFS) Open(name string) (fs.File, error) {
	if name == f.left {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.FS.Open(name)
}

func (f filteredFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(f.FS, name)
	return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return path.Join(name, e.Name()) == f.left }), err
}
