package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A workflow actionlint rejects for one structural reason is an error (exit
// 2), and the rest of it is still checked: the unpinned action of another
// job is reported too.
func TestStructuralErrorStillChecksTheRest(t *testing.T) {
	const workflow = `on:
  workflow_dispatch:
    inputs:
      count:
        type: int
jobs:
  broken:
    runs-on: ""
    steps:
      - run: echo hi
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
`
	root := t.TempDir()
	dir := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ci.yml"), []byte(workflow), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--format", "text", "."}, &stdout, &stderr)
	if code != 2 {
		t.Errorf("exit %d, want 2 (a file that could not be parsed)", code)
	}
	for _, want := range []string{
		`.github/workflows/ci.yml:5:15: error: input type of workflow_dispatch event must be one of "string", "number", "boolean", "choice", "environment" but got "int"`,
		`.github/workflows/ci.yml:8:14: error: string should not be empty`,
		`.github/workflows/ci.yml:14:15: medium unpinned-action: action "actions/checkout@v4" is pinned to tag "v4", which can be moved; pin it to a full commit SHA [fixable]`,
	} {
		if !strings.Contains(stdout.String(), want+"\n") {
			t.Errorf("output lacks\n%s\ngot:\n%s\nstderr:\n%s", want, stdout.String(), stderr.String())
		}
	}
}
