package github

import (
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// TestExpressionAnalysis checks what an expression reads and what flows
// into its value, the facts the injection rules judge.
func TestExpressionAnalysis(t *testing.T) {
	tests := []struct {
		body         string // the text after ${{
		value        string
		reads, flows []string
	}{
		{" github.event.issue.title }}", "github.event.issue.title", []string{"github.event.issue.title"}, []string{"github.event.issue.title"}},
		// Contexts ignore case; the paths are lower case.
		{"GitHub.Event.Issue.Title}} rest", "GitHub.Event.Issue.Title", []string{"github.event.issue.title"}, []string{"github.event.issue.title"}},
		// A ternary with literal branches yields only its literals.
		{" github.head_ref && 'yes' || 'no' }}", "github.head_ref && 'yes' || 'no'", []string{"github.head_ref"}, nil},
		{" inputs.a || github.head_ref }}", "inputs.a || github.head_ref", []string{"github.head_ref", "inputs.a"}, []string{"github.head_ref", "inputs.a"}},
		{" github.event_name == 'push' && github.ref || inputs.ref }}", "github.event_name == 'push' && github.ref || inputs.ref", []string{"github.event_name", "github.ref", "inputs.ref"}, []string{"github.ref", "inputs.ref"}},
		{" !github.event.pull_request.draft }}", "!github.event.pull_request.draft", []string{"github.event.pull_request.draft"}, nil},
		{" contains(github.event.comment.body, '/deploy') }}", "contains(github.event.comment.body, '/deploy')", []string{"github.event.comment.body"}, nil},
		{" hashFiles('**/go.sum') }}", "hashFiles('**/go.sum')", nil, nil},
		{" format('{0}-{1}', github.head_ref, github.sha) }}", "format('{0}-{1}', github.head_ref, github.sha)", []string{"github.head_ref", "github.sha"}, []string{"github.head_ref", "github.sha"}},
		{" toJSON(github.event) }}", "toJSON(github.event)", []string{"github.event"}, []string{"github.event"}},
		{" fromJSON(steps.s.outputs.m).image }}", "fromJSON(steps.s.outputs.m).image", []string{"steps.s.outputs.m"}, []string{"steps.s.outputs.m"}},
		// Elements: a number or a computed index reads any element.
		{" github.event.commits[0].message }}", "github.event.commits[0].message", []string{"github.event.commits.*.message"}, []string{"github.event.commits.*.message"}},
		{" github.event.commits.*.author.name }}", "github.event.commits.*.author.name", []string{"github.event.commits.*.author.name"}, []string{"github.event.commits.*.author.name"}},
		{" github.event['pull_request'].title }}", "github.event['pull_request'].title", []string{"github.event.pull_request.title"}, []string{"github.event.pull_request.title"}},
		{" secrets[format('KEY_{0}', matrix.env)] }}", "secrets[format('KEY_{0}', matrix.env)]", []string{"matrix.env", "secrets.*"}, []string{"secrets.*"}},
		// One that does not parse is judged by the paths it names.
		{" github.event.issue.title + inputs.x }} after", "github.event.issue.title + inputs.x", []string{"github.event.issue.title", "inputs.x"}, []string{"github.event.issue.title", "inputs.x"}},
	}
	for _, test := range tests {
		got := analyse(test.body)
		if got.value != test.value || !slices.Equal(got.reads, test.reads) || !slices.Equal(got.flows, test.flows) {
			t.Errorf("analyse(%q) = value %q, reads %q, flows %q; want %q, %q, %q", test.body, got.value, got.reads, got.flows, test.value, test.reads, test.flows)
		}
		if want := strings.Index(test.body, "}}") + 2; got.length != want {
			t.Errorf("analyse(%q) takes %d bytes, want %d", test.body, got.length, want)
		}
	}
}

// TestExpressionPositions checks the spans of expressions in scripts,
// inputs, outputs and matrices, through block and quoted scalars.
func TestExpressionPositions(t *testing.T) {
	src := `on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      title: ${{ steps.s.outputs.title }}
    strategy:
      matrix: ${{ fromJSON(needs.x.outputs.m) }}
    steps:
      - id: s
        run: |
          echo "é ${{ github.head_ref }}"
          echo ${{github.sha}}
      - uses: actions/github-script@v7
        with:
          script: "console.log('${{ github.event.comment.body }}')"
`
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job := p.Jobs[0]
	want := []struct {
		value string
		pos   model.Pos
	}{
		{"steps.s.outputs.title", at(6, 14, 6, 42)},
		{"fromJSON(needs.x.outputs.m)", at(8, 15, 8, 49)},
		{"github.head_ref", at(12, 19, 12, 41)},
		{"github.sha", at(13, 16, 13, 31)},
		{"github.event.comment.body", at(16, 33, 16, 65)},
	}
	// An output, a matrix, a script and an action input, in that order.
	found := slices.Concat(job.Outputs[0].Expressions, job.Strategy.Expressions,
		job.Steps[0].Script.Expressions, job.Steps[1].With[0].Expressions)
	if len(found) != len(want) {
		t.Fatalf("found %d expressions, want %d: %+v", len(found), len(want), found)
	}
	for i, w := range want {
		if found[i].Value != w.value || found[i].Pos != w.pos {
			t.Errorf("expression %d = %q %+v, want %q %+v", i, found[i].Value, found[i].Pos, w.value, w.pos)
		}
	}
}
