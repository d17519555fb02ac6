package rules_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/rules"
)

func TestZZDebug(t *testing.T) {
	results, _ := engine.RunRegoTests(context.Background(), rules.FS)
	for _, r := range results {
		if strings.Contains(r.Package, "unpinned_package") && (r.Fail || r.Error != nil) {
			t.Logf("%s %v\n%s", r.Name, r.Error, r.Output)
		}
	}
}
