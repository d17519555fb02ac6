package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommitHook runs the real pre-commit against this repository's
// .pre-commit-hooks.yaml: a bad workflow fails the hook and shows the
// finding, the fixed workflow passes. It builds pipelint through
// pre-commit, which takes a minute, so it runs only when asked for with
// PIPELINT_PRECOMMIT_TEST=1: .ci/run installs pre-commit and runs it once,
// after make test. (Reading the variable with os.Getenv puts it in go
// test's cache key, so setting it is never answered from a run without.)
func TestPreCommitHook(t *testing.T) {
	if os.Getenv("PIPELINT_PRECOMMIT_TEST") != "1" {
		t.Skip("builds pipelint through the real pre-commit; run with PIPELINT_PRECOMMIT_TEST=1 (.ci/run does)")
	}
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatal("PIPELINT_PRECOMMIT_TEST=1 but pre-commit is not installed")
	}
	target := t.TempDir()
	cache := t.TempDir()
	// pre-commit builds the hook in a GOPATH of its own for every try-repo
	// (a new commit each time), so each build downloaded every module again:
	// ten minutes for six builds. The module cache of this build serves
	// them all.
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = target
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	writeFile := func(name, content string) {
		t.Helper()
		path := filepath.Join(target, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
	}
	write := func(content string) { writeFile(".github/workflows/ci.yml", content) }
	tryHook := func(hook string) (string, error) {
		cmd := exec.Command("pre-commit", "try-repo", repoRoot, hook, "--all-files", "--color", "never")
		cmd.Dir = target
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+cache, "NO_COLOR=1", "GOMODCACHE="+strings.TrimSpace(string(modCache)))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	tryRepo := func() (string, error) { return tryHook("pipelint") }

	git("init", "-q")
	write(unpinnedWorkflow)
	out, err := tryRepo()
	if err == nil || !strings.Contains(out, `.github/workflows/ci.yml:6:15: medium unpinned-action: action "actions/checkout@v4"`) {
		t.Fatalf("the hook should fail on an unpinned action; err %v, output:\n%s", err, out)
	}

	write(strings.Replace(unpinnedWorkflow, "actions/checkout@v4", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", 1))
	if out, err := tryRepo(); err != nil {
		t.Fatalf("the hook should pass on a pinned action; err %v, output:\n%s", err, out)
	}

	// GitLab include fragments are checked through the pipeline that
	// includes them, never as pipelines of their own; other YAML is passed
	// over.
	writeFile(".gitlab-ci.yml", "include:\n  - local: .gitlab/ci/*.yml\n  - local: deploy.gitlab-ci.yml\n")
	writeFile(".gitlab/ci/templates.yml", ".node:\n  image: node:20@sha256:"+strings.Repeat("a", 64)+"\n")
	writeFile("deploy.gitlab-ci.yml", "deploy:\n  extends: .node\n  script: make deploy\n")
	writeFile("mkdocs.yml", "site_name: docs\n")
	if out, err := tryRepo(); err != nil {
		t.Fatalf("the hook should pass on a valid pipeline of fragments; err %v, output:\n%s", err, out)
	}
	writeFile(".gitlab/ci/build.yml", "build:\n  image: golang:1.26\n  script: go test ./...\n")
	out, err = tryRepo()
	if err == nil || !strings.Contains(out, ".gitlab/ci/build.yml:2:10: medium unpinned-image") {
		t.Fatalf("the hook should fail on an unpinned image in a fragment; err %v, output:\n%s", err, out)
	}

	// pipelint-fix fixes the workflow in place, which fails the hook (the
	// files changed); run again it changes nothing, and still fails on the
	// finding only --unsafe fixes. Other YAML is passed over.
	writeFile(".gitlab/ci/build.yml", "build:\n  image: golang:1.26@sha256:"+strings.Repeat("b", 64)+"\n  script: go test ./...\n")
	pinned := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
	write(pinned)
	out, err = tryHook("pipelint-fix")
	fixed, readErr := os.ReadFile(filepath.Join(target, ".github", "workflows", "ci.yml"))
	if err == nil || readErr != nil || !strings.Contains(string(fixed), "persist-credentials: false") {
		t.Fatalf("the fix hook should fix the checkout and fail; err %v, output:\n%s\nfile:\n%s", err, out, fixed)
	}
	git("add", "-A")
	out, err = tryHook("pipelint-fix")
	again, _ := os.ReadFile(filepath.Join(target, ".github", "workflows", "ci.yml"))
	if err == nil || string(again) != string(fixed) || !strings.Contains(out, "excessive-permissions: not fixed: the fix may change what the pipeline does") {
		t.Fatalf("the fix hook should change nothing more and leave the unsafe fix; err %v, output:\n%s", err, out)
	}
}
