package travis

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestCorpus parses the .travis.yml of every corpus repository (each
// directory is the repository root): no panic, no error, and a summary of
// the jobs, steps and references found.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "travis")
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("no Travis corpus: %v", err)
	}
	// invalid are the corpus files that are not valid YAML, with the
	// error each must give.
	invalid := map[string]string{
		"aio-libs__aiohttp": ".travis.yml:285:13: invalid YAML: unknown anchor 'py35' referenced",
	}
	parsed := 0
	for _, repo := range repos {
		root := filepath.Join(corpus, repo.Name())
		if _, err := os.Stat(filepath.Join(root, ".travis.yml")); err != nil {
			continue
		}
		parsed++
		r := Parser.Parse(syntax.Input{Repo: os.DirFS(root), Path: ".travis.yml", Display: ".travis.yml"})
		if r.Pipeline == nil {
			t.Errorf("%s: no pipeline (%v)", repo.Name(), r.Err)
			continue
		}
		steps := 0
		for _, job := range r.Pipeline.Jobs {
			steps += len(job.Steps)
		}
		t.Logf("%-45s %3d jobs %4d steps %2d refs %d warnings", repo.Name(), len(r.Pipeline.Jobs), steps, len(r.Pipeline.References), len(r.Warnings))
		if want := invalid[repo.Name()]; want != "" {
			if r.Err == nil || r.Err.Error() != want {
				t.Errorf("%s: got error %v, want %s", repo.Name(), r.Err, want)
			}
			continue
		}
		if r.Err == nil {
			continue
		}
		for _, e := range r.Err.(interface{ Unwrap() []error }).Unwrap() {
			var pe *model.ParseError
			if !errors.As(e, &pe) || pe.Pos.File == "" || pe.Pos.Line == 0 {
				t.Errorf("%s: error without position: %v", repo.Name(), e)
				continue
			}
			t.Errorf("%s: %v", repo.Name(), e)
		}
	}
	if parsed == 0 {
		t.Skip("corpus has no .travis.yml")
	}
	t.Logf("%d files parsed", parsed)
}
