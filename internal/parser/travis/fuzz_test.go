package travis

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// FuzzParse feeds arbitrary .travis.yml files, next to a file they may
// import, to the parser: it must neither panic nor hang.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yml")
	more, _ := filepath.Glob("testdata/*/.travis.yml")
	for _, seed := range append(seeds, more...) {
		if src, err := os.ReadFile(seed); err == nil {
			f.Add(src)
		}
	}
	shared := []byte("script: make\nimport: .travis.yml\nenv:\n  global: [A=1]\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		repo := fstest.MapFS{".travis.yml": {Data: src}, "shared.yml": {Data: shared}}
		r := Parser.Parse(syntax.Input{Repo: repo, Path: ".travis.yml", Display: ".travis.yml"})
		if r.Pipeline == nil {
			t.Fatalf("nil pipeline (err %v)", r.Err)
		}
	})
}
