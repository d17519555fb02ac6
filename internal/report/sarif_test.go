package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// sarifLog is the part of a SARIF document these tests read.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name           string      `json:"name"`
				Version        string      `json:"version"`
				InformationURI string      `json:"informationUri"`
				Rules          []sarifRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results     []sarifResult `json:"results"`
		Invocations []struct {
			ExecutionSuccessful        *bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []resultLocation `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type sarifRule struct {
	ID                   string
	Name                 string
	ShortDescription     struct{ Text string }
	FullDescription      struct{ Text string }
	Help                 struct{ Text, Markdown string }
	HelpURI              string `json:"helpUri"`
	DefaultConfiguration struct{ Level string }
	Properties           struct {
		Tags             []string
		Precision        string
		SecuritySeverity any `json:"security-severity"`
	}
}

type sarifResult struct {
	RuleID              string `json:"ruleId"`
	RuleIndex           *int   `json:"ruleIndex"`
	Level               string
	Message             struct{ Text string }
	Locations           []resultLocation
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type resultLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *struct{ StartLine, StartColumn, EndLine, EndColumn int }
	} `json:"physicalLocation"`
}

// renderSARIF renders run and checks it against the SARIF 2.1.0 schema,
// both the document go-sarif built and the bytes written (after pruning).
func renderSARIF(t *testing.T, run *Run) ([]byte, sarifLog) {
	t.Helper()
	built, err := buildSARIF(run, everyResult(run, false))
	if err != nil {
		t.Fatal(err)
	}
	if err := built.Validate(); err != nil {
		t.Errorf("built document is not valid SARIF: %v", err)
	}
	out := render(t, "sarif", Options{}, run)
	for _, problem := range schemaProblems(t, out) {
		t.Errorf("written document is not valid SARIF: %s", problem)
	}
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(log.Runs))
	}
	return out, log
}

func TestSARIFGolden(t *testing.T) {
	out, _ := renderSARIF(t, sampleRun())
	checkGolden(t, "sarif", out)
	empty, _ := renderSARIF(t, emptyRun())
	checkGolden(t, "sarif-empty", empty)
}

func TestSARIFEmptyRunHasEmptyArrays(t *testing.T) {
	out, log := renderSARIF(t, emptyRun())
	for _, want := range []string{`"results": []`, `"executionSuccessful": true`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
	if got := len(log.Runs[0].Tool.Driver.Rules); got != 6 {
		t.Errorf("want all 6 rules listed, got %d", got)
	}
	run := emptyRun()
	run.Rules = nil
	if out, _ := renderSARIF(t, run); !bytes.Contains(out, []byte(`"rules": []`)) {
		t.Errorf("no rules: []:\n%s", out)
	}
}

func TestSARIFHeader(t *testing.T) {
	_, log := renderSARIF(t, sampleRun())
	driver := log.Runs[0].Tool.Driver
	got := []string{log.Schema, log.Version, log.Runs[0].ColumnKind, driver.Name, driver.Version, driver.InformationURI}
	want := []string{"https://json.schemastore.org/sarif-2.1.0.json", "2.1.0", "unicodeCodePoints",
		"pipelint", "0.1.0", "https://github.com/pipelint/pipelint"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("header = %q, want %q", got, want)
	}
}

func TestSARIFRules(t *testing.T) {
	_, log := renderSARIF(t, sampleRun())
	rules := log.Runs[0].Tool.Driver.Rules
	for i, rule := range rules {
		if rule.ID != sampleRun().Rules[i].ID {
			t.Errorf("rule %d is %q, want %q (the order of Run.Rules)", i, rule.ID, sampleRun().Rules[i].ID)
		}
		if rule.Help.Text == "" || rule.Help.Markdown == "" || rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" {
			t.Errorf("%s: empty description or help: %+v", rule.ID, rule)
		}
		seen := map[string]bool{}
		for _, tag := range rule.Properties.Tags {
			if seen[tag] {
				t.Errorf("%s: tag %q repeated in %q", rule.ID, tag, rule.Properties.Tags)
			}
			seen[tag] = true
		}
		if security := isSecurityRule(sampleRun().Rules[i].Tags); seen["security"] != security || (rule.Properties.SecuritySeverity != nil) != security {
			t.Errorf("%s: security rule %v, but tags %q and security-severity %v", rule.ID, security, rule.Properties.Tags, rule.Properties.SecuritySeverity)
		}
	}

	secret := rules[2]
	want := sarifRule{ID: "hardcoded-secret", Name: "Secret written in the pipeline file", HelpURI: "https://pipelint.dev/rules/hardcoded-secret"}
	want.ShortDescription.Text = "Secret written in the pipeline file"
	want.FullDescription.Text = "A credential is written in plain text in the pipeline definition."
	want.Help.Text = "A credential is written in plain text in the pipeline definition.\n\nMove it to the CI system's secret store and rotate it."
	want.Help.Markdown = "# hardcoded-secret\n\nUse `${{ secrets.NAME }}` instead."
	want.DefaultConfiguration.Level = "error"
	want.Properties.Tags = []string{"security", "secrets", "external/cwe/cwe-798"}
	want.Properties.Precision = "high"
	want.Properties.SecuritySeverity = "9.5"
	if !equalJSON(t, secret, want) {
		t.Errorf("hardcoded-secret rule:\n got %+v\nwant %+v", secret, want)
	}

	// A rule with only an ID and a severity still has every field GitHub requires.
	bare := rules[5]
	if bare.ID != "unused-rule" || bare.Name != "unused-rule" || bare.ShortDescription.Text != "unused-rule" ||
		bare.FullDescription.Text != "unused-rule" || bare.Help.Text != "unused-rule" || bare.Help.Markdown != "unused-rule" ||
		bare.HelpURI != "" || bare.Properties.Precision != "high" {
		t.Errorf("bare rule: %+v", bare)
	}

	levels := map[string]string{}
	scores := map[string]any{}
	precisions := map[string]string{}
	for _, rule := range rules {
		levels[rule.ID] = rule.DefaultConfiguration.Level
		scores[rule.ID] = rule.Properties.SecuritySeverity
		precisions[rule.ID] = rule.Properties.Precision
	}
	wantLevels := map[string]string{"agent-any": "note", "curl-bash": "note", "hardcoded-secret": "error",
		"script-injection": "warning", "unpinned-action": "error", "unused-rule": "warning"}
	// Only security rules are scored; agent-any and unused-rule are not.
	wantScores := map[string]any{"agent-any": nil, "curl-bash": "3.0", "hardcoded-secret": "9.5",
		"script-injection": "5.5", "unpinned-action": "8.0", "unused-rule": nil}
	wantPrecisions := map[string]string{"agent-any": "high", "curl-bash": "medium", "hardcoded-secret": "high",
		"script-injection": "high", "unpinned-action": "very-high", "unused-rule": "high"}
	if !equalJSON(t, levels, wantLevels) || !equalJSON(t, scores, wantScores) || !equalJSON(t, precisions, wantPrecisions) {
		t.Errorf("levels %v, security-severity %v, precision %v", levels, scores, precisions)
	}
}

func TestSARIFResults(t *testing.T) {
	run := sampleRun()
	out, log := renderSARIF(t, run)
	rules := log.Runs[0].Tool.Driver.Rules
	results := log.Runs[0].Results
	if len(results) != len(run.Findings) {
		t.Fatalf("%d results for %d findings", len(results), len(run.Findings))
	}
	for i, result := range results {
		f := run.Findings[i]
		if result.RuleIndex == nil || *result.RuleIndex < 0 || *result.RuleIndex >= len(rules) || rules[*result.RuleIndex].ID != f.RuleID {
			t.Errorf("result %d (%s): ruleIndex %v does not point at its rule", i, f.RuleID, result.RuleIndex)
		}
		if result.RuleID != f.RuleID || result.Message.Text != f.Message || result.Level != sarifLevel(f.Severity) {
			t.Errorf("result %d: %+v does not match %+v", i, result, f)
		}
		if len(result.Locations) != 1 {
			t.Fatalf("result %d: %d locations, want 1", i, len(result.Locations))
		}
		artifact := result.Locations[0].PhysicalLocation.ArtifactLocation
		if artifact.URI != f.Pos.File || artifact.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: artifact %+v", i, artifact)
		}
		wantFingerprints := map[string]string{"primaryLocationLineHash": f.Fingerprint}
		if f.Fingerprint == "" {
			wantFingerprints = nil
		}
		if !equalJSON(t, result.PartialFingerprints, wantFingerprints) {
			t.Errorf("result %d: partialFingerprints %v", i, result.PartialFingerprints)
		}
	}
	regions := []string{}
	for _, result := range results {
		regions = append(regions, jsonString(t, result.Locations[0].PhysicalLocation.Region))
	}
	wantRegions := []string{
		`{"StartLine":7,"StartColumn":18,"EndLine":7,"EndColumn":58}`,
		`{"StartLine":9,"StartColumn":15,"EndLine":9,"EndColumn":34}`,
		`{"StartLine":10,"StartColumn":20,"EndLine":10,"EndColumn":51}`,
		`{"StartLine":4,"StartColumn":7,"EndLine":5,"EndColumn":16}`,
		`{"StartLine":2,"StartColumn":2,"EndLine":2,"EndColumn":11}`,
		`{"StartLine":3,"StartColumn":38,"EndLine":3,"EndColumn":47}`,
	}
	if strings.Join(regions, "\n") != strings.Join(wantRegions, "\n") {
		t.Errorf("regions:\n%s\nwant:\n%s", strings.Join(regions, "\n"), strings.Join(wantRegions, "\n"))
	}
	for _, banned := range []string{`"snippet"`, `"contextRegion"`, `: -1`, "null", "API_TOKEN:"} {
		if bytes.Contains(out, []byte(banned)) {
			t.Errorf("SARIF contains %q", banned)
		}
	}
}

func TestSARIFParseErrors(t *testing.T) {
	_, log := renderSARIF(t, sampleRun())
	invocations := log.Runs[0].Invocations
	if len(invocations) != 1 || invocations[0].ExecutionSuccessful == nil || *invocations[0].ExecutionSuccessful {
		t.Fatalf("want one invocation with executionSuccessful false, got %s", jsonString(t, invocations))
	}
	got := jsonString(t, invocations[0].ToolExecutionNotifications)
	want := `[{"level":"error","Message":{"Text":"mapping values are not allowed in this context"},"locations":[` +
		`{"physicalLocation":{"artifactLocation":{"uri":"docs/my%20workflow.yml","uriBaseId":"%SRCROOT%"},` +
		`"Region":{"StartLine":3,"StartColumn":5,"EndLine":3,"EndColumn":6}}}]},` +
		`{"level":"error","Message":{"Text":"open unreadable.yml: permission denied"},"locations":[` +
		`{"physicalLocation":{"artifactLocation":{"uri":"unreadable.yml","uriBaseId":"%SRCROOT%"},"Region":null}}]}]`
	if got != want {
		t.Errorf("notifications:\n got %s\nwant %s", got, want)
	}
}

func TestSARIFUnknownRule(t *testing.T) {
	run := sampleRun()
	run.Findings = append(run.Findings, finding.Finding{RuleID: "no-such-rule", Pos: pos("x.yml", 1, 1, 0, 0)})
	err := (&SARIF{}).Report(&bytes.Buffer{}, run)
	if err == nil || err.Error() != `x.yml:1:1: finding for unknown rule "no-such-rule"` {
		t.Errorf("error = %v", err)
	}
}

func TestSARIFURIOfOddPaths(t *testing.T) {
	for path, want := range map[string]string{
		".github/workflows/ci.yml": ".github/workflows/ci.yml",
		"dir with space/a#b.yml":   "dir%20with%20space/a%23b.yml",
		"c:ci.yml":                 "./c:ci.yml",
		"ünï/.gitlab-ci.yml":       "%C3%BCn%C3%AF/.gitlab-ci.yml",
	} {
		got := *sarifLocation(pos(path, 1, 1, 0, 0), false).PhysicalLocation.ArtifactLocation.URI
		if got != want {
			t.Errorf("uri of %q = %q, want %q", path, got, want)
		}
	}
}

// A relative reference under %SRCROOT% never starts with "/": an absolute
// path becomes a file:// URI without the base, in results and in
// notifications alike, and the log stays valid.
func TestSARIFAbsolutePaths(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the paths below are Unix paths")
	}
	for path, want := range map[string]string{
		"/work/repo/.github/workflows/ci.yml": "file:///work/repo/.github/workflows/ci.yml",
		"/work/my repo/a#b.yml":               "file:///work/my%20repo/a%23b.yml",
		"//work/ci.yml":                       "file:///work/ci.yml",
	} {
		artifact := sarifLocation(pos(path, 1, 1, 0, 0), false).PhysicalLocation.ArtifactLocation
		if *artifact.URI != want || artifact.URIBaseID != nil {
			t.Errorf("%q: uri %q, uriBaseId %v; want %q and no base", path, *artifact.URI, artifact.URIBaseID, want)
		}
	}

	run := sampleRun()
	run.Findings[0].Pos.File = "/work/repo/.github/workflows/ci.yml"
	run.Errors[1].Pos.File = "/work/repo/unreadable.yml"
	_, log := renderSARIF(t, run)
	var locations []resultLocation
	for _, result := range log.Runs[0].Results {
		locations = append(locations, result.Locations...)
	}
	for _, notification := range log.Runs[0].Invocations[0].ToolExecutionNotifications {
		locations = append(locations, notification.Locations...)
	}
	absolute := 0
	for _, location := range locations {
		artifact := location.PhysicalLocation.ArtifactLocation
		switch {
		case strings.HasPrefix(artifact.URI, "file:///"):
			absolute++
			if artifact.URIBaseID != "" {
				t.Errorf("absolute %q has uriBaseId %q", artifact.URI, artifact.URIBaseID)
			}
		case strings.HasPrefix(artifact.URI, "/") || strings.Contains(artifact.URI, ":/"):
			t.Errorf("uri %q is neither relative nor a file URI", artifact.URI)
		case artifact.URIBaseID != "%SRCROOT%":
			t.Errorf("relative %q has uriBaseId %q", artifact.URI, artifact.URIBaseID)
		}
	}
	if absolute != 2 {
		t.Errorf("%d file URIs, want 2", absolute)
	}
}

// schemaProblems checks written bytes against the official schema and
// makes sure the embedded copy is the official text.
func schemaProblems(t *testing.T, document []byte) []string {
	t.Helper()
	if sum := sha256.Sum256(sariftest.Schema()); hex.EncodeToString(sum[:]) != "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e" {
		t.Fatal("the embedded SARIF schema is not the official schema")
	}
	return sariftest.Problems(t, document)
}

// The schema check catches the mistakes GitHub rejects uploads for (except a
// path that is not a URI reference: gojsonschema accepts "a b.yml", so
// TestSARIFURIOfOddPaths guards that).
func TestSchemaProblemsCatchesWhatGitHubRejects(t *testing.T) {
	valid, _ := renderSARIF(t, sampleRun())
	for broken, want := range map[string]string{
		`"startColumn": 18`:          `"startColumn": 0`,
		`"level": "error"`:           `"level": "high"`,
		`"supply-chain"`:             `"security"`,
		`"text": "Action not pinned`: `"text": 7, "x": "`,
	} {
		document := bytes.Replace(valid, []byte(broken), []byte(want), 1)
		if bytes.Equal(document, valid) {
			t.Fatalf("%s is not in the document", broken)
		}
		if problems := schemaProblems(t, document); len(problems) == 0 {
			t.Errorf("replacing %s with %s went unnoticed", broken, want)
		}
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	return jsonString(t, a) == jsonString(t, b)
}

// A finding with edits carries them as one SARIF fix, its description
// saying when it is unsafe; a finding without edits (a pin the network
// resolves, or no fix at all) has no fixes. The document stays valid.
func TestSARIFFixes(t *testing.T) {
	run := sampleRun()
	run.Findings = append(run.Findings, finding.Finding{RuleID: "unpinned-action", Severity: finding.Medium, Message: "safe",
		Pos:   pos("action.yml", 2, 3, 2, 9),
		Fix:   &finding.Fix{Kind: finding.SetInput, Pos: pos("action.yml", 2, 3, 2, 9), Input: "persist-credentials", Value: "false"},
		Edits: []finding.TextEdit{{Pos: pos("action.yml", 3, 1, 3, 1), New: "  with:\n    persist-credentials: false\n"}}})
	out, _ := renderSARIF(t, run)
	var log struct {
		Runs []struct {
			Results []struct {
				Message struct{ Text string }
				Fixes   []struct {
					Description     struct{ Text string }
					ArtifactChanges []struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Replacements []struct {
							DeletedRegion   struct{ StartLine, StartColumn, EndLine, EndColumn int }
							InsertedContent struct{ Text string }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	var withFixes []string
	for _, r := range log.Runs[0].Results {
		for _, f := range r.Fixes {
			for _, c := range f.ArtifactChanges {
				for _, rep := range c.Replacements {
					d := rep.DeletedRegion
					withFixes = append(withFixes, fmt.Sprintf("%s | %s | %s %d:%d-%d:%d %q", r.Message.Text, f.Description.Text,
						c.ArtifactLocation.URI, d.StartLine, d.StartColumn, d.EndLine, d.EndColumn, rep.InsertedContent.Text))
				}
			}
		}
	}
	want := []string{
		`"github.event.issue.title" is expanded into a script; use an environment variable & quote it | Move the expression into the step's env and read it as a variable (unsafe: it may change what the pipeline does; pipelint fix applies it with --unsafe) | .github/workflows/ci.yml 10:20-10:51 "${EVENT_ISSUE_TITLE}"`,
		`"github.event.issue.title" is expanded into a script; use an environment variable & quote it | Move the expression into the step's env and read it as a variable (unsafe: it may change what the pipeline does; pipelint fix applies it with --unsafe) | .github/workflows/ci.yml 11:1-11:1 "        env:\n          EVENT_ISSUE_TITLE: ${{ github.event.issue.title }}\n"`,
		`safe | Set input persist-credentials to "false" | action.yml 3:1-3:1 "  with:\n    persist-credentials: false\n"`,
	}
	if strings.Join(withFixes, "\n") != strings.Join(want, "\n") {
		t.Errorf("fixes:\n%s\nwant:\n%s", strings.Join(withFixes, "\n"), strings.Join(want, "\n"))
	}
}
