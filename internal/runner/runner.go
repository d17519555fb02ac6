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
	"github.com/pipelint/pipelint/internal/resolve"
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
	// MaxViewValues bounds the repository view every file of a repository
	// sees, in values of the rule input (DefaultMaxViewValues when 0).
	MaxViewValues int
	// MemoryLimit bounds, in bytes, how much the heap may grow while the
	// rules are evaluated on one file, its rule input included
	// (DefaultMemoryLimit when 0). An evaluation that takes more is stopped
	// and reported as an error, and the run goes on.
	MemoryLimit uint64
	// Resolver, when set, looks up on the GitHub server what the refs of
	// the actions and reusable workflows of each file name, into
	// model.Pipeline.Resolved (pipelint check --online); a ref that cannot
	// be resolved is a warning at its reference. Lookups are not counted
	// in the file's time budget: the resolver bounds each one.
	Resolver *resolve.Resolver
	// FixEdits asks for the edits of the fixes made without the network
	// on each finding (finding.Finding.Edits), for the reports that show
	// them (report.ShowsFixes).
	FixEdits bool
}

// Result is a finished check.
type Result struct {
	Run *report.Run
	// Warnings are what the CI systems accept but is likely a mistake.
	Warnings []*model.ParseError
	// Skipped are files that look like CI files but were not checked.
	Skipped []parser.Skipped
	// Checked are the files checked, each with its findings once the
	// configuration and inline ignores are applied (the baseline is not),
	// for `pipelint fix`, which edits them.
	Checked []CheckedFile
}

// CheckedFile is a file checked and what was found in it and the files
// it includes.
type CheckedFile struct {
	File     parser.File
	Findings []finding.Finding
}

