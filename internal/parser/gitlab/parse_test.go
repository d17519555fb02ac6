package gitlab

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestFixtures parses testdata/<case>/.gitlab-ci.yml with the files it
// includes and compares the result with testdata/<case>.golden.
func TestFixtures(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/.gitlab-ci.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range cases {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			result := Parse(syntax.Input{Repo: os.DirFS(dir), Path: ".gitlab-ci.yml", Display: ".gitlab-ci.yml"})
			parsertest.Golden(t, dir+".golden", parsertest.Render(result))
		})
	}
}

func pos(p model.Pos) string {
	if p.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", p.File, p.Line, p.Column, p.EndLine, p.EndColumn)
}

func str(s model.String) string { return fmt.Sprintf("%q@%s", s.Value, pos(s.Pos)) }

func ref(r *model.Reference) string {
	s := fmt.Sprintf("%s/%s %s", r.Kind, r.Usage, str(r.Value))
	for _, f := range [][2]string{{"registry", r.Registry}, {"repo", r.Repo}, {"path", r.Path}, {"ref", r.Ref}, {"digest", r.Digest}} {
		if f[1] != "" {
			s += fmt.Sprintf(" %s=%q", f[0], f[1])
		}
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"pinned", r.Pinned}, {"local", r.Local}, {"dynamic", r.Dynamic}} {
		if f.set {
			s += " " + f.name
		}
	}
	if r.Integrity.Value != "" {
		s += " integrity=" + str(r.Integrity)
	}
	return s + " @" + pos(r.Pos)
}

func strs(ss []model.String) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = str(s)
	}
	return "[" + strings.Join(parts, " ") + "]"
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

// TestErrorsArePositioned checks that every error of every fixture is a
// *model.ParseError with a file and a line.
func TestErrorsArePositioned(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/.gitlab-ci.yml")
	for _, file := range cases {
		repo := filepath.Dir(file)
		_, err := parse(os.DirFS(repo), ".gitlab-ci.yml")
		for _, e := range unjoin(err) {
			var pe *model.ParseError
			if !errors.As(e, &pe) || pe.Pos.File == "" || pe.Pos.Line == 0 {
				t.Errorf("%s: error without position: %v", repo, e)
			}
		}
	}
}

// parse parses a repository's file, displayed by its path.
func parse(repo fs.FS, path string) (*model.Pipeline, error) {
	p, _, err := parseWithWarnings(repo, path)
	return p, err
}

func parseWithWarnings(repo fs.FS, path string) (*model.Pipeline, []*model.ParseError, error) {
	result := Parse(syntax.Input{Repo: repo, Path: path, Display: path})
	return result.Pipeline, result.Warnings, result.Err
}
