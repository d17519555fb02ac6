// Package engine compiles the Rego rules once and evaluates them against
// pipeline models.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/util"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/memlimit"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/secret"
)

// rulesPackage is the package prefix every rule lives under; the last
// segment of a rule's package is its id with underscores.
const rulesPackage = "pipelint.rules"

// findingsQuery collects every finding of every rule in one evaluation.
const findingsQuery = "data.pipelint.rules[rule_package].findings[finding]"

// Engine holds the compiled rules. It is safe for concurrent use.
type Engine struct {
	rules     []finding.Rule          // sorted by ID
	byPackage map[string]finding.Rule // last package segment → rule
	query     rego.PreparedEvalQuery
	facts     repositoryFacts
	timeout   time.Duration
	masker    *secret.Masker // masks every finding's message
	masked    maskedMessages
	tracers   []rego.EvalOption // one rego.EvalQueryTracer for each of WithQueryTracer
}

type config struct {
	policies    []policyTree
	docs        fs.FS
	goRules     []finding.Rule
	timeout     time.Duration
	tablesLimit uint64
	data        map[string]any
	tracers     []topdown.QueryTracer
}

// policyTree is a tree of .rego files; custom trees come from users.
type policyTree struct {
	name   string // how messages name the tree, e.g. its directory
	fsys   fs.FS
	custom bool
}

// DefaultTimeout bounds the evaluation of one file: no real CI file needs
// more than milliseconds, so hitting it means a pathological input or
// policy.
const DefaultTimeout = 10 * time.Second

// Option configures New.
type Option func(*config)

// WithPolicies adds a tree of .rego files: rules under package
// pipelint.rules.<id> and the libraries they import. Files ending in
// _test.rego are Rego unit tests and are not loaded.
func WithPolicies(fsys fs.FS) Option {
	return func(c *config) { c.policies = append(c.policies, policyTree{fsys: fsys}) }
}

// WithCustomPolicies adds a user's tree of policies, under the same
// contract as the built-in ones; name (its directory) prefixes its files in
// messages. A rule's documentation is the <id>.md file beside its .rego
// file, and its help link the first related_resources entry of its
// METADATA.
func WithCustomPolicies(name string, fsys fs.FS) Option {
	return func(c *config) { c.policies = append(c.policies, policyTree{name: name, fsys: fsys, custom: true}) }
}

// WithData makes values available to rules under data.pipelint.config,
// such as rule options from the configuration file.
func WithData(data map[string]any) Option {
	return func(c *config) { c.data = data }
}

// WithGoRules adds rules written in Go, such as the ones inline ignores
// report under: the engine lists them with the Rego rules and gives them
// their documentation and help link the same way, but never evaluates
// them.
func WithGoRules(rules ...finding.Rule) Option {
	return func(c *config) { c.goRules = append(c.goRules, rules...) }
}

// WithDocs sets the tree holding one <id>.md page per rule, the rules' help.
func WithDocs(fsys fs.FS) Option {
	return func(c *config) { c.docs = fsys }
}

// WithTimeout sets the time limit for evaluating one file, and the table
// packages when New evaluates them (DefaultTimeout when not set).
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithQueryTracer has every evaluation of the rules traced by t: OPA's
// profiler (profiler.New), or a count of the steps of the evaluation,
// which do not move with the machine's load as its time does. t sees the
// evaluations of every file the engine checks, in parallel when they are.
func WithQueryTracer(t topdown.QueryTracer) Option {
	return func(c *config) { c.tracers = append(c.tracers, t) }
}

// DefaultTablesMemoryLimit bounds the memory New may take to evaluate the
// table packages: the built-in tables take 12 MiB in all.
const DefaultTablesMemoryLimit = 512 << 20

// WithTablesMemoryLimit sets how much the heap may grow while New
// evaluates the table packages, in bytes (DefaultTablesMemoryLimit when
// not set).
func WithTablesMemoryLimit(bytes uint64) Option {
	return func(c *config) { c.tablesLimit = bytes }
}

