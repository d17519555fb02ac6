package github

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestGolden parses every workflow testdata/<name>.yml and action
// testdata/<dir>/action.y*ml and compares the result with the .golden file
// beside it.
func TestGolden(t *testing.T) {
	workflows, _ := filepath.Glob("testdata/*.yml")
	actions, _ := filepath.Glob("testdata/*/action.y*ml")
	if len(workflows) == 0 || len(actions) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range append(workflows, actions...) {
		rel := strings.TrimPrefix(filepath.ToSlash(file), "testdata/")
		t.Run(rel, func(t *testing.T) {
			display := rel
			if path.Dir(rel) == "." { // a workflow is read where GitHub reads it
				display = ".github/workflows/" + rel
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			repo := fstest.MapFS{display: &fstest.MapFile{Data: src}}
			result := Parser.Parse(syntax.Input{Repo: repo, Path: display, Display: display})
			parsertest.Golden(t, strings.TrimSuffix(file, path.Ext(file))+".golden", parsertest.Render(result))
		})
	}
}

// TestCalleesGolden parses every workflow of the repository
// testdata/callees, following the local workflows and actions it calls,
// and compares the result, and the files its sources hold, with the
// .golden file beside it.
func TestCalleesGolden(t *testing.T) {
	const repo = "testdata/callees"
	workflows, _ := filepath.Glob(repo + "/.github/workflows/*.yml")
	if len(workflows) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range workflows {
		rel := strings.TrimPrefix(filepath.ToSlash(file), repo+"/")
		t.Run(path.Base(rel), func(t *testing.T) {
			result := Parser.Parse(syntax.Input{Repo: os.DirFS(repo), Path: rel, Display: rel})
			got := parsertest.Render(result)
			for _, s := range result.Pipeline.Sources {
				got += fmt.Sprintf("source: %s callee=%t\n", s.File, s.Callee)
			}
			parsertest.Golden(t, strings.TrimSuffix(file, path.Ext(file))+".golden", got)
		})
	}
}
