package github

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

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
			result := Parser.Parse(syntax.Input{Repo: os.DirFS("testdata"), Path: rel, Display: display})
			parsertest.Golden(t, strings.TrimSuffix(file, path.Ext(file))+".golden", parsertest.Render(result))
		})
	}
}
