package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/config"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/ignore"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/rules"
)

// policy is a configuration and the rules compiled for it.
type policy struct {
	cfg     *config.Config
	eng     *engine.Engine
	ruleIDs []string
}

// policies finds the policy that governs each file: the configuration named
// by --config, none with --no-config, or else the .pipelint.yaml found by
// walking up from the file to its repository root, so that one scan of many
// repositories applies each one's own configuration. Each configuration is
// read and compiled once.
type policies struct {
	ctx   context.Context
	opts  policyOptions
	mu    sync.Mutex
	byDir map[string]string  // directory → its configuration file ("" for none)
	built map[string]*policy // configuration file → policy
	fails map[string]error   // configuration file → why it cannot be used
	order []string           // configuration files in the order first used
}

func newPolicies(ctx context.Context, opts policyOptions) *policies {
	return &policies{ctx: ctx, opts: opts, byDir: map[string]string{}, built: map[string]*policy{}, fails: map[string]error{}}
}

// of returns the policy of a discovered file.
func (ps *policies) of(f parser.File) (*policy, error) {
	return ps.forPath(filepath.Dir(filepath.Join(f.Root, filepath.FromSlash(f.Path))))
}

// forPath returns the policy of a file or directory.
func (ps *policies) forPath(path string) (*policy, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	file, err := ps.configFile(path)
	if err != nil {
		return nil, err
	}
	if p, ok := ps.built[file]; ok {
		return p, nil
	}
	if err, ok := ps.fails[file]; ok {
		return nil, err
	}
	p, err := ps.build(file)
	if err != nil {
		ps.fails[file] = err
		return nil, err
	}
	ps.built[file] = p
	ps.order = append(ps.order, file)
	return p, nil
}

func (ps *policies) configFile(path string) (string, error) {
	switch {
	case ps.opts.noConfig:
		return "", nil
	case ps.opts.configFile != "":
		return ps.opts.configFile, nil
	}
	if file, ok := ps.byDir[path]; ok {
		return file, nil
	}
	file, err := config.Find(path)
	if err != nil {
		return "", err
	}
	ps.byDir[path] = file
	return file, nil
}

func (ps *policies) build(file string) (*policy, error) {
	var cfg *config.Config
	if file != "" {
		var err error
		if cfg, err = config.Load(file); err != nil {
			return nil, err
		}
	}
	eng, err := newEngine(ps.ctx, cfg, ps.opts)
	if err != nil {
		return nil, err
	}
	ruleIDs := ruleIDsOf(eng)
	if err := cfg.Validate(ruleIDs); err != nil {
		return nil, err
	}
	return &policy{cfg: cfg, eng: eng, ruleIDs: ruleIDs}, nil
}

// rules lists every rule of every policy used, by id.
func (ps *policies) rules() []finding.Rule {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	seen := map[string]bool{}
	var all []finding.Rule
	for _, file := range ps.order {
		for _, r := range allRules(ps.built[file].eng) {
			if !seen[r.ID] {
				seen[r.ID] = true
				all = append(all, r)
			}
		}
	}
	slices.SortFunc(all, func(a, b finding.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// loadPolicy is the policy of one path, for the commands that show rules
// and configuration.
func loadPolicy(ctx context.Context, path string, opts policyOptions) (*config.Config, *engine.Engine, error) {
	p, err := newPolicies(ctx, opts).forPath(path)
	if err != nil {
		return nil, nil, err
	}
	return p.cfg, p.eng, nil
}

// newEngine compiles the built-in rules, the policy directories of the
// configuration and of --policy, with the rule options of the configuration.
func newEngine(ctx context.Context, cfg *config.Config, opts policyOptions) (*engine.Engine, error) {
	dirs := append(cfg.PolicyDirs(), opts.policyDirs...)
	if len(dirs) == 0 && len(cfg.Options()) == 0 {
		return builtInEngine()
	}
	engineOpts := []engine.Option{
		engine.WithPolicies(rules.FS),
		engine.WithDocs(docs.Rules),
		engine.WithData(map[string]any{"rules": ruleData(cfg.Options())}),
	}
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("policy directory %s is not a directory", dir)
		}
		engineOpts = append(engineOpts, engine.WithCustomPolicies(filepath.ToSlash(filepath.Clean(dir)), os.DirFS(dir)))
	}
	return engine.New(ctx, engineOpts...)
}

// builtInEngine is the engine most runs use, with the built-in rules only,
// compiled once per process: tests and fuzzing call run many times.
var builtInEngine = sync.OnceValues(func() (*engine.Engine, error) {
	return engine.New(context.Background(), engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules))
})

// ruleData shapes rule options as rules read them:
// data.pipelint.config.rules[id].options.
func ruleData(options map[string]any) map[string]any {
	data := map[string]any{}
	for id, o := range options {
		data[id] = map[string]any{"options": o}
	}
	return data
}

func ruleIDsOf(eng *engine.Engine) []string {
	var ids []string
	for _, r := range allRules(eng) {
		ids = append(ids, r.ID)
	}
	return ids
}

// allRules are the engine's rules and the two that inline ignores report
// under, sorted by id, with their documentation.
func allRules(eng *engine.Engine) []finding.Rule {
	all := slices.Clone(eng.Rules())
	for _, r := range []finding.Rule{ignore.InvalidRule, ignore.UnusedRule} {
		if page, err := fs.ReadFile(docs.Rules, r.ID+".md"); err == nil {
			r.Help = string(page)
		}
		r.HelpURI = finding.HelpURIBase + r.ID + ".md"
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b finding.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// applyPolicy applies the configuration and the inline ignores to one
// pipeline's findings: disabled rules and ignored paths drop findings,
// severities are remapped, and ignored findings move to suppressed.
func applyPolicy(cfg *config.Config, p *model.Pipeline, ruleIDs []string, findings []finding.Finding, reportUnused bool) (kept []finding.Finding, suppressed []report.Suppressed) {
	directives := ignore.Collect(p, ruleIDs)
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
