package report

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/rules"
)

// securityRun has a security rule whose default is high, and three rules
// that are not about security, with the built-in rules' tags.
func securityRun(findings ...finding.Finding) *Run {
	return &Run{
		ToolVersion: "0.1.0",
		Rules: []finding.Rule{
			{ID: "deploy-without-rollback", Severity: finding.High, Tags: []string{"reliability", "deployment"}},
			{ID: "missing-cache", Severity: finding.Medium, Tags: []string{"performance", "reliability"}},
			{ID: "missing-tests", Severity: finding.Medium, Tags: []string{"reliability", "quality"}},
			{ID: "unpinned-action", Severity: finding.High, Tags: []string{"supply-chain", "external/cwe/cwe-829"}},
		},
		Findings:     findings,
		FilesChecked: 1,
	}
}

func unpinned(line int, severity finding.Severity) finding.Finding {
	return finding.Finding{RuleID: "unpinned-action", Severity: severity, Message: "unpinned",
		Pos: pos(".github/workflows/ci.yml", line, 15, line, 34)}
}

// rulesByID renders run and returns its rules by id.
func rulesByID(t *testing.T, run *Run) (map[string]sarifRule, sarifLog) {
	t.Helper()
	_, log := renderSARIF(t, run)
	byID := map[string]sarifRule{}
	for _, rule := range log.Runs[0].Tool.Driver.Rules {
		byID[rule.ID] = rule
	}
	return byID, log
}

// score is a rule's security-severity as a number, or -1 when it has none.
func score(t *testing.T, rule sarifRule) float64 {
	t.Helper()
	if rule.Properties.SecuritySeverity == nil {
		return -1
	}
	text, ok := rule.Properties.SecuritySeverity.(string)
	if !ok {
		t.Fatalf("%s: security-severity %v is not a string", rule.ID, rule.Properties.SecuritySeverity)
	}
	value, err := strconv.ParseFloat(text, 64)
	if err != nil {
		t.Fatal(err)
	}
	return value
}

// A high rule that reports only medium findings (unpinned-action on tags)
// must not make them High security alerts; rules not about security get
// neither the security tag nor a security-severity.
func TestSARIFSecuritySeverityFollowsReportedFindings(t *testing.T) {
	cache := finding.Finding{RuleID: "missing-cache", Severity: finding.Medium, Message: "no cache", Pos: pos(".github/workflows/ci.yml", 3, 9, 0, 0)}
	deploy := finding.Finding{RuleID: "deploy-without-rollback", Severity: finding.High, Message: "no rollback", Pos: pos(".github/workflows/ci.yml", 5, 9, 0, 0)}
	rules, log := rulesByID(t, securityRun(cache, deploy, unpinned(9, finding.Medium), unpinned(12, finding.Medium)))

	action := rules["unpinned-action"]
	if s := score(t, action); s < 4.0 || s > 6.9 {
		t.Errorf("unpinned-action reporting only medium findings: security-severity %v, want the medium band 4.0-6.9", s)
	}
	if !slices.Equal(action.Properties.Tags, []string{"security", "supply-chain", "external/cwe/cwe-829"}) {
		t.Errorf("unpinned-action tags %q", action.Properties.Tags)
	}
	if action.DefaultConfiguration.Level != "error" {
		t.Errorf("unpinned-action default level %q, want error (its default severity is high)", action.DefaultConfiguration.Level)
	}
	for _, id := range []string{"deploy-without-rollback", "missing-cache", "missing-tests"} {
		rule := rules[id]
		if slices.Contains(rule.Properties.Tags, "security") || rule.Properties.SecuritySeverity != nil {
			t.Errorf("%s is not about security, but has tags %q and security-severity %v", id, rule.Properties.Tags, rule.Properties.SecuritySeverity)
		}
	}
	levels := map[string]string{}
	for _, result := range log.Runs[0].Results {
		levels[result.RuleID] = result.Level
	}
	if want := map[string]string{"deploy-without-rollback": "error", "missing-cache": "warning", "unpinned-action": "warning"}; !equalJSON(t, levels, want) {
		t.Errorf("result levels %v, want %v (each finding's own severity)", levels, want)
	}
}

func TestSARIFSecuritySeverityIsTheLowestReported(t *testing.T) {
	for _, tc := range []struct {
		name     string
		findings []finding.Finding
		want     string
	}{
		{"no findings: the default severity", nil, "8.0"},
		{"only high findings", []finding.Finding{unpinned(9, finding.High), unpinned(12, finding.High)}, "8.0"},
		{"high and medium findings", []finding.Finding{unpinned(9, finding.High), unpinned(12, finding.Medium)}, "5.5"},
		{"a low finding among them", []finding.Finding{unpinned(9, finding.Critical), unpinned(12, finding.Low)}, "3.0"},
		{"only critical findings", []finding.Finding{unpinned(9, finding.Critical)}, "9.5"},
	} {
		rules, _ := rulesByID(t, securityRun(tc.findings...))
		if got := rules["unpinned-action"].Properties.SecuritySeverity; got != tc.want {
			t.Errorf("%s: security-severity %v, want %s", tc.name, got, tc.want)
		}
	}
}

// Suppressed findings count only when the log lists them: GitHub ingests
// them as alerts too.
func TestSARIFSecuritySeverityOfSuppressedFindings(t *testing.T) {
	run := securityRun(unpinned(9, finding.High))
	run.Suppressed = []Suppressed{{Finding: unpinned(12, finding.Medium), Reason: "vendored"}}
	for include, want := range map[bool]string{false: "8.0", true: "5.5"} {
		log, err := buildSARIF(run, everyResult(run, include))
		if err != nil {
			t.Fatal(err)
		}
		rule := log.Runs[0].Tool.Driver.Rules[3]
		if *rule.ID != "unpinned-action" {
			t.Fatalf("rule 3 is %s", *rule.ID)
		}
		if got := rule.Properties.Properties["security-severity"]; got != want {
			t.Errorf("include suppressed %v: security-severity %v, want %s", include, got, want)
		}
	}
}

func TestIsSecurityRule(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want bool
	}{
		{nil, false},
		{[]string{"reliability", "deployment"}, false},
		{[]string{"performance"}, false},
		{[]string{"security"}, true},
		{[]string{"Security"}, true},
		{[]string{"quality", "supply-chain"}, true},
		{[]string{"secrets"}, true},
		{[]string{"external/cwe/cwe-214"}, true},
		{[]string{"cwe"}, false},
	} {
		if got := isSecurityRule(tc.tags); got != tc.want {
			t.Errorf("isSecurityRule(%q) = %v, want %v", tc.tags, got, tc.want)
		}
	}
}

// The built-in rules' METADATA tags put each where it belongs.
func TestBuiltInRulesSecurityTags(t *testing.T) {
	e, err := engine.New(context.Background(), engine.WithPolicies(rules.FS))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"plaintext-secret": true, "secret-interpolation": true,
		"unpinned-action": true, "unpinned-image": true, "unpinned-include": true,
		"deploy-without-rollback": false, "missing-cache": false, "missing-tests": false,
	}
	seen := 0
	for _, rule := range e.Rules() {
		security, known := want[rule.ID]
		if !known {
			continue
		}
		seen++
		if got := isSecurityRule(rule.Tags); got != security {
			t.Errorf("%s (tags %q): security rule %v, want %v", rule.ID, rule.Tags, got, security)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d rules", seen, len(want))
	}
}
