// Package runner owns a check from paths to a finished run: it discovers
// the CI files, finds the configuration of each file's repository, parses
// and evaluates the files in parallel, follows the child pipelines they
// start, applies inline ignores and the baseline, and hands back one
// report.Run. The command line only chooses flags, outputs and exit codes.
package runner

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/pipelint/pipelint/internal/baseline"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/ignore"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/repofs"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/secret"
)

// Options tune a check.
type Options struct {
	Policy    PolicyOptions
	Discovery parser.Options
	// Baseline, when set, is a baseline file: only findings it does not
	// hold are reported.
	Baseline string
	// ReportUnusedIgnores reports inline ignores that suppress nothing.
	ReportUnusedIgnores bool
	ToolVersion         string
	// FileTimeout bounds the whole check of one file: parse, model, rule
	// input and evaluation (DefaultFileTimeout when 0). A file that takes
	// longer is reported as an error and the run goes on.
	FileTimeout time.Duration
	// MaxModelValues bounds the size of one file's pipeline, in values of
	// the rule input (DefaultMaxModelValues when 0): a larger one is
	// reported as an error instead of checked.
	MaxModelValues int
}

// Result is a finished check.
type Result struct {
	Run *report.Run
	// Warnings are what the CI systems accept but is likely a mistake.
	Warnings []*model.ParseError
	// Skipped are files that look like CI files but were not checked.
	Skipped []parser.Skipped
}

// ConfigError is a configuration or policy that cannot be used: the run
// stops before any file is checked.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Check checks the CI files under paths.
func Check(ctx context.Context, paths []string, opts Options) (*Result, error) {
	limits := newBudget(opts)
	discovery := opts.Discovery
	discovery.ParseIncluder = func(f parser.File) (syntax.Result, error) { return limits.parseIncluder(ctx, f) }
	files, skipped, discoveryErr := parser.Discover(paths, discovery)
	governing := newPolicies(ctx, opts.Policy)
	// Every configuration is read and compiled before any file is checked,
	// so that a broken one stops the run at once.
	for _, f := range files {
		if _, err := governing.of(f); err != nil {
			return nil, &ConfigError{err}
		}
	}
	if len(files) == 0 { // the rules of the first path's configuration still appear in reports
		if _, err := governing.forPath(paths[0]); err != nil {
			return nil, &ConfigError{err}
		}
	}
	files = slices.DeleteFunc(files, func(f parser.File) bool {
		p, _ := governing.of(f)
		return p.Config.IgnoredFile(f.Display)
	})
	files, results := checkAll(files, func(f parser.File) fileResult {
		p, err := governing.of(f)
		if err != nil {
			return fileResult{errs: secret.Default().MaskErrors(flattenErrors(f.Display, err), nil), masker: secret.Default()}
		}
		return checkFile(ctx, limits, p, f, opts.ReportUnusedIgnores)
	})

	sources := newSources(files, results)
	run := &report.Run{
		ToolVersion:  opts.ToolVersion,
		Rules:        governing.rules(),
		Errors:       secret.Default().MaskErrors(flattenErrors("", discoveryErr), nil),
		FilesChecked: len(files),
		Source:       sources.source,
	}
	result := &Result{Run: run, Skipped: skipped}
	for _, r := range results {
		run.Findings = append(run.Findings, r.findings...)
		run.Suppressed = append(run.Suppressed, r.suppressed...)
		run.Errors = append(run.Errors, r.errs...)
		result.Warnings = append(result.Warnings, r.warnings...)
	}
	sortErrors(result.Warnings)
	sortErrors(run.Errors)
	finding.Sort(run.Findings)
	if opts.Baseline != "" {
		b, err := readBaseline(opts.Baseline)
		if err != nil {
			return nil, err
		}
		run.Findings = b.Filter(run.Findings)
	}
	return result, nil
}

// readBaseline reads the baseline file at path. It may lie in the
// repository checked, so it is read as the repository's files are
// (package repofs): never through a symbolic link out of it, never from a
// FIFO or a device.
func readBaseline(path string) (*baseline.Baseline, error) {
	fsys, name, err := repofs.ForFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", path, err)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %w", path, err)
	}
	defer f.Close()
	b, err := baseline.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// of returns the policy of a file: a child pipeline, which may not exist,
// follows its parent's.
func (ps *policies) of(f parser.File) (*Policy, error) {
	if f.StartedAt != nil {
		return ps.forPath(f.Root)
	}
	return ps.forPath(filepath.Dir(filepath.Join(f.Root, filepath.FromSlash(f.Path))))
}

// fileResult is what checking one file produced.
type fileResult struct {
	findings   []finding.Finding
	suppressed []report.Suppressed
	errs       []*model.ParseError // secrets masked
	warnings   []*model.ParseError // secrets masked
	children   []parser.File       // child pipelines it starts
	pulledIn   []string            // display paths of the files it includes
	masker     *secret.Masker      // the masker of the file's policies
	flagged    []string            // the secrets its sensitive findings flagged
}

