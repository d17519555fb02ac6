package circleci

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

var quoted = regexp.MustCompile(`"[^"]*"|\d+`)

// TestCorpus parses every configuration of the CircleCI corpus (each
// repository directory is a root): no panic, no error on these valid
// files, and a summary of what they hold.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "circleci")
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("no CircleCI corpus: %v", err)
	}
	var files, jobs, steps, refs int
	for _, repo := range repos {
		root := filepath.Join(corpus, repo.Name())
		configs, _ := fs.Glob(os.DirFS(root), ".circleci/*.y*ml")
		for _, config := range configs {
			files++
			r := Parse(syntax.Input{Repo: os.DirFS(root), Path: config, Display: config})
			if r.Pipeline == nil {
				t.Errorf("%s/%s: no pipeline", repo.Name(), config)
				continue
			}
			for _, job := range r.Pipeline.Jobs {
				steps += len(job.Steps)
			}
			jobs += len(r.Pipeline.Jobs)
			refs += len(r.Pipeline.References)
			for _, e := range unjoin(r.Err) {
				var pe *model.ParseError
				if !errors.As(e, &pe) || pe.Pos.File == "" || pe.Pos.Line == 0 {
					t.Errorf("%s: error without position: %v", repo.Name(), e)
					continue
				}
				t.Errorf("%s: %v (%s)", repo.Name(), e, quoted.ReplaceAllString(pe.Message, "…"))
			}
		}
	}
	if files == 0 {
		t.Skip("corpus has no CircleCI configuration")
	}
	t.Logf("%d files: %d jobs, %d steps, %d references", files, jobs, steps, refs)
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return slices.Clone(j.Unwrap())
	}
	return []error{err}
}

// FuzzParse feeds arbitrary configurations to the parser: it must neither
// panic nor hang, and every position must lie within the file.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yml")
	for _, seed := range seeds {
		if src, err := os.ReadFile(seed); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		repo := fstest.MapFS{".circleci/config.yml": {Data: src}}
		r := Parse(syntax.Input{Repo: repo, Path: ".circleci/config.yml", Display: ".circleci/config.yml"})
		if r.Pipeline == nil && r.Err == nil {
			t.Fatal("no pipeline and no error")
		}
		if r.Pipeline != nil {
			lines := len(syntax.YAMLLines(string(src)))
			for _, job := range r.Pipeline.Jobs {
				if job.Pos.Line > lines || job.Pos.EndLine > lines {
					t.Fatalf("job %q at %v, past the file's %d lines", job.ID.Value, job.Pos, lines)
				}
			}
		}
	})
}