// ConfigError is a configuration or policy that governs every file (named
// by --config or --policy) and cannot be used: the run stops before any
// file is checked. A repository's own configuration that cannot be used
// is that repository's error instead (see Check).
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Check checks the CI files under paths, one repository at a time, so
// that each file is evaluated with the others in view (model.Repository).
func Check(ctx context.Context, paths []string, opts Options) (*Result, error) {
	limits := newBudget(opts)
	discovery := opts.Discovery
	discovery.ParseIncluder = func(f parser.File) (syntax.Result, error) { return limits.parseIncluder(ctx, f) }
	discovery.Context = true
	files, skipped, discoveryErr := parser.Discover(paths, discovery)
	governing := newPolicies(ctx, opts.Policy)
	// Every configuration is read and compiled before any file is checked.
	// One the user named governs every file: if it cannot be used, the run
	// stops at once. A repository's own configuration governs only files
	// of that repository, which may be one of many scanned and is not
	// trusted: if it cannot be used, its errors are reported, the files it
	// governs are not checked, and the other repositories are. A file only
	// in view follows its configuration's ignored paths, if it can be read.
	unusable := map[string]*unusableConfig{}
	var unusableOrder []string
	blame := func(err error, governed int) error {
		found, err := governing.repositoryError(err)
		if err != nil {
			return &ConfigError{err}
		}
		u, ok := unusable[found.file]
		if !ok {
			u = &unusableConfig{foundConfigError: found}
			unusable[found.file] = u
			unusableOrder = append(unusableOrder, found.file)
		}
		u.governs += governed
		return nil
	}
	for _, f := range files {
		if _, err := governing.of(f); err != nil && !f.Context {
			if err := blame(err, 1); err != nil {
				return nil, err
			}
		}
	}
	if !slices.ContainsFunc(files, func(f parser.File) bool { return !f.Context }) { // the rules of the first path's configuration still appear in reports
		if _, err := governing.forPath(paths[0]); err != nil {
			if err := blame(err, 0); err != nil {
				return nil, err
			}
		}
	}
	files = slices.DeleteFunc(files, func(f parser.File) bool {
		p, err := governing.of(f)
		return err != nil || p.Config.IgnoredFile(f.Display)
	})
	result := &Result{Skipped: skipped}
	var checked []parser.File
	var results []fileResult
	var online *refFacts
	if opts.Resolver != nil {
		online = newRefFacts(opts.Resolver)
	}
	for _, repository := range byRepository(files) {
		c := &repositoryCheck{ctx: ctx, limits: limits, governing: governing, reportUnused: opts.ReportUnusedIgnores, fixEdits: opts.FixEdits, online: online}
		c.run(repository)
		checked = append(checked, c.checked...)
		results = append(results, c.results...)
		result.Warnings = append(result.Warnings, c.warnings...)
	}

	sources := newSources(checked, results)
	run := &report.Run{
		ToolVersion:  opts.ToolVersion,
		Rules:        governing.rules(),
		Errors:       secret.Default().MaskErrors(flattenErrors("", discoveryErr), nil),
		FilesChecked: len(checked),
		Source:       sources.source,
	}
	result.Run = run
	for _, file := range unusableOrder {
		run.Errors = append(run.Errors, secret.Default().MaskErrors(unusable[file].errors(), nil)...)
	}
	for i, r := range results {
		result.Checked = append(result.Checked, CheckedFile{File: checked[i], Findings: r.findings})
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

// unusableConfig is a configuration found in a repository that cannot be
// used.
type unusableConfig struct {
	*foundConfigError
	governs int // how many CI files it governs, which were not checked
}

// errors are the configuration's errors, and one that says which files
// were not checked, at its file as the repository's other paths are
// shown: relative to the repository that holds it.
func (u *unusableConfig) errors() []*model.ParseError {
	root := repofs.Repository(filepath.Dir(u.file))
	display := func(file string) string {
		if rel, err := filepath.Rel(root, file); err == nil && filepath.IsAbs(file) {
			return filepath.ToSlash(rel)
		}
		return file
	}
	at := model.Pos{File: display(u.file), Line: 1, Column: 1, EndLine: 1, EndColumn: 2}
	var errs []*model.ParseError
	switch u.governs {
	case 0:
	case 1:
		errs = append(errs, &model.ParseError{Pos: at, Message: "the configuration cannot be used, so the CI file it governs was not checked"})
	default:
		errs = append(errs, &model.ParseError{Pos: at, Message: fmt.Sprintf("the configuration cannot be used, so the %d CI files it governs were not checked", u.governs)})
	}
	for _, e := range flattenErrors(at.File, u.err) {
		shown := *e
		shown.Pos.File = display(e.Pos.File)
		errs = append(errs, &shown)
	}
	return errs
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
	pulledIn   []string            // display paths of the files it includes or calls
	masker     *secret.Masker      // the masker of the file's policies
	flagged    []string            // the secrets its sensitive findings flagged
	// overMemory is set when the evaluation was stopped at the memory
	// bound while other files were evaluated at the same time, which the
	// bound cannot tell apart (see repositoryCheck.evaluate).
	overMemory bool
}

// parsedFile is a file parsed, waiting for the view of its repository to
// be final.
type parsedFile struct {
	file   parser.File
	result fileResult // unmasked
	// pipeline is nil when there is nothing to evaluate.
	pipeline *model.Pipeline
	// parsing and evaluating are the parts of the file's time budget the
	// parse and the last evaluation took.
	parsing, evaluating time.Duration
}

// parseFile parses one file within the file's budget: one deadline for the
// whole check, of which the parse takes its part, and a bound on the size
// of its pipeline before any rule input is built.
func parseFile(ctx context.Context, limits *budget, f parser.File) *parsedFile {
	pf := &parsedFile{file: f}
	if err := limits.acquire(); err != nil {
		pf.result.errs = flattenErrors(f.Display, err)
		return pf
	}
	start := time.Now()
	defer func() { pf.parsing = time.Since(start) }()
	ctx, cancel := context.WithTimeout(ctx, limits.timeout)
	defer cancel()
	parsed, ok := limits.parse(ctx, f)
	if !ok {
		pf.result.errs = flattenErrors(f.Display, limits.timedOut())
		return pf
	}
	pf.result = fileResult{errs: flattenErrors(f.Display, parsed.Err), warnings: parsed.Warnings, children: parser.Children(f, parsed)}
	p := parsed.Pipeline
	if p == nil {
		return pf
	}
	for _, source := range p.Sources {
		if source.File != f.Display {
			pf.result.pulledIn = append(pf.result.pulledIn, source.File)
		}
	}
	if err := limits.tooLarge(p); err != nil {
		pf.fileError(err)
		return pf
	}
	pf.pipeline = p
	return pf
}

func (pf *parsedFile) fileError(err error) {
	pf.result.errs = append(pf.result.errs, &model.ParseError{Pos: model.Pos{File: pf.file.Display, Line: 1, Column: 1}, Message: err.Error()})
}

// evaluate evaluates the rules on a parsed file, seeing its repository, in
// what is left of the file's time budget and within the memory bound;
// alone says that no other file is evaluated meanwhile. Errors and
// warnings quote what the files hold: they are masked as messages are,
// with the masker of the file's policies and the values its findings
// flagged.
func (pf *parsedFile) evaluate(ctx context.Context, limits *budget, pol *Policy, repository *model.Repository, reportUnused, alone bool) fileResult {
	result := pf.evaluateUnmasked(ctx, limits, pol, repository, reportUnused, alone)
	if result.overMemory {
		return result
	}
	result.masker = pol.Engine.Masker()
	flagged := secret.NewValues(result.flagged)
	result.errs = result.masker.MaskErrors(result.errs, flagged)
	result.warnings = result.masker.MaskErrors(result.warnings, flagged)
	return result
}

func (pf *parsedFile) evaluateUnmasked(ctx context.Context, limits *budget, pol *Policy, repository *model.Repository, reportUnused, alone bool) fileResult {
	p := pf.pipeline
	if p == nil {
		return pf.result
	}
	start := time.Now()
	defer func() { pf.evaluating = time.Since(start) }()
	ctx, cancel := context.WithTimeout(ctx, limits.timeout-pf.parsing)
	defer cancel()
	p.Repository = repository
	findings, err := limits.evaluate(ctx, pol.Engine, p)
	switch {
	case errors.Is(err, errOverMemory) && !alone:
		return fileResult{overMemory: true}
	case errors.Is(err, errOverMemory):
		err = limits.overMemory()
	case err != nil && ctx.Err() != nil:
		err = limits.timedOut()
	}
	if err != nil {
		pf.fileError(err)
		return pf.result
	}
	pf.result.flagged = flaggedValues(p, findings)
	pf.result.findings, pf.result.suppressed = applyPolicy(pol, p, findings, reportUnused)
	return pf.result
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

// inParallel runs do on every item with GOMAXPROCS workers.
func inParallel[In, Out any](items []In, do func(In) Out) []Out {
	results := make([]Out, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(items)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = do(items[i])
			}
		}()
	}
	for i := range items {
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