// New loads and compiles the rules.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := config{timeout: DefaultTimeout, tablesLimit: DefaultTablesMemoryLimit}
	for _, opt := range opts {
		opt(&cfg)
	}
	modules, err := loadModules(cfg.policies, false)
	if err != nil {
		return nil, err
	}
	if err := checkSandbox(modules); err != nil {
		return nil, err
	}
	e := &Engine{byPackage: map[string]finding.Rule{}, timeout: cfg.timeout}
	for _, t := range cfg.tracers {
		e.tracers = append(e.tracers, rego.EvalQueryTracer(t))
	}
	var compiler *ast.Compiler
	regoOpts := []func(*rego.Rego){
		rego.Query(findingsQuery),
		rego.Capabilities(Capabilities()),
		rego.StrictBuiltinErrors(true),
		keepTerms, // findings are read as Rego values, not converted to Go ones first
		rego.CompilerHook(func(c *ast.Compiler) { compiler = c }),
	}
	tables, err := foldTables(ctx, modules, limits{time: cfg.timeout, memory: cfg.tablesLimit})
	if err != nil {
		return nil, err
	}
	if e.masker, err = maskerOf(tables); err != nil {
		return nil, err
	}
	store, err := newStore(tables, cfg.data)
	if err != nil {
		return nil, err
	}
	regoOpts = append(regoOpts, rego.Store(store))
	for _, name := range sortedKeys(modules) {
		mod := modules[name]
		regoOpts = append(regoOpts, rego.ParsedModule(mod.Module))
		pkg, isRule := rulePackage(mod.Module)
		if !isRule {
			continue
		}
		rule, err := ruleFromAnnotations(name, mod.Module)
		if err != nil {
			return nil, err
		}
		if want := strings.ReplaceAll(rule.ID, "-", "_"); pkg != want {
			return nil, fmt.Errorf("%s: rule id %q needs package %s.%s, not %s.%s", name, rule.ID, rulesPackage, want, rulesPackage, pkg)
		}
		if _, dup := e.byPackage[pkg]; dup {
			return nil, fmt.Errorf("%s: rule %q is already defined (ids must be unique, and custom rules cannot replace built-in ones)", mod.file, rule.ID)
		}
		if mod.custom {
			rule.Custom = true
			if rule.Help, err = customHelp(mod, name, rule.ID); err != nil {
				return nil, err
			}
			if rule.HelpURI, err = helpLink(name, rule.ID, mod.Module); err != nil {
				return nil, err
			}
		} else {
			cfg.document(&rule)
		}
		e.byPackage[pkg] = rule
		e.rules = append(e.rules, rule)
	}
	for _, rule := range cfg.goRules {
		if slices.ContainsFunc(e.rules, func(r finding.Rule) bool { return r.ID == rule.ID }) {
			return nil, fmt.Errorf("rule %q is already defined (ids must be unique)", rule.ID)
		}
		cfg.document(&rule)
		e.rules = append(e.rules, rule)
	}
	slices.SortFunc(e.rules, func(a, b finding.Rule) int { return strings.Compare(a.ID, b.ID) })
	e.query, err = rego.New(regoOpts...).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("compile rules: %w", err)
	}
	// The facts' query reuses the rules as compiled for the findings'.
	e.facts.query, err = rego.New(
		rego.Query(factsQuery),
		rego.Compiler(compiler),
		rego.Store(store),
		rego.StrictBuiltinErrors(true),
		keepTerms,
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("compile the repository facts: %w", err)
	}
	return e, nil
}

// document gives a built-in rule its page and help link.
func (c *config) document(rule *finding.Rule) {
	if c.docs != nil {
		if page, err := fs.ReadFile(c.docs, rule.ID+".md"); err == nil {
			rule.Help = string(page)
		}
	}
	rule.HelpURI = finding.HelpURIBase + rule.ID + ".md"
}

// Rules returns every loaded rule, sorted by ID.
func (e *Engine) Rules() []finding.Rule { return e.rules }

// Masker returns the masker of the engine's secret tables, the one that
// masks its findings' messages: the built-in token shapes and those its
// policies add.
func (e *Engine) Masker() *secret.Masker { return e.masker }

