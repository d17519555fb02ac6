package jenkins

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestGolden parses every testdata/<name>.groovy, as a Jenkinsfile in ci/,
// and compares the result with testdata/<name>.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.groovy")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".groovy"), func(t *testing.T) {
			result := Parser.Parse(syntax.Input{Repo: os.DirFS("testdata"), Path: name, Display: "ci/" + name})
			parsertest.Golden(t, strings.TrimSuffix(file, ".groovy")+".golden", parsertest.Render(result))
		})
	}
}
