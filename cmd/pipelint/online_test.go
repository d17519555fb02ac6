package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

// actionRepo is the commits of octo/action that serveActionRepo serves:
//
//	one ← two ← three ← fork
//
// Tags: v1 (lightweight) and v1.0.0 (annotated) at one; v2 (annotated)
// and v2.1.0 at three. main is at three, and a branch v2, named like the
// tag, at two. fork is reachable only from refs/pull/1/head, as a pull
// request's commit from a fork is.
type actionRepo struct{ one, two, three, fork string }

// serveActionRepo serves octo/action over smart HTTP with git
// http-backend.
func serveActionRepo(t *testing.T) (*resolvetest.GitServer, actionRepo) {
	t.Helper()
	srv := resolvetest.NewGitServer(t, "")
	r := srv.NewRepo(t, "octo/action")
	var repo actionRepo
	repo.one = r.Commit("one")
	repo.two = r.Commit("two", repo.one)
	repo.three = r.Commit("three", repo.two)
	repo.fork = r.Commit("fork", repo.three)
	r.SetRef("refs/tags/v1", repo.one)
	r.AnnotatedTag("v1.0.0", repo.one)
	r.SetRef("refs/heads/v2", repo.two)
	r.SetRef("refs/heads/main", repo.three)
	r.AnnotatedTag("v2", repo.three)
	r.SetRef("refs/tags/v2.1.0", repo.three)
	r.SetRef("refs/pull/1/head", repo.fork)
	return srv, repo
}

// check --online verifies the pins of a workflow against a real git
// server: a fork's commit (impostor-commit), a version comment naming a
// tag of another commit (ref-version-mismatch), a name that is a branch
// and a tag (ref-confusion), a commit whose tags an advisory covers
// (known-vulnerable-action); refs it cannot resolve are warnings, not
// errors. Without --online, none of that is looked up or reported.
func TestCheckOnline(t *testing.T) {
	srv, repo := serveActionRepo(t)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("PIPELINT_CACHE_DIR", t.TempDir())
	advisory := `{"id": "PIPELINT-TEST-0100", "summary": "test advisory", "affected": [{
	  "package": {"ecosystem": "GitHub Actions", "name": "octo/action"},
	  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}],
	  "database_specific": {"severity": "MODERATE"}}`
	root := writeFiles(t, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		"advisory.json":  advisory,
		".pipelint.yaml": "rules:\n  unpinned-action:\n    enabled: false\n",
		".github/workflows/ci.yml": "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: octo/action@" + repo.fork + "\n" + // 7
			"      - uses: octo/action@" + repo.one + " # v2.1.0\n" + // 8
			"      - uses: octo/action@" + repo.three + " # v2.1.0\n" + // 9
			"      - uses: octo/action@v2\n" + // 10
			"      - uses: octo/action@v2.1.0\n" + // 11
			"      - uses: octo/action@v9\n" + // 12
			"      - uses: octo/missing@v1\n", // 13
	})
	online := []string{"impostor-commit", "ref-version-mismatch", "ref-confusion", "known-vulnerable-action"}
	onlineFindings := func(stdout string) []string {
		return slices.DeleteFunc(findingLines(stdout), func(line string) bool {
			return !slices.ContainsFunc(online, func(id string) bool { return strings.Contains(line, " "+id+": ") })
		})
	}

	code, stdout, stderr := pipelint(t, root, "check", "--advisories", "advisory.json", "--online", "--github-url", srv.URL)
	want := []string{
		fmt.Sprintf(`.github/workflows/ci.yml:7:15: high impostor-commit: action "octo/action@%s" is pinned to a commit that no branch or tag of octo/action holds: it can come from a fork, served through the repository's name; pin the commit of one of its releases`, repo.fork),
		fmt.Sprintf(`.github/workflows/ci.yml:8:15: medium known-vulnerable-action: action "octo/action@%s" (by the tags "v1" and "v1.0.0" at its commit) is in the affected range of PIPELINT-TEST-0100; update to 2.0.0 or later`, repo.one),
		fmt.Sprintf(`.github/workflows/ci.yml:8:70: medium ref-version-mismatch: action "octo/action@%s" is commented as version "v2.1.0", but tag "v2.1.0" points at commit %s (tags at the pinned commit: "v1", "v1.0.0"); pin the tag's commit or correct the comment`, repo.one, repo.three[:7]),
		`.github/workflows/ci.yml:10:15: medium ref-confusion: action "octo/action@v2" names "v2", both a branch and a tag of octo/action, which can point at different commits; pin it to the full commit SHA of the tag`,
	}
	if got := onlineFindings(stdout); code != exitFindings || !slices.Equal(got, want) {
		t.Errorf("check --online: exit %d, findings\n  %s\nwant\n  %s\nstderr:\n%s", code, strings.Join(got, "\n  "), strings.Join(want, "\n  "), stderr)
	}
	warnings := slices.DeleteFunc(strings.Split(stderr, "\n"), func(line string) bool { return !strings.Contains(line, ": warning: ") })
	wantWarnings := []string{
		`.github/workflows/ci.yml:12:15: warning: "v9" is no branch or tag of octo/action`,
		`.github/workflows/ci.yml:13:15: warning: could not check octo/missing@v1 online: list refs of ` + srv.URL + `/octo/missing.git: repository not found`,
	}
	if !slices.Equal(warnings, wantWarnings) {
		t.Errorf("warnings\n  %s\nwant\n  %s", strings.Join(warnings, "\n  "), strings.Join(wantWarnings, "\n  "))
	}

	// Offline, the same file: nothing looked up, nothing reported but
	// what the file alone shows (the range of a tag written as the ref is
	// not: v2.1.0 is past the advisory).
	before, _ := srv.Seen()
	code, stdout, stderr = pipelint(t, root, "check", "--advisories", "advisory.json")
	if got := onlineFindings(stdout); code == exitError || len(got) != 0 || strings.Contains(stderr, "warning") {
		t.Errorf("check without --online: exit %d, findings %q, stderr %q; want none of the online rules and no warning", code, got, stderr)
	}
	if after, _ := srv.Seen(); after != before {
		t.Errorf("check without --online made %d requests", after-before)
	}
	if code, _, stderr := pipelint(t, root, "check", "--github-url", srv.URL); code != exitError || !strings.Contains(stderr, "--github-url is used only with --online") {
		t.Errorf("--github-url without --online: exit %d, stderr %q; want a usage error", code, stderr)
	}
}
