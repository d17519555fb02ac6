package ignore

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/github"
	"github.com/pipelint/pipelint/internal/parser/gitlab"
	"github.com/pipelint/pipelint/internal/parser/jenkins"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

var knownRules = []string{"missing-cache", "missing-tests", "plaintext-secret", "unpinned-action", "unpinned-image"}

func found(rule, file string, line, column int) finding.Finding {
	return finding.Finding{RuleID: rule, Severity: finding.High, Message: "m", Pos: model.Pos{File: file, Line: line, Column: column, EndLine: line, EndColumn: column + 1}}
}

// splitResult splits a parser's result as withSources takes it.
func splitResult(result syntax.Result) (*model.Pipeline, error) { return result.Pipeline, result.Err }

// withSources returns a function that takes a parser's result and attaches
// the file's text src to it, as parser.Parse does.
func withSources(t *testing.T, src string) func(*model.Pipeline, error) *model.Pipeline {
	return func(p *model.Pipeline, err error) *model.Pipeline {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		p.Sources = []model.SourceFile{{File: p.File, Lines: strings.Split(src, "\n")}}
		return p
	}
}

func pos(file string, line, column, endLine, endColumn int) model.Pos {
	return model.Pos{File: file, Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
}

// matchAll runs every finding through Match and returns the reason that
// suppressed it, or "" for a finding that stays.
func matchAll(s *Set, findings []finding.Finding) []string {
	var reasons []string
	for _, f := range findings {
		d, ok := s.Match(f)
		if ok != (d.Reason != "") {
			panic("a matched directive always has a reason")
		}
		reasons = append(reasons, d.Reason)
	}
	return reasons
}

const workflow = `on: push
jobs:
  build: # pipelint: ignore[missing-cache] caches are useless on this runner
    runs-on: ubuntu-latest
    steps:
      # pipelint: ignore[unpinned-action] internal mirror
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4 # pipelint: ignore[unpinned-action]
      - uses: actions/cache@v4 # pipelint: ignore[unpinned-action, unpinned-image]: reviewed 2024
      - run: npm ci
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # pipelint: ignore[unpinned-action, no-such-rule] copied
      - run: npm test # pipelint: ignore[] nothing
`

func TestGitHub(t *testing.T) {
	const file = ".github/workflows/ci.yml"
	p := withSources(t, workflow)(github.Parse(file, []byte(workflow)))
	s := Collect(p, knownRules)
	findings := []finding.Finding{
		found("missing-cache", file, 3, 3),     // on the job's key line
		found("missing-cache", file, 10, 9),    // inside the job
		found("missing-tests", file, 10, 9),    // a rule the directive does not name
		found("unpinned-action", file, 7, 15),  // the line below a comment
		found("unpinned-action", file, 8, 15),  // a directive without a reason
		found("unpinned-action", file, 9, 15),  // a reason after a colon
		found("missing-cache", file, 12, 5),    // another job
		found("unpinned-action", file, 14, 15), // one known and one unknown rule
		found("missing-cache", "other.yml", 3, 3),
	}
	want := []string{
		"caches are useless on this runner", "caches are useless on this runner", "",
		"internal mirror", "", "reviewed 2024", "", "copied", "",
	}
	if got := matchAll(s, findings); !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %q\nwant %q", got, want)
	}
	wantProblems := []finding.Finding{
		{RuleID: "invalid-ignore", Severity: finding.Info, Pos: pos(file, 8, 37, 8, 72),
			Message: "ignore directive for unpinned-action has no reason, so it is not applied; write why after the brackets"},
		{RuleID: "invalid-ignore", Severity: finding.Info, Pos: pos(file, 14, 35, 14, 91),
			Message: `ignore directive names unknown rule "no-such-rule"`},
		{RuleID: "invalid-ignore", Severity: finding.Info, Pos: pos(file, 15, 23, 15, 51),
			Message: "malformed ignore directive: the rule list is empty; write `pipelint: ignore[rule-id] reason`"},
	}
	if got := s.Problems(); !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("Problems() = %+v\nwant %+v", got, wantProblems)
	}
	wantUnused := []Directive{{Rules: []string{"unpinned-image"}, Reason: "reviewed 2024", Pos: pos(file, 9, 32, 9, 98)}}
	if got := s.Unused(); !reflect.DeepEqual(got, wantUnused) {
		t.Errorf("Unused() = %+v\nwant %+v", got, wantUnused)
	}
	wantUnusedFindings := []finding.Finding{{RuleID: "unused-ignore", Severity: finding.Info, Pos: pos(file, 9, 32, 9, 98),
		Message: "ignore directive for unpinned-image matches no finding"}}
	if got := s.UnusedFindings(); !reflect.DeepEqual(got, wantUnusedFindings) {
		t.Errorf("UnusedFindings() = %+v\nwant %+v", got, wantUnusedFindings)
	}
}

