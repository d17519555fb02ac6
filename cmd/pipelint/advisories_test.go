package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// --advisories adds the OSV advisories of a file or directory to the
// built-in ones (testdata/advisories/osv holds two of them, about
// octo-org/deploy-action and octo-org/lint-action).
func TestCheckAdvisories(t *testing.T) {
	osv, err := filepath.Abs("../../testdata/advisories/osv")
	if err != nil {
		t.Fatal(err)
	}
	root := writeFiles(t, map[string]string{".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: octo-org/deploy-action@v2.0.9\n" +
		"      - uses: octo-org/lint-action@9999999999999999999999999999999999999999 # v3.5.0\n" +
		"      - uses: tj-actions/changed-files@v44\n" +
		"      - uses: octo-org/deploy-action@1111111111111111111111111111111111111111\n"})
	args := []string{"check", "--no-config", "--format", "json"}

	_, stdout, _ := pipelint(t, root, args...)
	if got := advisoryLines(t, stdout); strings.Join(got, " ") != "8" {
		t.Errorf("built-in advisories: findings on lines %v, want [8]", got)
	}
	code, stdout, stderr := pipelint(t, root, append(args, "--advisories", osv)...)
	if got := advisoryLines(t, stdout); code != exitFindings || strings.Join(got, " ") != "6 8 9" {
		t.Errorf("with --advisories: exit %d, findings on lines %v, want [6 8 9]\n%s", code, got, stderr)
	}
	_, stdout, _ = pipelint(t, root, append(args, "--advisories", filepath.Join(osv, "PIPELINT-TEST-0001.json"))...)
	if got := advisoryLines(t, stdout); strings.Join(got, " ") != "6 8 9" {
		t.Errorf("one file: findings on lines %v, want [6 8 9]", got)
	}

	code, _, stderr = pipelint(t, root, append(args, "--advisories", filepath.Join(root, "missing"))...)
	if code != exitError || !strings.Contains(stderr, "--advisories") {
		t.Errorf("missing file: exit %d, stderr %q; want a usage error naming the flag", code, stderr)
	}
}

func advisoryLines(t *testing.T, stdout string) []string {
	t.Helper()
	var lines []string
	for _, f := range decodeJSON(t, stdout).Findings {
		if f.RuleID == "known-vulnerable-action" {
			lines = append(lines, strconv.Itoa(f.Line))
		}
	}
	return lines
}
