package github

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// FuzzParse checks that any input parses without panicking and that every
// position in the result, and in the errors, lies inside the input.
func FuzzParse(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			if d != nil && d.Name() == "fuzz" { // the fuzzer's own corpus
				return filepath.SkipDir
			}
			return err
		}
		src, err := os.ReadFile(path)
		f.Add(src)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: \"a\\\n  b\"\n      - run: >2\n          c\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		lines := countLines(string(src))
		for _, path := range []string{".github/workflows/f.yml", "action.yml"} {
			p, err := Parse(path, src)
			if err == nil && p == nil {
				t.Fatalf("%s: neither a pipeline nor an error", path)
			}
			for _, e := range unjoin(err) {
				var pe *model.ParseError
				if e != nil && !errors.As(e, &pe) {
					t.Fatalf("%s: %v is not a *model.ParseError", path, e)
				}
				if pe != nil {
					checkPos(t, path, lines, pe.Pos)
				}
			}
			if p != nil {
				walkPositions(reflect.ValueOf(p), func(pos model.Pos) { checkPos(t, path, lines, pos) })
			}
		}
	})
}

// countLines counts lines as YAML does: CRLF, CR, LF, NEL, LS and PS
// each end one.
func countLines(text string) int {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return 1 + strings.Count(text, "\n") + strings.Count(text, "\r") +
		strings.Count(text, "\u0085") + strings.Count(text, "\u2028") + strings.Count(text, "\u2029")
}

func checkPos(t *testing.T, file string, lines int, p model.Pos) {
	t.Helper()
	if p.IsZero() {
		return
	}
	ordered := p.Line < p.EndLine || (p.Line == p.EndLine && p.Column <= p.EndColumn)
	if p.File != file || p.Line < 1 || p.Column < 1 || p.EndLine > lines || !ordered {
		t.Fatalf("position %+v is outside the %d-line input or reversed", p, lines)
	}
}

// walkPositions calls visit with every model.Pos reachable from v.
func walkPositions(v reflect.Value, visit func(model.Pos)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkPositions(v.Elem(), visit)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkPositions(v.Index(i), visit)
		}
	case reflect.Struct:
		if pos, ok := v.Interface().(model.Pos); ok {
			visit(pos)
			return
		}
		for i := range v.NumField() {
			walkPositions(v.Field(i), visit)
		}
	}
}