// maskedMessages remembers the masked form of the messages masked so far,
// up to maxMaskedMessages of them: most messages recur across files (one
// action pinned to one tag in many workflows: 12,000 findings of the 1,503
// real workflows hold 2,400 messages), and masking one looks for every
// token shape in it.
type maskedMessages struct {
	byMessage sync.Map // message → masked message
	count     atomic.Int64
}

const maxMaskedMessages = 1 << 14

// maskMessage is e.masker.Mask(msg), remembered.
func (e *Engine) maskMessage(msg string) string {
	if masked, ok := e.masked.byMessage.Load(msg); ok {
		return masked.(string)
	}
	masked := e.masker.Mask(msg)
	if e.masked.count.Add(1) <= maxMaskedMessages {
		e.masked.byMessage.Store(msg, masked)
	}
	return masked
}

// Evaluate runs every rule on one pipeline and returns its findings sorted
// by position and rule, with fingerprints. The rules have the engine's time
// limit; ctx bounds the whole, the digests of secrets included.
func (e *Engine) Evaluate(ctx context.Context, p *model.Pipeline) ([]finding.Finding, error) {
	input, err := toValue(p)
	if err != nil {
		return nil, fmt.Errorf("%s: build rule input: %w", p.File, err)
	}
	if p.Repository != nil {
		facts, err := e.facts.of(ctx, p.Repository, e.timeout)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.File, err)
		}
		if facts != nil {
			input = withFacts(input, facts)
		}
	}
	evalCtx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	results, err := e.query.Eval(evalCtx, append([]rego.EvalOption{rego.EvalParsedInput(input)}, e.tracers...)...)
	if evalCtx.Err() == context.DeadlineExceeded {
		return nil, fmt.Errorf("%s: evaluating the rules took longer than %s; the file was not checked", p.File, e.timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: evaluate rules: %w", p.File, err)
	}
	findings := make([]finding.Finding, 0, len(results))
	for _, result := range results {
		pkg := ""
		if t, ok := result.Bindings["rule_package"].(*ast.Term); ok {
			if name, ok := t.Value.(ast.String); ok {
				pkg = string(name)
			}
		}
		rule, ok := e.byPackage[pkg]
		if !ok {
			return nil, fmt.Errorf("%s: findings from package %s.%s, which has no rule metadata", p.File, rulesPackage, pkg)
		}
		term, _ := result.Bindings["finding"].(*ast.Term)
		f, err := decodeFinding(rule, term, e.maskMessage)
		if err != nil {
			return nil, fmt.Errorf("%s: rule %s: %w", p.File, rule.ID, err)
		}
		if f.Pos.File == "" {
			f.Pos.File = p.File
		}
		// A finding elsewhere would put a file this check did not read in
		// the report, or show lines of another file of the run.
		if f.Pos.File != p.File && !slices.ContainsFunc(p.Sources, func(s model.SourceFile) bool { return s.File == f.Pos.File }) {
			return nil, fmt.Errorf("%s: rule %s: finding %q points at %q, which is neither the file checked nor one it includes", p.File, rule.ID, f.Message, f.Pos.File)
		}
		if f.Fix != nil && f.Fix.Pos.File == "" {
			f.Fix.Pos.File = p.File
		}
		if f.Fix != nil && f.Fix.Pos.File != f.Pos.File {
			return nil, fmt.Errorf("%s: rule %s: the fix of finding %q is in %q, not in the finding's file %q", p.File, rule.ID, f.Message, f.Fix.Pos.File, f.Pos.File)
		}
		findings = append(findings, f)
	}
	// The digests of the secrets are slow on purpose, and not the rules'
	// doing: they count in the caller's time (the file's budget, in the
	// runner), not in the rules' limit.
	if err := protectSecrets(ctx, findings, p); err != nil {
		return nil, fmt.Errorf("%s: digest the secrets: %w", p.File, err)
	}
	finding.Sort(findings)
	finding.Fingerprint(findings, p.Lines)
	return findings, nil
}

// keepTerms makes an evaluation's results Rego values (*ast.Term), which
// the engine reads directly, instead of Go values built from them.
var keepTerms = rego.GenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil })

