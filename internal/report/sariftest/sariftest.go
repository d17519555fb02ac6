// Package sariftest checks SARIF documents against the official SARIF 2.1.0
// schema in tests. It embeds the schema, so only tests should import it.
package sariftest

import (
	_ "embed"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// schema is the official OASIS SARIF 2.1.0 errata01 schema, byte for byte
// the text go-sarif embeds (sha256 c3b4bb2d…2682e, checked by a test).
//
//go:embed sarif-schema-2.1.0.json
var schema []byte

// Schema returns the schema text.
func Schema() []byte { return schema }

// Problems lists every way document breaks the schema. go-sarif's own
// Validate checks its structs, not written bytes, and reading a document back
// into them would restore defaults the writer left out.
func Problems(t testing.TB, document []byte) []string {
	t.Helper()
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(document))
	if err != nil {
		t.Fatalf("validate SARIF: %v", err)
	}
	var problems []string
	for _, problem := range result.Errors() {
		problems = append(problems, problem.String())
	}
	return problems
}
