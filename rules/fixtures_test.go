package rules_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pipelint/pipelint/docs"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/ignore"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/rules"
)

const fixturesDir = "../testdata/fixtures"

// builtInEngine compiles the built-in rules once for all the tests and
// benchmarks of the package: an engine serves any number of evaluations.
var builtInEngine = sync.OnceValues(func() (*engine.Engine, error) {
	return engine.New(context.Background(), engine.WithPolicies(rules.FS), engine.WithDocs(docs.Rules))
})

func newEngine(t testing.TB) *engine.Engine {
	t.Helper()
	e, err := builtInEngine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestFixtures checks every case under testdata/fixtures/<rule-id>/: each
// entry of positive/ must produce exactly the findings of that rule listed
// in <entry>.out, one per line as
//
//	<path>:<line>:<column>: <severity> <rule-id>: <message>
//
// (a line wrapped in /.../ is a regular expression), and each entry of
// negative/ must produce none. An entry is a file named <system>-<case>.<ext>
// or a directory holding a small repository. Only the fixture's own rule is
// looked at, so one rule's change never disturbs another rule's fixtures.
//
// What `check --online` would find on the server (input.resolved) is given
// to an entry by a file beside it, <entry>.resolved.json: a JSON array of
// model.ResolvedRef, set on every pipeline of the entry. Without one, the
// entry is checked as offline.
func TestFixtures(t *testing.T) {
	e := newEngine(t)
	eachFixture(t, func(t *testing.T, ruleID, polarity, path string) {
		got := check(t, e, path, ruleID)
		var want []string
		if polarity == "positive" {
			want = readExpected(t, path+".out")
			if len(want) == 0 {
				t.Fatalf("%s.out lists no findings", path)
			}
		}
		compareLines(t, got, want)
	})
}

// eachFixture runs test, as a subtest, on every entry of
// testdata/fixtures/<rule-id>/{positive,negative}/.
func eachFixture(t *testing.T, test func(t *testing.T, ruleID, polarity, path string)) {
	ruleDirs, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, ruleDir := range ruleDirs {
		ruleID := ruleDir.Name()
		for _, polarity := range []string{"positive", "negative"} {
			dir := filepath.Join(fixturesDir, ruleID, polarity)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Errorf("%s: %v", ruleID, err)
				continue
			}
			for _, entry := range entries {
				if strings.HasSuffix(entry.Name(), ".out") || strings.HasSuffix(entry.Name(), resolvedSuffix) {
					continue
				}
				path := filepath.Join(dir, entry.Name())
				t.Run(ruleID+"/"+polarity+"/"+entry.Name(), func(t *testing.T) { test(t, ruleID, polarity, path) })
			}
		}
	}
}

// check runs the rule on one fixture entry and renders its findings with
// paths relative to the entry's directory.
func check(t *testing.T, e *engine.Engine, path, ruleID string) []string {
	t.Helper()
	var lines []string
	for _, line := range evaluateFixture(t, e, path, nil) {
		if line.ruleID == ruleID {
			lines = append(lines, line.String())
		}
	}
	return lines
}

// findingLine is a finding as the .out files write it, with the path
// relative to the fixture entry's directory.
type findingLine struct {
	file            string
	line, column    int
	severity        finding.Severity
	ruleID, message string
}

func (l findingLine) String() string {
	return fmt.Sprintf("%s:%d:%d: %s %s: %s", l.file, l.line, l.column, l.severity, l.ruleID, l.message)
}

