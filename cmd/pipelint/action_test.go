package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// actionWorkflow has one finding that fails at the default fail-on (a
// branch: high, an ::error annotation) and one that does not (a tag:
// medium, a ::warning).
const actionWorkflow = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@main
      - uses: actions/setup-go@v5
      - run: go test ./...
`

// actionStep is the part of action.yml these tests read.
type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
}

// checkStep reads action.yml and returns its check step and the defaults of
// its inputs.
func checkStep(t *testing.T) (actionStep, map[string]string) {
	t.Helper()
	return namedStep(t, "check", "Run pipelint")
}

// namedStep returns the step of action.yml with this id or name, and the
// defaults of the action's inputs.
func namedStep(t *testing.T, id, name string) (actionStep, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(raw, &action); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{}
	for name, input := range action.Inputs {
		defaults[name] = input.Default
	}
	for _, step := range action.Runs.Steps {
		if step.ID == id && step.Name == name {
			return step, defaults
		}
	}
	t.Fatalf("action.yml has no step %q (id %q)", name, id)
	return actionStep{}, nil
}

// goCommand is the go command that runs the tests.
func goCommand(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			t.Skip("no go command to build pipelint with")
		}
	}
	return goTool
}

// buildForAction builds pipelint where the action's install step puts it,
// $RUNNER_TEMP/pipelint-bin/pipelint.
func buildForAction(t *testing.T, runnerTemp string) {
	t.Helper()
	build := exec.Command(goCommand(t), "build", "-o", filepath.Join(runnerTemp, "pipelint-bin", "pipelint"), "./cmd/pipelint")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

type actionRun struct {
	code            int
	log             string // standard output and error, as the job log shows them
	outputs         string // $GITHUB_OUTPUT
	summary         string // $GITHUB_STEP_SUMMARY
	workspace       string
	annotationsFrom int // where in the log workflow commands work again
}

// TestActionScript runs the check step of action.yml with bash, as the
// runner does (bash --noprofile --norc -eo pipefail), against a pipelint
// built for the test.
func TestActionScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if testing.Short() {
		t.Skip("builds pipelint")
	}
	step, defaults := checkStep(t)
	if step.Shell != "bash" {
		t.Errorf("check step shell %q, want bash", step.Shell)
	}
	if strings.Contains(step.Run, "${{") {
		t.Error("the check step's script expands an expression: inputs must reach it through env only")
	}
	for name, value := range step.Env {
		input := strings.TrimPrefix(strings.ReplaceAll(strings.ToLower(name), "_", "-"), "input-")
		if value != "${{ inputs."+input+" }}" {
			t.Errorf("env %s = %q, want the input %s", name, value, input)
		}
	}
	runnerTemp := t.TempDir()
	buildForAction(t, runnerTemp)

	runAction := func(t *testing.T, inputs map[string]string) actionRun {
		t.Helper()
		workspace := writeFiles(t, map[string]string{".github/workflows/ci.yml": actionWorkflow})
		script := filepath.Join(t.TempDir(), "check.sh")
		if err := os.WriteFile(script, []byte(step.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		files := t.TempDir()
		output, summary := filepath.Join(files, "output"), filepath.Join(files, "summary")
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = workspace
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + files, "RUNNER_TEMP=" + runnerTemp,
			"GITHUB_OUTPUT=" + output, "GITHUB_STEP_SUMMARY=" + summary}
		for name := range step.Env {
			input := strings.TrimPrefix(strings.ReplaceAll(strings.ToLower(name), "_", "-"), "input-")
			value, set := inputs[input]
			if !set {
				value = defaults[input]
			}
			cmd.Env = append(cmd.Env, name+"="+value)
		}
		log, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		r := actionRun{code: cmd.ProcessState.ExitCode(), log: string(log), workspace: workspace, annotationsFrom: -1}
		outputs, _ := os.ReadFile(output)
		sum, _ := os.ReadFile(summary)
		r.outputs, r.summary = string(outputs), string(sum)
		// The text runs between ::stop-commands::<token> and ::<token>::.
		if start := strings.Index(r.log, "::stop-commands::"); start >= 0 {
			token := strings.Fields(r.log[start+len("::stop-commands::"):])[0]
			r.annotationsFrom = strings.Index(r.log, "\n::"+token+"::")
		}
		if r.annotationsFrom < 0 {
			t.Errorf("workflow commands are never resumed:\n%s", r.log)
		}
		return r
	}

	// The log shows the findings as text, then the annotations, whatever the format.
	checkLog := func(t *testing.T, r actionRun) {
		t.Helper()
		for _, want := range []string{
			`.github/workflows/ci.yml:7:15: high unpinned-action: action "actions/checkout@main"`,
			`.github/workflows/ci.yml:8:15: medium unpinned-action: action "actions/setup-go@v5"`,
			"2 findings (1 high, 1 medium) in 1 file",
		} {
			if i := strings.Index(r.log, want); i < 0 || i > r.annotationsFrom {
				t.Errorf("log lacks %q among the text findings:\n%s", want, r.log)
			}
		}
		for _, want := range []string{"\n::error file=.github/workflows/ci.yml,line=7,", "\n::warning file=.github/workflows/ci.yml,line=8,"} {
			if i := strings.Index(r.log, want); i < r.annotationsFrom {
				t.Errorf("log lacks the annotation %q after workflow commands resume:\n%s", want, r.log)
			}
		}
		if !strings.Contains(r.summary, "unpinned-action") {
			t.Errorf("job summary lacks the findings:\n%s", r.summary)
		}
	}

	t.Run("sarif", func(t *testing.T) {
		r := runAction(t, nil)
		if r.code != exitFindings {
			t.Errorf("exit %d, want %d (a high finding, fail-on high)\n%s", r.code, exitFindings, r.log)
		}
		checkLog(t, r)
		if r.outputs != "sarif-file=pipelint.sarif\n" {
			t.Errorf("outputs %q", r.outputs)
		}
		document, err := os.ReadFile(filepath.Join(r.workspace, "pipelint.sarif"))
		if err != nil {
			t.Fatal(err)
		}
		for _, problem := range sariftest.Problems(t, document) {
			t.Errorf("pipelint.sarif is not valid SARIF: %s", problem)
		}
		if !strings.Contains(string(document), `"ruleId": "unpinned-action"`) {
			t.Errorf("pipelint.sarif has no finding:\n%s", document)
		}
	})

	t.Run("text writes no report", func(t *testing.T) {
		r := runAction(t, map[string]string{"format": "text"})
		if r.code != exitFindings {
			t.Errorf("exit %d, want %d\n%s", r.code, exitFindings, r.log)
		}
		checkLog(t, r)
		if r.outputs != "sarif-file=\n" {
			t.Errorf("outputs %q, want an empty sarif-file", r.outputs)
		}
		entries, err := os.ReadDir(r.workspace)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != ".github" {
				t.Errorf("format text wrote %s", e.Name())
			}
		}
	})

	t.Run("exit code survives the annotations", func(t *testing.T) {
		for failOn, want := range map[string]int{"never": exitClean, "critical": exitClean, "medium": exitFindings} {
			if r := runAction(t, map[string]string{"fail-on": failOn, "format": "json", "sarif-file": "report.json"}); r.code != want {
				t.Errorf("fail-on %s: exit %d, want %d\n%s", failOn, r.code, want, r.log)
			} else {
				checkLog(t, r)
				if _, err := os.Stat(filepath.Join(r.workspace, "report.json")); err != nil {
					t.Errorf("fail-on %s: %v", failOn, err)
				}
			}
		}
		if r := runAction(t, map[string]string{"format": "xml"}); r.code != exitError {
			t.Errorf("unknown format: exit %d, want %d\n%s", r.code, exitError, r.log)
		}
	})
}

// TestActionInstallVersion: a downloaded action has no .git directory to
// stamp a version from, so the install step links in the ref the workflow
// pinned, and only when it is a plain ref.
func TestActionInstallVersion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if testing.Short() {
		t.Skip("builds pipelint")
	}
	step, _ := namedStep(t, "", "Install pipelint")
	if step.Env["ACTION_REF"] != "${{ github.action_ref }}" || step.Env["ACTION_PATH"] != "${{ github.action_path }}" {
		t.Errorf("install step env %v", step.Env)
	}
	goTool := goCommand(t)
	script := filepath.Join(t.TempDir(), "install.sh")
	if err := os.WriteFile(script, []byte(step.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	const sha = "4d8a5f9abcdef0123456789abcdef0123456789a"
	for ref, want := range map[string]string{
		"v1.2.3":                 "pipelint v1.2.3\n",
		sha:                      "pipelint " + sha + "\n",
		"v1 -X main.version=bad": "", // not a plain ref: not linked in
	} {
		runnerTemp := t.TempDir()
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(goTool)+string(os.PathListSeparator)+os.Getenv("PATH"),
			"RUNNER_TEMP="+runnerTemp, "ACTION_PATH="+repoRoot, "ACTION_REF="+ref)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ref %q: %v\n%s", ref, err, out)
		}
		version, err := exec.Command(filepath.Join(runnerTemp, "pipelint-bin", "pipelint"), "version").Output()
		if err != nil {
			t.Fatal(err)
		}
		if want == "" {
			if strings.Contains(string(version), "bad") {
				t.Errorf("ref %q was linked in: %q", ref, version)
			}
		} else if string(version) != want {
			t.Errorf("ref %q: version %q, want %q", ref, version, want)
		}
	}
}

// TestActionFixSummary runs the fix step of action.yml as the runner
// does: with fix "true" the job summary holds the diff pipelint fix
// --dry-run prints, in a fence no backtick of the diff closes, and the
// files are not changed; "unsafe" adds the unsafe fixes; anything else is
// an error. The step never fails the job for findings.
func TestActionFixSummary(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if testing.Short() {
		t.Skip("builds pipelint")
	}
	step, defaults := namedStep(t, "fix", "Show what pipelint fix would change")
	if step.Shell != "bash" || strings.Contains(step.Run, "${{") {
		t.Errorf("fix step: shell %q, or its script expands an expression", step.Shell)
	}
	if defaults["fix"] != "false" {
		t.Errorf("fix defaults to %q, want false", defaults["fix"])
	}
	runnerTemp := t.TempDir()
	buildForAction(t, runnerTemp)
	const workflow = "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n      - run: echo \"${{ github.event.issue.title }}\" # ```\n"
	run := func(t *testing.T, fix string) (int, string, string) {
		t.Helper()
		workspace := writeFiles(t, map[string]string{".github/workflows/ci.yml": workflow})
		script := filepath.Join(t.TempDir(), "fix.sh")
		if err := os.WriteFile(script, []byte(step.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		summary := filepath.Join(t.TempDir(), "summary")
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = workspace
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "RUNNER_TEMP=" + runnerTemp, "GITHUB_STEP_SUMMARY=" + summary,
			"INPUT_PATHS=" + defaults["paths"], "INPUT_FIX=" + fix, "INPUT_CONFIG="}
		log, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		if after, err := os.ReadFile(filepath.Join(workspace, ".github/workflows/ci.yml")); err != nil || string(after) != workflow {
			t.Errorf("the workflow was changed (%v):\n%s", err, after)
		}
		sum, _ := os.ReadFile(summary)
		return cmd.ProcessState.ExitCode(), string(log), string(sum)
	}

	code, log, summary := run(t, "true")
	if code != 0 || !strings.Contains(summary, "`pipelint fix` would make these changes:\n\n````diff\n--- a/.github/workflows/ci.yml") ||
		!strings.Contains(summary, "+          persist-credentials: false") || strings.Contains(summary, "EVENT_ISSUE_TITLE") || !strings.HasSuffix(summary, "\n````\n") {
		t.Errorf("fix true: exit %d, summary:\n%s\nlog:\n%s", code, summary, log)
	}
	if strings.Contains(log, "persist-credentials: false") {
		t.Errorf("the log shows the diff:\n%s", log)
	}
	code, log, summary = run(t, "unsafe")
	if code != 0 || !strings.Contains(summary, "`pipelint fix --unsafe` would make these changes:") || !strings.Contains(summary, `+      - run: echo "${EVENT_ISSUE_TITLE}"`) {
		t.Errorf("fix unsafe: exit %d, summary:\n%s\nlog:\n%s", code, summary, log)
	}
	if code, log, _ = run(t, "yes"); code != 2 || !strings.Contains(log, "fix must be true, unsafe or false") {
		t.Errorf("fix yes: exit %d, log:\n%s", code, log)
	}
}
