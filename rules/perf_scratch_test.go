package rules_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/rules"
)

func TestScratchPerRule(t *testing.T) {
	files, _ := parser.Discover(corpusFiles(t, "github"), model.GitHub)
	var ps []*model.Pipeline
	start := time.Now()
	for _, f := range files {
		p, _ := parser.Parse(f)
		if p != nil {
			ps = append(ps, p)
		}
	}
	t.Logf("parse %v", time.Since(start))
	all, _ := fs.Glob(rules.FS, "*.rego")
	for _, only := range all {
		if strings.HasSuffix(only, "_test.rego") {
			continue
		}
		m := fstest.MapFS{}
		libs, _ := fs.Glob(rules.FS, "lib/*.rego")
		for _, name := range append(libs, only) {
			b, _ := fs.ReadFile(rules.FS, name)
			m[name] = &fstest.MapFile{Data: b}
		}
		e, err := engine.New(context.Background(), engine.WithPolicies(m))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for _, p := range ps {
			e.Evaluate(context.Background(), p)
		}
		t.Logf("%s: %v", only, time.Since(start))
	}
}