// tablePackages hold the tables the rules read: the classification of
// commands and actions, and the formats of secrets. Nothing in them depends
// on the file checked, so New evaluates their rules once and replaces each
// by a constant rule, instead of every evaluation rebuilding the tables and
// their indexes. Their functions stay as written.
//
// A constant rule reads its value from the store (name :=
// data.pipelint.folded[package][name]), where it is held as a Rego value,
// so sets stay sets: the compiler walks a value written in a rule as often
// as it walks the rules that read it, which cost more than half of
// compiling all rules. The rule still makes the table a virtual document,
// which lookups rely on: the store cannot look a key up in a set.
var tablePackages = []string{"data.pipelint.lib.tables", "data.pipelint.lib.secrets"}

// foldedKey is where the store holds the folded tables:
// data.pipelint.folded[package][name].
const foldedKey = "folded"

// foldTables folds every package of tablePackages in modules and returns
// the tables of each package by its path.
func foldTables(ctx context.Context, modules map[string]module, lim limits) (map[string]ast.Object, error) {
	tables := map[string]ast.Object{}
	for _, pkg := range tablePackages {
		values, err := foldPackage(ctx, modules, pkg, lim)
		if err != nil {
			return nil, err
		}
		if values != nil {
			tables[pkg] = values
			addConstants(modules, pkg, values)
		}
	}
	return tables, nil
}

// foldPackage returns the values of the rules of one table package
// (built-in modules and any that extend it) and leaves only the package's
// functions in modules. The values come from folded_tables.json when it
// was generated from the same sources, else from evaluating the rules.
func foldPackage(ctx context.Context, modules map[string]module, pkg string, lim limits) (ast.Object, error) {
	parsed := map[string]module{}
	for _, name := range sortedKeys(modules) {
		mod := modules[name]
		if mod.Package.Path.String() != pkg {
			continue
		}
		if reads := readsInput(mod.Module); reads != "" {
			return nil, fmt.Errorf("%s:%s: the tables package %s cannot read input: it is evaluated once, before any file", name, reads, pkg)
		}
		parsed[name] = mod
	}
	if len(parsed) == 0 {
		return nil, nil
	}
	values, ok, err := generatedTables(pkg, tablesKey(pkg, parsed))
	if err != nil {
		return nil, err
	}
	if !ok {
		if values, err = evaluateTables(ctx, pkg, parsed, lim); err != nil {
			return nil, err
		}
	}
	keepFunctions(modules, parsed)
	return values, nil
}

// limits bound the evaluation of the table packages, which custom policies
// can extend with any computation.
type limits struct {
	time   time.Duration
	memory uint64 // bytes the heap may grow by
}

var defaultLimits = limits{time: DefaultTimeout, memory: DefaultTablesMemoryLimit}

// evaluateTables compiles the modules of one table package and returns the
// values of its rules, or nil when none has a value.
func evaluateTables(ctx context.Context, pkg string, parsed map[string]module, lim limits) (ast.Object, error) {
	compiler := ast.NewCompiler().WithCapabilities(Capabilities())
	if compiler.Compile(astModules(parsed)); compiler.Failed() {
		return nil, compiler.Errors
	}
	ctx, cancel := context.WithTimeout(ctx, lim.time)
	defer cancel()
	ctx, stop := memlimit.Watch(ctx, lim.memory)
	defer stop()
	results, err := rego.New(rego.Compiler(compiler), rego.Query(pkg), rego.Capabilities(Capabilities()), keepTerms).Eval(ctx)
	if err != nil {
		what := fmt.Sprintf("%s: evaluating the tables package %s", extendedBy(parsed), pkg)
		switch cause := context.Cause(ctx); {
		case errors.Is(cause, context.DeadlineExceeded):
			return nil, fmt.Errorf("%s took longer than %s", what, lim.time)
		case errors.Is(cause, memlimit.ErrExceeded):
			return nil, fmt.Errorf("%s took more than %d MiB of memory", what, lim.memory>>20)
		}
		return nil, fmt.Errorf("evaluate %s: %w", pkg, err)
	}
	if len(results) == 0 {
		return nil, nil
	}
	return results[0].Expressions[0].Value.(*ast.Term).Value.(ast.Object), nil
}

