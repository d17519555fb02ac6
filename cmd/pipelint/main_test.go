package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// repoRoot is the repository, whatever directory a test has moved to.
var repoRoot, _ = filepath.Abs("../..")

// pipelint runs the command line in dir and returns its exit code and output.
func pipelint(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const unpinnedWorkflow = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\npermissions: {}\n"

func TestCheckExamples(t *testing.T) {
	code, stdout, stderr := pipelint(t, repoRoot, "check", "testdata/examples")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFindings, stderr)
	}
	want := "testdata/examples/.github/workflows/release.yml:17:15: medium unpinned-action: action \"actions/checkout@v4\" is pinned to tag \"v4\""
	if !strings.Contains(stdout, want) {
		t.Errorf("output lacks %q:\n%s", want, stdout)
	}
	if !regexp.MustCompile(`(?m)^\d+ findings \(.*\) in 4 files; 10 fixable by pipelint fix, 1 more with --unsafe$`).MatchString(stdout) {
		t.Errorf("no summary line:\n%s", stdout)
	}
}

// TestPrimerWorkflow: the workflow of the document pipelint grew from has
// two unpinned actions, no permissions (so its job, which runs pip
// installs, gets the default token), a checkout that leaves that token
// for every later step and twine installed with no version in the job
// that uploads to PyPI, and nothing else: its package upload is a
// release, not a deploy, it does run tests, and its uncached pip install
// is in the job that uploads to PyPI, where a cache could be poisoned
// (missing-cache never recommends one there).
func TestPrimerWorkflow(t *testing.T) {
	code, stdout, _ := pipelint(t, repoRoot, "check", "--system", "github", "--format", "json", "testdata/primer/python-ci-cd.yml")
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	var result struct {
		Findings []struct {
			RuleID string `json:"rule_id"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &result); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range result.Findings {
		got = append(got, f.RuleID)
	}
	want := []string{"excessive-permissions", "persist-credentials", "unpinned-action", "unpinned-action", "unpinned-package"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings %v, want %v", got, want)
	}
}

func TestNoCIFilesIsANoteNotAnError(t *testing.T) {
	root := writeFiles(t, map[string]string{"README.md": "# nothing to check\n"})
	code, _, stderr := pipelint(t, root, "check", ".")
	if code != exitClean || !strings.Contains(stderr, "note: no CI files found in .") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestMalformedYAMLIsAnErrorAndOtherFilesAreStillChecked(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/bad.yml":  "on: push\njobs:\n  a: [\n",
		".github/workflows/good.yml": unpinnedWorkflow,
	})
	code, stdout, stderr := pipelint(t, root, "check")
	if code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	if !regexp.MustCompile(`(?m)^\.github/workflows/bad\.yml:\d+:\d+: error: .+`).MatchString(stdout + stderr) {
		t.Errorf("no positioned error for bad.yml:\nstdout: %s\nstderr: %s", stdout, stderr)
	}
	if !strings.Contains(stdout, ".github/workflows/good.yml:6:15: medium unpinned-action") {
		t.Errorf("good.yml was not checked:\n%s", stdout)
	}
}

func TestSARIFIsValidEvenWithoutFindings(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"empty":    {"README.md": "nothing here"},
		"findings": {".github/workflows/ci.yml": unpinnedWorkflow},
	} {
		t.Run(name, func(t *testing.T) {
			_, stdout, _ := pipelint(t, writeFiles(t, files), "check", "--format", "sarif")
			for _, problem := range sariftest.Problems(t, []byte(stdout)) {
				t.Error(problem)
			}
			if !strings.Contains(stdout, `"results": [`) && !strings.Contains(stdout, `"results":[`) {
				t.Errorf("no results array:\n%s", stdout)
			}
		})
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		_, first, _ := pipelint(t, repoRoot, "check", "--format", format, "testdata/examples", "testdata/fixtures")
		_, second, _ := pipelint(t, repoRoot, "check", "--format", format, "testdata/examples", "testdata/fixtures")
		if first != second || first == "" {
			t.Errorf("%s output differs between runs", format)
		}
	}
}

func TestFailOn(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": unpinnedWorkflow}) // one medium finding
	for failOn, want := range map[string]int{"low": exitFindings, "medium": exitFindings, "high": exitClean, "never": exitClean} {
		if code, _, _ := pipelint(t, root, "check", "--fail-on", failOn); code != want {
			t.Errorf("--fail-on %s: exit %d, want %d", failOn, code, want)
		}
	}
}

func TestOutputFile(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": unpinnedWorkflow})
	code, stdout, _ := pipelint(t, root, "check", "--format", "json", "--output", "out.json")
	if code != exitFindings || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(filepath.Join(root, "out.json"))
	if err != nil || !json.Valid(data) || !strings.Contains(string(data), "unpinned-action") {
		t.Errorf("out.json: %v %s", err, data)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--format", "xml"},
		{"check", "--fail-on", "urgent"},
		{"check", "--system", "madeup-ci"},
		{"check", "no/such/path"},
		{"nonsense"},
	} {
		if code, _, stderr := pipelint(t, "", args...); code != exitError || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestExplicitFileNeedsAKnownSystem(t *testing.T) {
	root := writeFiles(t, map[string]string{"pipeline.yml": unpinnedWorkflow})
	if code, stdout, _ := pipelint(t, root, "check", "pipeline.yml"); code != exitError || !strings.Contains(stdout, "pipeline.yml:1:1: error: not a known CI file; name the system with --system") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if code, stdout, _ := pipelint(t, root, "check", "--system", "github", "pipeline.yml"); code != exitFindings || !strings.Contains(stdout, "pipeline.yml:6:15") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestRulesAndVersion(t *testing.T) {
	_, stdout, _ := pipelint(t, "", "rules")
	for _, id := range []string{"unpinned-action", "unpinned-image", "plaintext-secret", "missing-cache", "missing-tests", "deploy-without-rollback"} {
		if !strings.Contains(stdout, id) {
			t.Errorf("rules output lacks %s", id)
		}
	}
	if _, stdout, _ := pipelint(t, "", "version"); !strings.HasPrefix(stdout, "pipelint ") {
		t.Errorf("version output %q", stdout)
	}
}

// TestRepositoryChecksClean: pipelint's own CI files pass its own rules.
func TestRepositoryChecksClean(t *testing.T) {
	code, stdout, stderr := pipelint(t, repoRoot, "check", ".")
	if code != exitClean {
		t.Errorf("exit %d:\n%s%s", code, stdout, stderr)
	}
}

func TestGitLabChildPipelinesAreChecked(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".gitlab-ci.yml": "deploy:\n  trigger:\n    include: ci/child.yml\n",
		"ci/child.yml":   "build:\n  image: node:20\n  script: make\n",
	})
	code, stdout, stderr := pipelint(t, root, "check")
	if code != exitFindings {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "ci/child.yml:2:10: medium unpinned-image") || !strings.Contains(stdout, "in 2 files") {
		t.Errorf("child pipeline not checked:\n%s", stdout)
	}
}

// A GitLab file named on the command line, as pre-commit passes it, is
// resolved against its repository so that local includes work.
func TestExplicitGitLabFileInARepository(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		".gitlab-ci.yml": "include:\n  - local: ci/build.yml\n",
		"ci/build.yml":   "build:\n  image: node:20\n  script: make\n",
	})
	for _, arg := range []string{".gitlab-ci.yml", "./.gitlab-ci.yml"} {
		code, stdout, stderr := pipelint(t, root, "check", arg)
		if code != exitFindings || !strings.Contains(stdout, "ci/build.yml:2:10: medium unpinned-image") {
			t.Errorf("check %s: exit %d\n%s%s", arg, code, stdout, stderr)
		}
	}
}

// Broken files of every system: each is an error with its position, exit
// code 2, and the other files are still checked.
func TestBrokenFilesOfEverySystem(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/good.yml": unpinnedWorkflow,
		"jenkins/Jenkinsfile":        "pipeline {\n  agent any\n  stages {\n    stage('x') {\n      steps {\n        sh 'make'\n",
		"gitlab/.gitlab-ci.yml":      "include:\n  - local: ci/missing.yml\nbuild:\n  script: make\n",
	})
	code, stdout, stderr := pipelint(t, root, "check")
	if code != exitError {
		t.Fatalf("exit %d, want %d", code, exitError)
	}
	for _, want := range []string{
		`(?m)^jenkins/Jenkinsfile:\d+:\d+: error: .+`,
		`(?m)^gitlab/\.gitlab-ci\.yml:2:\d+: error: .*ci/missing\.yml`,
		`(?m)^\.github/workflows/good\.yml:6:15: medium unpinned-action`,
	} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("output lacks %s:\n%s%s", want, stdout, stderr)
		}
	}
}

func TestInspectPrintsTheRegoInput(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": unpinnedWorkflow})
	code, stdout, stderr := pipelint(t, root, "inspect", ".github/workflows/ci.yml")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var inputs []struct {
		File       string
		Env        []any
		References []struct {
			Value struct{ Value string }
			Ref   string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &inputs); err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 1 || inputs[0].File != ".github/workflows/ci.yml" || inputs[0].Env == nil ||
		len(inputs[0].References) != 1 || inputs[0].References[0].Ref != "v4" {
		t.Errorf("input = %+v", inputs)
	}
}

func TestGitLabWarningsGoToStandardError(t *testing.T) {
	root := writeFiles(t, map[string]string{".gitlab-ci.yml": "build:\n  script: make\nbuild:\n  script: make test\n"})
	code, _, stderr := pipelint(t, root, "check")
	if code == exitError || stderr != ".gitlab-ci.yml:3:1: warning: duplicate key \"build\": the one at line 1 is ignored\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
