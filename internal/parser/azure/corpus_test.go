package azure

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestCorpus parses every YAML file of the Azure corpus (each repository
// directory is the root its templates are read from): no panic, no error
// on these valid files but for templates the corpus lacks, and a summary of what each gave.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "azure")
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("no Azure corpus: %v", err)
	}
	var files, pipelines, templates int
	for _, repo := range repos {
		if !repo.IsDir() {
			continue
		}
		root := os.DirFS(filepath.Join(corpus, repo.Name()))
		err := fs.WalkDir(root, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !isYAML(path) {
				return err
			}
			files++
			r := Parse(syntax.Input{Repo: root, Path: path, Display: path})
			for _, e := range unjoin(r.Err) {
				var pe *model.ParseError
				if !errors.As(e, &pe) || pe.Pos.File == "" || pe.Pos.Line == 0 {
					t.Errorf("%s/%s: error without position: %v", repo.Name(), path, e)
					continue
				}
				if strings.HasSuffix(pe.Message, "does not exist") {
					// The corpus keeps a repository's CI files, not
					// every file they include.
					t.Logf("%s/%s: %v", repo.Name(), path, e)
					continue
				}
				t.Errorf("%s/%s: %v", repo.Name(), path, e)
			}
			if r.Pipeline == nil {
				templates++
				return nil
			}
			pipelines++
			steps := 0
			for _, j := range r.Pipeline.Jobs {
				steps += len(j.Steps)
			}
			t.Logf("%-45s %-60s %3d jobs %4d steps %3d refs %2d files %d warnings", repo.Name(), path, len(r.Pipeline.Jobs), steps, len(r.Pipeline.References), len(r.Pipeline.Sources), len(r.Warnings))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files == 0 {
		t.Skip("the corpus has no Azure files")
	}
	t.Logf("%d files: %d pipelines, %d templates", files, pipelines, templates)
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// FuzzParse feeds arbitrary main files, beside the templates of the
// fixtures, to the parser: it must neither panic nor hang.
func FuzzParse(f *testing.F) {
	mains, _ := filepath.Glob("testdata/*/azure-pipelines.yml")
	for _, main := range mains {
		if src, err := os.ReadFile(main); err == nil {
			f.Add(src)
		}
	}
	base := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/templates"), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(name, "azure-pipelines.yml") {
			data, err := os.ReadFile(filepath.Join("testdata/templates", name))
			base[name] = &fstest.MapFile{Data: data}
			return err
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		repo := fstest.MapFS{"azure-pipelines.yml": {Data: src}}
		for k, v := range base {
			repo[k] = v
		}
		// A file may be a template (no pipeline, no error), never an
		// error without a position.
		r := Parse(syntax.Input{Repo: repo, Path: "azure-pipelines.yml", Display: "azure-pipelines.yml"})
		for _, e := range unjoin(r.Err) {
			var pe *model.ParseError
			if !errors.As(e, &pe) || pe.Pos.Line == 0 {
				t.Fatalf("error without position: %v", e)
			}
		}
	})
}
