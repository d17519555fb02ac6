// Command eval prints how pipelint's rules do on the judged findings of
// the corpus (make eval): the per-rule table in Markdown, for
// docs/accuracy.md, what fails the judgements, and the findings nobody
// has judged yet as lines ready to fill in testdata/judgements/<rule>.tsv.
// The test of internal/accuracy holds the rules to the same judgements.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pipelint/pipelint/internal/accuracy"
	"github.com/pipelint/pipelint/internal/corpustest"
)

func main() {
	judgements := flag.String("judgements", "testdata/judgements", "directory of the judgement files")
	flag.Parse()
	if err := run(*judgements); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(2)
	}
}

func run(judgementsDir string) error {
	judgements, err := accuracy.ReadJudgements(judgementsDir)
	if err != nil {
		return err
	}
	corpus, err := corpustest.Locate()
	if err != nil {
		return err
	}
	if _, err := os.Stat(corpus); err != nil {
		return fmt.Errorf("no corpus (set PIPELINT_CORPUS): %w", err)
	}
	scratch, err := os.MkdirTemp("", "pipelint-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	start := time.Now()
	repos, err := corpustest.Layout(corpus, scratch)
	if err != nil {
		return err
	}
	report, err := accuracy.Evaluate(context.Background(), repos, judgements)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "checked %d files in %d repositories of %s in %.1fs\n", report.Files, report.Repositories, corpus, time.Since(start).Seconds())
	for _, e := range report.Errors {
		fmt.Fprintln(os.Stderr, "error:", e)
	}
	out := os.Stdout
	if err := report.WriteTable(out); err != nil {
		return err
	}
	if failures := report.Failures(); len(failures) > 0 {
		fmt.Fprintf(out, "\n%d failures of the judgements:\n", len(failures))
		for _, f := range failures {
			fmt.Fprintln(out, f)
		}
	}
	fmt.Fprintf(out, "\n%d findings nobody has judged; fill in label (TP, FP or debatable) and reason, and add each line to %s/<rule>.tsv:\n", len(report.Unjudged), judgementsDir)
	return report.WriteUnjudged(out)
}
