package engine

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/internal/model"
)

// TestRepositoryIsConvertedOnce: the files of a repository share its
// view, and their inputs share its one conversion.
func TestRepositoryIsConvertedOnce(t *testing.T) {
	repo := &model.Repository{Pipelines: []model.Pipeline{{File: "a.yml"}, {File: "b.yml"}}}
	var terms []*ast.Term
	for _, file := range []string{"a.yml", "b.yml"} {
		input, err := toValue(&model.Pipeline{File: file, Repository: repo})
		if err != nil {
			t.Fatal(err)
		}
		terms = append(terms, input.(ast.Object).Get(ast.StringTerm("repository")))
	}
	if terms[0] != terms[1] {
		t.Error("the repository was converted for each file")
	}
	pipelines := terms[0].Value.(ast.Object).Get(ast.StringTerm("pipelines")).Value.(*ast.Array)
	if pipelines.Len() != 2 || pipelines.Elem(1).Value.(ast.Object).Get(ast.StringTerm("file")).Value.Compare(ast.String("b.yml")) != 0 {
		t.Errorf("input.repository.pipelines = %v", pipelines)
	}
	alone, err := toValue(&model.Pipeline{File: "c.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if got := alone.(ast.Object).Get(ast.StringTerm("repository")); got.Value.Compare(ast.Null{}) != 0 {
		t.Errorf("input.repository of a file without one = %v, want null", got)
	}
}

const factsLibrary = `package pipelint.lib.pipeline

repository_facts := {"files": count(input.repository.pipelines), "checked": object.get(input, "file", "none")}
`

const factsRule = `# METADATA
# title: Facts
# description: Reports the repository's facts.
# custom:
#   id: facts
#   severity: low
#   remediation: None.
package pipelint.rules.facts

findings contains {"msg": sprintf("%d files, judged for %s", [f.files, f.checked]), "pos": input.jobs[0].id.pos} if {
	f := input.repository.facts
}
`

// TestRepositoryFactsAreJudgedOnce: every file of a repository sees the
// facts the library judges from the repository alone, judged once, and a
// file without a repository sees none.
func TestRepositoryFactsAreJudgedOnce(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"lib/pipeline.rego": factsLibrary, "facts.rego": factsRule})
	if err != nil {
		t.Fatal(err)
	}
	repo := &model.Repository{Pipelines: []model.Pipeline{{File: "ci.yml"}, {File: "b.yml"}}}
	var judged []*ast.Term
	for _, file := range []string{"ci.yml", "b.yml"} {
		a := job("a", 1)
		a.ID.Pos.File = file
		p := &model.Pipeline{File: file, Jobs: []model.Job{a}, Repository: repo}
		findings, err := e.Evaluate(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(findings) != 1 || findings[0].Message != "2 files, judged for none" {
			t.Errorf("%s: findings = %v", file, findings)
		}
		term, err := e.facts.of(context.Background(), repo, DefaultTimeout)
		if err != nil {
			t.Fatal(err)
		}
		judged = append(judged, term)
	}
	if judged[0] != judged[1] {
		t.Error("the facts were judged for each file")
	}
	findings, err := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
	if err != nil || len(findings) != 0 {
		t.Errorf("without a repository: findings = %v, error = %v", findings, err)
	}
}
