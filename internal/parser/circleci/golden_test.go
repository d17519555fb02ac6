package circleci

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestGolden parses testdata/<case>.yml and compares the result with
// testdata/<case>.golden.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range cases {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".yml"), func(t *testing.T) {
			result := Parse(syntax.Input{Repo: os.DirFS("testdata"), Path: name, Display: name})
			parsertest.Golden(t, strings.TrimSuffix(file, ".yml")+".golden", parsertest.Render(result))
		})
	}
}
