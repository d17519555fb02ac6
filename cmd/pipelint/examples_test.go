package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The policies of docs/examples are run here the way docs/policies.md tells
// readers to run them, so the guide's examples cannot rot.

var examplesDir = filepath.Join(repoRoot, "docs", "examples")

// exampleCase is a workflow and the findings one rule must report on it,
// as "line:column: message", with an optional .pipelint.yaml.
type exampleCase struct {
	name     string
	workflow string
	config   string
	want     []string
}

const actionsWorkflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: acme/setup-toolchain@0123456789abcdef0123456789abcdef01234567 # v1
      - uses: someone/lint-action@0123456789abcdef0123456789abcdef01234567 # v3
      - uses: ./.github/actions/local
  reuse:
    uses: other-org/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567
`

const deployWorkflow = `on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@d35c59abb061a4a6fb18e82ac0862c26744d6ab5 # v5.5.0
      - run: go test ./...
  staging:
    needs: test
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: helm upgrade --atomic app ./chart
  production:
    needs: staging
    runs-on: ubuntu-latest
    steps:
      - run: helm upgrade --atomic app ./chart
`

// exampleCases holds the cases of every directory of docs/examples/policies.
var exampleCases = map[string][]exampleCase{
	"acme-actions-only": {
		{
			name:     "default allow-list",
			workflow: actionsWorkflow,
			want: []string{
				`8:15: action "someone/lint-action@0123456789abcdef0123456789abcdef01234567" is owned by "someone", which is not an allowed owner (acme, actions, github)`,
				`11:11: reusable workflow "other-org/ci/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567" is owned by "other-org", which is not an allowed owner (acme, actions, github)`,
			},
		},
		{
			name:     "allowed-owners option",
			workflow: actionsWorkflow,
			config:   "policies: [ci-policies]\nrules:\n  acme-actions-only:\n    options:\n      allowed-owners: [acme, actions, github, other-org]\n",
			want: []string{
				`8:15: action "someone/lint-action@0123456789abcdef0123456789abcdef01234567" is owned by "someone", which is not an allowed owner (acme, actions, github, other-org)`,
			},
		},
	},
	"acme-deploy-environment": {
		{
			name:     "default environments",
			workflow: deployWorkflow,
			want: []string{
				`13:18: job "staging" deploys with helm upgrade to environment "staging"; use environment "production"`,
				`16:3: job "production" deploys with helm upgrade but declares no environment; use environment "production"`,
			},
		},
		{
			name:     "environments option",
			workflow: deployWorkflow,
			config:   "policies: [ci-policies]\nrules:\n  acme-deploy-environment:\n    options:\n      environments: [production, staging]\n",
			want: []string{
				`16:3: job "production" deploys with helm upgrade but declares no environment; use environment "production" or "staging"`,
			},
		},
	},
}

func TestPolicyExamples(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(examplesDir, "policies"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := names, slices.Sorted(maps.Keys(exampleCases)); !slices.Equal(got, want) {
		t.Fatalf("example policies %v, but cases for %v: every example needs a case here", got, want)
	}
	for _, name := range names {
		dir := filepath.Join(examplesDir, "policies", name)
		t.Run(name, func(t *testing.T) {
			for _, suffix := range []string{".rego", "_test.rego", ".md"} {
				if _, err := os.Stat(filepath.Join(dir, name+suffix)); err != nil {
					t.Errorf("the example lacks %s%s", name, suffix)
				}
			}
			code, stdout, stderr := pipelint(t, "", "policy", "test", dir)
			if code != exitClean || !strings.HasSuffix(stdout, " 0 failed\n") {
				t.Errorf("policy test: exit %d\n%s%s", code, stdout, stderr)
			}
			for _, c := range exampleCases[name] {
				root := writeFiles(t, map[string]string{".github/workflows/ci.yml": c.workflow})
				args := []string{"check", "--format", "json", "--policy", dir}
				if c.config != "" { // the guide's setup: the policy copied to ci-policies/ and named in the config
					copyDir(t, dir, filepath.Join(root, "ci-policies", name))
					writeFile(t, filepath.Join(root, ".pipelint.yaml"), c.config)
					args = []string{"check", "--format", "json"}
				}
				_, stdout, stderr := pipelint(t, root, args...)
				if got := findingsOf(t, stdout, name); !slices.Equal(got, c.want) {
					t.Errorf("%s: findings of %s:\n%s\nwant:\n%s\nstderr: %s", c.name, name, strings.Join(got, "\n"), strings.Join(c.want, "\n"), stderr)
				}
			}
		})
	}
}

func TestPolicyDocOfTheExamples(t *testing.T) {
	code, stdout, stderr := pipelint(t, "", "policy", "doc", filepath.Join(examplesDir, "policies"))
	want := "ID                       SEVERITY  TITLE\n" +
		"acme-actions-only        high      Action or reusable workflow from outside the allowed owners\n" +
		"acme-deploy-environment  high      Deploy job outside the production environment\n"
	if code != exitClean || stdout != want {
		t.Errorf("exit %d\n%s%s\nwant:\n%s", code, stdout, stderr, want)
	}
}

// TestTableExtensionExamples: the guide's table extensions make one
// built-in rule see what it did not.
func TestTableExtensionExamples(t *testing.T) {
	dir := filepath.Join(examplesDir, "extend-tables")
	code, stdout, stderr := pipelint(t, "", "policy", "test", dir)
	if code != exitClean || !strings.HasSuffix(stdout, "4 tests, 0 failed\n") {
		t.Errorf("policy test: exit %d\n%s%s", code, stdout, stderr)
	}
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml":     "on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          go build ./...\n          acme-test run ./...\n",
		".github/workflows/notify.yml": "on: push\njobs:\n  notify:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./notify.sh\n        env:\n          ACME_API: acme_live_0123456789abcdef0123456789abcdef\n",
	})
	_, stdout, _ = pipelint(t, root, "check", "--format", "json")
	if got := findingsOf(t, stdout, "missing-tests"); len(got) != 1 {
		t.Errorf("without the extension, missing-tests reports %v; want the untested build", got)
	}
	_, stdout, _ = pipelint(t, root, "check", "--format", "json", "--policy", dir)
	if got := findingsOf(t, stdout, "missing-tests"); len(got) != 0 {
		t.Errorf("acme-test run does not count as testing: %v", got)
	}
	want := []string{`8:21: ACME API token "acme****" is written in plain text; revoke it and reference a stored secret instead`}
	if got := findingsOf(t, stdout, "plaintext-secret"); !slices.Equal(got, want) {
		t.Errorf("plaintext-secret: %v, want %v", got, want)
	}
}

// TestDumpInputExample: the dump-input policy shows the input as
// docs/model.md describes it: arrays never null, absent objects null,
// 1-based positions with an exclusive end column.
func TestDumpInputExample(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"})
	_, stdout, stderr := pipelint(t, root, "check", "--format", "json", "--policy", filepath.Join(examplesDir, "dump-input"))
	var report struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var inputs []string
	for _, f := range report.Findings {
		if f.RuleID == "dump-input" {
			inputs = append(inputs, f.Message)
		}
	}
	if len(inputs) != 1 {
		t.Fatalf("%d dump-input findings, want 1\n%s", len(inputs), stdout)
	}
	var input struct {
		System      string          `json:"system"`
		Permissions json.RawMessage `json:"permissions"`
		Env         json.RawMessage `json:"env"`
		Sources     json.RawMessage `json:"sources"`
		Jobs        []struct {
			ID          json.RawMessage `json:"id"`
			Environment json.RawMessage `json:"environment"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal([]byte(inputs[0]), &input); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("system=%s permissions=%s env=%s sources=%s jobs=%d", input.System, input.Permissions, input.Env, input.Sources, len(input.Jobs))
	if want := "system=github permissions=null env=[] sources= jobs=1"; got != want {
		t.Errorf("input %s\nwant  %s", got, want)
	}
	if len(input.Jobs) == 1 {
		id := `{"pos":{"column":3,"end_column":8,"end_line":3,"file":".github/workflows/ci.yml","line":3},"value":"build"}`
		if string(input.Jobs[0].ID) != id || string(input.Jobs[0].Environment) != "null" {
			t.Errorf("job id %s, environment %s; want id %s and environment null", input.Jobs[0].ID, input.Jobs[0].Environment, id)
		}
	}
}

