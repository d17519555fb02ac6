package runner

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/report"
)

// viewPolicy reports, for each file checked, the files of the repository
// view it sees and the files its local callees were read from.
const viewPolicy = `# METADATA
# title: The repository view
# description: Lists the pipelines a file sees.
# custom:
#   id: repository-view
#   severity: info
#   remediation: Nothing to fix, it only shows the view.
package pipelint.rules.repository_view

findings contains {"msg": msg, "pos": {"line": 1, "column": 1}} if {
	view := concat(" ", [p.file | some p in input.repository.pipelines])
	callees := concat(" ", [s.file | some s in input.sources; s.callee])
	msg := sprintf("%s; calls %s", [view, callees])
}
`

// viewRepository is a repository of every system, with a workflow calling
// a local reusable workflow and a local action that discovery skips (under
// vendor/), and a Jenkinsfile in error (what could be parsed of it is
// checked, and seen).
var viewRepository = map[string]string{
	".github/workflows/ci.yml":      "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./vendor/setup\n      - run: make\n  release:\n    uses: ./.github/workflows/release.yml\n",
	"vendor/setup/action.yml":       "runs:\n  using: composite\n  steps:\n    - run: npm ci\n      shell: bash\n",
	".github/workflows/release.yml": "on: workflow_call\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./ship.sh\n",
	".gitlab-ci.yml":                "test:\n  script: make test\n",
	"Jenkinsfile":                   "pipeline {\n",
}

func viewLines(run *report.Run) []string {
	var lines []string
	for _, f := range run.Findings {
		if f.RuleID == "repository-view" {
			lines = append(lines, f.Pos.File+": "+f.Message)
		}
	}
	return lines
}

