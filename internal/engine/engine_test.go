package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

const testRule = `# METADATA
# title: Job without a name
# description: Every job should have a name.
# custom:
#   id: unnamed-job
#   severity: low
#   remediation: Add a name.
#   tags: [style]
package pipelint.rules.unnamed_job

findings contains {"msg": sprintf("job %q has no name", [job.id.value]), "pos": job.id.pos} if {
	some job in input.jobs
	job.name.value == ""
	count(job.steps) == 0 # nil slices arrive as empty arrays
}

findings contains {"msg": "secret job", "pos": job.id.pos, "severity": "critical", "sensitive": true} if {
	some job in input.jobs
	job.id.value == "secret"
}
`

func newTestEngine(t *testing.T, files map[string]string) (*Engine, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	return New(context.Background(), WithPolicies(fsys), WithDocs(fstest.MapFS{"unnamed-job.md": {Data: []byte("# unnamed-job\n")}}))
}

func job(id string, line int) model.Job {
	return model.Job{ID: model.String{Value: id, Pos: model.Pos{File: "ci.yml", Line: line, Column: 3, EndLine: line, EndColumn: 3 + len(id)}}}
}

func TestRuleMetadata(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": testRule})
	if err != nil {
		t.Fatal(err)
	}
	rules := e.Rules()
	if len(rules) != 1 {
		t.Fatalf("got %d rules, want 1", len(rules))
	}
	got := rules[0]
	if got.ID != "unnamed-job" || got.Title != "Job without a name" || got.Severity != finding.Low ||
		got.Description != "Every job should have a name." || got.Remediation != "Add a name." ||
		got.Precision != "high" || strings.Join(got.Tags, ",") != "style" ||
		got.Help != "# unnamed-job\n" || got.HelpURI != finding.HelpURIBase+"unnamed-job.md" {
		t.Errorf("rule = %+v", got)
	}
}

func TestEvaluate(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": testRule})
	if err != nil {
		t.Fatal(err)
	}
	p := &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("build", 7), job("secret", 3)}}
	findings, err := e.Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 3 {
		t.Fatalf("got %d findings, want 3: %+v", len(findings), findings)
	}
	first := findings[0] // sorted by line: the secret job on line 3 comes first
	if first.Pos.Line != 3 || first.Message != "job \"secret\" has no name" || first.Severity != finding.Low {
		t.Errorf("first finding = %+v", first)
	}
	second := findings[1]
	if second.Message != "secret job" || second.Severity != finding.Critical || !second.Sensitive {
		t.Errorf("severity override or sensitive flag lost: %+v", second)
	}
	if got := findings[2]; got.Pos != (model.Pos{File: "ci.yml", Line: 7, Column: 3, EndLine: 7, EndColumn: 8}) {
		t.Errorf("position = %+v", got.Pos)
	}
}

func TestFingerprintSurvivesMovedLines(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": testRule})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("build", 7), job("test", 9)}})
	after, _ := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("build", 17), job("test", 19)}})
	for i := range before {
		if before[i].Fingerprint == "" || before[i].Fingerprint != after[i].Fingerprint {
			t.Errorf("finding %d: fingerprint %q became %q", i, before[i].Fingerprint, after[i].Fingerprint)
		}
	}
	if before[0].Fingerprint == before[1].Fingerprint {
		t.Error("different findings share a fingerprint")
	}
	twins, _ := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("x", 1), job("x", 5)}})
	if twins[0].Fingerprint == twins[1].Fingerprint {
		t.Error("identical findings at two places share a fingerprint")
	}
}

// TestEvaluateConcurrently: one engine serves many goroutines (run it with
// -race).
func TestEvaluateConcurrently(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": testRule})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	counts := make([]int, 50)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &model.Pipeline{File: "ci.yml"}
			for j := range i % 3 {
				p.Jobs = append(p.Jobs, job("j", j+1))
			}
			findings, err := e.Evaluate(context.Background(), p)
			if err != nil {
				t.Error(err)
			}
			counts[i] = len(findings)
		}()
	}
	wg.Wait()
	for i, n := range counts {
		if n != i%3 {
			t.Errorf("pipeline %d: %d findings, want %d", i, n, i%3)
		}
	}
}

