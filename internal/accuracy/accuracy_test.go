package accuracy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	at := func(rule string, line int) Place {
		return Place{Repository: "github/o__r", File: "ci.yml", Line: line, Rule: rule}
	}
	var findings []Finding
	report := func(p Place, messages ...string) {
		for _, m := range messages {
			findings = append(findings, Finding{p, m})
		}
	}
	var judgements []Judgement
	judge := func(p Place, labels ...Label) {
		for _, l := range labels {
			source := fmt.Sprintf("%s:%d", p.Rule, len(judgements)+2)
			judgements = append(judgements, Judgement{Place: p, Label: l, Reason: "why " + source, Source: source})
		}
	}
	report(at("a-rule", 1), "true")
	judge(at("a-rule", 1), TP)
	report(at("a-rule", 2), "second", "first") // nobody has judged them
	report(at("a-rule", 3), "false, again")
	judge(at("a-rule", 3), FP)
	judge(at("a-rule", 4), TP) // no longer reported
	judge(at("a-rule", 5), FP) // fixed
	report(at("a-rule", 6), "either way")
	judge(at("a-rule", 6), Debatable)
	report(at("a-rule", 7), "password", "username") // two findings on a line
	judge(at("a-rule", 7), FP, TP)
	report(at("a-rule", 8), "password") // one of two gone: taken to be the FP
	judge(at("a-rule", 8), TP, FP)
	report(at("a-rule", 9), "old", "new") // a new finding beside a judged one
	judge(at("a-rule", 9), TP)
	judge(at("z-rule", 1), TP) // no such rule
	// b-rule: 9 true and 1 false finding reported, precision 0.90 exactly.
	for line := 1; line <= 10; line++ {
		label := TP
		if line == 10 {
			label = FP
		}
		report(at("b-rule", line), "b")
		judge(at("b-rule", line), label)
	}

	r := score([]string{"a-rule", "b-rule", "c-rule"}, findings, judgements)

	var table strings.Builder
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	wantTable := `| Rule | Judged | TP | FP | Debatable | Precision | TP missing | FP still reported | Unjudged |
|---|--:|--:|--:|--:|--:|--:|--:|--:|
| a-rule | 10 | 5 | 4 | 1 | 0.67 | 1 | 2 | 3 |
| b-rule | 10 | 9 | 1 | 0 | 0.90 | 0 | 1 | 0 |
| c-rule | 0 | 0 | 0 | 0 | n/a | 0 | 0 | 0 |
`
	if table.String() != wantTable {
		t.Errorf("table:\n%s\nwant:\n%s", table.String(), wantTable)
	}

	wantFailures := []string{
		`z-rule:12: no rule "z-rule"`,
		"github/o__r ci.yml:3 [a-rule]: judged FP at a-rule:3, reported again: why a-rule:3",
		"github/o__r ci.yml:7 [a-rule]: judged FP at a-rule:7, reported again: why a-rule:7",
		"github/o__r ci.yml:4 [a-rule]: judged TP at a-rule:4, no longer reported: why a-rule:4",
		"a-rule: precision 0.67 on the judged findings it reports, below 0.90",
		"github/o__r ci.yml:10 [b-rule]: judged FP at b-rule:22, reported again: why b-rule:22",
	}
	if got := r.Failures(); !slices.Equal(got, wantFailures) {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantFailures, "\n"))
	}

	var unjudged strings.Builder
	if err := r.WriteUnjudged(&unjudged); err != nil {
		t.Fatal(err)
	}
	wantUnjudged := header + "\n" +
		"github/o__r\tci.yml\t2\ta-rule\t\tfirst\n" +
		"github/o__r\tci.yml\t2\ta-rule\t\tsecond\n" +
		"github/o__r\tci.yml\t9\ta-rule\t\tone of: new; old\n"
	if unjudged.String() != wantUnjudged {
		t.Errorf("unjudged:\n%s\nwant:\n%s", unjudged.String(), wantUnjudged)
	}
}

func TestParseJudgements(t *testing.T) {
	const name = "testdata/judgements/a-rule.tsv"
	good := header + "\ngithub/o__r\t.github/workflows/ci.yml\t12\ta-rule\tTP\tmoves with the tag\n"
	got, err := parseJudgements(name, strings.NewReader(good))
	want := Judgement{Place: Place{"github/o__r", ".github/workflows/ci.yml", 12, "a-rule"}, Label: TP, Reason: "moves with the tag", Source: name + ":2"}
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	for line, wantErr := range map[string]string{
		"github/o__r\tci.yml\t12\ta-rule\tTP":                    "5 tab-separated fields, want 6",
		"o__r\tci.yml\t12\ta-rule\tTP\twhy":                      `repository "o__r" is not <system>/<owner__repo>`,
		"github/o/r\tci.yml\t12\ta-rule\tTP\twhy":                `repository "github/o/r" is not <system>/<owner__repo>`,
		"github/o__r\t../ci.yml\t12\ta-rule\tTP\twhy":            `file "../ci.yml" is not a clean path`,
		"github/o__r\t./ci.yml\t12\ta-rule\tTP\twhy":             `file "./ci.yml" is not a clean path`,
		"github/o__r\tci.yml\t0\ta-rule\tTP\twhy":                `line "0" is not a line number`,
		"github/o__r\tci.yml\t12:3\ta-rule\tTP\twhy":             `line "12:3" is not a line number`,
		"github/o__r\tci.yml\t12\tb-rule\tTP\twhy":               `rule "b-rule" in the judgements of a-rule`,
		"github/o__r\tci.yml\t12\ta-rule\ttp\twhy":               `label "tp" is not TP, FP or debatable`,
		"github/o__r\tci.yml\t12\ta-rule\t\tan unjudged message": `label "" is not TP, FP or debatable`,
		"github/o__r\tci.yml\t12\ta-rule\tFP\t ":                 "no reason",
	} {
		_, err := parseJudgements(name, strings.NewReader(header+"\n"+line+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), name+":2: ") || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: got %v, want %s:2: ...%s", line, err, name, wantErr)
		}
	}
	_, err = parseJudgements(name, strings.NewReader("repository\tfile\tline\trule\tlabel\n"))
	if err == nil || !strings.HasPrefix(err.Error(), name+":1: ") {
		t.Errorf("a wrong header: got %v, want an error at %s:1", err, name)
	}
}

func TestReadJudgements(t *testing.T) {
	dir := t.TempDir()
	if js, err := ReadJudgements(filepath.Join(dir, "none")); js != nil || err != nil {
		t.Errorf("a missing directory: got %v, %v; want no judgements", js, err)
	}
	files := map[string]string{
		"README.md":  "not judgements",
		"a-rule.tsv": header + "\ngithub/o__r\tci.yml\t1\ta-rule\tTP\twhy\n",
		"b-rule.tsv": header + "\ngithub/o__r\tci.yml\t1\tb-rule\tTP\twhy\nbroken\n",
		"c-rule.tsv": header + "\ngithub/o__r\tci.yml\t1\tc-rule\tTP\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := ReadJudgements(dir)
	// Every malformed line of every file, each at its file and line.
	slash := filepath.ToSlash(dir)
	want := slash + "/b-rule.tsv:3: 1 tab-separated fields, want 6: " + header + "\n" +
		slash + "/c-rule.tsv:2: 5 tab-separated fields, want 6: " + header
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want\n%s", err, want)
	}
}
