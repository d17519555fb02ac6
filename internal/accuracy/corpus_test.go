package accuracy

import (
	"testing"

	"github.com/pipelint/pipelint/internal/corpustest"
)

// judgementsDir holds the judgements, from this package's directory.
const judgementsDir = "../../testdata/judgements"

// TestJudgementFiles needs no corpus: every judgement file is well formed
// and about a rule that exists.
func TestJudgementFiles(t *testing.T) {
	judgements, err := ReadJudgements(judgementsDir)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := ruleIDs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, stray := range score(rules, nil, judgements).Stray {
		t.Error(stray)
	}
}

// TestJudgements holds every rule to its judgements on the corpus: a
// finding judged FP must not be reported, a finding judged TP must be, and
// precision on the judged findings must be at least MinPrecision. `make
// eval` prints the table and the findings nobody has judged.
func TestJudgements(t *testing.T) {
	judgements, err := ReadJudgements(judgementsDir)
	if err != nil {
		t.Fatal(err)
	}
	report, err := Evaluate(t.Context(), corpustest.Repositories(t), judgements)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range report.Errors {
		t.Log("error:", e)
	}
	for _, s := range report.Rules {
		if s.Judged == 0 {
			t.Logf("%s: no judgements", s.Rule)
		}
	}
	for _, f := range report.Failures() {
		t.Error(f)
	}
}
