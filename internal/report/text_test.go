package report

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/secret"
)

func TestTextGolden(t *testing.T) {
	checkGolden(t, "text", render(t, "text", Options{}, sampleRun()))
	checkGolden(t, "text-color", render(t, "text", Options{Color: true}, sampleRun()))
	checkGolden(t, "text-empty", render(t, "text", Options{}, emptyRun()))
}

func TestTextWithoutColorHasNoEscapes(t *testing.T) {
	if out := render(t, "text", Options{}, sampleRun()); strings.Contains(string(out), "\x1b[") {
		t.Errorf("plain text contains an ANSI escape:\n%s", out)
	}
}

func TestTextWithoutSource(t *testing.T) {
	run := sampleRun()
	run.Source = nil
	run.Errors = nil
	run.Findings = run.Findings[1:2]
	want := `.github/workflows/ci.yml:9:15: high unpinned-action: "actions/checkout@v4" is not pinned to a commit [fixable]
1 finding (1 high) in 5 files; 1 fixable by pipelint fix
`
	if got := string(render(t, "text", Options{}, run)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSnippet(t *testing.T) {
	const src = "a: 1\n\tkey: value # note\r\nesc: \x1b[31mred\nsecret: abcdefghijklmnopqrstuvwxyz\nshort: abc\n"
	tests := []struct {
		name string
		f    finding.Finding
		want snippet
	}{
		{"span on one line, tab kept in the indent, CR dropped",
			finding.Finding{Pos: pos("f", 2, 7, 2, 12)},
			snippet{2, "\tkey: value # note", "\t     ", "^~~~~"}},
		{"span going on to the next line runs to the end of the line",
			finding.Finding{Pos: pos("f", 2, 7, 3, 2)},
			snippet{2, "\tkey: value # note", "\t     ", "^~~~~~~~~~~~"}},
		{"no end underlines one character",
			finding.Finding{Pos: pos("f", 1, 4, 0, 0)},
			snippet{1, "a: 1", "   ", "^"}},
		{"column past the end of the line",
			finding.Finding{Pos: pos("f", 1, 9, 1, 12)},
			snippet{1, "a: 1", "    ", "^"}},
		{"control characters are replaced",
			finding.Finding{Pos: pos("f", 3, 6, 3, 14)},
			snippet{3, "esc: \uFFFD[31mred", "     ", "^~~~~~~~"}},
		{"secret keeps 4 characters",
			finding.Finding{Pos: pos("f", 4, 9, 4, 35), Sensitive: true},
			snippet{4, "secret: abcd****", "        ", "^~~~~~~~"}},
		{"secret spanning lines is masked to the end of the line",
			finding.Finding{Pos: pos("f", 4, 9, 5, 3), Sensitive: true},
			snippet{4, "secret: abcd****", "        ", "^~~~~~~~"}},
		{"short secret shows nothing",
			finding.Finding{Pos: pos("f", 5, 8, 5, 11), Sensitive: true},
			snippet{5, "short: ****", "       ", "^~~~"}},
		{"text after the secret stays",
			finding.Finding{Pos: pos("f", 2, 7, 2, 12), Sensitive: true},
			snippet{2, "\tkey: v**** # note", "\t     ", "^~~~~"}},
	}
	for _, tt := range tests {
		got, ok := snippetOf(sourceOf(src), tt.f, nil)
		if !ok || got != tt.want {
			t.Errorf("%s:\n got %#v, %v\nwant %#v", tt.name, got, ok, tt.want)
		}
	}
	for _, missing := range []int{7, 100} {
		if got, ok := snippetOf(sourceOf(src), finding.Finding{Pos: pos("f", missing, 1, 0, 0)}, nil); ok {
			t.Errorf("line %d does not exist but got %#v", missing, got)
		}
	}
	if got, ok := snippetOf(Source{}, finding.Finding{Pos: pos("f", 1, 1, 0, 0)}, nil); ok {
		t.Errorf("no source but got %#v", got)
	}
}

// A snippet masks every secret on its line, whichever finding it shows:
// URL passwords, tokens, literals under secret names and the spans of
// other sensitive findings, and the underline moves with the masking.
func TestSnippetMasksEverySecretOnTheLine(t *testing.T) {
	const token = "ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo"
	src := "      - run: git clone https://bob:Q7wjZk2mXp9L@github.com/x/y.git && echo " + token + "\n" +
		"      - run: PASSWORD=Hx9aQ2kLmP7z ./deploy --to prod && deploy2 Zq8bW1nMcKlP\n"
	tests := []struct {
		name    string
		f       finding.Finding
		secrets []secret.Span
		want    snippet
	}{
		{"a finding before the secrets",
			finding.Finding{Pos: pos("f", 1, 14, 1, 17)}, nil,
			snippet{1, "      - run: git clone https://bob:****@github.com/x/y.git && echo ghp_****", "             ", "^~~"}},
		{"a finding after a secret moves left",
			finding.Finding{Pos: pos("f", 1, 71, 1, 75)}, nil,
			snippet{1, "      - run: git clone https://bob:****@github.com/x/y.git && echo ghp_****", strings.Repeat(" ", 62), "^~~~"}},
		{"a finding over a secret underlines its mask",
			finding.Finding{Pos: pos("f", 1, 24, 1, 71)}, nil,
			snippet{1, "      - run: git clone https://bob:****@github.com/x/y.git && echo ghp_****", strings.Repeat(" ", 23), "^" + strings.Repeat("~", 38)}},
		{"an underline ending inside a secret covers its mask",
			finding.Finding{Pos: pos("f", 1, 71, 1, 80)}, nil,
			snippet{1, "      - run: git clone https://bob:****@github.com/x/y.git && echo ghp_****", strings.Repeat(" ", 62), "^" + strings.Repeat("~", 12)}},
		{"a literal under a secret name, and a secret only a sensitive finding knows",
			finding.Finding{Pos: pos("f", 2, 14, 2, 35)}, []secret.Span{{Start: 65, End: 77}},
			snippet{2, "      - run: PASSWORD=Hx9**** ./deploy --to prod && deploy2 Zq8****", "             ", "^~~~~~~~~~~~~~~~"}},
	}
	for _, tt := range tests {
		got, ok := snippetOf(sourceOf(src), tt.f, tt.secrets)
		if !ok || got != tt.want {
			t.Errorf("%s:\n got %#v, %v\nwant %#v", tt.name, got, ok, tt.want)
		}
	}
}

// The text report masks, on the line of any finding or error, the secrets
// the run's sensitive findings point at, suppressed ones included.
func TestTextMasksSecretsOfOtherFindings(t *testing.T) {
	src := "run: deploy Zq8bW1nMcKlP now\n"
	run := &Run{
		FilesChecked: 1,
		Source:       func(string) Source { return sourceOf(src) },
		Findings:     []finding.Finding{{RuleID: "r", Severity: finding.Low, Message: "m", Pos: pos("f", 1, 6, 1, 12)}},
		Suppressed:   []Suppressed{{Finding: finding.Finding{RuleID: "s", Severity: finding.High, Message: "secret", Pos: pos("f", 1, 13, 1, 25), Sensitive: true}}},
		Errors:       []*model.ParseError{{Pos: pos("f", 1, 1, 1, 2), Message: "e"}},
	}
	out := string(render(t, "text", Options{}, run))
	if strings.Contains(out, "W1nMcKlP") || strings.Count(out, "run: deploy Zq8**** now") != 2 {
		t.Errorf("output:\n%s", out)
	}
}

func TestSummary(t *testing.T) {
	run := sampleRun()
	if got, want := summary(run), "6 findings (1 critical, 1 high, 1 medium, 1 low, 2 info) in 5 files; 1 fixable by pipelint fix, 1 more with --unsafe; 2 errors"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	// Only unsafe fixes; and a fix whose edits could not be computed
	// (other than a pin, which the network resolves) is not counted.
	unsafeOnly := sampleRun()
	unsafeOnly.Findings, unsafeOnly.Errors = unsafeOnly.Findings[2:3], nil
	if got, want := summary(unsafeOnly), "1 finding (1 medium) in 5 files; 1 fixable by pipelint fix --unsafe"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	unsafeOnly.Findings[0].Edits = nil
	if got, want := summary(unsafeOnly), "1 finding (1 medium) in 5 files"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	run.Findings, run.Errors, run.FilesChecked = run.Findings[:1], run.Errors[:1], 1
	if got, want := summary(run), "1 finding (1 critical) in 1 file; 1 error"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	run.Findings, run.FilesChecked = nil, 0
	if got, want := summary(run), "no findings in 0 files; 1 error"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}

// The text report masks, on any line it shows, the values the checks of
// the file flagged, wherever they occur, and the token shapes the file's
// policies add (Source.Masker), not only the built-in ones.
func TestTextMasksFlaggedValuesAndPolicyShapes(t *testing.T) {
	tables, err := secret.DefaultTables()
	if err != nil {
		t.Fatal(err)
	}
	tables.TokenPatterns = append(tables.TokenPatterns, secret.Pattern{ID: "acme", Regex: `\bacme_live_[0-9a-f]{8}\b`, Keywords: []string{"acme_live_"}})
	masker, err := secret.New(tables)
	if err != nil {
		t.Fatal(err)
	}
	src := sourceOf("env:\n  DB_PASSWORD: Zq8vLm2Xc7Rt\nrun: deploy # was Zq8vLm2Xc7Rt, acme_live_0123abcd\n")
	src.Masker, src.Flagged = masker, secret.NewValues([]string{"Zq8vLm2Xc7Rt"})
	run := &Run{
		FilesChecked: 1,
		Source:       func(string) Source { return src },
		Findings:     []finding.Finding{{RuleID: "r", Severity: finding.Low, Message: "m", Pos: pos("f", 3, 6, 3, 12)}},
	}
	out := string(render(t, "text", Options{}, run))
	if want := " 3 | run: deploy # was Zq8****, acme****\n"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}

// Lines are counted as the model counts them: a lone CR ends one.
func TestTextLinesAreTheModels(t *testing.T) {
	run := &Run{
		FilesChecked: 1,
		Source:       func(string) Source { return sourceOf("\uFEFFon: push\rjobs: x\r\n") },
		Findings:     []finding.Finding{{RuleID: "r", Severity: finding.Low, Message: "m", Pos: pos("f", 2, 7, 2, 8)}},
	}
	if want := " 2 | jobs: x\n   |       ^\n"; !strings.Contains(string(render(t, "text", Options{}, run)), want) {
		t.Errorf("output lacks %q", want)
	}
}
