// Package config reads .pipelint.yaml, the file a team uses to turn rules
// off, change their severity, skip paths, hand options to rules and add
// policy directories.
//
// The file is validated strictly: an unknown key, a value of the wrong kind
// or a bad severity or glob is a *model.ParseError naming the file, line and
// column. Methods of a nil *Config describe "no config file": every rule
// enabled at its default severity, nothing ignored.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/repofs"
)

// FileNames are the names Find looks for, in order of preference.
var FileNames = []string{".pipelint.yaml", ".pipelint.yml"}

// Config is one parsed config file.
type Config struct {
	// File is the path the config was read from, as given to Parse; errors
	// and Print name it.
	File string
	// Dir is the absolute directory of File. Relative ignore-paths and
	// policies are relative to it.
	Dir string
	// Rules holds per-rule settings, sorted by rule id.
	Rules []Rule
	// IgnorePaths are doublestar globs of files no rule looks at.
	IgnorePaths []string
	// Policies are directories of custom Rego policies, as written.
	Policies []string

	policyPos []position // where each of Policies was written, for PolicyDirs
}

// Rule is the configuration of one rule.
type Rule struct {
	ID string
	// Severity replaces the rule's default severity; empty keeps it.
	Severity finding.Severity
	// Enabled is nil when the file does not say.
	Enabled *bool
	// IgnorePaths are doublestar globs of files this rule skips.
	IgnorePaths []string
	// Options is handed to the rule as data; nil when not given.
	Options map[string]any

	idPos position // where the rule id key was written, for Validate
}

// position is where a node was written: its line and the columns it spans.
type position struct{ line, column, endColumn int }

