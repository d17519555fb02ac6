package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// Two unpinned actions (medium, tag) and a job container without a tag
// (high).
const twoFindings = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container: alpine
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v5
permissions: {}
`

func findingLines(stdout string) []string {
	var lines []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, ".github/") {
			lines = append(lines, line)
		}
	}
	return lines
}

func TestConfigDisablesRemapsAndIgnoresPaths(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml":         twoFindings,
		"legacy/.github/workflows/old.yml": twoFindings,
		".pipelint.yaml": `rules:
  unpinned-image:
    enabled: false
  unpinned-action:
    severity: low
    ignore-paths: ["legacy/**"]
`,
	})
	_, stdout, stderr := pipelint(t, root, "check", "--format", "text")
	got := strings.Join(findingLines(stdout), "\n")
	want := ".github/workflows/ci.yml:7:15: low unpinned-action: action \"actions/checkout@v4\" is pinned to tag \"v4\", which can be moved; pin it to a full commit SHA [fixable]\n" +
		".github/workflows/ci.yml:8:15: low unpinned-action: action \"actions/setup-go@v5\" is pinned to tag \"v5\", which can be moved; pin it to a full commit SHA [fixable]"
	if got != want {
		t.Errorf("findings:\n%s\nwant:\n%s\nstderr: %s", got, want, stderr)
	}

	_, sarif, _ := pipelint(t, root, "check", "--format", "sarif")
	var log struct {
		Runs []struct {
			Results []struct{ RuleID, Level string }
		}
	}
	if err := json.Unmarshal([]byte(sarif), &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs[0].Results {
		if r.RuleID != "unpinned-action" || r.Level != "note" {
			t.Errorf("SARIF result %+v, want unpinned-action at level note (low)", r)
		}
	}
	if code, _, _ := pipelint(t, root, "check", "--no-config"); code != exitFindings {
		t.Errorf("--no-config: exit %d", code)
	}
}

func TestConfigErrorsNamePositions(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml": twoFindings,
		".pipelint.yaml":           "rules:\n  unpinned-action:\n    severity: urgent\n  no-such-rule:\n    enabled: false\n",
	})
	code, stdout, _ := pipelint(t, root, "check")
	if code != exitError || !strings.Contains(stdout, ".pipelint.yaml:3:") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	root = writeFiles(t, map[string]string{
		".github/workflows/ci.yml": twoFindings,
		".pipelint.yaml":           "rules:\n  no-such-rule:\n    enabled: false\n",
	})
	if code, stdout, _ := pipelint(t, root, "check"); code != exitError || !strings.Contains(stdout, ".pipelint.yaml:2:") || !strings.Contains(stdout, "no-such-rule") {
		t.Errorf("unknown rule: exit %d, stdout %q", code, stdout)
	}
}

func TestInlineIgnores(t *testing.T) {
	workflow := strings.Replace(twoFindings, "actions/checkout@v4", "actions/checkout@v4 # pipelint: ignore[unpinned-action] mirrored and reviewed", 1)
	workflow = strings.Replace(workflow, "container: alpine", "container: alpine # pipelint: ignore[unpinned-image]", 1)
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": workflow})
	_, stdout, _ := pipelint(t, root, "check")
	got := findingLines(stdout)
	if len(got) != 3 ||
		!strings.HasPrefix(got[0], ".github/workflows/ci.yml:5:16: high unpinned-image") ||
		!strings.HasPrefix(got[1], ".github/workflows/ci.yml:5:") || !strings.Contains(got[1], "info invalid-ignore") ||
		!strings.HasPrefix(got[2], ".github/workflows/ci.yml:8:15: medium unpinned-action") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
	if !strings.Contains(stdout, "; 1 suppressed") {
		t.Errorf("summary does not count the suppressed finding:\n%s", stdout)
	}

	_, sarif, _ := pipelint(t, root, "check", "--format", "sarif", "--sarif-include-suppressed")
	if !strings.Contains(sarif, `"justification": "mirrored and reviewed"`) {
		t.Errorf("SARIF lacks the suppression:\n%s", sarif)
	}
	for _, problem := range sariftest.Problems(t, []byte(sarif)) {
		t.Error(problem)
	}

	unused := strings.Replace(twoFindings, "runs-on: ubuntu-latest", "runs-on: ubuntu-latest # pipelint: ignore[plaintext-secret] no secrets here", 1)
	root = writeFiles(t, map[string]string{".github/workflows/ci.yml": unused})
	if _, stdout, _ := pipelint(t, root, "check", "--report-unused-ignores"); !strings.Contains(stdout, "info unused-ignore") {
		t.Errorf("unused ignore not reported:\n%s", stdout)
	}
}

func TestBaseline(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": twoFindings})
	if code, _, stderr := pipelint(t, root, "check", "--write-baseline", "baseline.json"); code != exitClean {
		t.Fatalf("write baseline: exit %d %s", code, stderr)
	}
	if code, stdout, _ := pipelint(t, root, "check", "--baseline", "baseline.json"); code != exitClean || len(findingLines(stdout)) != 0 {
		t.Errorf("unchanged file: exit %d\n%s", code, stdout)
	}

	// Lines move and a new unpinned action appears: exactly one new finding.
	edited := strings.Replace(twoFindings, "jobs:\n", "env:\n  A: b\n\njobs:\n", 1)
	edited = strings.Replace(edited, "permissions: {}\n", "      - uses: actions/cache@v4\npermissions: {}\n", 1)
	if err := os.WriteFile(filepath.Join(root, ".github/workflows/ci.yml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := pipelint(t, root, "check", "--baseline", "baseline.json")
	got := findingLines(stdout)
	if code != exitFindings || len(got) != 1 || !strings.Contains(got[0], `"actions/cache@v4"`) {
		t.Errorf("exit %d, findings:\n%s", code, strings.Join(got, "\n"))
	}
}

const orgRule = `# METADATA
# title: Action from outside the organisation
# description: Only actions from acme or GitHub may run.
# custom:
#   id: acme-actions-only
#   severity: high
#   remediation: Use an action from acme/ or actions/.
package pipelint.rules.acme_actions_only

