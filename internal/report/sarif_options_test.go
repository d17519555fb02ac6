package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/report/sariftest"
)

// renderSARIFWith renders run with opts and checks it against the schema,
// both the document go-sarif built and the bytes written.
func renderSARIFWith(t *testing.T, opts Options, run *Run) []byte {
	t.Helper()
	log, err := buildSARIF(run, everyResult(run, false))
	if err != nil {
		t.Fatal(err)
	}
	reporter := &SARIF{Category: opts.SARIFCategory}
	reporter.describeRun(log.Runs[0])
	if err := log.Validate(); err != nil {
		t.Errorf("built document is not valid SARIF: %v", err)
	}
	out := render(t, "sarif", opts, run)
	for _, problem := range schemaProblems(t, out) {
		t.Errorf("written document is not valid SARIF: %s", problem)
	}
	return out
}

func TestSARIFCategory(t *testing.T) {
	for category, want := range map[string]string{
		"":                         "null",
		"pipelint":                 `{"id":"pipelint/"}`,
		"pipelint/github-actions":  `{"id":"pipelint/github-actions/"}`,
		"pipelint/github-actions/": `{"id":"pipelint/github-actions/"}`,
	} {
		var log struct {
			Runs []struct {
				AutomationDetails json.RawMessage `json:"automationDetails"`
			}
		}
		if err := json.Unmarshal(renderSARIFWith(t, Options{SARIFCategory: category}, sampleRun()), &log); err != nil {
			t.Fatal(err)
		}
		if got := compactJSON(t, log.Runs[0].AutomationDetails); got != want {
			t.Errorf("category %q: automationDetails = %s, want %s", category, got, want)
		}
	}
}

// %SRCROOT% is described as the repository root, never located at an
// absolute path: the output must not depend on where the repository is.
func TestSARIFSourceRoot(t *testing.T) {
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs json.RawMessage `json:"originalUriBaseIds"`
		}
	}
	if err := json.Unmarshal(renderSARIFWith(t, Options{}, emptyRun()), &log); err != nil {
		t.Fatal(err)
	}
	want := `{"%SRCROOT%":{"description":{"text":"` + srcRootDescription + `"}}}`
	if got := compactJSON(t, log.Runs[0].OriginalURIBaseIDs); got != want {
		t.Errorf("originalUriBaseIds = %s, want %s", got, want)
	}
}

// The options only add to the run: without them the output is the golden.
func TestSARIFOptionsOnlyAdd(t *testing.T) {
	plain := render(t, "sarif", Options{}, sampleRun())
	with := render(t, "sarif", Options{SARIFCategory: "pipelint"}, sampleRun())
	added := "      \"automationDetails\": {\n        \"id\": \"pipelint/\"\n      },\n"
	if !bytes.Contains(with, []byte(added)) {
		t.Fatalf("no automationDetails in\n%s", with)
	}
	without := bytes.Replace(with, []byte(added), nil, 1)
	if !bytes.Equal(without, plain) {
		t.Errorf("the options changed more than automationDetails:\n%s", with)
	}
}

func compactJSON(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return "null"
	}
	var out bytes.Buffer
	if err := json.Compact(&out, raw); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestSARIFSuppressedFindings(t *testing.T) {
	run := sampleRun()
	silenced := run.Findings[1]
	run.Findings = append(run.Findings[:1:1], run.Findings[2:]...)
	run.Suppressed = []Suppressed{{Finding: silenced, Reason: "vendored workflow, pinned upstream"}}

	without := render(t, "sarif", Options{}, run)
	if strings.Contains(string(without), "suppressions") || strings.Contains(string(without), silenced.Message) {
		t.Error("suppressed findings appear without IncludeSuppressed")
	}

	with := render(t, "sarif", Options{IncludeSuppressed: true}, run)
	for _, problem := range sariftest.Problems(t, with) {
		t.Error(problem)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message      struct{ Text string }
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	if err := json.Unmarshal(with, &log); err != nil {
		t.Fatal(err)
	}
	suppressed := 0
	for _, r := range log.Runs[0].Results {
		if r.Suppressions == nil {
			t.Errorf("result %q has no suppressions array: SARIF wants all or none", r.Message.Text)
		}
		if len(r.Suppressions) == 1 {
			suppressed++
			if r.Message.Text != silenced.Message || r.Suppressions[0].Kind != "inSource" || r.Suppressions[0].Justification != "vendored workflow, pinned upstream" {
				t.Errorf("suppressed result = %+v", r)
			}
		}
	}
	if suppressed != 1 || len(log.Runs[0].Results) != len(run.Findings)+1 {
		t.Errorf("%d suppressed of %d results", suppressed, len(log.Runs[0].Results))
	}
}