// checkFile parses one file and evaluates the rules on it, within the
// file's budget: one deadline for the whole check, and a bound on the size
// of its pipeline before the rule input is built. The model is dropped
// when the file is done, so memory stays flat however many files a run
// checks. Errors and warnings quote what the files hold: they are masked
// as messages are, with the masker of the file's policies and the values
// its findings flagged.
func checkFile(ctx context.Context, limits *budget, pol *Policy, f parser.File, reportUnused bool) fileResult {
	result := checkUnmasked(ctx, limits, pol, f, reportUnused)
	result.masker = pol.Engine.Masker()
	flagged := secret.NewValues(result.flagged)
	result.errs = result.masker.MaskErrors(result.errs, flagged)
	result.warnings = result.masker.MaskErrors(result.warnings, flagged)
	return result
}

func checkUnmasked(ctx context.Context, limits *budget, pol *Policy, f parser.File, reportUnused bool) fileResult {
	if err := limits.acquire(); err != nil {
		return fileResult{errs: flattenErrors(f.Display, err)}
	}
	ctx, cancel := context.WithTimeout(ctx, limits.timeout)
	defer cancel()
	parsed, ok := limits.parse(ctx, f)
	if !ok {
		return fileResult{errs: flattenErrors(f.Display, limits.timedOut())}
	}
	result := fileResult{errs: flattenErrors(f.Display, parsed.Err), warnings: parsed.Warnings, children: parser.Children(f, parsed)}
	p := parsed.Pipeline
	if p == nil {
		return result
	}
	for _, source := range p.Sources {
		if source.File != f.Display {
			result.pulledIn = append(result.pulledIn, source.File)
		}
	}
	fileError := func(err error) fileResult {
		result.errs = append(result.errs, &model.ParseError{Pos: model.Pos{File: p.File, Line: 1, Column: 1}, Message: err.Error()})
		return result
	}
	if err := limits.tooLarge(p); err != nil {
		return fileError(err)
	}
	findings, err := pol.Engine.Evaluate(ctx, p)
	if err != nil && ctx.Err() != nil {
		return fileError(limits.timedOut())
	}
	if err != nil {
		return fileError(err)
	}
	result.flagged = flaggedValues(p, findings)
	result.findings, result.suppressed = applyPolicy(pol, p, findings, reportUnused)
	return result
}

// applyPolicy applies the configuration and the inline ignores to one
// pipeline's findings: disabled rules and ignored paths drop findings,
// severities are remapped, and ignored findings move to suppressed.
func applyPolicy(pol *Policy, p *model.Pipeline, findings []finding.Finding, reportUnused bool) (kept []finding.Finding, suppressed []report.Suppressed) {
	cfg := pol.Config
	directives := ignore.Collect(p, pol.RuleIDs)
	for _, f := range findings {
		if !cfg.Enabled(f.RuleID) || cfg.Ignored(f.RuleID, f.Pos.File) {
			continue
		}
		if severity, ok := cfg.Severity(f.RuleID); ok {
			f.Severity = severity
		}
		if d, ok := directives.Match(f); ok {
			suppressed = append(suppressed, report.Suppressed{Finding: f, Reason: d.Reason})
			continue
		}
		kept = append(kept, f)
	}
	meta := directives.Problems()
	if reportUnused {
		meta = append(meta, directives.UnusedFindings()...)
	}
	finding.Fingerprint(meta, p.Lines)
	for _, f := range meta {
		if cfg.Enabled(f.RuleID) {
			kept = append(kept, f)
		}
	}
	return kept, suppressed
}

// checkAll checks files on GOMAXPROCS workers, then the child pipelines
// they start, until no new file turns up. It returns every file checked and
// their results, in the same order.
func checkAll(files []parser.File, check func(parser.File) fileResult) ([]parser.File, []fileResult) {
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Abs(f.Display)] = true
	}
	var results []fileResult
	for round := files; len(round) > 0; {
		roundResults := inParallel(round, check)
		results = append(results, roundResults...)
		var next []parser.File
		for _, r := range roundResults {
			for _, child := range r.children {
				if abs := child.Abs(child.Display); !seen[abs] {
					seen[abs] = true
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
func flattenErrors(file string, err error) []*model.ParseError {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*model.ParseError
		for _, e := range joined.Unwrap() {
			out = append(out, flattenErrors(file, e)...)
		}
		return out
	}
	var parseErr *model.ParseError
	if errors.As(err, &parseErr) {
		return []*model.ParseError{parseErr}
	}
	return []*model.ParseError{{Pos: model.Pos{File: file, Line: 1, Column: 1}, Message: err.Error()}}
}

func sortErrors(errs []*model.ParseError) {
	slices.SortStableFunc(errs, func(a, b *model.ParseError) int { return model.ComparePos(a.Pos, b.Pos) })
}