// findingsOf lists the findings of one rule in a JSON report as
// "line:column: message".
func findingsOf(t *testing.T, report, ruleID string) []string {
	t.Helper()
	var parsed struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
			Message string `json:"message"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(report), &parsed); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, report)
	}
	var out []string
	for _, f := range parsed.Findings {
		if f.RuleID == ruleID {
			out = append(out, fmt.Sprintf("%d:%d: %s", f.Line, f.Column, f.Message))
		}
	}
	return out
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGuideShowsTheExampleFiles: every policy file under docs/examples is
// quoted whole in docs/policies.md, so the guide shows what the tests run.
func TestGuideShowsTheExampleFiles(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join(repoRoot, "docs", "policies.md"))
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(examplesDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !strings.Contains(string(guide), "```rego\n"+string(src)+"```\n") {
			t.Errorf("docs/policies.md does not quote %s as it is", strings.TrimPrefix(path, repoRoot+string(filepath.Separator)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMinimalExample(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    name: Build\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n  lint:\n    runs-on: ubuntu-latest\n    steps: [{run: make lint}]\n"})
	_, stdout, stderr := pipelint(t, root, "check", "--format", "json", "--policy", filepath.Join(examplesDir, "minimal"))
	if got, want := findingsOf(t, stdout, "acme-job-name"), []string{`7:3: job "lint" has no name`}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v\n%s", got, want, stderr)
	}
}
