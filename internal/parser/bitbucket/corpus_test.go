package bitbucket

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestCorpus parses the bitbucket-pipelines.yml of every corpus
// repository (each directory is a repository's root): no panic, no error
// on these files, which Bitbucket runs, and a summary of what they hold.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "bitbucket")
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("no Bitbucket corpus: %v", err)
	}
	parsed := 0
	for _, repo := range repos {
		root := filepath.Join(corpus, repo.Name())
		if _, err := os.Stat(filepath.Join(root, FileName)); err != nil {
			continue
		}
		parsed++
		result := Parser.Parse(syntax.Input{Repo: os.DirFS(root), Path: FileName, Display: FileName})
		p := result.Pipeline
		if p == nil {
			t.Errorf("%s: no pipeline (%v)", repo.Name(), result.Err)
			continue
		}
		var errs interface{ Unwrap() []error }
		if errors.As(result.Err, &errs) {
			for _, e := range errs.Unwrap() {
				var pe *model.ParseError
				if !errors.As(e, &pe) || pe.Pos.Line == 0 {
					t.Errorf("%s: error without a position: %v", repo.Name(), e)
				}
				t.Errorf("%s: %v", repo.Name(), e)
			}
		}
		steps := 0
		for _, job := range p.Jobs {
			steps += len(job.Steps)
		}
		t.Logf("%-60s %2d triggers %3d jobs %3d steps %3d refs", repo.Name(), len(p.Triggers), len(p.Jobs), steps, len(p.References))
	}
	if parsed == 0 {
		t.Skip("corpus has no bitbucket-pipelines.yml")
	}
	t.Logf("%d files parsed", parsed)
}
