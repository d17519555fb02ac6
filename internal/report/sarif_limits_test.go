package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
)

// testLimit stands for GitHub's 25,000 results per run, so that the tests
// need not build and validate that many.
const testLimit = 250

// limited is the SARIF reporter with testLimit results per run.
func limited(opts Options) *SARIF {
	return &SARIF{Category: opts.SARIFCategory, IncludeSuppressed: opts.IncludeSuppressed, maxResults: testLimit}
}

// crowdedRun has testLimit+extra findings of the sample rules over 50
// files, one severity after another, so a fifth of them are info.
func crowdedRun(extra int) *Run {
	run := sampleRun()
	run.Errors = nil
	run.FilesChecked = 50
	rules := []struct {
		id       string
		severity finding.Severity
	}{
		{"hardcoded-secret", finding.Critical}, {"unpinned-action", finding.High},
		{"script-injection", finding.Medium}, {"curl-bash", finding.Low}, {"agent-any", finding.Info},
	}
	run.Findings = make([]finding.Finding, 0, testLimit+extra)
	for i := range testLimit + extra {
		rule := rules[i%len(rules)]
		run.Findings = append(run.Findings, finding.Finding{
			RuleID: rule.id, Severity: rule.severity,
			Message:     fmt.Sprintf("finding %d of rule %s", i, rule.id),
			Pos:         pos(fmt.Sprintf("w%02d.yml", i%50), i/50+1, 3, 0, 10),
			Fingerprint: fmt.Sprintf("fp-%d", i),
		})
	}
	finding.Sort(run.Findings)
	return run
}

