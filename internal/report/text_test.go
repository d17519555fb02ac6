package report

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
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
	want := `.github/workflows/ci.yml:9:15: high unpinned-action: "actions/checkout@v4" is not pinned to a commit
1 finding (1 high) in 5 files
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
		got, ok := snippetOf([]byte(src), tt.f)
		if !ok || got != tt.want {
			t.Errorf("%s:\n got %#v, %v\nwant %#v", tt.name, got, ok, tt.want)
		}
	}
	for _, missing := range []int{7, 100} {
		if got, ok := snippetOf([]byte(src), finding.Finding{Pos: pos("f", missing, 1, 0, 0)}); ok {
			t.Errorf("line %d does not exist but got %#v", missing, got)
		}
	}
	if got, ok := snippetOf(nil, finding.Finding{Pos: pos("f", 1, 1, 0, 0)}); ok {
		t.Errorf("no source but got %#v", got)
	}
}

func TestMaskedPrefix(t *testing.T) {
	for length, want := range map[int]int{0: 0, 3: 0, 4: 1, 8: 2, 15: 3, 16: 4, 40: 4} {
		if got := maskedPrefix(length); got != want {
			t.Errorf("maskedPrefix(%d) = %d, want %d", length, got, want)
		}
	}
}

func TestSummary(t *testing.T) {
	run := sampleRun()
	if got, want := summary(run), "6 findings (1 critical, 1 high, 1 medium, 1 low, 2 info) in 5 files; 2 errors"; got != want {
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
