package travis

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

func parseText(t *testing.T, files map[string]string) syntax.Result {
	t.Helper()
	repo := fstest.MapFS{}
	for name, text := range files {
		repo[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return Parser.Parse(syntax.Input{Repo: repo, Path: ".travis.yml", Display: ".travis.yml"})
}

func TestDetect(t *testing.T) {
	for path, want := range map[string]bool{".travis.yml": true, "repo/.travis.yml": true, ".travis.yaml": false, "travis.yml": false} {
		if got := Parser.Detect(path); got != want {
			t.Errorf("Detect(%q) = %v, want %v", path, got, want)
		}
	}
	if Parser.NearMiss(".travis.yaml") == "" {
		t.Error("no near miss for .travis.yaml")
	}
}

// TestMatrixIsCapped: a matrix of 20 × 20 × 20 values is cut at maxJobs
// jobs with a warning at the first job left out.
func TestMatrixIsCapped(t *testing.T) {
	values := make([]string, 20)
	for i := range values {
		values[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	list := "[" + strings.Join(values, ", ") + "]"
	r := parseText(t, map[string]string{".travis.yml": "language: python\npython: " + list + "\nos: " + list + "\ndist: " + list + "\nscript: pytest\n"})
	if got := len(r.Pipeline.Jobs); got != maxJobs {
		t.Errorf("%d jobs, want %d", got, maxJobs)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].Message, "only the first 256 are checked") {
		t.Errorf("warnings %v, want one about the cap", r.Warnings)
	}
}

// TestImportCycle: files that import each other are read once each.
func TestImportCycle(t *testing.T) {
	r := parseText(t, map[string]string{
		".travis.yml": "import: a.yml\nlanguage: ruby\nscript: rake\n",
		"a.yml":       "import: [b.yml, .travis.yml]\n",
		"b.yml":       "import: a.yml\nenv: {global: [B=1]}\n",
	})
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if got := len(r.Pipeline.Sources); got != 3 {
		t.Errorf("%d sources, want 3", got)
	}
	if len(r.Pipeline.Env) != 1 || r.Pipeline.Env[0].Pos.File != "b.yml" {
		t.Errorf("env %v, want B from b.yml", r.Pipeline.Env)
	}
}

// TestSharedScriptSplitOnce: the jobs of a matrix share the steps of the
// root's phases.
func TestSharedScriptSplitOnce(t *testing.T) {
	r := parseText(t, map[string]string{".travis.yml": "language: python\npython: ['3.11', '3.12']\nscript: pytest -q\n"})
	jobs := r.Pipeline.Jobs
	if len(jobs) != 2 || jobs[0].Steps[0].Script != jobs[1].Steps[0].Script {
		t.Errorf("the two jobs do not share their script: %+v", jobs)
	}
}
