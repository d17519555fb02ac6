package rules_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// corpusFiles returns the files of one system's corpus of real CI files
// from public repositories.
func corpusFiles(t testing.TB, system string) []string {
	t.Helper()
	root := filepath.Join(corpustest.Dir(t), system)
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if os.IsNotExist(err) {
		t.Skipf("no corpus at %s", root)
	}
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type checked struct {
	file     parser.File
	findings []finding.Finding
	err      error // parsing's
	evalErr  error
}

// checkedCorpus holds each system's corpus once checked, for every test
// that reads it: checking the GitHub corpus takes seconds.
var checkedCorpus = struct {
	sync.Mutex
	results map[model.System][]checked
}{results: map[model.System][]checked{}}

// corpusPipelines finds the pipelines of one system's corpus. The corpus
// keeps GitHub workflows and Jenkinsfiles in flat directories, so they are
// named one by one as files of their system; the other systems' projects
// are laid out as in their repositories and discovered like repositories,
// since their pipelines include, import and template other files.
func corpusPipelines(t testing.TB, system model.System) []parser.File {
	t.Helper()
	paths, force := corpusFiles(t, string(system)), system
	if system != model.GitHub && system != model.Jenkins {
		projects, _ := filepath.Glob(filepath.Join(corpustest.Dir(t), string(system), "*"))
		paths, force = projects, ""
	}
	files, _, err := parser.Discover(paths, parser.Options{System: force})
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(files, func(f parser.File) bool { return f.System != system })
}

// checkCorpus parses and evaluates every file of one system, the first
// time it is asked for that system, and reports evaluation errors.
func checkCorpus(t *testing.T, e *engine.Engine, system model.System) []checked {
	t.Helper()
	files := corpusPipelines(t, system)
	checkedCorpus.Lock()
	defer checkedCorpus.Unlock()
	results, ok := checkedCorpus.results[system]
	if !ok {
		for _, f := range files {
			parsed := parser.Parse(f)
			p := parsed.Pipeline
			c := checked{file: f, err: parsed.Err}
			if p != nil {
				c.findings, c.evalErr = e.Evaluate(context.Background(), p)
			}
			results = append(results, c)
		}
		checkedCorpus.results[system] = results
	}
	for _, c := range results {
		if c.evalErr != nil {
			t.Errorf("%s: %v", c.file.Display, c.evalErr)
		}
	}
	return results
}

var (
	usesLine = regexp.MustCompile(`^(\s*-?\s*uses:\s*["']?)([^\s"'#]+)`)
	// tagPinnedByDesign is an action its publisher requires to be pinned to
	// a full version tag (tables.tag_pinned_actions).
	tagPinnedByDesign = regexp.MustCompile(`^slsa-framework/slsa-github-generator/.*@v\d+\.\d+\.\d+$`)
)

// TestCorpusUnpinnedAction: every `uses:` in the real workflows that is not
// pinned to a full SHA is reported at the exact line and column of its
// value, and no pinned one is. The expectation comes from the raw text, not
// from the parser.
func TestCorpusUnpinnedAction(t *testing.T) {
	e := newEngine(t)
	var reported, pinned int
	for _, c := range checkCorpus(t, e, model.GitHub) {
		src, err := os.ReadFile(filepath.Join(c.file.Root, c.file.Path))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i, line := range strings.Split(string(src), "\n") {
			m := usesLine.FindStringSubmatchIndex(line)
			if m == nil {
				continue
			}
			value := line[m[4]:m[5]]
			_, ref, _ := strings.Cut(value, "@")
			switch {
			case strings.HasPrefix(value, "./"), strings.HasPrefix(value, "$/"), strings.HasPrefix(value, "docker://"), strings.Contains(value, "${{"),
				tagPinnedByDesign.MatchString(value):
				continue
			case regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(ref):
				pinned++
				continue
			}
			want = append(want, fmt.Sprintf("%d:%d", i+1, len([]rune(line[:m[4]]))+1))
		}
		var got []string
		for _, f := range c.findings {
			if f.RuleID == "unpinned-action" {
				got = append(got, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column))
			}
		}
		reported += len(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: unpinned-action at %v, want %v", c.file.Display, got, want)
		}
	}
	t.Logf("%d unpinned uses reported, %d pinned uses not reported", reported, pinned)
}

// TestCorpusRuleCounts prints how often each rule fires on each system's
// corpus, checks that nothing panics, and that the SARIF of the whole
// corpus is valid.
func TestCorpusRuleCounts(t *testing.T) {
	e := newEngine(t)
	for _, p := range parser.Parsers {
		system := p.System
		t.Run(string(system), func(t *testing.T) {
			results := checkCorpus(t, e, system)
			run := &report.Run{Rules: e.Rules(), FilesChecked: len(results)}
			counts := map[string]int{}
			errorFiles := 0
			for _, c := range results {
				if c.err != nil {
					errorFiles++
				}
				for _, f := range c.findings {
					counts[f.RuleID]++
				}
				run.Findings = append(run.Findings, c.findings...)
			}
			t.Logf("%d files, %d with parse errors", len(results), errorFiles)
			for _, rule := range e.Rules() {
				t.Logf("%-24s %d", rule.ID, counts[rule.ID])
			}
			var out bytes.Buffer
			if err := (&report.SARIF{}).Report(&out, run); err != nil {
				t.Fatal(err)
			}
			for _, problem := range sariftest.Problems(t, out.Bytes()) {
				t.Error(problem)
			}
		})
	}
}