// evaluateFixture parses every CI file of one fixture entry, lets relabel
// (when not nil) change each parsed pipeline, and returns the findings of
// every rule.
func evaluateFixture(t *testing.T, e *engine.Engine, path string, relabel func(*model.Pipeline)) []findingLine {
	t.Helper()
	files, _, err := parser.Discover([]string{path}, parser.Options{System: systemOf(path)})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no CI files in %s", path)
	}
	base, err := filepath.Abs(filepath.Dir(path))
	if info, _ := os.Stat(path); info.IsDir() {
		if base, err = filepath.Abs(path); err == nil {
			files = asRepository(files, base)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	resolved := readResolved(t, path)
	// Every file sees the entry's other pipelines, as the runner shows a
	// repository's (input.repository).
	pipelines := make([]*model.Pipeline, len(files))
	view := &model.Repository{}
	if info, _ := os.Stat(path); info.IsDir() {
		view.DependencyFiles = parser.DependencyFiles(context.Background(), base)
	}
	for i, f := range files {
		parsed := parser.Parse(f)
		if parsed.Err != nil {
			t.Fatalf("parse %s: %v", f.Display, parsed.Err)
		}
		p := parsed.Pipeline
		p.Resolved = resolved
		if relabel != nil {
			relabel(p)
		}
		pipelines[i] = p
		view.Pipelines = append(view.Pipelines, p.InView())
	}
	var lines []findingLine
	for i, f := range files {
		p := pipelines[i]
		p.Repository = view
		findings, err := e.Evaluate(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		for _, found := range findings {
			file, err := filepath.Rel(base, f.Abs(found.Pos.File))
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, findingLine{filepath.ToSlash(file), found.Pos.Line, found.Pos.Column, found.Severity, found.RuleID, found.Message})
		}
	}
	return lines
}

// resolvedSuffix names the file of what a fixture entry's refs resolve
// to online.
const resolvedSuffix = ".resolved.json"

// readResolved reads the refs an entry resolves to online, nil when it has
// no such file. Unknown fields are errors, so a misspelt fact cannot leave
// a case testing nothing.
func readResolved(t *testing.T, path string) []model.ResolvedRef {
	t.Helper()
	data, err := os.ReadFile(path + resolvedSuffix)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	var resolved []model.ResolvedRef
	if err := decoder.Decode(&resolved); err != nil {
		t.Fatalf("%s%s: %v", path, resolvedSuffix, err)
	}
	return resolved
}

// asRepository makes the files of a directory entry the files of a
// repository rooted there, though the entry lies inside pipelint's own:
// their display paths, and the local workflows and actions they call, are
// then read from the entry.
func asRepository(files []parser.File, dir string) []parser.File {
	for i, f := range files {
		abs := f.Abs(f.Display)
		rel, err := filepath.Rel(dir, abs)
		if err != nil {
			continue
		}
		if f.Root == f.Repository {
			f.Root, f.Path = dir, filepath.ToSlash(rel)
		}
		f.Repository, f.Display = dir, filepath.ToSlash(rel)
		files[i] = f
	}
	return files
}

// systemOf reads the system from a fixture file's name prefix; directories
// are discovered like a repository.
func systemOf(path string) model.System {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return ""
	}
	system, _, _ := strings.Cut(filepath.Base(path), "-")
	return model.System(system)
}

func readExpected(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("positive fixture without %s", filepath.Base(path))
	}
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

func compareLines(t *testing.T, got, want []string) {
	t.Helper()
	matches := func(pattern, line string) bool {
		if len(pattern) > 1 && strings.HasPrefix(pattern, "/") && strings.HasSuffix(pattern, "/") {
			return regexp.MustCompile("^" + pattern[1:len(pattern)-1] + "$").MatchString(line)
		}
		return pattern == line
	}
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = matches(want[i], got[i])
	}
	if !ok {
		t.Errorf("findings differ\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestRuleArtefacts checks that every rule has its four artefacts, all
// named by its id: the policy, its Rego tests, its docs page and fixtures
// on both sides.
func TestRuleArtefacts(t *testing.T) {
	e := newEngine(t)
	var ids []string
	for _, rule := range e.Rules() {
		ids = append(ids, rule.ID)
		for _, file := range []string{
			rule.ID + ".rego",
			rule.ID + "_test.rego",
			filepath.Join("..", "docs", "rules", rule.ID+".md"),
			filepath.Join(fixturesDir, rule.ID, "positive"),
			filepath.Join(fixturesDir, rule.ID, "negative"),
		} {
			if _, err := os.Stat(file); err != nil {
				t.Errorf("rule %s: %v", rule.ID, err)
			}
		}
		if rule.Help == "" || !strings.HasPrefix(rule.Help, "# "+rule.ID+"\n") {
			t.Errorf("rule %s: docs page must start with \"# %s\"", rule.ID, rule.ID)
		}
		if want := "| " + string(rule.Severity); !strings.Contains(rule.Help, "\n"+want) {
			t.Errorf("rule %s: docs table must give the METADATA severity (a row starting %q)", rule.ID, want)
		}
		if want := "| " + rule.Precision + " |"; !strings.Contains(rule.Help, want) {
			t.Errorf("rule %s: docs table must give the METADATA precision %q", rule.ID, rule.Precision)
		}
	}
	// Inline ignores report under two rules of their own, defined in Go.
	ids = append(ids, ignore.InvalidRule.ID, ignore.UnusedRule.ID)
	pages, _ := filepath.Glob("../docs/rules/*.md")
	for _, page := range pages {
		if id := strings.TrimSuffix(filepath.Base(page), ".md"); !slices.Contains(ids, id) {
			t.Errorf("docs page %s has no rule", page)
		}
	}
	fixtures, _ := os.ReadDir(fixturesDir)
	for _, dir := range fixtures {
		if !slices.Contains(ids, dir.Name()) {
			t.Errorf("fixtures %s have no rule", dir.Name())
		}
	}
}