findings contains {"msg": sprintf("action %q is not from acme or actions", [ref.value.value]), "pos": ref.value.pos} if {
	some ref in input.references
	ref.kind == "action"
	not ref.owner in {"acme", "actions"}
}
`

func TestCustomPolicy(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml":                strings.Replace(twoFindings, "actions/setup-go@v5", "someone/tool@v1", 1),
		"ci-policies/acme-actions-only.rego":      orgRule,
		"ci-policies/acme-actions-only.md":        "# acme-actions-only\n\nAsk the platform team.\n",
		"ci-policies/acme-actions-only_test.rego": "package pipelint.rules.acme_actions_only_test\n\nimport data.pipelint.rules.acme_actions_only\n\ntest_other_owner if {\n\tcount(acme_actions_only.findings) == 1 with input as {\"references\": [{\"kind\": \"action\", \"owner\": \"x\", \"value\": {\"value\": \"x/y@v1\", \"pos\": {}}}]}\n}\n",
		".pipelint.yaml":                          "policies: [ci-policies]\n",
	})
	_, stdout, stderr := pipelint(t, root, "check")
	if !strings.Contains(stdout, `.github/workflows/ci.yml:8:15: high acme-actions-only: action "someone/tool@v1" is not from acme or actions`) {
		t.Errorf("custom rule did not report:\n%s%s", stdout, stderr)
	}
	_, sarif, _ := pipelint(t, root, "check", "--format", "sarif")
	if !strings.Contains(sarif, `"id": "acme-actions-only"`) || !strings.Contains(sarif, "Ask the platform team.") {
		t.Errorf("SARIF lacks the custom rule and its help")
	}
	if _, stdout, _ := pipelint(t, root, "policy", "doc", "ci-policies"); !strings.Contains(stdout, "acme-actions-only  high") {
		t.Errorf("policy doc:\n%s", stdout)
	}
	if code, stdout, _ := pipelint(t, root, "policy", "test", "ci-policies"); code != exitClean || !strings.Contains(stdout, "test_other_owner: PASS") || !strings.Contains(stdout, "1 tests, 0 failed") {
		t.Errorf("policy test: exit %d\n%s", code, stdout)
	}
}

func TestPoliciesThatReachOutOrBreakAreRefused(t *testing.T) {
	network := strings.Replace(orgRule, `not ref.owner in {"acme", "actions"}`, `http.send({"method": "get", "url": "https://acme.example/allowed"}).body[ref.owner] == false`, 1)
	broken := strings.Replace(orgRule, "findings contains", "findings contains if", 1)
	for name, src := range map[string]string{"http.send is not allowed": network, "rego_parse_error": broken} {
		root := writeFiles(t, map[string]string{
			".github/workflows/ci.yml": twoFindings,
			"p/rule.rego":              src,
		})
		code, _, stderr := pipelint(t, root, "check", "--policy", "p")
		if code != exitError || !strings.Contains(stderr, "rule.rego:") || !strings.Contains(stderr, name) {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
}

func TestMultipleFormatsInOneRun(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": twoFindings})
	code, stdout, _ := pipelint(t, root, "check", "--format", "sarif=out.sarif", "--format", "gitlab=codequality.json", "--format", "text")
	if code != exitFindings || !strings.Contains(stdout, "3 findings") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	sarif, err := os.ReadFile(filepath.Join(root, "out.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range sariftest.Problems(t, sarif) {
		t.Error(problem)
	}
	var quality []map[string]any
	data, _ := os.ReadFile(filepath.Join(root, "codequality.json"))
	if err := json.Unmarshal(data, &quality); err != nil || len(quality) != 3 {
		t.Errorf("code quality report: %v, %d issues", err, len(quality))
	}
	if code, _, stderr := pipelint(t, root, "check", "--format", "json", "--format", "text"); code != exitError || !strings.Contains(stderr, "only one --format") {
		t.Errorf("two formats on stdout: exit %d %q", code, stderr)
	}
}

func TestMinSeverity(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": twoFindings})
	_, stdout, _ := pipelint(t, root, "check", "--min-severity", "high")
	if got := findingLines(stdout); len(got) != 1 || !strings.Contains(got[0], "high unpinned-image") {
		t.Errorf("findings:\n%s", strings.Join(got, "\n"))
	}
}

// The configuration example of the issue: per-owner pinning policies.
func TestUnpinnedActionPolicies(t *testing.T) {
	workflow := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/checkout@v4\n      - uses: my-org/tool@main\n      - uses: other/thing@v1\npermissions: {}\n"
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml": workflow,
		".pipelint.yaml":           "rules:\n  unpinned-action:\n    options:\n      policies: {\"actions/*\": ref-pin, \"my-org/*\": any, \"*\": hash-pin}\n",
	})
	_, stdout, stderr := pipelint(t, root, "check")
	got := findingLines(stdout)
	if len(got) != 1 || !strings.HasPrefix(got[0], `.github/workflows/ci.yml:8:15: medium unpinned-action: action "other/thing@v1"`) {
		t.Errorf("findings:\n%s\n%s", strings.Join(got, "\n"), stderr)
	}
}

// One scan of several repositories applies each one's own configuration.
func TestEachRepositoryItsOwnConfiguration(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"a/.git/HEAD":                "ref: refs/heads/main\n",
		"a/.pipelint.yaml":           "rules:\n  unpinned-action:\n    enabled: false\n",
		"a/.github/workflows/ci.yml": unpinnedWorkflow,
		"b/.git/HEAD":                "ref: refs/heads/main\n",
		"b/.github/workflows/ci.yml": unpinnedWorkflow,
	})
	_, stdout, stderr := pipelint(t, root, "check")
	var got []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "unpinned-action") {
			got = append(got, line)
		}
	}
	// Paths are relative to each file's repository.
	if len(got) != 1 || !strings.HasPrefix(got[0], ".github/workflows/ci.yml:6:15:") {
		t.Errorf("findings:\n%s\n%s", strings.Join(got, "\n"), stderr)
	}
}
