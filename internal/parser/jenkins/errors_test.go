package jenkins

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/parsertest"
)

// TestSyntaxErrors parses each testdata/errors/<case>.groovy and compares
// its errors, one "file:line:col: message" line each, with <case>.out.
func TestSyntaxErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.groovy")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".groovy"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(name, src)
			var got strings.Builder
			for _, e := range unjoin(err) {
				var perr *model.ParseError
				if !errors.As(e, &perr) {
					t.Fatalf("error %v is no *model.ParseError", e)
				}
				got.WriteString(perr.Error() + "\n")
			}
			parsertest.Golden(t, strings.TrimSuffix(file, ".groovy")+".out", got.String())
		})
	}
}

// unjoin returns the errors joined in err, in order.
func unjoin(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	if err != nil {
		return []error{err}
	}
	return nil
}
