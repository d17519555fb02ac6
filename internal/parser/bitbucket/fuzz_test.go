package bitbucket

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary files to the parser, seeded with the
// fixtures: it must neither panic nor hang, and always return a pipeline.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yml")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if p, err := Parse(FileName, src); p == nil {
			t.Fatalf("nil pipeline (err %v)", err)
		}
	})
}
