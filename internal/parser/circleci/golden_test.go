package circleci

import (
	"testing"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
)

// TestGolden parses testdata/<case>.yml and compares the result with
// testdata/<case>.golden.
func TestGolden(t *testing.T) {
	parsertest.GoldenFiles(t, ".yml", "", Parse)
}
