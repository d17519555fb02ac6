package travis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestGolden parses every testdata/<name>.yml as the .travis.yml of a
// repository holding nothing else, and the .travis.yml of every
// repository testdata/<name>/ (for imports and the files that decide a
// language's defaults), and compares the result with testdata/<name>.golden.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yml")
	repos, _ := filepath.Glob("testdata/*/.travis.yml")
	if len(files) == 0 || len(repos) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			repo := fstest.MapFS{".travis.yml": &fstest.MapFile{Data: src}}
			result := Parser.Parse(syntax.Input{Repo: repo, Path: ".travis.yml", Display: ".travis.yml"})
			parsertest.Golden(t, filepath.Join("testdata", name+".golden"), parsertest.Render(result))
		})
	}
	for _, file := range repos {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			result := Parser.Parse(syntax.Input{Repo: os.DirFS(dir), Path: ".travis.yml", Display: ".travis.yml"})
			got := parsertest.Render(result)
			for _, s := range result.Pipeline.Sources {
				got += "source: " + s.File + "\n"
			}
			parsertest.Golden(t, dir+".golden", got)
		})
	}
}
