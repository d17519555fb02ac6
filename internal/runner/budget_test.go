package runner

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/report"
)

// stuckParser is a made-up CI system whose parse of a .stuck file never
// ends until the test does: a parse no deadline can interrupt. It counts
// the parses running at once. Like GitLab's .gitlab-ci.yml, its
// pipeline.stuck may include other files, so a file named on the command
// line that no system recognises makes discovery parse it.
type stuckParser struct {
	release           chan struct{}
	running, mostSeen atomic.Int64
}

func registerStuckParser(t *testing.T) *stuckParser {
	t.Helper()
	s := &stuckParser{release: make(chan struct{})}
	p := syntax.Parser{
		System:   "stuck",
		Files:    "*.stuck",
		Detect:   func(slashPath string) bool { return path.Ext(slashPath) == ".stuck" },
		Includer: "pipeline.stuck",
		Parse: func(in syntax.Input) syntax.Result {
			n := s.running.Add(1)
			defer s.running.Add(-1)
			for seen := s.mostSeen.Load(); n > seen && !s.mostSeen.CompareAndSwap(seen, n); seen = s.mostSeen.Load() {
			}
			<-s.release
			return syntax.Result{}
		},
	}
	parser.Parsers = append(parser.Parsers, p, toyParser)
	t.Cleanup(func() {
		close(s.release)
		parsesRunning.Wait() // abandoned parses read parser.Parsers
		parser.Parsers = parser.Parsers[:len(parser.Parsers)-2]
	})
	return s
}

// repository writes files into a new repository and returns it.
func repository(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// checkWithSafetyNet runs Check, failing the test should it never end:
// the net is no measure of speed.
func checkWithSafetyNet(t *testing.T, paths []string, opts Options) *report.Run {
	t.Helper()
	opts.Policy.NoConfig = true
	type outcome struct {
		result *Result
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		result, err := Check(context.Background(), paths, opts)
		done <- outcome{result, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.result.Run
	case <-time.After(2 * time.Minute):
		t.Fatal("the check never ended")
	}
	return nil
}

func errorLines(run *report.Run) []string {
	var lines []string
	for _, e := range run.Errors {
		lines = append(lines, e.Error())
	}
	return lines
}

func findingFiles(run *report.Run) []string {
	var files []string
	for _, f := range run.Findings {
		files = append(files, f.Pos.File+":"+f.RuleID)
	}
	return files
}

// TestFileTimeoutCoversTheParse: a parse that never ends is abandoned at
// the file's deadline, reported, and the other files are checked.
func TestFileTimeoutCoversTheParse(t *testing.T) {
	registerStuckParser(t)
	root := repository(t, map[string]string{"a.stuck": "", "ci.toy": "build: npm install\n"})
	// The budget must be generous enough for ci.toy on a loaded machine:
	// the stuck file costs the test this long.
	run := checkWithSafetyNet(t, []string{root}, Options{FileTimeout: time.Second})
	want := []string{"a.stuck:1:1: checking the file took longer than 1s; the file was not checked"}
	if got := errorLines(run); !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	if got := findingFiles(run); !slices.Equal(got, []string{"ci.toy:missing-cache"}) {
		t.Errorf("findings %v: ci.toy was not checked", got)
	}
}

// TestFileTimeoutCoversDiscovery: to tell whether a file named on the
// command line is a fragment that a pipeline includes, discovery parses
// that pipeline, under the same budget as a check: a parse that never
// ends is abandoned at the deadline, the named file is reported, and the
// other files are checked.
func TestFileTimeoutCoversDiscovery(t *testing.T) {
	registerStuckParser(t)
	root := repository(t, map[string]string{"pipeline.stuck": "", "ci/fragment.yml": "", "ci.toy": "build: npm install\n"})
	// As in TestFileTimeoutCoversTheParse, the budget must be generous
	// enough for ci.toy on a loaded machine (20 ms was not, under -race).
	run := checkWithSafetyNet(t, []string{filepath.Join(root, "ci", "fragment.yml"), filepath.Join(root, "ci.toy")}, Options{FileTimeout: time.Second})
	want := []string{filepath.ToSlash(filepath.Join(root, "ci", "fragment.yml")) + ":1:1: could not tell whether pipeline.stuck includes the file: parsing it took longer than 1s; the file was not checked"}
	if got := errorLines(run); !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	if got := findingFiles(run); !slices.Equal(got, []string{"ci.toy:missing-cache"}) {
		t.Errorf("findings %v: ci.toy was not checked", got)
	}
}

// TestAbandonedParsesDoNotPileUp: parses abandoned at their deadline go
// on in the background; at most maxAbandonedParses of them run beside the
// workers', and a file that finds no room in time is reported, not
// waited for forever.
func TestAbandonedParsesDoNotPileUp(t *testing.T) {
	stuck := registerStuckParser(t)
	files := map[string]string{}
	for i := range 12 {
		files[fmt.Sprintf("f%02d.stuck", i)] = ""
	}
	root := repository(t, files)
	run := checkWithSafetyNet(t, []string{root}, Options{FileTimeout: 5 * time.Millisecond})
	if most, bound := stuck.mostSeen.Load(), int64(runtime.GOMAXPROCS(0)+maxAbandonedParses); most > bound {
		t.Errorf("%d parses ran at once, want at most %d", most, bound)
	}
	if len(run.Errors) != 12 {
		t.Fatalf("errors %q, want one per file", errorLines(run))
	}
	for _, e := range run.Errors {
		if !strings.HasSuffix(e.Message, "the file was not checked") {
			t.Errorf("error %s", e)
		}
	}
}

// TestModelTooLarge: a pipeline over MaxModelValues is reported instead
// of evaluated; the other files are checked.
func TestModelTooLarge(t *testing.T) {
	registerStuckParser(t)
	root := repository(t, map[string]string{
		"big.toy": strings.Repeat("build: npm install\n", 50),
		"ci.toy":  "build: npm install\n",
	})
	run := checkWithSafetyNet(t, []string{root}, Options{MaxModelValues: 500})
	want := []string{"big.toy:1:1: the pipeline is too large to check: more than 500 values (jobs, steps, commands, their words and positions); the file was not checked"}
	if got := errorLines(run); !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	if got := findingFiles(run); !slices.Equal(got, []string{"ci.toy:missing-cache"}) {
		t.Errorf("findings %v: ci.toy was not checked", got)
	}
}

func TestModelValues(t *testing.T) {
	p := &model.Pipeline{Jobs: []model.Job{{ID: model.String{Value: "a"}}}, Sources: []model.SourceFile{{File: "x", Lines: []string{"a", "b"}}}}
	small := modelValues(p, 1<<30)
	if small < 10 {
		t.Fatalf("modelValues = %d", small)
	}
	p.Jobs = append(p.Jobs, p.Jobs[0])
	p.Sources[0].Lines = append(p.Sources[0].Lines, "c")
	if bigger := modelValues(p, 1<<30); bigger <= small {
		t.Errorf("one more job and line: %d values, before %d", bigger, small)
	}
	if capped := modelValues(p, 3); capped > 3+100 {
		t.Errorf("counting went on to %d past a limit of 3", capped)
	}
}

// doublingPolicy is a custom rule that, on a pipeline with a job named
// "explode", builds an array of 2^40 numbers by doubling one forty times:
// a few builtin calls that ask for terabytes.
func doublingPolicy() string {
	var b strings.Builder
	b.WriteString(`# METADATA
# title: Doubling
# description: Doubles an array until memory runs out.
# custom:
#   id: doubling
#   severity: low
#   remediation: None.
package pipelint.rules.doubling

findings contains {"msg": "done", "pos": job.id.pos} if {
	some job in input.jobs
	job.id.value == "explode"
	count(d40) > 0
}

d0 := [1]
`)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "\nd%d := array.concat(d%d, d%d)\n", i, i-1, i-1)
	}
	return b.String()
}