// limitsLog is the part of a SARIF document the limit tests read.
type limitsLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []sarifRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			Level     string
			Message   struct{ Text string }
			Locations []resultLocation
		} `json:"results"`
		Invocations []struct {
			ToolExecutionNotifications     []limitsNotification `json:"toolExecutionNotifications"`
			ToolConfigurationNotifications []limitsNotification `json:"toolConfigurationNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type limitsNotification struct {
	Level          string
	Message        struct{ Text string }
	AssociatedRule struct{ ID string } `json:"associatedRule"`
}

// renderLimited renders run as SARIF with opts, checks it against the
// schema and reads it back.
func renderLimited(t *testing.T, opts Options, run *Run) ([]byte, limitsLog) {
	t.Helper()
	var buf bytes.Buffer
	if err := limited(opts).Report(&buf, run); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	for _, problem := range schemaProblems(t, out) {
		t.Errorf("written document is not valid SARIF: %s", problem)
	}
	var log limitsLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 {
		t.Fatalf("want one run with one invocation, got %s", jsonString(t, log.Runs))
	}
	return out, log
}

// resultKey names a result or a finding by rule, place and message.
func resultKey(ruleID, uri string, line int, message string) string {
	return fmt.Sprintf("%s %s:%d %s", ruleID, uri, line, message)
}

// GitHub rejects a run with more than 25,000 results: the SARIF report
// keeps the most severe, then the first by file and line, in report order,
// and says in a notification how many it left out.
func TestSARIFKeepsTheMostSevereResults(t *testing.T) {
	run := crowdedRun(7)
	_, log := renderLimited(t, Options{}, run)
	results := log.Runs[0].Results
	if len(results) != testLimit {
		t.Fatalf("%d results, want %d", len(results), testLimit)
	}

	// The 7 left out are the last info findings by file and line.
	var want []string
	info := 0
	for _, f := range slices.Backward(run.Findings) {
		if f.Severity == finding.Info && info < 7 {
			info++
			continue
		}
		want = slices.Insert(want, 0, resultKey(f.RuleID, f.Pos.File, f.Pos.Line, f.Message))
	}
	var got []string
	for _, r := range results {
		got = append(got, resultKey(r.RuleID, r.Locations[0].PhysicalLocation.ArtifactLocation.URI,
			r.Locations[0].PhysicalLocation.Region.StartLine, r.Message.Text))
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("result %d is %q, want %q", i, got[i], want[i])
			}
		}
	}

	notifications := log.Runs[0].Invocations[0].ToolExecutionNotifications
	wantNotification := `[{"Level":"warning","Message":{"Text":"7 of 257 results left out: GitHub code scanning accepts at most 25,000 results per run. ` +
		`The most severe results are kept, open findings before suppressed ones, then by file and line; the text and JSON reports list every finding."},` +
		`"associatedRule":{"ID":""}}]`
	if got := jsonString(t, notifications); got != wantNotification {
		t.Errorf("notifications:\n got %s\nwant %s", got, wantNotification)
	}
}

// At the limit nothing is left out and nothing is said.
func TestSARIFAtTheLimitLeavesNothingOut(t *testing.T) {
	out, log := renderLimited(t, Options{}, crowdedRun(0))
	if len(log.Runs[0].Results) != testLimit || bytes.Contains(out, []byte("left out")) {
		t.Errorf("%d results; notifications %s", len(log.Runs[0].Results), jsonString(t, log.Runs[0].Invocations))
	}
	if notice := limited(Options{}).LeftOutNotice(crowdedRun(0)); notice != "" {
		t.Errorf("notice for the text summary: %s", notice)
	}
}

// Suppressed findings are listed only on request, so they go before any
// open finding, whatever their severity.
func TestSARIFLeavesOutSuppressedFindingsFirst(t *testing.T) {
	run := crowdedRun(0)
	for i := range 3 {
		run.Suppressed = append(run.Suppressed, Suppressed{Reason: "accepted", Finding: finding.Finding{
			RuleID: "hardcoded-secret", Severity: finding.Critical, Message: fmt.Sprintf("suppressed %d", i),
			Pos: pos("a.yml", i+1, 1, 0, 0)}})
	}
	_, log := renderLimited(t, Options{IncludeSuppressed: true}, run)
	results := log.Runs[0].Results
	if len(results) != testLimit {
		t.Fatalf("%d results, want %d", len(results), testLimit)
	}
	for _, r := range results {
		if strings.HasPrefix(r.Message.Text, "suppressed") {
			t.Fatalf("suppressed finding %q kept over open ones", r.Message.Text)
		}
	}
	want := "3 of 253 results left out (3 of them suppressed findings): GitHub code scanning accepts at most 25,000 results per run."
	if got := log.Runs[0].Invocations[0].ToolExecutionNotifications[0].Message.Text; !strings.HasPrefix(got, want) {
		t.Errorf("notification %q, want it to start %q", got, want)
	}
	// Every open finding is in the SARIF report: the text report has nothing to say.
	if notice := limited(Options{IncludeSuppressed: true}).LeftOutNotice(run); notice != "" {
		t.Errorf("notice for the text summary: %s", notice)
	}
}

// The text report, written from the same Run, says what SARIF left out.
func TestTextSummarySaysWhatSARIFLeftOut(t *testing.T) {
	for extra, want := range map[int]string{
		1: "251 findings (51 critical, 50 high, 50 medium, 50 low, 50 info) in 50 files; " +
			"1 finding left out of the SARIF report (GitHub accepts at most 25,000 per run)",
		12: "262 findings (53 critical, 53 high, 52 medium, 52 low, 52 info) in 50 files; " +
			"12 findings left out of the SARIF report (GitHub accepts at most 25,000 per run)",
	} {
		run := crowdedRun(extra)
		run.Notices = []string{limited(Options{}).LeftOutNotice(run)}
		if got := lastLine(render(t, "text", Options{}, run)); got != want {
			t.Errorf("summary:\n got %s\nwant %s", got, want)
		}
	}
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return lines[len(lines)-1]
}

// GitHub rejects a rule with more than 20 tags. The first 20 distinct ones
// are kept, "security" first on a security rule, and a notification names
// the rest.
func TestSARIFTrimsTagsTo20(t *testing.T) {
	run := sampleRun()
	var tags []string
	for i := range 29 {
		tags = append(tags, fmt.Sprintf("tag-%02d", i+1))
	}
	tags = slices.Insert(tags, 25, "security")
	tags = slices.Insert(tags, 3, "tag-01") // a duplicate does not count
	run.Rules[5].Tags = tags
	_, log := renderLimited(t, Options{}, run)
	rule := log.Runs[0].Tool.Driver.Rules[5]
	want := append([]string{"security"}, tags[:20]...)
	want = slices.Delete(want, 4, 5) // the duplicate "tag-01"
	if !slices.Equal(rule.Properties.Tags, want) {
		t.Errorf("tags %q, want %q", rule.Properties.Tags, want)
	}
	got := jsonString(t, log.Runs[0].Invocations[0].ToolConfigurationNotifications)
	wantNotification := `[{"Level":"warning","Message":{"Text":"rule \"unused-rule\" has 30 distinct tags; GitHub code scanning accepts at most 20 per rule, ` +
		`so the SARIF report leaves out \"tag-20\", \"tag-21\", \"tag-22\", \"tag-23\", \"tag-24\", \"tag-25\", \"tag-26\", \"tag-27\", \"tag-28\", \"tag-29\""},` +
		`"associatedRule":{"ID":"unused-rule"}}]`
	if got != wantNotification {
		t.Errorf("configuration notifications:\n got %s\nwant %s", got, wantNotification)
	}
}

// The same Run gives the same bytes, however much is left out.
func TestSARIFLimitsAreDeterministic(t *testing.T) {
	first, _ := renderLimited(t, Options{SARIFCategory: "pipelint"}, crowdedRun(11))
	second, _ := renderLimited(t, Options{SARIFCategory: "pipelint"}, crowdedRun(11))
	if !bytes.Equal(first, second) {
		t.Error("two renders of one run differ")
	}
}

// everyResult lists every finding of run, and its suppressed ones when
// includeSuppressed is set, as buildSARIF takes them.
func everyResult(run *Run, includeSuppressed bool) sarifResults {
	candidates := newSARIFCandidates(run, includeSuppressed)
	return candidates.first(len(candidates.all), false)
}

// GitHub takes at most 10 MB of gzip-compressed SARIF: over it, the least
// severe results go until the file fits, and no more than that.
func TestSARIFFitsTheGzipLimit(t *testing.T) {
	run := crowdedRun(0)
	run.Findings = run.Findings[:200]
	full := render(t, "sarif", Options{}, run)
	limit := gzipSize(full) * 2 / 3
	reporter := &SARIF{maxGzipBytes: limit}
	var out bytes.Buffer
	if err := reporter.Report(&out, run); err != nil {
		t.Fatal(err)
	}
	if size := gzipSize(out.Bytes()); size > limit {
		t.Fatalf("gzip-compressed size %d, over the limit %d", size, limit)
	}
	for _, problem := range schemaProblems(t, out.Bytes()) {
		t.Errorf("written document is not valid SARIF: %s", problem)
	}
	var log limitsLog
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	kept := len(log.Runs[0].Results)
	if kept == 0 || kept >= len(run.Findings) {
		t.Fatalf("%d of %d results kept", kept, len(run.Findings))
	}
	// One more result would not fit.
	more, err := reporter.render(run, newSARIFCandidates(run, false).first(kept+1, true))
	if err != nil {
		t.Fatal(err)
	}
	if size := gzipSize(more); size <= limit {
		t.Errorf("%d results fit in %d bytes (%d), but only %d were kept", kept+1, limit, size, kept)
	}
	// The least severe went first, and within a severity the last by file
	// and line: what was kept is a prefix of the findings by severity.
	keptMessages := map[string]bool{}
	for _, r := range log.Runs[0].Results {
		keptMessages[r.Message.Text] = true
	}
	bySeverity := slices.Clone(run.Findings)
	slices.SortStableFunc(bySeverity, func(a, b finding.Finding) int { return b.Severity.Rank() - a.Severity.Rank() })
	for i, f := range bySeverity {
		if keptMessages[f.Message] != (i < kept) {
			t.Fatalf("finding %d by severity (%s %s) kept %v", i, f.Severity, f.Message, keptMessages[f.Message])
		}
	}
	want := fmt.Sprintf("%d of %d results left out: GitHub code scanning accepts at most 10 MB of gzip-compressed SARIF per upload.", len(run.Findings)-kept, len(run.Findings))
	if got := log.Runs[0].Invocations[0].ToolExecutionNotifications[0].Message.Text; !strings.HasPrefix(got, want) {
		t.Errorf("notification %q, want it to start %q", got, want)
	}
}
