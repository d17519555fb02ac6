package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

// pinWorkflow is testdata/fix/pins.yml: actions at a major tag, a branch
// and an unknown tag, a reusable workflow, and references that need no
// pin (local, a full SHA).
const pinWorkflow = "cmd/pipelint/testdata/fix/pins.yml"

// pinGitServer serves what pins.yml names: actions/checkout with v4.2.2
// (annotated) and v4 at one commit, octo/workflows with v1 and v1.3.0 at
// one commit, octo/tools with its main branch. PIPELINT_CACHE_DIR is a
// directory of the test's own, which it returns, and no token is set.
func pinGitServer(t *testing.T) (*resolvetest.GitServer, string) {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	cache := t.TempDir()
	t.Setenv("PIPELINT_CACHE_DIR", cache)
	srv := resolvetest.NewGitServer(t, "")
	checkout := srv.NewRepo(t, "actions/checkout")
	v422 := checkout.Commit("v4.2.2", checkout.Commit("v4.1.0"))
	checkout.AnnotatedTag("v4.2.2", v422)
	checkout.SetRef("refs/tags/v4", v422)
	workflows := srv.NewRepo(t, "octo/workflows")
	w := workflows.Commit("v1.3.0")
	workflows.SetRef("refs/tags/v1", w)
	workflows.SetRef("refs/tags/v1.3.0", w)
	tools := srv.NewRepo(t, "octo/tools")
	tools.SetRef("refs/heads/main", tools.Commit("main"))
	return srv, cache
}

// pinRepository is a repository holding pins.yml as its only workflow.
func pinRepository(t *testing.T) (root, workflow string) {
	t.Helper()
	root = writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".github/workflows/pins.yml": readText(t, filepath.Join(repoRoot, pinWorkflow))})
	return root, filepath.Join(root, ".github", "workflows", "pins.yml")
}

// fix pins tags to the commit of the most specific tag and branches to
// their head, names an unknown tag as not fixed, and changes nothing else;
// check then reports only the unknown tag.
func TestFixPins(t *testing.T) {
	srv, _ := pinGitServer(t)
	root, workflow := pinRepository(t)
	code, stdout, stderr := pipelint(t, root, "fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action")
	if code != exitFindings || stdout != "" {
		t.Fatalf("exit %d, want %d; stdout %q; stderr: %s", code, exitFindings, stdout, stderr)
	}
	golden(t, filepath.Join(repoRoot, pinWorkflow+".fixed"), readText(t, workflow))
	for _, line := range []string{
		`.github/workflows/pins.yml:16:15: unpinned-action: not fixed: resolve "actions/checkout@v99": actions/checkout@v99: no such branch or tag`,
		"fixed 3 findings in 1 file; 1 finding left",
	} {
		if !strings.Contains(stderr, line+"\n") {
			t.Errorf("stderr lacks %q:\n%s", line, stderr)
		}
	}
	code, stdout, _ = pipelint(t, root, "check", "--no-config", "--format", "json")
	if code != exitFindings || strings.Count(stdout, `"rule_id": "unpinned-action"`) != 1 || !strings.Contains(stdout, "actions/checkout@v99") {
		t.Errorf("check after fix: exit %d\n%s", code, stdout)
	}
}

// --dry-run prints the pins as a diff and writes nothing.
func TestFixPinsDryRun(t *testing.T) {
	srv, _ := pinGitServer(t)
	root, workflow := pinRepository(t)
	before := readText(t, workflow)
	code, stdout, stderr := pipelint(t, root, "fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action", "--dry-run")
	if code != exitFindings || !strings.Contains(stderr, "would fix 3 findings in 1 file; 1 finding left") {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	golden(t, filepath.Join(repoRoot, "cmd/pipelint/testdata/fix/pins.diff"), stdout)
	if readText(t, workflow) != before {
		t.Error("--dry-run changed the file")
	}
}

// --offline pins from a cache filled by an earlier run, with the server
// gone, and names what the cache lacks; without --offline, the lookups
// fail on the server's absence.
func TestFixPinsOffline(t *testing.T) {
	srv, cache := pinGitServer(t)
	root, workflow := pinRepository(t)
	if code, _, stderr := pipelint(t, root, "fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action", "--dry-run"); code != exitFindings {
		t.Fatalf("filling the cache: exit %d; stderr: %s", code, stderr)
	}
	srv.Close()
	if entries, err := os.ReadDir(filepath.Join(cache, "refs")); err != nil || len(entries) != 3 {
		t.Fatalf("cache holds %d refs lists, want 3: %v", len(entries), err)
	}

	code, _, stderr := pipelint(t, root, "fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action", "--offline")
	if code != exitFindings || !strings.Contains(stderr, "fixed 3 findings in 1 file; 1 finding left") {
		t.Fatalf("offline: exit %d; stderr: %s", code, stderr)
	}
	golden(t, filepath.Join(repoRoot, pinWorkflow+".fixed"), readText(t, workflow))

	// A repository the cache never saw is left, with the reason.
	other := strings.Replace(readText(t, filepath.Join(repoRoot, pinWorkflow)), "octo/tools@main", "octo/other@main", 1)
	if err := os.WriteFile(workflow, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = pipelint(t, root, "fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action", "--offline")
	want := `.github/workflows/pins.yml:15:15: unpinned-action: not fixed: resolve "octo/other@main": refs of ` + srv.URL + `/octo/other.git: not in the cache, and offline mode forbids looking it up`
	if code != exitFindings || !strings.Contains(stderr, want+"\n") || !strings.Contains(stderr, "fixed 2 findings in 1 file; 2 findings left") {
		t.Errorf("offline, a repository not cached: exit %d; stderr: %s", code, stderr)
	}
	if !strings.Contains(readText(t, workflow), "octo/other@main   # a branch\n") {
		t.Error("the reference not cached was changed")
	}
}

var update = flag.Bool("update", false, "rewrite the golden files of the tests of pins")

// golden compares got with the file at path; go test -update rewrites it.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := readText(t, path); got != want {
		t.Errorf("%s differs (go test -update rewrites it):\n got: %q\nwant: %q", path, got, want)
	}
}