// extendedBy names the custom modules of a table package, or all its
// modules when none is custom.
func extendedBy(parsed map[string]module) string {
	var custom, all []string
	for _, name := range sortedKeys(parsed) {
		all = append(all, name)
		if parsed[name].custom {
			custom = append(custom, name)
		}
	}
	if len(custom) == 0 {
		return strings.Join(all, ", ")
	}
	return strings.Join(custom, ", ")
}

func astModules(modules map[string]module) map[string]*ast.Module {
	parsed := make(map[string]*ast.Module, len(modules))
	for name, mod := range modules {
		parsed[name] = mod.Module
	}
	return parsed
}

// keepFunctions keeps only the functions of the given modules, and deletes
// the modules that have none. A function that reads a table by its short
// name reads the constant rule of the same name.
func keepFunctions(modules map[string]module, parsed map[string]module) {
	for name, mod := range parsed {
		functions := mod.Module.Copy()
		functions.Rules = slices.DeleteFunc(functions.Rules, func(r *ast.Rule) bool { return len(r.Head.Args) == 0 })
		if len(functions.Rules) == 0 {
			delete(modules, name)
			continue
		}
		mod.Module = functions
		modules[name] = mod
	}
}

// addConstants adds a module to package pkg with one rule
// `name := data.pipelint.folded[pkg][name]` for every table.
func addConstants(modules map[string]module, pkg string, tables ast.Object) {
	file := pkg + " (folded)"
	location := ast.NewLocation(nil, file, 1, 1)
	mod := &ast.Module{Package: &ast.Package{Path: ast.MustParseRef(pkg), Location: location}}
	mod.SetRegoVersion(ast.RegoV1)
	for _, name := range tables.Keys() {
		ref := ast.Ref{ast.VarTerm("data"), ast.StringTerm("pipelint"), ast.StringTerm(foldedKey), ast.StringTerm(pkg), ast.StringTerm(string(name.Value.(ast.String)))}
		for _, t := range ref {
			t.SetLocation(location)
		}
		head := ast.NewHead(ast.Var(name.Value.(ast.String)), nil, ast.NewTerm(ref).SetLocation(location))
		head.Assign = true
		head.Location = location
		body := ast.NewBody(ast.NewExpr(ast.BooleanTerm(true).SetLocation(location)))
		body[0].Location = location
		mod.Rules = append(mod.Rules, &ast.Rule{Head: head, Body: body, Module: mod, Location: location})
	}
	modules[file] = module{Module: mod, file: file}
}

// newStore holds the folded tables under data.pipelint.folded and the
// configuration data under data.pipelint.config, all as Rego values.
func newStore(tables map[string]ast.Object, data map[string]any) (storage.Store, error) {
	// The data takes the JSON round trip any store would give it.
	var config any = data
	if err := util.RoundTrip(&config); err != nil {
		return nil, fmt.Errorf("rule data: %w", err)
	}
	configValue, err := ast.InterfaceToValue(config)
	if err != nil {
		return nil, fmt.Errorf("rule data: %w", err)
	}
	folded := ast.NewObject()
	for _, pkg := range sortedKeys(tables) {
		folded.Insert(ast.StringTerm(pkg), ast.NewTerm(tables[pkg]))
	}
	pipelint := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("config"), ast.NewTerm(configValue)},
		[2]*ast.Term{ast.StringTerm(foldedKey), ast.NewTerm(folded)},
	)
	return inmem.NewFromASTObject(ast.NewObject([2]*ast.Term{ast.StringTerm("pipelint"), ast.NewTerm(pipelint)})), nil
}

// readsInput returns the line of the first reference to input in mod, or "".
func readsInput(mod *ast.Module) string {
	line := ""
	ast.WalkRefs(mod, func(ref ast.Ref) bool {
		if line == "" && ref.HasPrefix(ast.InputRootRef) {
			line = fmt.Sprint(ref[0].Location.Row)
		}
		return false
	})
	return line
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// rulePackage returns the last package segment when mod is a rule package
// (pipelint.rules.<name>).
func rulePackage(mod *ast.Module) (string, bool) {
	path := mod.Package.Path.String() // data.pipelint.rules.x
	name, ok := strings.CutPrefix(path, "data."+rulesPackage+".")
	if !ok || strings.Contains(name, ".") {
		return "", false
	}
	return name, true
}
