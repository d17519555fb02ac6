package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Findings []struct {
		RuleID      string `json:"rule_id"`
		File        string `json:"file"`
		Line        int    `json:"line"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

func decodeJSON(t *testing.T, out string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// Paths are relative to the repository root, wherever pipelint runs from:
// a baseline written inside .github is read by a run from elsewhere.
func TestBaselineAgreesFromAnyDirectory(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"repo/.git/HEAD":                "ref: refs/heads/main\n",
		"repo/.github/workflows/ci.yml": twoFindings,
	})
	if code, _, stderr := pipelint(t, filepath.Join(root, "repo", ".github"), "check", "--write-baseline", "b.json"); code != exitClean {
		t.Fatalf("write baseline: exit %d %s", code, stderr)
	}
	code, stdout, stderr := pipelint(t, root, "check", "--baseline", "repo/.github/b.json", "repo")
	if code != exitClean || len(findingLines(stdout)) != 0 {
		t.Errorf("exit %d, want the findings of the baseline gone:\n%s%s", code, stdout, stderr)
	}
	_, stdout, _ = pipelint(t, root, "check", "--format", "json", "repo")
	for _, f := range decodeJSON(t, stdout).Findings {
		if f.File != ".github/workflows/ci.yml" {
			t.Errorf("file %q, want it relative to the repository root", f.File)
		}
	}
}

// The baseline records the fingerprint SARIF and JSON report, also when
// an identical finding earlier in the file is suppressed inline.
func TestBaselineFingerprintIsTheReportedOne(t *testing.T) {
	workflow := "on: push\njobs:\n  a: # pipelint: ignore[unpinned-action] mirrored\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n" +
		"  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\npermissions: {}\n"
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": workflow})
	_, stdout, _ := pipelint(t, root, "check", "--format", "json", "--write-baseline", "b.json")
	reported := decodeJSON(t, stdout).Findings
	data, err := os.ReadFile(filepath.Join(root, "b.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recorded struct {
		Findings []struct{ Fingerprint string }
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	if len(reported) != 1 || len(recorded.Findings) != 1 || reported[0].Line != 10 || reported[0].Fingerprint != recorded.Findings[0].Fingerprint {
		t.Errorf("reported %+v, recorded %+v: want one finding with one fingerprint", reported, recorded.Findings)
	}
}

// An absolute path argument gives relative URIs under %SRCROOT%, which
// originalUriBaseIds describes as the repository root without naming the
// directory: the output does not depend on where the repository is.
func TestAbsolutePathGivesRelativeSARIFURIs(t *testing.T) {
	root := writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".github/workflows/ci.yml": twoFindings})
	_, stdout, _ := pipelint(t, t.TempDir(), "check", "--format", "sarif", root)
	for _, problem := range sariftest.Problems(t, []byte(stdout)) {
		t.Error(problem)
	}
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI         string `json:"uri"`
				Description struct{ Text string }
			} `json:"originalUriBaseIds"`
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	if base := log.Runs[0].OriginalURIBaseIDs["%SRCROOT%"]; base.URI != "" || !strings.Contains(base.Description.Text, "root of the repository") {
		t.Errorf("%%SRCROOT%% is %+v, want the repository root described, with no absolute URI", base)
	}
	if strings.Contains(stdout, root) {
		t.Errorf("the SARIF names the directory %s", root)
	}
	if len(log.Runs[0].Results) == 0 {
		t.Fatal("no results")
	}
	for _, r := range log.Runs[0].Results {
		location := r.Locations[0].PhysicalLocation.ArtifactLocation
		if location.URI != ".github/workflows/ci.yml" || location.URIBaseID != "%SRCROOT%" {
			t.Errorf("location %+v, want .github/workflows/ci.yml under %%SRCROOT%%", location)
		}
	}
}

// pre-commit passes every changed YAML file: a GitLab include fragment is
// checked through the .gitlab-ci.yml that includes it, never on its own,
// and YAML files that are not CI files are passed over.
func TestPreCommitGitLabFragment(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".git/HEAD":                    "ref: refs/heads/main\n",
		".gitlab-ci.yml":               "include:\n  - local: .gitlab/ci/*.yml\n  - local: deploy.gitlab-ci.yml\n",
		".gitlab/ci/templates.yml":     ".node:\n  image: node:20\n",
		".gitlab/ci/build.yml":         "build:\n  extends: .node\n  script: npm test\n",
		"deploy.gitlab-ci.yml":         "deploy:\n  extends: .node\n  script: make deploy\n",
		"docs/mkdocs.yml":              "site_name: x\n",
		".github/workflows/ci.yml":     "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
		".github/ISSUE_TEMPLATE/x.yml": "name: bug\n",
	})
	code, stdout, stderr := pipelint(t, root, "check", "--skip-unknown", ".gitlab/ci/build.yml", "deploy.gitlab-ci.yml", "docs/mkdocs.yml", ".github/ISSUE_TEMPLATE/x.yml")
	if code != exitFindings || stderr != "" {
		t.Fatalf("exit %d, stderr %q, want findings and no errors:\n%s", code, stderr, stdout)
	}
	if !strings.Contains(stdout, ".gitlab/ci/templates.yml:2:10: medium unpinned-image") || !strings.Contains(stdout, "in 1 file") {
		t.Errorf("the pipeline was not checked once through .gitlab-ci.yml:\n%s", stdout)
	}
	// Without --skip-unknown, a file that is neither is an error.
	if code, _, _ := pipelint(t, root, "check", "docs/mkdocs.yml"); code != exitError {
		t.Errorf("exit %d for a file that is not a CI file, want %d", code, exitError)
	}
}

// Jenkinsfiles go by many names; --verbose mentions the files that look
// like CI files but are not checked.
func TestDiscoveryOfVariantsAndNearMisses(t *testing.T) {
	pipeline := "pipeline {\n  agent any\n  stages {\n    stage('a') { steps { sh 'make' } }\n  }\n}\n"
	root := writeFiles(t, map[string]string{
		"Jenkinsfile-PreCommit":       pipeline,
		"JenkinsFile":                 pipeline,
		"ci/Jenkinsfile_nightly":      pipeline,
		"Jenkinsfile.md":              "# how we build\n",
		".github/workflows/sub/x.yml": "on: push\n",
		".gitlab-ci.yaml":             "build:\n  script: make\n",
	})
	_, stdout, stderr := pipelint(t, root, "check", "--verbose")
	if !strings.Contains(stdout, "in 3 files") {
		t.Errorf("want the three Jenkinsfiles checked:\n%s", stdout)
	}
	for _, skipped := range []string{"Jenkinsfile.md: not checked:", ".github/workflows/sub/x.yml: not checked:", ".gitlab-ci.yaml: not checked:"} {
		if !strings.Contains(stderr, skipped) {
			t.Errorf("--verbose does not mention %q:\n%s", skipped, stderr)
		}
	}
	if _, _, stderr := pipelint(t, root, "check"); strings.Contains(stderr, "not checked") {
		t.Errorf("skipped files are mentioned only with --verbose:\n%s", stderr)
	}
}

// A missing child pipeline is an error at the parent's trigger include,
// with the source line shown.
func TestMissingChildPipelineAtTheTrigger(t *testing.T) {
	root := writeFiles(t, map[string]string{".git/HEAD": "x", ".gitlab-ci.yml": "deploy:\n  trigger:\n    include: ci/child.yml\n"})
	code, stdout, _ := pipelint(t, root, "check")
	want := `.gitlab-ci.yml:3:14: error: the child pipeline file "ci/child.yml" does not exist` + "\n 3 |     include: ci/child.yml\n   |              ^~~~~~~~~~~~\n"
	if code != exitError || !strings.Contains(stdout, want) {
		t.Errorf("exit %d, want:\n%s\ngot:\n%s", code, want, stdout)
	}
}

func TestRefusedFlagCombinations(t *testing.T) {
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": twoFindings, ".pipelint.yaml": "rules: {}\n"})
	for name, args := range map[string][]string{
		"--config with --no-config": {"check", "--config", ".pipelint.yaml", "--no-config"},
		"two formats to one file":   {"check", "--format", "sarif=out", "--format", "json=./out"},
		"an unknown --system":       {"check", "--system", "madeup-ci"},
	} {
		if code, _, _ := pipelint(t, root, args...); code != exitError {
			t.Errorf("%s: exit %d, want %d", name, code, exitError)
		}
	}
	_, help, _ := pipelint(t, root, "check", "--help")
	if !strings.Contains(help, "or never") || !strings.Contains(help, "github, gitlab, jenkins") {
		t.Errorf("help of --fail-on or --system:\n%s", help)
	}
}

// NO_COLOR disables colour only when set to something
// (https://no-color.org).
func TestNoColor(t *testing.T) {
	for value, want := range map[string]bool{"": true, "1": false, "false": false} {
		t.Setenv("NO_COLOR", value)
		if got := colorAllowed(); got != want {
			t.Errorf("NO_COLOR=%q: colour allowed %v, want %v", value, got, want)
		}
	}
}