// TestMemoryBound: a rule that doubles an array on one file is stopped at
// the memory bound, well before the time limit, and the file is reported;
// the other files, checked at the same time (whose evaluation the bound
// may have stopped too, the heap being the process's), keep their
// findings. The check allocates a bounded amount (a few doublings past
// the bound), not terabytes.
func TestMemoryBound(t *testing.T) {
	registerStuckParser(t)
	files := map[string]string{"big.toy": "explode: echo\n", "policy/doubling.rego": doublingPolicy()}
	for i := range 8 {
		files[fmt.Sprintf("ci%d.toy", i)] = "build: npm install\n"
	}
	root := repository(t, files)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	run := checkWithSafetyNet(t, []string{root}, Options{
		Policy:      PolicyOptions{PolicyDirs: []string{filepath.Join(root, "policy")}},
		FileTimeout: time.Hour,
		MemoryLimit: 64 << 20,
	})
	runtime.ReadMemStats(&after)
	want := []string{"big.toy:1:1: evaluating the rules took more than 64 MiB of memory; the file was not checked"}
	if got := errorLines(run); !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	var checked []string
	for _, f := range run.Findings {
		checked = append(checked, f.Pos.File+":"+f.RuleID)
	}
	for i := range 8 {
		if file := fmt.Sprintf("ci%d.toy:missing-cache", i); !slices.Contains(checked, file) {
			t.Errorf("findings %v lack %s", checked, file)
		}
	}
	// The watch looks at the heap from a goroutine that a loaded machine
	// runs late, and each late look lets the rule double its array once
	// more: 1 GiB was seen under load. Unbounded, the rule asks for
	// terabytes.
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 4<<30 {
		t.Errorf("the check allocated %d MiB", allocated>>20)
	}
}
