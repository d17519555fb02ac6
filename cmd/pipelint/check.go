package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/rules"
)

type checkOptions struct {
	format string
	output string
	failOn string
	system string
}

func newCheckCommand() *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check CI files under the given paths (default: the current directory)",
		Long: `Check finds GitHub Actions workflows and action.yml files, .gitlab-ci.yml
files and Jenkinsfiles under each PATH (a directory is searched, a file is
checked whatever its name) and reports what the rules find.

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 a usage error
or a file that could not be read or parsed (the other files are still checked).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return check(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args, opts)
		},
	}
	flags := cmd.Flags()
	flags.StringVarP(&opts.format, "format", "f", "text", "output format: "+strings.Join(report.Formats, ", "))
	flags.StringVarP(&opts.output, "output", "o", "", "write the report to this file instead of standard output")
	flags.StringVar(&opts.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: critical, high, medium, low, info or never")
	flags.StringVar(&opts.system, "system", "", "treat every file as this system: github, gitlab or jenkins")
	return cmd
}

func check(ctx context.Context, stdout, stderr io.Writer, paths []string, opts checkOptions) error {
	failOn, err := parseFailOn(opts.failOn)
	if err != nil {
		return err
	}
	force := model.System(opts.system)
	if !slices.Contains([]model.System{"", model.GitHub, model.GitLab, model.Jenkins}, force) {
		return fmt.Errorf("unknown --system %q (want github, gitlab or jenkins)", opts.system)
	}
	out, closeOutput, err := openOutput(stdout, opts.output)
	if err != nil {
		return err
	}
	reporter, err := report.New(opts.format, report.Options{Color: opts.output == "" && useColor(stdout)})
	if err != nil {
		return err
	}
	files, err := parser.Discover(paths, force)
	if err != nil {
		return err
	}

	// Compiling the rules and parsing the files are independent: overlap them.
	type compiled struct {
		engine *engine.Engine
		err    error
	}
	engineReady := make(chan compiled, 1)
	go func() {
		eng, err := newEngine(ctx)
		engineReady <- compiled{eng, err}
	}()
	files, pipelines, parseErrors := parseAll(files)
	built := <-engineReady
	if built.err != nil {
		return built.err
	}

	run := &report.Run{
		ToolVersion:  version(),
		Rules:        built.engine.Rules(),
		Errors:       parseErrors,
		FilesChecked: len(files),
		Source:       readSource,
	}
	for i, evaluation := range built.engine.EvaluateAll(ctx, pipelines) {
		if evaluation.Err != nil {
			run.Errors = append(run.Errors, &model.ParseError{Pos: model.Pos{File: pipelines[i].File, Line: 1, Column: 1}, Message: evaluation.Err.Error()})
			continue
		}
		run.Findings = append(run.Findings, evaluation.Findings...)
	}
	engine.SortFindings(run.Findings)
	sortErrors(run.Errors)

	if err := reporter.Report(out, run); err != nil {
		return err
	}
	if err := closeOutput(); err != nil {
		return err
	}
	if opts.format != "text" || opts.output != "" {
		for _, e := range run.Errors { // people must see errors even when the report is for machines
			fmt.Fprintf(stderr, "%s\n", e)
		}
	}
	switch {
	case len(run.Errors) > 0:
		return &exitCodeError{exitError}
	case slices.ContainsFunc(run.Findings, func(f engine.Finding) bool { return f.Severity.Rank() >= failOn }):
		return &exitCodeError{exitFindings}
	}
	return nil
}

func newEngine(ctx context.Context) (*engine.Engine, error) {
	return engine.New(ctx, engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules))
}

// parseFailOn turns --fail-on into the lowest failing severity rank;
// "never" is a rank no finding reaches.
func parseFailOn(value string) (int, error) {
	if value == "never" {
		return len(engine.Severities) + 1, nil
	}
	severity, err := engine.ParseSeverity(value)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return severity.Rank(), nil
}

// parseAll parses files on GOMAXPROCS workers, then the child pipelines
// they start, until no new file turns up. It returns every file checked, the
// pipelines that could be built and every error, flattened, in file order.
func parseAll(files []parser.File) ([]parser.File, []*model.Pipeline, []*model.ParseError) {
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Display] = true
	}
	var pipelines []*model.Pipeline
	var errs []*model.ParseError
	for round := files; len(round) > 0; {
		var next []parser.File
		for i, r := range parseRound(round) {
			if r.pipeline != nil {
				pipelines = append(pipelines, r.pipeline)
			}
			errs = append(errs, flattenErrors(round[i], r.err)...)
			for _, child := range parser.Children(round[i], r.pipeline) {
				if !seen[child.Display] {
					seen[child.Display] = true
					next = append(next, child)
					files = append(files, child)
				}
			}
		}
		round = next
	}
	return files, pipelines, errs
}

type parsed struct {
	pipeline *model.Pipeline
	err      error
}

func parseRound(files []parser.File) []parsed {
	results := make([]parsed, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p, err := parser.Parse(files[i])
				results[i] = parsed{p, err}
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// flattenErrors unwraps joined parse errors; any other error is attributed
// to the file as a whole.
func flattenErrors(f parser.File, err error) []*model.ParseError {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*model.ParseError
		for _, e := range joined.Unwrap() {
			out = append(out, flattenErrors(f, e)...)
		}
		return out
	}
	var parseErr *model.ParseError
	if errors.As(err, &parseErr) {
		return []*model.ParseError{parseErr}
	}
	return []*model.ParseError{{Pos: model.Pos{File: f.Display, Line: 1, Column: 1}, Message: err.Error()}}
}

func sortErrors(errs []*model.ParseError) {
	slices.SortStableFunc(errs, func(a, b *model.ParseError) int {
		if c := strings.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
}

// readSource gives reporters the text of a file by its display path, which
// is relative to the working directory or as given.
func readSource(file string) []byte {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	return src
}

func openOutput(stdout io.Writer, path string) (io.Writer, func() error, error) {
	if path == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// useColor is true when w is a terminal and NO_COLOR is not set
// (https://no-color.org).
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
