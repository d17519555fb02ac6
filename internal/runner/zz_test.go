package runner

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/profiler"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/rules"
	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/parser"
)

func TestZZProfile(t *testing.T) {
	dir := os.Getenv("ZZDIR")
	if dir == "" {
		t.Skip()
	}
	prof := profiler.New()
	e, err := engine.New(context.Background(), engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules), engine.WithQueryTracer(prof), engine.WithTimeout(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	files, _, _ := parser.Discover([]string{dir}, parser.Options{})
	p := parser.Parse(files[0]).Pipeline
	if _, err := e.Evaluate(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for _, r := range prof.ReportTopNResults(100000, []string{"total_time_ns"}) {
		fmt.Printf("%8.0fms %9d evals %s\n", float64(r.ExprTimeNs)/1e6, r.NumEval, r.Location)
	}
}
