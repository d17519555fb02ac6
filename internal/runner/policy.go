package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/advisory"
	"github.com/pipelint/pipelint/internal/config"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/ignore"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/rules"
)

// PolicyOptions choose the configuration and the policies.
type PolicyOptions struct {
	// ConfigFile governs every file; by default each file follows the
	// .pipelint.yaml found walking up from it to its repository root.
	ConfigFile string
	// NoConfig ignores every configuration file.
	NoConfig bool
	// PolicyDirs are directories of custom Rego policies.
	PolicyDirs []string
	// Advisories are security advisories about actions, beyond the
	// built-in ones, for known-vulnerable-action (pipelint check
	// --advisories).
	Advisories []advisory.Advisory
}

// Policy is a configuration and the rules compiled for it.
type Policy struct {
	Config *config.Config // nil when there is none
	Engine *engine.Engine
	// RuleIDs are the ids of Engine.Rules().
	RuleIDs []string
}

// LoadPolicy returns the policy that governs a file or directory.
func LoadPolicy(ctx context.Context, path string, opts PolicyOptions) (*Policy, error) {
	return newPolicies(ctx, opts).forPath(path)
}

// policies finds the policy that governs each file: the configuration
// named by ConfigFile, none with NoConfig, or else the .pipelint.yaml found
// by walking up from the file to its repository root, so that one scan of
// many repositories applies each one's own configuration. Each
// configuration is read and compiled once.
type policies struct {
	ctx   context.Context
	opts  PolicyOptions
	mu    sync.Mutex
	byDir map[string]string  // directory → its configuration file ("" for none)
	built map[string]*Policy // configuration file → policy
	fails map[string]error   // configuration file → why it cannot be used
	order []string           // configuration files in the order first used
}

func newPolicies(ctx context.Context, opts PolicyOptions) *policies {
	return &policies{ctx: ctx, opts: opts, byDir: map[string]string{}, built: map[string]*Policy{}, fails: map[string]error{}}
}

// foundConfigError is a configuration found in a repository, rather than
// named by --config, that cannot be used.
type foundConfigError struct {
	file string // the configuration file, absolute
	err  error
}

func (e *foundConfigError) Error() string { return e.err.Error() }
func (e *foundConfigError) Unwrap() error { return e.err }

// forPath returns the policy of a file or directory. The error is a
// *foundConfigError when a configuration found in a repository cannot be
// used.
func (ps *policies) forPath(path string) (*Policy, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	file, err := ps.configFile(path)
	var twoFiles *model.ParseError // config.Find's error for two configuration files in a directory
	if errors.As(err, &twoFiles) {
		return nil, &foundConfigError{file: twoFiles.Pos.File, err: err}
	}
	if err != nil {
		return nil, err
	}
	return ps.forFile(file)
}

// forFile returns the policy of a configuration file ("" for none); ps.mu
// is held.
func (ps *policies) forFile(file string) (*Policy, error) {
	if p, ok := ps.built[file]; ok {
		return p, nil
	}
	if err, ok := ps.fails[file]; ok {
		return nil, err
	}
	p, err := ps.build(file)
	if err != nil {
		if file != "" && file != ps.opts.ConfigFile {
			err = &foundConfigError{file: file, err: err}
		}
		ps.fails[file] = err
		return nil, err
	}
	ps.built[file] = p
	ps.order = append(ps.order, file)
	return p, nil
}

// repositoryError returns the repository's configuration that err, from
// forPath, is about; or else err itself, which stops the run, since what
// the user named governs every file: a --config file, the --policy
// directories. A repository's configuration is compiled with those
// directories, so it is blamed only when they compile without it.
func (ps *policies) repositoryError(err error) (*foundConfigError, error) {
	var found *foundConfigError
	if !errors.As(err, &found) {
		return nil, err
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if _, err := ps.forFile(""); err != nil {
		return nil, err
	}
	return found, nil
}

func (ps *policies) configFile(path string) (string, error) {
	switch {
	case ps.opts.NoConfig:
		return "", nil
	case ps.opts.ConfigFile != "":
		return ps.opts.ConfigFile, nil
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

func (ps *policies) build(file string) (*Policy, error) {
	var cfg *config.Config
	if file != "" {
		var err error
		if cfg, err = config.Load(file); err != nil {
			return nil, err
		}
	}
	dirs, err := cfg.PolicyDirs()
	if err != nil {
		return nil, err
	}
	eng, err := NewEngine(ps.ctx, append(dirs, ps.opts.PolicyDirs...), cfg.Options(), ps.opts.Advisories)
	if err != nil {
		return nil, err
	}
	var ruleIDs []string
	for _, r := range eng.Rules() {
		ruleIDs = append(ruleIDs, r.ID)
	}
	if err := cfg.Validate(ruleIDs); err != nil {
		return nil, err
	}
	return &Policy{Config: cfg, Engine: eng, RuleIDs: ruleIDs}, nil
}

// rules lists every rule of every policy used, by id.
func (ps *policies) rules() []finding.Rule {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	seen := map[string]bool{}
	var all []finding.Rule
	for _, file := range ps.order {
		for _, r := range ps.built[file].Engine.Rules() {
			if !seen[r.ID] {
				seen[r.ID] = true
				all = append(all, r)
			}
		}
	}
	slices.SortFunc(all, func(a, b finding.Rule) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// NewEngine compiles the built-in rules and the policy directories, with
// rule options (by rule id) from a configuration and advisories beyond the
// built-in ones, which rules read as data.pipelint.config.rules and
// data.pipelint.config.advisories.
func NewEngine(ctx context.Context, policyDirs []string, options map[string]any, advisories []advisory.Advisory) (*engine.Engine, error) {
	if len(policyDirs) == 0 && len(options) == 0 && len(advisories) == 0 {
		return builtInEngine()
	}
	data := map[string]any{"rules": ruleData(options)}
	if len(advisories) > 0 {
		data["advisories"] = advisories
	}
	engineOpts := append(builtIn(), engine.WithData(data))
	for _, dir := range policyDirs {
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

// builtIn are the engine options of pipelint's own rules: the Rego rules
// with their pages, and the rules inline ignores report under.
func builtIn() []engine.Option {
	return []engine.Option{
		engine.WithPolicies(rules.FS),
		engine.WithDocs(docs.Rules),
		engine.WithGoRules(ignore.InvalidRule, ignore.UnusedRule),
	}
}

// builtInEngine is the engine most runs use, with the built-in rules only,
// compiled once per process: tests and fuzzing check many times.
var builtInEngine = sync.OnceValues(func() (*engine.Engine, error) {
	return engine.New(context.Background(), builtIn()...)
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
