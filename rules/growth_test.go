package rules_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/benchrun/hostile"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/rules"
)

// TestRulesGrowLinearly: the rules do about twice the work on a file of
// each of hostile.Shapes twice as large, counted in steps of the
// evaluation per byte of the model's JSON. Steps, unlike time, do not move
// with the machine's load; a rule that looks, for every job, step or
// command, through all the others takes steps in proportion to their
// square (a checkout's walk of every job's pushes did), and so does a rule
// that asks a partial rule for a key it does not fully know, which OPA
// evaluates again for every question. Per byte of the model, because some
// models grow faster than their file on purpose (GitLab's needs between
// two stages), and some not at all (the parsers drop what no rule reads).
func TestRulesGrowLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates two files of every shape")
	}
	steps := &stepCounter{}
	e, err := engine.New(context.Background(), engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules), engine.WithQueryTracer(steps))
	if err != nil {
		t.Fatal(err)
	}
	// Linear rules take at most 1.0 times the steps per byte at twice the
	// size (their fixed cost shrinks); the walks that were quadratic took
	// 1.26–1.9 times at these sizes.
	const size, maxGrowth = 24 << 10, 1.15
	for _, shape := range hostile.Shapes() {
		t.Run(shape.Name, func(t *testing.T) {
			perByte := func(size int) float64 {
				p := parseShape(t, shape, size)
				encoded, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				steps.n = 0
				if _, err := e.Evaluate(context.Background(), p); err != nil {
					t.Fatal(err)
				}
				return float64(steps.n) / float64(len(encoded))
			}
			small, large := perByte(size), perByte(2*size)
			if growth := large / small; growth > maxGrowth {
				t.Errorf("%.4f steps per byte of the model at %d KB, %.4f at %d KB: the rules grow %.1f times faster than the model", small, size>>10, large, 2*size>>10, growth)
			}
		})
	}
}

// parseShape parses a file of the shape, of about size bytes, in a
// repository of its own.
func parseShape(t *testing.T, shape hostile.Shape, size int) *model.Pipeline {
	t.Helper()
	root := t.TempDir()
	path := filepath.Join(root, filepath.FromSlash(shape.Path))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shape.File(size), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _, err := parser.Discover([]string{root}, parser.Options{})
	if err != nil || len(files) != 1 {
		t.Fatalf("discover: %v, %d files", err, len(files))
	}
	result := parser.Parse(files[0])
	if result.Pipeline == nil || result.Err != nil && !shape.Invalid {
		t.Fatalf("parse: %v", result.Err)
	}
	return result.Pipeline
}

// stepCounter counts the expressions an evaluation evaluates.
type stepCounter struct{ n int }

func (c *stepCounter) Enabled() bool { return true }

func (c *stepCounter) TraceEvent(e topdown.Event) {
	if e.Op == topdown.EvalOp {
		c.n++
	}
}

func (c *stepCounter) Config() topdown.TraceConfig { return topdown.TraceConfig{} }
