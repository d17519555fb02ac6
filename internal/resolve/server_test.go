package resolve

import (
	"testing"

	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

// fixture is the commits of the repository octo/action that newGitServer
// serves:
//
//	root ← base ← one ← two ← three ← fork
//
// main is at three and dev at two; no ref points at root or base. Tags: v1 (lightweight) and v1.0.0
// (annotated) at one; v2 and v2.1 (annotated), v2.1.0 and release
// (lightweight) at three. A branch v2 at two shares the tag's name. fork is
// reachable only from refs/pull/1/head, as a pull request from a fork is.
type fixture struct {
	root, base, one, two, three, fork string
	bare                              string // the served repository's directory
}

// gitServer serves octo/action (see fixture).
type gitServer struct {
	*resolvetest.GitServer
	repo fixture
}

// newGitServer serves octo/action (see fixture). When token is set, a
// request without it as the password of x-access-token is refused.
func newGitServer(t *testing.T, token string) *gitServer {
	t.Helper()
	srv := resolvetest.NewGitServer(t, token)
	repo := srv.NewRepo(t, "octo/action")
	var f fixture
	f.root = repo.Commit("root")
	f.base = repo.Commit("base", f.root)
	f.one = repo.Commit("one", f.base)
	f.two = repo.Commit("two", f.one)
	f.three = repo.Commit("three", f.two)
	f.fork = repo.Commit("fork", f.three)
	f.bare = repo.Dir
	repo.SetRef("refs/heads/main", f.three)
	repo.SetRef("refs/heads/dev", f.two)
	repo.SetRef("refs/heads/v2", f.two)
	repo.SetRef("refs/tags/v1", f.one)
	repo.AnnotatedTag("v1.0.0", f.one)
	repo.AnnotatedTag("v2", f.three)
	repo.AnnotatedTag("v2.1", f.three)
	repo.SetRef("refs/tags/v2.1.0", f.three)
	repo.SetRef("refs/tags/release", f.three)
	repo.SetRef("refs/pull/1/head", f.fork)
	return &gitServer{GitServer: srv, repo: f}
}