// Find looks for a config file in the directory of start (or start itself
// when it is a directory) and in each parent up to the repository root: the
// first directory holding .git, or the filesystem root. It returns "" and
// no error when there is none. Two config files in one directory are an
// error, since only one of them could win: a *model.ParseError at the
// second. Anything by a config file's name but a directory is one, a
// symbolic link or a FIFO too, so that Load refuses it rather than the run
// going on without it.
func Find(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	dir := abs
	if !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	for {
		var found []string
		for _, name := range FileNames {
			candidate := filepath.Join(dir, name)
			if info, err := os.Lstat(candidate); err == nil && !info.IsDir() {
				found = append(found, candidate)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 2:
			return "", errorAt(found[1], position{line: 1, column: 1, endColumn: 2}, fmt.Sprintf("both %s and %s exist; keep one", FileNames[0], FileNames[1]))
		}
		if isRepositoryRoot(dir) {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

func isRepositoryRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// Load reads and parses a config file. A repository's configuration is
// not trusted, and neither is a file named on the command line that lies
// in one: it is read as the CI files are (package repofs), never through
// a symbolic link out of the repository that holds it, never from a FIFO
// or a device, and within the limits of syntax.Read.
func Load(file string) (*Config, error) {
	fsys, name, err := repofs.ForFile(file)
	if err != nil {
		return nil, err
	}
	src, err := syntax.Read(fsys, name)
	if err != nil {
		return nil, errorAt(file, position{line: 1, column: 1, endColumn: 2}, "the configuration file "+err.Error())
	}
	return Parse(file, src)
}

// Validate reports every rule id of the config that is not in knownRuleIDs,
// as *model.ParseError values joined with errors.Join, at the id's key.
func (c *Config) Validate(knownRuleIDs []string) error {
	if c == nil {
		return nil
	}
	known := strings.Join(slices.Sorted(slices.Values(knownRuleIDs)), ", ")
	var errs []error
	for _, r := range c.Rules {
		if !slices.Contains(knownRuleIDs, r.ID) {
			errs = append(errs, errorAt(c.File, r.idPos, fmt.Sprintf("unknown rule %q (known rules: %s)", r.ID, known)))
		}
	}
	return errors.Join(errs...)
}

// rule returns the settings of ruleID, or nil.
func (c *Config) rule(ruleID string) *Rule {
	if c == nil {
		return nil
	}
	i, found := slices.BinarySearchFunc(c.Rules, ruleID, func(r Rule, id string) int { return strings.Compare(r.ID, id) })
	if !found {
		return nil
	}
	return &c.Rules[i]
}

// Enabled reports whether ruleID runs: true unless the config says
// `enabled: false`.
func (c *Config) Enabled(ruleID string) bool {
	r := c.rule(ruleID)
	return r == nil || r.Enabled == nil || *r.Enabled
}

// Severity returns the severity the config gives ruleID, if it remaps it.
func (c *Config) Severity(ruleID string) (finding.Severity, bool) {
	r := c.rule(ruleID)
	if r == nil || r.Severity == "" {
		return "", false
	}
	return r.Severity, true
}

// IgnoredFile reports whether file matches one of the global ignore-paths,
// so that no rule looks at it. file is a path as reports show it: relative
// to the working directory, or absolute.
func (c *Config) IgnoredFile(file string) bool {
	if c == nil {
		return false
	}
	return c.matches(c.IgnorePaths, file)
}

// Ignored reports whether findings of ruleID in file are skipped, by the
// global or the rule's own ignore-paths. file is as for IgnoredFile.
func (c *Config) Ignored(ruleID, file string) bool {
	if c.IgnoredFile(file) {
		return true
	}
	r := c.rule(ruleID)
	return r != nil && c.matches(r.IgnorePaths, file)
}

// matches reports whether file, taken relative to the config's directory,
// or one of the directories above it matches one of globs: `legacy` and
// `legacy/**` both cover legacy/ci.yml. Files outside the config's
// directory never match.
func (c *Config) matches(globs []string, file string) bool {
	if len(globs) == 0 {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	for name := filepath.ToSlash(rel); name != "." && name != "/"; name = path.Dir(name) {
		for _, glob := range globs {
			if doublestar.MatchUnvalidated(glob, name) { // validated by Parse
				return true
			}
		}
	}
	return false
}

// Options returns the options of every rule that has some, by rule id: the
// value the engine exposes to Rego as data.pipelint.config.rules[id].options.
// The values are JSON-compatible (maps with string keys, slices, strings,
// numbers, booleans and nil).
func (c *Config) Options() map[string]any {
	out := map[string]any{}
	if c == nil {
		return out
	}
	for _, r := range c.Rules {
		if r.Options != nil {
			out[r.ID] = r.Options
		}
	}
	return out
}

// PolicyDirs returns the policy directories, made absolute against the
// config's directory. Policies run with the trust of the repository whose
// config names them, so each must be inside it, links followed: the
// repository is the first directory holding .git from the config's
// directory up, else the config's directory. A directory that does not
// exist is returned for the caller to report.
func (c *Config) PolicyDirs() ([]string, error) {
	if c == nil {
		return nil, nil
	}
	realRoot, err := filepath.EvalSymlinks(repofs.Repository(c.Dir))
	if err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(c.Policies))
	var errs []error
	for i, p := range c.Policies {
		dir := filepath.FromSlash(p)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(c.Dir, dir)
		}
		dirs = append(dirs, dir)
		real, err := filepath.EvalSymlinks(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if rel, err := filepath.Rel(realRoot, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			var pos position
			if i < len(c.policyPos) {
				pos = c.policyPos[i]
			}
			errs = append(errs, errorAt(c.File, pos, fmt.Sprintf("policy directory %q is outside the repository; only --policy can name a directory elsewhere", p)))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return dirs, nil
}

// Effective returns the config as it applies to rules: every rule listed
// with its severity and enabled state, whether the file sets them or not.
// c may be nil (no config file). Rules the file names that are not in
// rules are kept as written.
func Effective(c *Config, rules []finding.Rule) *Config {
	out := &Config{}
	if c != nil {
		*out = *c
		out.Rules = slices.Clone(c.Rules)
	}
	for _, known := range rules {
		r := out.rule(known.ID)
		if r == nil {
			out.Rules = append(out.Rules, Rule{ID: known.ID})
			sortRules(out.Rules)
			r = out.rule(known.ID)
		}
		if r.Severity == "" {
			r.Severity = known.Severity
		}
		if r.Enabled == nil {
			enabled := true
			r.Enabled = &enabled
		}
	}
	return out
}

func sortRules(rules []Rule) {
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
}