// Before any finding is matched, every valid directive is unused.
func TestUnusedBeforeMatching(t *testing.T) {
	p := withSources(t, workflow)(github.Parse("ci.yml", []byte(workflow)))
	var lines []int
	for _, d := range Collect(p, knownRules).Unused() {
		lines = append(lines, d.Pos.Line)
	}
	if want := []int{3, 6, 9, 14}; !reflect.DeepEqual(lines, want) {
		t.Errorf("unused directives on lines %v, want %v", lines, want)
	}
}

// The most specific directive wins, so a redundant job-wide one is unused.
func TestMostSpecificDirectiveWins(t *testing.T) {
	src := `on: push
jobs:
  build: # pipelint: ignore[unpinned-action] whole job
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # pipelint: ignore[unpinned-action] this step
      - uses: actions/setup-node@v4
`
	p := withSources(t, src)(github.Parse("ci.yml", []byte(src)))
	s := Collect(p, knownRules)
	got := matchAll(s, []finding.Finding{found("unpinned-action", "ci.yml", 6, 15)})
	if want := []string{"this step"}; !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %q, want %q", got, want)
	}
	if unused := s.Unused(); len(unused) != 1 || unused[0].Reason != "whole job" {
		t.Errorf("Unused() = %+v, want the job-wide directive", unused)
	}
	got = matchAll(s, []finding.Finding{found("unpinned-action", "ci.yml", 7, 15)})
	if want := []string{"whole job"}; !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %q, want %q", got, want)
	}
	if unused := s.Unused(); len(unused) != 0 {
		t.Errorf("Unused() = %+v, want none", unused)
	}
}

func TestGitLab(t *testing.T) {
	src := `# pipelint: ignore[unpinned-image] rebuilt nightly
image: node:20
build: # pipelint: ignore[missing-cache] offline runner
  script:
    - npm ci
test:
  image: node:20 # pipelint: disable
  script:
    - npm test
`
	p := withSources(t, src)(splitResult(gitlab.Parse(syntax.Input{Repo: fstest.MapFS{".gitlab-ci.yml": {Data: []byte(src)}}, Path: ".gitlab-ci.yml", Display: ".gitlab-ci.yml"})))
	s := Collect(p, knownRules)
	got := matchAll(s, []finding.Finding{
		found("unpinned-image", ".gitlab-ci.yml", 2, 8),
		found("missing-cache", ".gitlab-ci.yml", 5, 7),
		found("missing-cache", ".gitlab-ci.yml", 9, 7),
		found("unpinned-image", ".gitlab-ci.yml", 7, 10),
	})
	if want := []string{"rebuilt nightly", "offline runner", "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %q, want %q", got, want)
	}
	wantProblems := []finding.Finding{{RuleID: "invalid-ignore", Severity: finding.Info, Pos: pos(".gitlab-ci.yml", 7, 18, 7, 37),
		Message: "malformed ignore directive: unknown directive \"disable\"; write `pipelint: ignore[rule-id] reason`"}}
	if got := s.Problems(); !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("Problems() = %+v\nwant %+v", got, wantProblems)
	}
}

