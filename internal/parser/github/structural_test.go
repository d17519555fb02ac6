package github

import (
	"os"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// parseWithErrors parses a test workflow that has errors, which it returns
// as their lines, with the pipeline.
func parseWithErrors(t *testing.T, testdata string) (*model.Pipeline, []*model.ParseError) {
	t.Helper()
	src, err := os.ReadFile(testdata)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(workflowFile, src)
	if p == nil {
		t.Fatalf("Parse(%s) returned no pipeline: %v", testdata, err)
	}
	return p, parseErrors(t, err)
}

// jobSteps lists each job's ID with the kinds of its steps.
func jobSteps(p *model.Pipeline) map[string][]string {
	out := map[string][]string{}
	for _, j := range p.Jobs {
		kinds := []string{}
		for _, s := range j.Steps {
			kinds = append(kinds, s.Kind)
		}
		out[j.ID.Value] = kinds
	}
	return out
}

func referenceValues(p *model.Pipeline) []string {
	var out []string
	for _, r := range p.References {
		out = append(out, r.Value.Value)
	}
	return out
}

// A workflow actionlint rejects for a structural reason is still modelled:
// actionlint leaves out only the node in error, and every other job and
// step is there for the rules.
func TestStructuralErrorsKeepTheModel(t *testing.T) {
	p, errs := parseWithErrors(t, "testdata/structural.yml")
	const empty = "string should not be empty"
	check(t, "errors", errs, []*model.ParseError{
		{Pos: at(5, 15, 5, 18), Message: `input type of workflow_dispatch event must be one of "string", "number", "boolean", "choice", "environment" but got "int"`},
		{Pos: at(9, 15, 9, 18), Message: `invalid value "int" for input type of workflow_call event. it must be one of "boolean", "number", or "string"`},
		{Pos: at(13, 14, 13, 16), Message: empty}, // runs-on: ""
		{Pos: at(19, 15, 19, 17), Message: empty}, // a step's uses: ""
		{Pos: at(23, 5, 23, 12), Message: `unexpected key "timeout" for "job" section. expected one of "concurrency", "container", "continue-on-error", "defaults", "env", "environment", "if", "name", "needs", "outputs", "permissions", "runs-on", "secrets", "services", "snapshot", "steps", "strategy", "timeout-minutes", "uses", "with"`},
		{Pos: at(25, 9, 25, 24), Message: `element of "steps" section is scalar node but mapping node is expected`},
		{Pos: at(25, 9, 25, 24), Message: `step must run script with "run" section or run action with "uses" section`},
		{Pos: at(28, 12, 28, 14), Message: empty}, // needs: ""
		{Pos: at(33, 11, 33, 13), Message: empty}, // a job's uses: ""
	})
	check(t, "jobs and steps", jobSteps(p), map[string][]string{
		"runner": {"run"},
		"action": {"other", "run"}, // uses: "" calls nothing
		"bogus":  {"other", "run"}, // the string step is kept as other
		"needy":  {"run"},
		"call":   {},
		"build":  {"uses"},
	})
	var ids []string
	for _, j := range p.Jobs {
		ids = append(ids, j.ID.Value)
	}
	check(t, "jobs in source order", ids, []string{"runner", "action", "bogus", "needy", "call", "build"})
	check(t, "the inputs of an unknown type", []string{p.Parameters[0].Name.Value, p.Parameters[1].Name.Value}, []string{"count", "size"})
	check(t, "size default", p.Parameters[1].Value, str("3", 10, 18, 10, 19))
	check(t, "the job without a timeout-minutes key keeps its runner", p.Jobs[2].Runner.Labels, []model.String{str("ubuntu-latest", 22, 14, 22, 27)})
	// An empty uses is an error, not an action or workflow to pin.
	check(t, "references", referenceValues(p), []string{"actions/checkout@v4"})
	check(t, "empty reusable workflow", p.Jobs[4].Uses, (*model.Reference)(nil))
	check(t, "checkout", p.Jobs[5].Steps[0].Uses.Value, str("actions/checkout@v4", 37, 15, 37, 34))
}

// actionlint leaves an entry out of its tree when its name repeats an
// earlier one's, ignoring case. A job, an input or a service so left out is
// still modelled, and the errors inside it reported, under its own name.
func TestDuplicateNamesAreStillModelled(t *testing.T) {
	p, errs := parseWithErrors(t, "testdata/duplicate-jobs.yml")
	check(t, "errors", errs, []*model.ParseError{
		{Pos: at(6, 7, 6, 12), Message: `key "Level" is duplicated in "inputs" section. previously defined at line:4,col:7. note that this key is case insensitive`},
		{Pos: at(7, 15, 7, 18), Message: `input type of workflow_dispatch event must be one of "string", "number", "boolean", "choice", "environment" but got "int"`},
		{Pos: at(13, 3, 13, 8), Message: `"runs-on" section is missing in job "Build"`},
		{Pos: at(13, 3, 13, 8), Message: `key "Build" is duplicated in "jobs" section. previously defined at line:9,col:3. note that this key is case insensitive`},
		{Pos: at(16, 3, 16, 10), Message: `key "BUILD" is duplicated in "jobs" section. previously defined at line:9,col:3. note that this key is case insensitive`},
		{Pos: at(21, 7, 21, 9), Message: `key "DB" is duplicated in "services" section. previously defined at line:19,col:7. note that this key is case insensitive`},
	})
	check(t, "jobs", jobSteps(p), map[string][]string{"build": {"run"}, "Build": {"uses"}, "BUILD": {"uses"}})
	check(t, "job ids keep their text", p.Jobs[2].ID, str("BUILD", 16, 4, 16, 9))
	check(t, "job pos", p.Jobs[1].Pos, at(13, 3, 15, 34))
	check(t, "inputs", []model.String{p.Parameters[0].Name, p.Parameters[1].Name}, []model.String{str("level", 4, 7, 4, 12), str("Level", 6, 7, 6, 12)})
	check(t, "services", []model.String{p.Jobs[2].Services[0].Alias, p.Jobs[2].Services[1].Alias}, []model.String{str("db", 19, 7, 19, 9), str("DB", 21, 7, 21, 9)})
	check(t, "references", referenceValues(p), []string{"actions/checkout@v4", "postgres:16", "redis:7", "actions/cache@v4"})
}

func TestEmptyUsesInCompositeAction(t *testing.T) {
	const file = "action.yml"
	src := "runs:\n  using: composite\n  steps:\n    - uses: \"\"\n    - uses: actions/cache@v4\n"
	p, err := Parse(file, []byte(src))
	check(t, "errors", parseErrors(t, err), []*model.ParseError{
		{Pos: span(file, 4, 7, 4, 15), Message: `step must run a script with "run" or an action with "uses"`},
	})
	check(t, "references", referenceValues(p), []string{"actions/cache@v4"})
}

// An empty `container:` runs the job on the runner (GitHub accepts it); an
// empty `image:` is an error to GitHub. Neither pulls anything in.
func TestEmptyImagesPullInNothing(t *testing.T) {
	src := "on: push\njobs:\n  a:\n    runs-on: x\n    container: \"\"\n    services:\n      db:\n        image: \"\"\n    steps:\n      - run: echo\n"
	p, err := Parse(workflowFile, []byte(src))
	check(t, "errors", parseErrors(t, err), []*model.ParseError{
		{Pos: at(8, 16, 8, 18), Message: "string should not be empty"},
	})
	check(t, "references", referenceValues(p), []string(nil))
	check(t, "container", p.Jobs[0].Container, (*model.Image)(nil))
	check(t, "services", p.Jobs[0].Services, []model.Image(nil))
	check(t, "steps", jobSteps(p), map[string][]string{"a": {"run"}})
}

// Thousands of jobs of one name are all modelled, each renamed once, with
// work that grows with their number, not its square.
func TestManyDuplicateJobs(t *testing.T) {
	const n = 3000
	src := "on: push\njobs:\n" + strings.Repeat("  job:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n", n)
	var p *model.Pipeline
	var err error
	allocs := testing.AllocsPerRun(1, func() { p, err = Parse(workflowFile, []byte(src)) })
	if len(p.Jobs) != n {
		t.Errorf("%d jobs, want %d", len(p.Jobs), n)
	}
	errs := parseErrors(t, err)
	if len(errs) != n-1 || errs[n-2].Pos != at(3+4*(n-1), 3, 3+4*(n-1), 6) {
		t.Errorf("%d errors, the last %v; want %d, the last at the last job", len(errs), errs[len(errs)-1], n-1)
	}
	if bound := float64(500 * n); allocs > bound {
		t.Errorf("%.0f allocations, more than %.0f", allocs, bound)
	}
}