func viewCheck(t *testing.T, files map[string]string, paths ...string) *report.Run {
	t.Helper()
	policy := t.TempDir()
	if err := os.WriteFile(filepath.Join(policy, "repository-view.rego"), []byte(viewPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	root := repository(t, maps.Clone(files))
	for i, p := range paths {
		paths[i] = filepath.Join(root, filepath.FromSlash(p))
	}
	return checkWithSafetyNet(t, paths, Options{Policy: PolicyOptions{PolicyDirs: []string{policy}}})
}

// TestRepositoryView: every file checked sees every pipeline of its
// repository, itself and local callees included, and a workflow's local
// callees are read into its sources.
func TestRepositoryView(t *testing.T) {
	run := viewCheck(t, viewRepository, ".")
	all := ".github/workflows/ci.yml .github/workflows/release.yml .gitlab-ci.yml Jenkinsfile vendor/setup/action.yml"
	want := []string{
		".github/workflows/ci.yml: " + all + "; calls vendor/setup/action.yml .github/workflows/release.yml",
		".github/workflows/release.yml: " + all + "; calls ",
		".gitlab-ci.yml: " + all + "; calls ",
		"Jenkinsfile: " + all + "; calls ",
	}
	if got := viewLines(run); !slices.Equal(got, want) {
		t.Errorf("views:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if run.FilesChecked != 4 || len(run.Errors) != 1 || run.Errors[0].Pos.File != "Jenkinsfile" {
		t.Errorf("%d files checked, errors %q; want 4 and the Jenkinsfile's", run.FilesChecked, errorLines(run))
	}
}

// TestRepositoryViewOfAFileNamedAlone: a file named alone, as a
// pre-commit hook names the files changed, still sees its repository's
// other pipelines, which are parsed for that but neither checked nor
// reported on: the Jenkinsfile's error is not reported.
func TestRepositoryViewOfAFileNamedAlone(t *testing.T) {
	run := viewCheck(t, viewRepository, ".github/workflows/ci.yml")
	want := []string{".github/workflows/ci.yml: .github/workflows/ci.yml .github/workflows/release.yml .gitlab-ci.yml Jenkinsfile vendor/setup/action.yml; calls vendor/setup/action.yml .github/workflows/release.yml"}
	if got := viewLines(run); !slices.Equal(got, want) {
		t.Errorf("views %q, want %q", got, want)
	}
	if run.FilesChecked != 1 || len(run.Errors) != 0 {
		t.Errorf("%d files checked, errors %q; want 1 and none", run.FilesChecked, errorLines(run))
	}
	for _, f := range run.Findings {
		if f.Pos.File != ".github/workflows/ci.yml" {
			t.Errorf("finding in a file not asked for: %s", f.Pos.File)
		}
	}
}

// TestNoContextOutsideARepository: with no .git, the repository is only
// the directory scanned, and a file named alone sees only itself.
func TestNoContextOutsideARepository(t *testing.T) {
	root := t.TempDir()
	for name, content := range viewRepository {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	policy := t.TempDir()
	if err := os.WriteFile(filepath.Join(policy, "repository-view.rego"), []byte(viewPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	run := checkWithSafetyNet(t, []string{filepath.Join(root, "Jenkinsfile")}, Options{Policy: PolicyOptions{PolicyDirs: []string{policy}}})
	if got, want := viewLines(run), []string{"Jenkinsfile: Jenkinsfile; calls "}; !slices.Equal(got, want) {
		t.Errorf("views %q, want %q", got, want)
	}
}

// TestRepositoryViewIsBounded: the view holds at most MaxViewValues
// values. It is cut at the first pipeline that does not fit, with a
// warning; the files after it are checked all the same, seeing the view as
// it was cut.
func TestRepositoryViewIsBounded(t *testing.T) {
	registerStuckParser(t) // for the toy system
	one := toyParser.Parse(syntax.Input{Repo: fstest.MapFS{"a.toy": {Data: []byte("build: npm install\n")}}, Path: "a.toy", Display: "a.toy"}).Pipeline
	one.Sources = nil
	bound := modelValues(one, 1<<30)
	files := map[string]string{"a.toy": "build: npm install\n", "b.toy": "build: npm install\n", "c.toy": "build: npm install\n"}
	policy := t.TempDir()
	if err := os.WriteFile(filepath.Join(policy, "repository-view.rego"), []byte(viewPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	result, err := Check(t.Context(), []string{repository(t, files)}, Options{Policy: PolicyOptions{NoConfig: true, PolicyDirs: []string{policy}}, MaxViewValues: bound})
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, w := range result.Warnings {
		warnings = append(warnings, w.Error())
	}
	want := fmt.Sprintf("b.toy:1:1: the repository view rules see leaves out this pipeline and the ones checked after it: the repository's pipelines hold more than %d values", bound)
	if !slices.Equal(warnings, []string{want}) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	views := []string{"a.toy: a.toy; calls ", "b.toy: a.toy; calls ", "c.toy: a.toy; calls "}
	if got := viewLines(result.Run); !slices.Equal(got, views) || result.Run.FilesChecked != 3 {
		t.Errorf("%d files checked, views %q; want 3, %q", result.Run.FilesChecked, got, views)
	}
}

// TestChildInViewIsChecked: a child pipeline that the context search also
// found is checked when the file checked starts it, as it would be
// without the search.
func TestChildInViewIsChecked(t *testing.T) {
	files := map[string]string{
		".gitlab-ci.yml":     "child:\n  trigger:\n    include: sub/.gitlab-ci.yml\n",
		"sub/.gitlab-ci.yml": "test:\n  script: make test\n",
	}
	run := viewCheck(t, files, ".gitlab-ci.yml")
	want := []string{
		".gitlab-ci.yml: .gitlab-ci.yml sub/.gitlab-ci.yml; calls ",
		"sub/.gitlab-ci.yml: .gitlab-ci.yml sub/.gitlab-ci.yml; calls ",
	}
	if got := viewLines(run); !slices.Equal(got, want) || run.FilesChecked != 2 {
		t.Errorf("%d files checked, views %q; want 2, %q", run.FilesChecked, got, want)
	}
}

// dependencyPolicy reports the dependency files each file checked sees.
const dependencyPolicy = `# METADATA
# title: The dependency files
# description: Lists the dependency files a file sees.
# custom:
#   id: dependency-files
#   severity: info
#   remediation: Nothing to fix, it only shows them.
package pipelint.rules.dependency_files

findings contains {"msg": msg, "pos": {"line": 1, "column": 1}} if {
	msg := concat(" ", [sprintf("%s:%s:%d", [f.file, f.kind, count(f.requirements)]) | some f in input.repository.dependency_files])
}
`

// TestRepositoryDependencyFiles: every file checked sees the lock files
// and requirement files of its repository, a file named alone included.
func TestRepositoryDependencyFiles(t *testing.T) {
	policy := t.TempDir()
	if err := os.WriteFile(filepath.Join(policy, "dependency-files.rego"), []byte(dependencyPolicy), 0o644); err != nil {
		t.Fatal(err)
	}
	root := repository(t, map[string]string{
		".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install -r requirements.txt\n",
		".gitlab-ci.yml":           "test:\n  script: npm install\n",
		"requirements.txt":         "requests\nflask==3.0.0\n",
		"web/package-lock.json":    "{}",
	})
	want := "requirements.txt:requirements:2 web/package-lock.json:npm-lock:0"
	for path, checked := range map[string]int{root: 2, filepath.Join(root, ".gitlab-ci.yml"): 1} {
		run := checkWithSafetyNet(t, []string{path}, Options{Policy: PolicyOptions{PolicyDirs: []string{policy}}})
		seen := 0
		for _, f := range run.Findings {
			if f.RuleID != "dependency-files" {
				continue
			}
			if seen++; f.Message != want {
				t.Errorf("%s sees %q, want %q", f.Pos.File, f.Message, want)
			}
		}
		if seen != checked {
			t.Errorf("checking %s: %d files saw the dependency files, want %d", path, seen, checked)
		}
	}
}
