package report

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestJSONGolden(t *testing.T) {
	checkGolden(t, "json", render(t, "json", Options{}, sampleRun()))
	checkGolden(t, "json-empty", render(t, "json", Options{}, emptyRun()))
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	out := render(t, "json", Options{}, emptyRun())
	for _, want := range []string{`"findings": []`, `"errors": []`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
}

func TestJSONShape(t *testing.T) {
	var document struct {
		Version int
		Tool    struct{ Name, Version string }
		Summary struct {
			Files, Findings, Suppressed, Errors int
			BySeverity                          map[string]int `json:"by_severity"`
		}
		Findings []map[string]any
		Errors   []map[string]any
	}
	decoder := json.NewDecoder(bytes.NewReader(render(t, "json", Options{}, sampleRun())))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&document); err != nil {
		t.Fatal(err)
	}
	got := jsonString(t, document)
	want := `{"Version":1,"Tool":{"Name":"pipelint","Version":"0.1.0"},` +
		`"Summary":{"Files":5,"Findings":6,"Suppressed":0,"Errors":2,"by_severity":{"critical":1,"high":1,"info":2,"low":1,"medium":1}},` +
		`"Findings":[` +
		`{"column":18,"end_column":58,"end_line":7,"file":".github/workflows/ci.yml","fingerprint":"fp-secret","line":7,"message":"env \"API_TOKEN\" holds a literal GitHub token","rule_id":"hardcoded-secret","severity":"critical"},` +
		`{"column":15,"end_column":34,"end_line":9,"file":".github/workflows/ci.yml","fingerprint":"fp-unpinned","line":9,"message":"\"actions/checkout@v4\" is not pinned to a commit","rule_id":"unpinned-action","severity":"high"},` +
		`{"column":20,"end_column":51,"end_line":10,"file":".github/workflows/ci.yml","fingerprint":"fp-injection","line":10,"message":"\"github.event.issue.title\" is expanded into a script; use an environment variable \u0026 quote it","rule_id":"script-injection","severity":"medium"},` +
		`{"column":7,"end_column":16,"end_line":5,"file":".gitlab-ci.yml","fingerprint":"fp-curl","line":4,"message":"\"https://example.com/install.sh\" is piped into bash","rule_id":"curl-bash","severity":"low"},` +
		`{"column":2,"end_column":11,"end_line":2,"file":"Jenkinsfile","fingerprint":"","line":2,"message":"pipeline runs on \"any\" agent","rule_id":"agent-any","severity":"info"},` +
		`{"column":38,"end_column":47,"end_line":3,"file":"Jenkinsfile","fingerprint":"fp-stage","line":3,"message":"stage \"Ünïcode\" runs a shell step","rule_id":"agent-any","severity":"info"}],` +
		`"Errors":[` +
		`{"column":5,"file":"docs/my workflow.yml","line":3,"message":"mapping values are not allowed in this context"},` +
		`{"column":0,"file":"unreadable.yml","line":0,"message":"open unreadable.yml: permission denied"}]}`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