func TestBadPolicies(t *testing.T) {
	for name, tc := range map[string]struct {
		src, want string
	}{
		"no metadata": {
			src:  "package pipelint.rules.x\nfindings := set()\n",
			want: "x.rego: rule package data.pipelint.rules.x has no package-scoped METADATA block",
		},
		"id and package disagree": {
			src:  strings.Replace(testRule, "id: unnamed-job", "id: other-rule", 1),
			want: `x.rego: rule id "other-rule" needs package pipelint.rules.other_rule, not pipelint.rules.unnamed_job`,
		},
		"bad severity": {
			src:  strings.Replace(testRule, "severity: low", "severity: urgent", 1),
			want: `x.rego: METADATA custom.severity: unknown severity "urgent"`,
		},
		"network access": {
			src:  testRule + "\nx := http.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n",
			want: "x.rego:22: http.send is not allowed: policies run without network",
		},
		"tables that read input": {
			src:  "package pipelint.lib.tables\n\nkinds contains input.kind\n",
			want: "x.rego:3: the tables package data.pipelint.lib.tables cannot read input",
		},
		"secrets tables that read input": {
			src:  "package pipelint.lib.secrets\n\nnames contains v.name.value if some v in input.env\n",
			want: "x.rego:3: the tables package data.pipelint.lib.secrets cannot read input",
		},
		"syntax error": {
			src:  "package pipelint.rules.x\nfindings contains if {\n",
			want: "x.rego:",
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newTestEngine(t, map[string]string{"x.rego": tc.src})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestFindingWithoutPositionIsAnError(t *testing.T) {
	src := strings.Replace(testRule, `"pos": job.id.pos} if {`, `"pos": {}} if {`, 1)
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": src})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
	if err == nil || !strings.Contains(err.Error(), "has no position") {
		t.Errorf("error = %v", err)
	}
}

// TestEvaluationTimeLimit: a rule that loops (a hundred million
// iterations, far longer than the limit on any machine) is stopped by the
// engine's time limit, set here, and the file is reported as not checked.
// How soon after the limit it stops is not asserted: that depends on the
// machine's load, and a limit that did not stop it would leave the test
// running until go test's own timeout.
func TestEvaluationTimeLimit(t *testing.T) {
	loops := strings.Replace(testRule, "count(job.steps) == 0 # nil slices arrive as empty arrays", "count([x | some x in numbers.range(1, 100000000)]) > 0", 1)
	fsys := fstest.MapFS{"unnamed-job.rego": &fstest.MapFile{Data: []byte(loops)}}
	e, err := New(context.Background(), WithPolicies(fsys), WithTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
	if want := "ci.yml: evaluating the rules took longer than 50ms; the file was not checked"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestCustomPolicies(t *testing.T) {
	custom := strings.NewReplacer("unnamed-job", "org-job-names", "unnamed_job", "org_job_names",
		"# custom:", "# related_resources:\n# - https://wiki.example.com/ci\n# custom:").Replace(testRule)
	builtIn := fstest.MapFS{"unnamed-job.rego": {Data: []byte(testRule)}}
	policies := fstest.MapFS{
		"org/org-job-names.rego": {Data: []byte(custom)},
		"org/org-job-names.md":   {Data: []byte("# org-job-names\n")},
	}
	e, err := New(context.Background(), WithPolicies(builtIn), WithCustomPolicies("policies", policies))
	if err != nil {
		t.Fatal(err)
	}
	var got finding.Rule
	for _, r := range e.Rules() {
		if r.ID == "org-job-names" {
			got = r
		}
	}
	if !got.Custom || got.Help != "# org-job-names\n" || got.HelpURI != "https://wiki.example.com/ci" {
		t.Errorf("custom rule = %+v", got)
	}

	clash := fstest.MapFS{"mine.rego": {Data: []byte(testRule)}}
	_, err = New(context.Background(), WithPolicies(builtIn), WithCustomPolicies("clash", clash))
	if err == nil || !strings.Contains(err.Error(), `rule "unnamed-job" is already defined`) {
		t.Errorf("a custom rule with a built-in id: error = %v", err)
	}
}

// The rules of a table package are evaluated before any file; its
// functions stay callable, and read the folded tables by their short names.
func TestTablePackagesAreFoldedAndKeepTheirFunctions(t *testing.T) {
	tables := `package pipelint.lib.tables

placeholder_names contains "TODO"

placeholder_names contains "FIXME"

# Folded tables are still sets: looked up, and joined with others.
is_placeholder(name) if placeholder_names[name]

is_placeholder(name) if (placeholder_names | {"XXX"})[name]

# A table with no value is undefined, not an error.
retired_names contains name if {
	some name in ["FIXME"]
	false
}

is_placeholder(name) if retired_names[name]
`
	rule := strings.Replace(testRule, `job.name.value == ""`, `data.pipelint.lib.tables.is_placeholder(job.name.value)`, 1)
	e, err := newTestEngine(t, map[string]string{"tables.rego": tables, "unnamed-job.rego": rule})
	if err != nil {
		t.Fatal(err)
	}
	fixme, named, xxx := job("a", 1), job("b", 2), job("c", 3)
	fixme.Name.Value, named.Name.Value, xxx.Name.Value = "FIXME", "build", "XXX"
	findings, err := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{fixme, named, xxx}})
	if err != nil || len(findings) != 2 || findings[0].Pos.Line != 1 || findings[1].Pos.Line != 3 {
		t.Errorf("findings = %+v, err %v", findings, err)
	}
}

// Folded tables stay rules, so a rule can look a key up in a set, also
// inside an object, as it could before folding (OPA's store cannot).
func TestFoldedTablesAreLookedUp(t *testing.T) {
	tables := `package pipelint.lib.tables

placeholder_names contains "TODO"

placeholder_names contains "FIXME"

nested := {"names": {"FIXME"}}
`
	for _, cond := range []string{
		`data.pipelint.lib.tables.placeholder_names[job.name.value]`,
		`data.pipelint.lib.tables.nested.names[job.name.value]`,
		`data.pipelint.lib.tables.placeholder_names["FIXME"]; job.name.value == "FIXME"`,
	} {
		rule := strings.Replace(testRule, `job.name.value == ""`, cond, 1)
		e, err := newTestEngine(t, map[string]string{"tables.rego": tables, "unnamed-job.rego": rule})
		if err != nil {
			t.Fatal(err)
		}
		fixme, named := job("a", 1), job("b", 2)
		fixme.Name.Value, named.Name.Value = "FIXME", "build"
		findings, err := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{fixme, named}})
		if err != nil || len(findings) != 1 || findings[0].Pos.Line != 1 {
			t.Errorf("%s: findings = %+v, err %v", cond, findings, err)
		}
	}
}

func TestRuleOptionsReachRego(t *testing.T) {
	src := strings.Replace(testRule, `job.name.value == ""`, `job.name.value == data.pipelint.config.rules["unnamed-job"].options.placeholder`, 1)
	fsys := fstest.MapFS{"unnamed-job.rego": {Data: []byte(src)}}
	e, err := New(context.Background(), WithPolicies(fsys), WithData(map[string]any{
		"rules": map[string]any{"unnamed-job": map[string]any{"options": map[string]any{"placeholder": "TODO"}}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	named := job("a", 1)
	named.Name.Value = "TODO"
	findings, err := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{named, job("b", 2)}})
	if err != nil || len(findings) != 1 || findings[0].Pos.Line != 1 {
		t.Errorf("findings = %+v, err %v", findings, err)
	}
}
