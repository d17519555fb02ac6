package jenkins

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/model"
)

// TestCorpus parses every corpus file: none may panic, and the share of
// files that yield jobs and steps, the files with parse errors and the
// parse time per file are logged for review.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpusDir(t), "jenkins")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("no Jenkins corpus:", err)
	}
	var files []string
	err := filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	withJobs, withSteps := 0, 0
	var slowest time.Duration
	var total time.Duration
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(corpus, path)
		start := time.Now()
		p, err := Parse(filepath.ToSlash(rel), src)
		elapsed := time.Since(start)
		total += elapsed
		slowest = max(slowest, elapsed)
		if p == nil {
			t.Fatalf("%s: nil pipeline", rel)
		}
		if err != nil {
			t.Logf("parse errors in %s: %v", rel, err)
		}
		if len(p.Jobs) > 0 {
			withJobs++
		}
		if slices.ContainsFunc(p.Jobs, func(j model.Job) bool { return len(j.Steps) > 0 }) {
			withSteps++
		}
		t.Logf("%-90s %3d jobs %8s", rel, len(p.Jobs), elapsed.Round(time.Microsecond))
	}
	t.Logf("%d files: %d (%.0f%%) with jobs, %d (%.0f%%) with steps; parse time mean %s, max %s",
		len(files), withJobs, percent(withJobs, len(files)), withSteps, percent(withSteps, len(files)),
		(total / time.Duration(max(len(files), 1))).Round(time.Microsecond), slowest.Round(time.Microsecond))
}

// repoRoot is the repository root, from this package's directory.
const repoRoot = "../../.."

// corpusDir returns the corpus of real CI files, an absolute path, and
// skips the test when it is absent. The corpus is not part of the
// repository: it is ../shared/corpus beside the checkout, or the directory
// PIPELINT_CORPUS names (a relative one from the repository root).
//
// go test caches a package's result with the files its tests opened, but
// ignores files outside the module, the corpus among them: a run without
// the corpus would be replayed once it is there. So corpusDir reads
// PIPELINT_CORPUS with os.Getenv, and enters every directory of the corpus
// (or, while it is absent, its nearest existing parent) with os.Chdir: go
// test records both wherever they point, a directory with its modification
// time, so adding or removing the corpus or anything in it runs the tests
// again. (A file edited in place is not noticed: use -count=1.) As it
// moves the working directory for a moment, no parallel test may call it.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PIPELINT_CORPUS")
	if dir == "" {
		dir = "../shared/corpus"
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repoRoot, dir)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var visit []string
	info, statErr := os.Stat(dir)
	if statErr == nil && info.IsDir() {
		resolved, err := filepath.EvalSymlinks(dir) // WalkDir does not enter a link
		if err != nil {
			tb.Fatal(err)
		}
		err = filepath.WalkDir(resolved, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				visit = append(visit, path)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	} else {
		parent := filepath.Dir(dir) // the nearest existing one, where the corpus would appear
		for parent != filepath.Dir(parent) {
			if _, err := os.Stat(parent); err == nil {
				break
			}
			parent = filepath.Dir(parent)
		}
		visit = append(visit, parent)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range visit {
		_ = os.Chdir(d) // for the record only
	}
	if err := os.Chdir(wd); err != nil {
		panic(err) // every later relative path would be wrong
	}
	if statErr != nil {
		tb.Skipf("no corpus at %s: %v", dir, statErr)
	}
	if !info.IsDir() {
		tb.Fatalf("corpus %s is not a directory", dir)
	}
	return dir
}

func percent(n, of int) float64 { return 100 * float64(n) / float64(max(of, 1)) }
