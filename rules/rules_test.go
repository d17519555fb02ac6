package rules_test

import (
	"context"
	"testing"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/rules"
)

// TestRego runs every _test.rego file under the production capabilities.
func TestRego(t *testing.T) {
	results, err := engine.RunRegoTests(context.Background(), rules.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		name := r.Package + "." + r.Name
		switch {
		case r.Error != nil:
			t.Errorf("%s: error: %v", name, r.Error)
		case r.Fail:
			t.Errorf("%s: FAIL (%s)", name, r.Location)
		case r.Skip:
			t.Logf("%s: skipped", name)
		}
	}
	t.Logf("%d Rego tests", len(results))
}
