package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
)

// The fuzz targets of the whole check. Both call Check with NoConfig, so
// every input is evaluated by the built-in engine, compiled once per
// fuzzing process (builtInEngine); an input costs a parse and one
// evaluation per pipeline, not a compilation.

// repoRoot is the repository, for the seed corpora.
var repoRoot, _ = filepath.Abs("../..")

// hangAfter is how long one input may take before the check counts as
// hung. A fuzzed input takes milliseconds; the parsers' limits must keep
// even hostile ones far below this.
const hangAfter = 5 * time.Second

// checkedAs names the file a FuzzCheck input is written to for each
// system, as each system would find it.
var checkedAs = map[model.System]string{
	model.GitHub:  ".github/workflows/ci.yml",
	model.GitLab:  ".gitlab-ci.yml",
	model.Jenkins: "Jenkinsfile",
}

// FuzzCheck runs the whole check (discovery, parser, rules, inline
// ignores, the edits of fixes, the JSON and text reports) on one file of
// one system: whatever the bytes, it must not panic or hang, must return
// no error and must report only positions inside the repository. The system is the first
// argument modulo the number of systems; the seeds are the rule fixtures
// and the examples, each as its own system.
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"testdata/fixtures", "testdata/examples"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasSuffix(path, ".out") {
				return err
			}
			src, err := os.ReadFile(path)
			f.Add(systemIndex(seedSystem(path)), src)
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	// One repository per system for the whole process: an input only
	// rewrites its file.
	base := f.TempDir()
	paths := map[model.System]string{}
	for system, name := range checkedAs {
		repo := filepath.Join(base, string(system))
		paths[system] = filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(paths[system]), 0o755); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, src []byte) {
		system := parser.Parsers[int(which)%len(parser.Parsers)].System
		path, ok := paths[system]
		if !ok {
			t.Skipf("no file name for system %s", system)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		repo := filepath.Join(base, string(system))
		result := checkBounded(t, []string{path}, Options{
			Policy:    PolicyOptions{NoConfig: true},
			Discovery: parser.Options{System: system},
			FixEdits:  true,
		})
		checkResult(t, repo, result)
	})
}

// seedSystem tells the system of a fixture from its path: fixtures are
// named <system>-<case>, in a file or a folder; examples by their names.
func seedSystem(path string) model.System {
	for _, part := range strings.Split(filepath.ToSlash(path), "/") {
		for _, p := range parser.Parsers {
			if strings.HasPrefix(part, string(p.System)+"-") {
				return p.System
			}
		}
	}
	if system := parser.Detect(filepath.ToSlash(path)); system != "" {
		return system
	}
	return model.GitHub // action.yml
}

func systemIndex(system model.System) uint8 {
	for i, p := range parser.Parsers {
		if p.System == system {
			return uint8(i)
		}
	}
	return 0
}

// checkBounded runs Check and fails the input, with every goroutine's
// stack, when it takes longer than hangAfter. A hung check cannot be
// stopped, so the process panics: the fuzzer records the input and starts
// a fresh worker.
func checkBounded(t *testing.T, paths []string, opts Options) *Result {
	t.Helper()
	type outcome struct {
		result *Result
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		result, err := Check(context.Background(), paths, opts)
		done <- outcome{result, err}
	}()
	timer := time.NewTimer(hangAfter)
	defer timer.Stop()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatalf("check: %v", o.err)
		}
		return o.result
	case <-timer.C:
		stacks := make([]byte, 1<<20)
		stacks = stacks[:runtime.Stack(stacks, true)]
		panic(fmt.Sprintf("the check of %v did not finish in %s:\n%s", paths, hangAfter, stacks))
	}
}

// checkResult checks what every whole-check input must produce: a JSON and
// a text report, and positions that all lie inside repo.
func checkResult(t *testing.T, repo string, result *Result) []byte {
	t.Helper()
	run := result.Run
	var positions []model.Pos
	for _, f := range run.Findings {
		positions = append(positions, f.Pos)
	}
	for _, s := range run.Suppressed {
		positions = append(positions, s.Finding.Pos)
	}
	for _, e := range append(run.Errors, result.Warnings...) {
		positions = append(positions, e.Pos)
	}
	for _, pos := range positions {
		if !insideRepository(repo, pos.File) {
			t.Errorf("a position names %q, outside the repository %s", pos.File, repo)
		}
	}
	var out bytes.Buffer
	if err := (&report.JSON{}).Report(&out, run); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	if !json.Valid(out.Bytes()) {
		t.Fatalf("not a JSON report:\n%s", out.Bytes())
	}
	if err := (&report.Text{}).Report(&out, run); err != nil {
		t.Fatalf("text report: %v", err)
	}
	return out.Bytes()
}

// insideRepository reports whether a position's file, a display path
// (relative to the repository, slash-separated) or an absolute path, names
// something in repo.
func insideRepository(repo, file string) bool {
	if file == "" {
		return true
	}
	path := filepath.FromSlash(file)
	if filepath.IsAbs(path) {
		rel, err := filepath.Rel(repo, path)
		return err == nil && (rel == "." || filepath.IsLocal(rel))
	}
	return filepath.IsLocal(path)
}
