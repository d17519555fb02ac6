package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixRepository is a repository whose workflow has one safe fix
// (persist-credentials on the test job's checkout), one unsafe one
// (permissions), an ignored finding and pins (unpinned-action), which
// these tests leave alone.
const fixWorkflow = `name: ci
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # the sources
      - run: make test
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4 # pipelint: ignore[persist-credentials] reviewed
      - run: make lint
`

func fixRepository(t *testing.T) (root, workflow string) {
	t.Helper()
	root = writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".github/workflows/ci.yml": fixWorkflow})
	return root, filepath.Join(root, ".github", "workflows", "ci.yml")
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// --dry-run prints the diff of the safe fixes and writes nothing; the
// findings that remain make the exit code 1.
func TestFixDryRun(t *testing.T) {
	t.Setenv("PIPELINT_CACHE_DIR", t.TempDir()) // empty: the pins are left
	root, workflow := fixRepository(t)
	code, stdout, stderr := pipelint(t, root, "fix", "--dry-run", "--no-config", "--offline")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFindings, stderr)
	}
	want, err := os.ReadFile(filepath.Join(repoRoot, "cmd/pipelint/testdata/fix/dry-run.diff"))
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("diff:\n%s\nwant:\n%s", stdout, want)
	}
	if got := readText(t, workflow); got != fixWorkflow {
		t.Errorf("--dry-run changed the file:\n%s", got)
	}
	for _, line := range []string{
		".github/workflows/ci.yml:2:5: excessive-permissions: not fixed: the fix may change what the pipeline does; apply it with --unsafe",
		`.github/workflows/ci.yml:7:15: unpinned-action: not fixed: resolve "actions/checkout@v4": refs of https://github.com/actions/checkout.git: not in the cache, and offline mode forbids looking it up`,
		"would fix 1 finding in 1 file; 3 findings left",
	} {
		if !strings.Contains(stderr, line+"\n") {
			t.Errorf("stderr lacks %q:\n%s", line, stderr)
		}
	}
}

// fix writes the safe fixes in place; a second run finds nothing more to
// fix, and check no longer reports what was fixed. Inline ignores hold.
func TestFixInPlace(t *testing.T) {
	root, workflow := fixRepository(t)
	code, stdout, stderr := pipelint(t, root, "fix", "--no-config", "--rule", "persist-credentials")
	if code != exitClean || stdout != "" {
		t.Fatalf("exit %d, want %d; stdout %q; stderr: %s", code, exitClean, stdout, stderr)
	}
	fixed := strings.Replace(fixWorkflow, "# the sources\n", "# the sources\n        with:\n          persist-credentials: false\n", 1)
	if got := readText(t, workflow); got != fixed {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, fixed)
	}
	code, _, stderr = pipelint(t, root, "fix", "--no-config", "--rule", "persist-credentials")
	if code != exitClean || !strings.Contains(stderr, "fixed 0 findings in 0 files; 0 findings left") || readText(t, workflow) != fixed {
		t.Errorf("second run: exit %d, stderr %s", code, stderr)
	}
	code, stdout, _ = pipelint(t, root, "check", "--no-config")
	if code != exitFindings || strings.Contains(stdout, " persist-credentials: ") || !strings.Contains(stdout, " unpinned-action: ") {
		t.Errorf("check after fix: exit %d\n%s", code, stdout)
	}
}

// --unsafe applies the unsafe fixes too; --rule limits the fixes and the
// findings counted.
func TestFixUnsafeAndRule(t *testing.T) {
	root, workflow := fixRepository(t)
	code, _, stderr := pipelint(t, root, "fix", "--no-config", "--rule", "excessive-permissions")
	if code != exitFindings || readText(t, workflow) != fixWorkflow {
		t.Fatalf("without --unsafe: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = pipelint(t, root, "fix", "--no-config", "--rule", "excessive-permissions", "--unsafe")
	got := readText(t, workflow)
	if code != exitClean || !strings.Contains(got, "on: push\npermissions:\n  contents: read\njobs:\n") || strings.Contains(got, "persist-credentials: false") {
		t.Errorf("with --unsafe: exit %d, stderr %s\n%s", code, stderr, got)
	}
}

// Exit code 2: an unknown rule, a file that cannot be parsed.
func TestFixErrors(t *testing.T) {
	root, workflow := fixRepository(t)
	code, _, stderr := pipelint(t, root, "fix", "--no-config", "--rule", "no-such-rule")
	if code != exitError || !strings.Contains(stderr, `no rule "no-such-rule"`) {
		t.Errorf("unknown rule: exit %d, stderr %s", code, stderr)
	}
	broken := filepath.Join(filepath.Dir(workflow), "broken.yml")
	if err := os.WriteFile(broken, []byte("on: push\njobs: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = pipelint(t, root, "fix", "--no-config", "--rule", "persist-credentials")
	if code != exitError || !strings.Contains(stderr, ".github/workflows/broken.yml:") {
		t.Errorf("broken file: exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(readText(t, workflow), "persist-credentials: false") {
		t.Error("the other file must still be fixed")
	}
}

// --skip-unknown passes over named files that are not CI files, as the
// pipelint-fix pre-commit hook names every changed YAML file.
func TestFixSkipUnknown(t *testing.T) {
	root, workflow := fixRepository(t)
	other := filepath.Join(root, "mkdocs.yml")
	if err := os.WriteFile(other, []byte("site_name: docs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := pipelint(t, root, "fix", "--no-config", "--rule", "persist-credentials", "--dry-run", workflow, other)
	if code != exitError || !strings.Contains(stderr, "mkdocs.yml:1:1: not a known CI file") {
		t.Errorf("without --skip-unknown: exit %d, stderr %s", code, stderr)
	}
	code, _, stderr = pipelint(t, root, "fix", "--no-config", "--rule", "persist-credentials", "--skip-unknown", workflow, other)
	if code != exitClean || strings.Contains(stderr, "mkdocs") || !strings.Contains(readText(t, workflow), "persist-credentials: false") || readText(t, other) != "site_name: docs\n" {
		t.Errorf("with --skip-unknown: exit %d, stderr %s", code, stderr)
	}
}

// check marks what fix would change, counts it in the summary, and gives
// the edits to SARIF as fixes; a pin, which needs the network, is marked
// but has no SARIF fix.
func TestCheckShowsFixes(t *testing.T) {
	root, _ := fixRepository(t)
	_, stdout, stderr := pipelint(t, root, "check", "--no-config")
	for _, want := range []string{
		".github/workflows/ci.yml:2:5: low excessive-permissions: the workflow declares no permissions",
		"declare permissions (contents: read for most jobs) [fixable with --unsafe]\n",
		".github/workflows/ci.yml:7:15: low persist-credentials: actions/checkout@v4 leaves",
		"set persist-credentials: false [fixable]\n",
		".github/workflows/ci.yml:7:15: medium unpinned-action: ",
		"pin it to a full commit SHA [fixable]\n",
		"; 3 fixable by pipelint fix, 1 more with --unsafe",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
	_, stdout, _ = pipelint(t, root, "check", "--no-config", "--format", "sarif")
	for _, want := range []string{
		`"text": "Set input persist-credentials to \"false\""`,
		`"text": "        with:\n          persist-credentials: false\n"`,
		`"text": "Declare permissions contents: read (unsafe: `,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("SARIF lacks %s:\n%s", want, stdout)
		}
	}
	if n := strings.Count(stdout, `"fixes"`); n != 2 {
		t.Errorf("%d results with fixes, want 2", n)
	}
}