func TestJenkins(t *testing.T) {
	src := `pipeline {
  agent any
  stages {
    stage('Build') { // pipelint: ignore[missing-cache] no cache on this agent
      steps {
        /*
         * pipelint: ignore[missing-tests] tests run in the nightly job
         */
        sh 'make'
        sh 'make install' /* pipelint: ignore[plaintext-secret] */
      }
    }
    stage('Deploy') {
      steps {
        sh 'make deploy'
      }
    }
  }
}
`
	p := withSources(t, src)(jenkins.Parse("Jenkinsfile", []byte(src)))
	s := Collect(p, knownRules)
	got := matchAll(s, []finding.Finding{
		found("missing-cache", "Jenkinsfile", 4, 5),
		found("missing-cache", "Jenkinsfile", 9, 9),
		found("missing-tests", "Jenkinsfile", 9, 9),
		found("plaintext-secret", "Jenkinsfile", 10, 12),
		found("missing-cache", "Jenkinsfile", 15, 9),
		found("missing-tests", "Jenkinsfile", 10, 9),
	})
	want := []string{"no cache on this agent", "no cache on this agent", "tests run in the nightly job", "", "", ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reasons = %q\nwant %q", got, want)
	}
	wantProblems := []finding.Finding{{RuleID: "invalid-ignore", Severity: finding.Info, Pos: pos("Jenkinsfile", 10, 27, 10, 67),
		Message: "ignore directive for plaintext-secret has no reason, so it is not applied; write why after the brackets"}}
	if got := s.Problems(); !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("Problems() = %+v\nwant %+v", got, wantProblems)
	}
	if unused := s.Unused(); len(unused) != 0 {
		t.Errorf("every directive matched a finding, yet Unused() = %+v", unused)
	}
	// The directive inside the block comment is placed on its own line.
	s = Collect(p, knownRules)
	if unused := s.Unused(); len(unused) != 2 || unused[1].Pos != pos("Jenkinsfile", 7, 12, 7, 72) {
		t.Errorf("Unused() = %+v, want the block comment directive at 7:12-7:72", unused)
	}
}

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text      string
		rules     []string
		reason    string
		malformed string
	}{
		{"pipelint: ignore[unpinned-action] vendored", []string{"unpinned-action"}, "vendored", ""},
		{"  pipelint:ignore[ a ,b-c ] two  words  ", []string{"a", "b-c"}, "two  words", ""},
		{"pipelint: ignore [a] spaced", []string{"a"}, "spaced", ""},
		{"pipelint: ignore[a, a] once", []string{"a"}, "once", ""},
		{"pipelint: ignore[a] -- dashes", []string{"a"}, "dashes", ""},
		{"pipelint: ignore[a] — an em dash", []string{"a"}, "an em dash", ""},
		{"pipelint: ignore[a]:", []string{"a"}, "", ""},
		{"pipelint: ignore[a] ... ", []string{"a"}, "", ""},
		{"pipelint: ignore[a]", []string{"a"}, "", ""},
		{"v4.1.0 # pipelint: ignore[a] behind a version", []string{"a"}, "behind a version", ""},
		{"* pipelint: ignore[a] in a block *", []string{"a"}, "in a block", ""},
		{"/ pipelint: ignore[a] a third slash", []string{"a"}, "a third slash", ""},
		{"pipelint: ignore", nil, "", "the rule ids must follow in brackets"},
		{"pipelint: ignore a", nil, "", "the rule ids must follow in brackets"},
		{"pipelint: ignore[a reason", nil, "", "the rule list has no closing ]"},
		{"pipelint: ignore[ ] r", nil, "", "the rule list is empty"},
		{"pipelint: ignore[a,] r", nil, "", `"" is not a rule id`},
		{"pipelint: ignore[Unpinned_Action] r", nil, "", `"Unpinned_Action" is not a rule id`},
		{"pipelint: ignore[*] r", nil, "", `"*" is not a rule id`},
		{"pipelint: disable[a] r", nil, "", `unknown directive "disable"`},
		{"pipelint:", nil, "", `unknown directive ""`},
	} {
		found := directivesIn(model.Comment{Text: tc.text, Pos: pos("f", 3, 5, 3, 5+len(tc.text))})
		if len(found) != 1 {
			t.Errorf("%q: %d directives, want 1", tc.text, len(found))
			continue
		}
		d := found[0]
		if !reflect.DeepEqual(d.rules, tc.rules) || d.reason != tc.reason || d.malformed != tc.malformed {
			t.Errorf("%q: rules %q, reason %q, malformed %q; want %q, %q, %q", tc.text, d.rules, d.reason, d.malformed, tc.rules, tc.reason, tc.malformed)
		}
		if d.pos.Line != 3 || d.below != 4 {
			t.Errorf("%q: at line %d covering %d, want 3 and 4", tc.text, d.pos.Line, d.below)
		}
	}
}

func TestNotDirectives(t *testing.T) {
	for _, text := range []string{
		"", "v4.1.0", "TODO: pipelint: ignore[a] later", "see pipelint:ignore docs", "pipelinter: ignore[a] x", "# pipelint rules",
	} {
		if found := directivesIn(model.Comment{Text: text, Pos: pos("f", 1, 1, 1, 2)}); len(found) != 0 {
			t.Errorf("%q read as %+v", text, found)
		}
	}
}

// A block comment may hold a directive on each of its lines.
func TestBlockCommentLines(t *testing.T) {
	c := model.Comment{Text: " pipelint: ignore[a] first\n  pipelint: ignore[b] second\n  nothing\n   * pipelint: ignore[c] third ", Pos: pos("Jenkinsfile", 10, 3, 13, 32)}
	var got []model.Pos
	var below []int
	for _, d := range directivesIn(c) {
		got = append(got, d.pos)
		below = append(below, d.below)
	}
	want := []model.Pos{pos("Jenkinsfile", 10, 3, 13, 32), pos("Jenkinsfile", 11, 3, 11, 29), pos("Jenkinsfile", 13, 6, 13, 31)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(below, []int{14, 14, 14}) {
		t.Errorf("the line below a block comment is the one after it ends: got %v", below)
	}
}

// Without the file's source a trailing comment cannot be told from one on
// its own line, so it covers the line below too.
func TestWithoutSources(t *testing.T) {
	src := "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: a/b@v1 # pipelint: ignore[unpinned-action] r\n      - uses: c/d@v1\n"
	p, err := github.Parse("ci.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	below := found("unpinned-action", "ci.yml", 7, 15)
	if _, ok := Collect(p, knownRules).Match(below); !ok {
		t.Error("without sources a comment covers the line below")
	}
	if _, ok := Collect(withSources(t, src)(p, nil), knownRules).Match(below); ok {
		t.Error("with sources a trailing comment does not cover the line below")
	}
}
