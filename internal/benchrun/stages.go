package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing/fstest"
	"text/tabwriter"
	"time"

	"github.com/rhysd/actionlint"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/runner"
	"github.com/pipelint/pipelint/rules"
)

// neverRule fires on nothing: checking with it alone costs what every
// policy costs, converting the model into the rules' input and one OPA
// evaluation.
const neverRule = `# METADATA
# title: Never
# description: Fires on nothing.
# custom:
#   id: never
#   severity: low
#   remediation: Nothing to do.
package pipelint.rules.never

findings contains {"msg": "never", "pos": input.pos} if input.kind == "never"
`

// stage is one cumulative step of checking a file, timed on one goroutine;
// the last is the check the command runs.
type stage struct {
	name string
	run  func(parser.File) error
}

// printStages times, per file of dir on one goroutine, the steps a check
// takes, each including the ones before: where the time of a check goes,
// and how much of it no rule can save.
func printStages(w io.Writer, dir string) error {
	files, _, err := parser.Discover([]string{dir}, parser.Options{})
	if err != nil {
		return err
	}
	ctx := context.Background()
	never, err := engine.New(ctx, engine.WithPolicies(fstest.MapFS{"never.rego": {Data: []byte(neverRule)}}))
	if err != nil {
		return err
	}
	builtIn, err := engine.New(ctx, engine.WithPolicies(rules.FS))
	if err != nil {
		return err
	}
	evaluate := func(e *engine.Engine) func(parser.File) error {
		return func(f parser.File) error {
			p := parser.Parse(f).Pipeline
			if p == nil {
				return nil // a file actionlint rejects: no model to check
			}
			_, err := e.Evaluate(ctx, p)
			return err
		}
	}
	stages := []stage{
		{"actionlint's parser alone", func(f parser.File) error {
			src, err := os.ReadFile(filepath.Join(f.Root, f.Path))
			actionlint.Parse(src)
			return err
		}},
		{"pipelint's parse (actionlint's parser, positions, shell)", func(f parser.File) error {
			parser.Parse(f)
			return nil
		}},
		{"+ rule input and one rule that never fires", evaluate(never)},
		{"+ the built-in rules instead", evaluate(builtIn)},
		{"+ discovery, configuration and ignores: the whole check", func(f parser.File) error {
			_, err := runner.Check(ctx, []string{f.Abs(f.Display)}, runner.Options{})
			return err
		}},
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "one goroutine, %d files\tµs/file\ttotal\t\n", len(files))
	for _, s := range stages {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := time.Now()
			for _, f := range files {
				if err := s.run(f); err != nil {
					return fmt.Errorf("%s: %s: %w", s.name, f.Display, err)
				}
			}
			best = min(best, time.Since(start))
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t\n", s.name, float64(best.Microseconds())/float64(len(files)), best.Round(time.Millisecond))
	}
	return tw.Flush()
}
