package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

func TestGitLabGolden(t *testing.T) {
	checkGolden(t, "gitlab", render(t, "gitlab", Options{}, sampleRun()))
	checkGolden(t, "gitlab-empty", render(t, "gitlab", Options{}, emptyRun()))
}

func TestGitLabEmptyIsAnArray(t *testing.T) {
	if got := string(render(t, "gitlab", Options{}, emptyRun())); got != "[]\n" {
		t.Errorf("got %q, want []", got)
	}
}

// decodeCodeQuality reads a report strictly: a JSON array of issues with
// exactly the fields GitLab reads, each of them set.
func decodeCodeQuality(t *testing.T, report []byte) []codeQualityIssue {
	t.Helper()
	if bytes.HasPrefix(report, []byte("\xef\xbb\xbf")) {
		t.Fatal("report starts with a byte order mark, which GitLab rejects")
	}
	decoder := json.NewDecoder(bytes.NewReader(report))
	decoder.DisallowUnknownFields()
	var issues []codeQualityIssue
	if err := decoder.Decode(&issues); err != nil {
		t.Fatal(err)
	}
	if decoder.More() {
		t.Fatal("more than one JSON value")
	}
	for i, issue := range issues {
		if issue.Description == "" || issue.CheckName == "" || issue.Fingerprint == "" || issue.Location.Path == "" || issue.Location.Lines.Begin < 1 {
			t.Errorf("issue %d lacks a field GitLab requires: %+v", i, issue)
		}
		if !slices.Contains([]string{"info", "minor", "major", "critical", "blocker"}, issue.Severity) {
			t.Errorf("issue %d: severity %q is not one GitLab knows", i, issue.Severity)
		}
	}
	return issues
}

func TestGitLabIssues(t *testing.T) {
	run := sampleRun()
	issues := decodeCodeQuality(t, render(t, "gitlab", Options{}, run))
	got := jsonString(t, issues)
	want := `[` +
		`{"description":"mapping values are not allowed in this context","check_name":"pipelint/error","fingerprint":"` + messageFingerprint("pipelint/error", "docs/my workflow.yml", "mapping values are not allowed in this context") + `","severity":"major","location":{"path":"docs/my workflow.yml","lines":{"begin":3}}},` +
		`{"description":"open unreadable.yml: permission denied","check_name":"pipelint/error","fingerprint":"` + messageFingerprint("pipelint/error", "unreadable.yml", "open unreadable.yml: permission denied") + `","severity":"major","location":{"path":"unreadable.yml","lines":{"begin":1}}},` +
		`{"description":"env \"API_TOKEN\" holds a literal GitHub token","check_name":"pipelint/hardcoded-secret","fingerprint":"fp-secret","severity":"blocker","location":{"path":".github/workflows/ci.yml","lines":{"begin":7}}},` +
		`{"description":"\"actions/checkout@v4\" is not pinned to a commit","check_name":"pipelint/unpinned-action","fingerprint":"fp-unpinned","severity":"critical","location":{"path":".github/workflows/ci.yml","lines":{"begin":9}}},` +
		`{"description":"\"github.event.issue.title\" is expanded into a script; use an environment variable \u0026 quote it","check_name":"pipelint/script-injection","fingerprint":"fp-injection","severity":"major","location":{"path":".github/workflows/ci.yml","lines":{"begin":10}}},` +
		`{"description":"\"https://example.com/install.sh\" is piped into bash","check_name":"pipelint/curl-bash","fingerprint":"fp-curl","severity":"minor","location":{"path":".gitlab-ci.yml","lines":{"begin":4}}},` +
		`{"description":"pipeline runs on \"any\" agent","check_name":"pipelint/agent-any","fingerprint":"` + messageFingerprint("agent-any", "Jenkinsfile", "pipeline runs on \"any\" agent") + `","severity":"info","location":{"path":"Jenkinsfile","lines":{"begin":2}}},` +
		`{"description":"stage \"Ünïcode\" runs a shell step","check_name":"pipelint/agent-any","fingerprint":"fp-stage","severity":"info","location":{"path":"Jenkinsfile","lines":{"begin":3}}}]`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// messageFingerprint is the fingerprint of the first finding of a rule with
// that message in a file whose lines are not known: what the engine gives
// such a finding, and the reporter a file it could not check.
func messageFingerprint(ruleID, file, message string) string {
	f := []finding.Finding{{RuleID: ruleID, Message: message, Pos: model.Pos{File: file, Line: 1}}}
	finding.Fingerprint(f, func(string) []string { return nil })
	return f[0].Fingerprint
}

// A fingerprint pipelint makes itself leaves the line out, and tells apart
// identical findings in one file.
func TestGitLabFallbackFingerprint(t *testing.T) {
	finding := finding.Finding{RuleID: "agent-any", Severity: finding.Info, Message: "m", Pos: pos("Jenkinsfile", 2, 1, 0, 0)}
	fingerprints := func(lines ...int) []string {
		run := emptyRun()
		for _, line := range lines {
			f := finding
			f.Pos.Line = line
			run.Findings = append(run.Findings, f)
		}
		var out []string
		for _, issue := range decodeCodeQuality(t, render(t, "gitlab", Options{}, run)) {
			out = append(out, issue.Fingerprint)
		}
		return out
	}
	before, after := fingerprints(2, 9), fingerprints(5, 30)
	if !slices.Equal(before, after) {
		t.Errorf("moving the findings changed their fingerprints: %q became %q", before, after)
	}
	if before[0] == before[1] || len(before[0]) != 32 {
		t.Errorf("fingerprints %q: want two distinct 32-digit hashes", before)
	}
}
