package jenkins

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
)

// TestCorpus parses every corpus file: none may panic, and the share of
// files that yield jobs and steps, the files with parse errors and the
// parse time per file are logged for review.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "jenkins")
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

func percent(n, of int) float64 { return 100 * float64(n) / float64(max(of, 1)) }
