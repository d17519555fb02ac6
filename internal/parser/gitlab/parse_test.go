package gitlab

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of testdata/<case>")

// TestFixtures parses testdata/<case>/repo/.gitlab-ci.yml and compares a
// dump of the model (every value with its file:line:col-endline:endcol)
// with testdata/<case>/want.txt.
func TestFixtures(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/repo")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, repo := range cases {
		dir := filepath.Dir(repo)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p, warnings, err := parseWithWarnings(os.DirFS(repo), ".gitlab-ci.yml")
			got := dump(p, warnings, err)
			wantFile := filepath.Join(dir, "want.txt")
			if *update {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("model differs from %s:\n%s", wantFile, diff(string(want), got))
			}
		})
	}
}

func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

func pos(p model.Pos) string {
	if p.IsZero() {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d-%d:%d", p.File, p.Line, p.Column, p.EndLine, p.EndColumn)
}

func str(s model.String) string { return fmt.Sprintf("%q@%s", s.Value, pos(s.Pos)) }

func vars(b *strings.Builder, indent, kind string, vs []model.Var) {
	for _, v := range vs {
		fmt.Fprintf(b, "%s%s %s = %s %s @%s\n", indent, kind, str(v.Name), str(v.Value), v.Source, pos(v.Pos))
	}
}

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

// dump renders everything the parser fills, one element per line.
func dump(p *model.Pipeline, warnings []*model.ParseError, err error) string {
	var b strings.Builder
	if p != nil {
		fmt.Fprintf(&b, "pipeline %s/%s %q name=%s @%s\n", p.System, p.Kind, p.File, str(p.Name), pos(p.Pos))
		vars(&b, "", "param", p.Parameters)
		vars(&b, "", "env", p.Env)
		for _, tr := range p.Triggers {
			fmt.Fprintf(&b, "trigger %s branches=%s @%s\n", str(tr.Event), strs(tr.Branches), pos(tr.Pos))
		}
		for i := range p.References {
			fmt.Fprintf(&b, "ref %s\n", ref(&p.References[i]))
		}
		for _, j := range p.Jobs {
			fmt.Fprintf(&b, "job %s name=%s stage=%s when=%q @%s\n", str(j.ID), str(j.Name), str(j.Stage), j.When, pos(j.Pos))
			fmt.Fprintf(&b, "  runner labels=%s ephemeral=%v @%s\n", strs(j.Runner.Labels), j.Runner.Ephemeral, pos(j.Runner.Pos))
			if j.Condition.Value != "" {
				fmt.Fprintf(&b, "  condition %s\n", str(j.Condition))
			}
			if c := j.Container; c != nil {
				fmt.Fprintf(&b, "  image %s alias=%s @%s\n", str(c.Name), str(c.Alias), pos(c.Pos))
			}
			for _, s := range j.Services {
				fmt.Fprintf(&b, "  service %s alias=%s @%s\n", str(s.Name), str(s.Alias), pos(s.Pos))
			}
			if e := j.Environment; e != nil {
				fmt.Fprintf(&b, "  environment %s url=%s action=%s tier=%s on_stop=%s @%s\n", str(e.Name), str(e.URL), str(e.Action), str(e.Tier), str(e.OnStop), pos(e.Pos))
			}
			if len(j.Needs) > 0 {
				fmt.Fprintf(&b, "  needs %s\n", strs(j.Needs))
			}
			vars(&b, "  ", "env", j.Env)
			for _, c := range j.Caches {
				fmt.Fprintf(&b, "  cache key=%s policy=%s paths=%s @%s\n", str(c.Key), str(c.Policy), strs(c.Paths), pos(c.Pos))
			}
			for _, r := range j.Reports {
				fmt.Fprintf(&b, "  report %s paths=%s @%s\n", str(r.Kind), strs(r.Paths), pos(r.Pos))
			}
			if s := j.Strategy; s != nil {
				fmt.Fprintf(&b, "  strategy @%s\n", pos(s.Pos))
				vars(&b, "    ", "matrix", s.Matrix)
			}
			if j.Uses != nil {
				fmt.Fprintf(&b, "  uses %s\n", ref(j.Uses))
			}
			vars(&b, "  ", "with", j.With)
			for _, s := range j.Steps {
				fmt.Fprintf(&b, "  step %s %s name=%s when=%q @%s\n", s.Kind, str(s.ID), str(s.Name), s.When, pos(s.Pos))
				fmt.Fprintf(&b, "    script %s text=%s\n", s.Script.Shell, str(s.Script.Text))
			}
		}
		for _, c := range p.Comments {
			fmt.Fprintf(&b, "comment %q @%s\n", c.Text, pos(c.Pos))
		}
	}
	for _, w := range warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	for _, e := range unjoin(err) {
		fmt.Fprintf(&b, "error %s\n", e)
	}
	return b.String()
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
	cases, _ := filepath.Glob("testdata/*/repo")
	for _, repo := range cases {
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
