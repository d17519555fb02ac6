package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pipelint/pipelint/internal/baseline"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
)

type checkOptions struct {
	formats              []string
	output               string
	failOn               string
	minSeverity          string
	system               string
	policyOptions        // --config, --no-config, --policy
	baseline             string
	writeBaseline        string
	reportUnusedIgnores  bool
	sarifIncludeSuppress bool
	sarifCategory        string
}

// policyOptions choose the configuration and the policies; `rules` and
// `config print` take them too.
type policyOptions struct {
	configFile string
	noConfig   bool
	policyDirs []string
}

func (o *policyOptions) register(cmd *cobra.Command) {
	flags := cmd.Flags()
	flags.StringVar(&o.configFile, "config", "", "configuration file for every file (default: for each file, the .pipelint.yaml found walking up from it to its repository root)")
	flags.BoolVar(&o.noConfig, "no-config", false, "ignore any configuration file")
	flags.StringArrayVar(&o.policyDirs, "policy", nil, "directory of custom Rego policies (repeatable)")
}

func newCheckCommand() *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check CI files under the given paths (default: the current directory)",
		Long: `Check finds GitHub Actions workflows and action.yml files, .gitlab-ci.yml
files and Jenkinsfiles under each PATH (a directory is searched, a file is
checked whatever its name) and reports what the rules find.

--format may be given several times, each as FORMAT or FORMAT=FILE, so that
one run writes a SARIF file for code scanning and text for people:
  pipelint check --format sarif=pipelint.sarif --format text

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
	flags.StringArrayVarP(&opts.formats, "format", "f", []string{"text"}, "output format, optionally with a file: "+strings.Join(report.Formats, ", ")+" (repeatable, FORMAT=FILE)")
	flags.StringVarP(&opts.output, "output", "o", "", "write the report to this file instead of standard output (with a single --format)")
	flags.StringVar(&opts.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: critical, high, medium, low, info or never")
	flags.StringVar(&opts.minSeverity, "min-severity", "info", "lowest severity to report")
	flags.StringVar(&opts.system, "system", "", "treat every file as this system: github, gitlab or jenkins")
	opts.policyOptions.register(cmd)
	flags.StringVar(&opts.baseline, "baseline", "", "report only findings that are not in this baseline file")
	flags.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in this baseline file")
	flags.BoolVar(&opts.reportUnusedIgnores, "report-unused-ignores", false, "report inline ignores that suppress nothing")
	flags.BoolVar(&opts.sarifIncludeSuppress, "sarif-include-suppressed", false, "list suppressed findings in SARIF, with their suppression")
	flags.StringVar(&opts.sarifCategory, "sarif-category", "", "code scanning category for SARIF (automationDetails.id)")
	return cmd
}

// output is one report to write: a format and where to.
type output struct {
	reporter report.Reporter
	path     string // "" for standard output
}

func check(ctx context.Context, stdout, stderr io.Writer, paths []string, opts checkOptions) error {
	failOn, err := parseFailOn(opts.failOn)
	if err != nil {
		return err
	}
	minSeverity, err := finding.ParseSeverity(opts.minSeverity)
	if err != nil {
		return fmt.Errorf("--min-severity: %w", err)
	}
	force := model.System(opts.system)
	if !slices.Contains([]model.System{"", model.GitHub, model.GitLab, model.Jenkins}, force) {
		return fmt.Errorf("unknown --system %q (want github, gitlab or jenkins)", opts.system)
	}
	outputs, err := parseOutputs(stdout, opts)
	if err != nil {
		return err
	}
	files, discoveryErr := parser.Discover(paths, force)
	if len(files) == 0 && discoveryErr == nil {
		fmt.Fprintf(stderr, "note: no CI files found in %s: pipelint looks for .github/workflows/*.yml, action.yml, .gitlab-ci.yml and Jenkinsfile; name another file with --system to check it\n", strings.Join(paths, ", "))
	}
	governing := newPolicies(ctx, opts.policyOptions)
	// Every configuration is read and compiled before any file is checked,
	// so that a broken one stops the run at once.
	for _, f := range files {
		if _, err := governing.of(f); err != nil {
			return reportConfigError(stderr, err)
		}
	}
	if len(files) == 0 { // the rules of the first path's configuration still appear in reports
		if _, err := governing.forPath(paths[0]); err != nil {
			return reportConfigError(stderr, err)
		}
	}
	files = slices.DeleteFunc(files, func(f parser.File) bool {
		p, _ := governing.of(f)
		return p.cfg.IgnoredFile(f.Display)
	})

	checkOne := func(f parser.File) fileResult {
		p, err := governing.of(f)
		if err != nil {
			return fileResult{errs: flattenErrors(f, err)}
		}
		return checkFile(ctx, p, f, opts.reportUnusedIgnores)
	}
	files, results := checkAll(files, checkOne)
	run := &report.Run{
		ToolVersion:  version(),
		Rules:        governing.rules(),
		Errors:       flattenErrors(parser.File{}, discoveryErr),
		FilesChecked: len(files),
		Source:       readSource,
	}
	var warnings []*model.ParseError
	for _, r := range results {
		run.Findings = append(run.Findings, r.findings...)
		run.Suppressed = append(run.Suppressed, r.suppressed...)
		run.Errors = append(run.Errors, r.errs...)
		warnings = append(warnings, r.warnings...)
	}
	sortErrors(warnings)
	for _, w := range warnings { // accepted by the CI system, so not errors, but worth a look
		fmt.Fprintf(stderr, "%s:%d:%d: warning: %s\n", w.Pos.File, w.Pos.Line, w.Pos.Column, w.Message)
	}
	finding.Sort(run.Findings)
	sortErrors(run.Errors)

	if opts.baseline != "" {
		if run.Findings, err = filterBaseline(opts.baseline, run.Findings); err != nil {
			return err
		}
	}
	if opts.writeBaseline != "" {
		if err := writeBaseline(opts.writeBaseline, run.Findings); err != nil {
			return err
		}
	}
	run.Findings = slices.DeleteFunc(run.Findings, func(f finding.Finding) bool { return f.Severity.Rank() < minSeverity.Rank() })

	for _, out := range outputs {
		if err := writeReport(stdout, out, run); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(outputs, func(o output) bool { return o.path == "" && isText(o.reporter) }) {
		for _, e := range run.Errors { // people must see errors even when the report is for machines
			fmt.Fprintf(stderr, "%s\n", e)
		}
	}
	switch {
	case len(run.Errors) > 0:
		return &exitCodeError{exitError}
	case opts.writeBaseline != "":
		return nil // the findings were just accepted
	case slices.ContainsFunc(run.Findings, func(f finding.Finding) bool { return f.Severity.Rank() >= failOn }):
		return &exitCodeError{exitFindings}
	}
	return nil
}

// parseOutputs reads the --format and --output flags.
func parseOutputs(stdout io.Writer, opts checkOptions) ([]output, error) {
	// Report paths are relative to the working directory, so it is the
	// root SARIF names as %SRCROOT%.
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var outputs []output
	toStdout := 0
	for _, spec := range opts.formats {
		format, path, _ := strings.Cut(spec, "=")
		if path == "" && len(opts.formats) == 1 {
			path = opts.output
		}
		if path == "" {
			toStdout++
		}
		reporter, err := report.New(format, report.Options{
			Color:             path == "" && useColor(stdout),
			SARIFCategory:     opts.sarifCategory,
			SourceRoot:        cwd,
			IncludeSuppressed: opts.sarifIncludeSuppress,
		})
		if err != nil {
			return nil, err
		}
		outputs = append(outputs, output{reporter: reporter, path: path})
	}
	if toStdout > 1 {
		return nil, errors.New("only one --format can write to standard output; give the others a file (FORMAT=FILE)")
	}
	if opts.output != "" && len(opts.formats) > 1 {
		return nil, errors.New("--output works with a single --format; write FORMAT=FILE instead")
	}
	return outputs, nil
}

func isText(r report.Reporter) bool {
	_, ok := r.(*report.Text)
	return ok
}

func writeReport(stdout io.Writer, out output, run *report.Run) error {
	if out.path == "" {
		return out.reporter.Report(stdout, run)
	}
	f, err := os.Create(out.path)
	if err != nil {
		return err
	}
	if err := out.reporter.Report(f, run); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// reportConfigError prints a configuration or policy error, which names
// its file and line, and ends the run with exit code 2.
func reportConfigError(stderr io.Writer, err error) error {
	var lines []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			lines = append(lines, e.Error())
		}
	} else {
		lines = append(lines, err.Error())
	}
	for _, line := range lines {
		fmt.Fprintf(stderr, "%s\n", line)
	}
	return &exitCodeError{exitError}
}

func filterBaseline(path string, findings []finding.Finding) ([]finding.Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	defer f.Close()
	b, err := baseline.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b.Filter(findings), nil
}

func writeBaseline(path string, findings []finding.Finding) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := baseline.Write(f, findings); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseFailOn turns --fail-on into the lowest failing severity rank;
// "never" is a rank no finding reaches.
func parseFailOn(value string) (int, error) {
	if value == "never" {
		return len(finding.Severities) + 1, nil
	}
	severity, err := finding.ParseSeverity(value)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w", err)
	}
	return severity.Rank(), nil
}

// fileResult is what checking one file produced.
type fileResult struct {
	findings   []finding.Finding
	suppressed []report.Suppressed
	errs       []*model.ParseError
	warnings   []*model.ParseError
	children   []parser.File // child pipelines it starts
}

// checkFile parses one file and evaluates the rules on it. The model is
// dropped when the file is done, so memory stays flat however many files
// a run checks.
func checkFile(ctx context.Context, pol *policy, f parser.File, reportUnused bool) fileResult {
	p, warnings, err := parser.ParseWithWarnings(f)
	result := fileResult{errs: flattenErrors(f, err), warnings: warnings, children: parser.Children(f, p)}
	if p == nil {
		return result
	}
	findings, err := pol.eng.Evaluate(ctx, p)
	if err != nil {
		result.errs = append(result.errs, &model.ParseError{Pos: model.Pos{File: p.File, Line: 1, Column: 1}, Message: err.Error()})
		return result
	}
	result.findings, result.suppressed = applyPolicy(pol.cfg, p, pol.ruleIDs, findings, reportUnused)
	return result
}

// checkAll checks files on GOMAXPROCS workers, then the child pipelines
// they start, until no new file turns up. It returns every file checked and
// their results, in the same order.
func checkAll(files []parser.File, check func(parser.File) fileResult) ([]parser.File, []fileResult) {
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Display] = true
	}
	var results []fileResult
	for round := files; len(round) > 0; {
		roundResults := inParallel(round, check)
		results = append(results, roundResults...)
		var next []parser.File
		for _, r := range roundResults {
			for _, child := range r.children {
				if !seen[child.Display] {
					seen[child.Display] = true
					next = append(next, child)
					files = append(files, child)
				}
			}
		}
		round = next
	}
	return files, results
}

// inParallel runs check on every file with GOMAXPROCS workers.
func inParallel(files []parser.File, check func(parser.File) fileResult) []fileResult {
	results := make([]fileResult, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = check(files[i])
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

// useColor is true when w is a terminal and NO_COLOR is not set
// (https://no-color.org).
func useColor(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
