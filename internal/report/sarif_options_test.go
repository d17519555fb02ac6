package report

import (
	"bytes"
	"encoding/json"
	"runtime"
	"testing"
)

// renderSARIFWith renders run with opts and checks it against the schema,
// both the document go-sarif built and the bytes written.
func renderSARIFWith(t *testing.T, opts Options, run *Run) []byte {
	t.Helper()
	log, err := buildSARIF(run)
	if err != nil {
		t.Fatal(err)
	}
	reporter := &SARIF{Category: opts.SARIFCategory, SourceRoot: opts.SourceRoot}
	if err := reporter.describeRun(log.Runs[0]); err != nil {
		t.Fatal(err)
	}
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

func TestSARIFSourceRoot(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the paths below are Unix paths")
	}
	for root, want := range map[string]string{
		"":                    "null",
		"/work/repo":          `{"%SRCROOT%":{"uri":"file:///work/repo/"}}`,
		"/work/repo/":         `{"%SRCROOT%":{"uri":"file:///work/repo/"}}`,
		"/work/my repo/../a#": `{"%SRCROOT%":{"uri":"file:///work/a%23/"}}`,
		"/":                   `{"%SRCROOT%":{"uri":"file:///"}}`,
	} {
		var log struct {
			Runs []struct {
				OriginalURIBaseIDs json.RawMessage `json:"originalUriBaseIds"`
			}
		}
		out := renderSARIFWith(t, Options{SourceRoot: root}, emptyRun())
		if err := json.Unmarshal(out, &log); err != nil {
			t.Fatal(err)
		}
		if got := compactJSON(t, log.Runs[0].OriginalURIBaseIDs); got != want {
			t.Errorf("source root %q: originalUriBaseIds = %s, want %s", root, got, want)
		}
	}
}

// The options only add to the run: without them the output is the golden.
func TestSARIFOptionsOnlyAdd(t *testing.T) {
	plain := render(t, "sarif", Options{}, sampleRun())
	with := render(t, "sarif", Options{SARIFCategory: "pipelint", SourceRoot: "/repo"}, sampleRun())
	added := "      \"automationDetails\": {\n        \"id\": \"pipelint/\"\n      },\n"
	if !bytes.Contains(with, []byte(added)) {
		t.Fatalf("no automationDetails in\n%s", with)
	}
	without := bytes.Replace(with, []byte(added), nil, 1)
	without = bytes.Replace(without, []byte("      \"originalUriBaseIds\": {\n        \"%SRCROOT%\": {\n          \"uri\": \"file:///repo/\"\n        }\n      },\n"), nil, 1)
	if !bytes.Equal(without, plain) {
		t.Errorf("the options changed more than automationDetails and originalUriBaseIds:\n%s", with)
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
