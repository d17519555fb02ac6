package engine

import (
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/internal/model"
)

// TestPositionTerms: positions, converted without reflection, are the
// JSON of model.Pos, numbers past the shared ones and a second file
// included.
func TestPositionTerms(t *testing.T) {
	strings := []model.String{
		{Value: "a", Pos: model.Pos{File: "ci.yml", Line: 3, Column: 7, EndLine: 3, EndColumn: 8}},
		{Value: "b", Pos: model.Pos{File: "ci.yml", Line: 3000, Column: 70000, EndLine: 3001, EndColumn: maxSharedNumber + 1}},
		{Value: "c", Pos: model.Pos{File: "other.yml", Line: 3000, Column: 1, EndLine: 3000, EndColumn: 2}},
		{Value: "d"},
	}
	got, err := toValue(strings)
	if err != nil {
		t.Fatal(err)
	}
	text, err := json.Marshal(strings)
	if err != nil {
		t.Fatal(err)
	}
	want := ast.MustParseTerm(string(text)).Value
	if got.Compare(want) != 0 {
		t.Errorf("input %v, want %v", got, want)
	}
}
