package engine

import (
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
