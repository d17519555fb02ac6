package jenkins

import (
	"testing"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
)

// TestGolden parses every testdata/<name>.groovy, as a Jenkinsfile in ci/,
// and compares the result with testdata/<name>.golden.
func TestGolden(t *testing.T) {
	parsertest.GoldenFiles(t, ".groovy", "ci/", Parser.Parse)
}
