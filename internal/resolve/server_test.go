package resolve

import (
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// gitHTTPBackend is where Debian's git installs its smart HTTP server.
const gitHTTPBackend = "/usr/lib/git-core/git-http-backend"

// gitEnv makes git independent of the machine's configuration, and its
// commits the same on every run.
var gitEnv = []string{
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_CONFIG_GLOBAL=/dev/null",
	"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com", "GIT_AUTHOR_DATE=2024-01-01T00:00:00Z",
	"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
}

// requireGit skips the test when git or its HTTP backend is missing.
func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if _, err := os.Stat(gitHTTPBackend); err != nil {
		t.Skipf("git http-backend is not installed: %v", err)
	}
}

// runGit runs git in dir and returns its output, trimmed.
func runGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

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

// gitServer serves repositories over smart HTTP with git http-backend,
// and records the Authorization header of each request.
type gitServer struct {
	*httptest.Server
	repo fixture

	mu       sync.Mutex
	requests int
	auth     []string
}

// newGitServer serves octo/action (see fixture). When token is set, a
// request without it as the password of x-access-token is refused.
func newGitServer(t *testing.T, token string) *gitServer {
	t.Helper()
	requireGit(t)
	root := t.TempDir()
	work := filepath.Join(root, "work")
	runGit(t, root, "init", "-q", "-b", "main", work)
	var f fixture
	commit := func(msg string) string {
		runGit(t, work, "commit", "-q", "--allow-empty", "-m", msg)
		return runGit(t, work, "rev-parse", "HEAD")
	}
	f.root = commit("root")
	f.base = commit("base")
	f.one = commit("one")
	runGit(t, work, "tag", "v1")
	runGit(t, work, "tag", "-a", "-m", "v1.0.0", "v1.0.0")
	f.two = commit("two")
	runGit(t, work, "branch", "dev")
	runGit(t, work, "branch", "v2")
	f.three = commit("three")
	runGit(t, work, "tag", "-a", "-m", "v2", "v2")
	runGit(t, work, "tag", "-a", "-m", "v2.1", "v2.1")
	runGit(t, work, "tag", "v2.1.0")
	runGit(t, work, "tag", "release")
	f.fork = commit("fork")
	runGit(t, work, "update-ref", "refs/pull/1/head", f.fork)
	runGit(t, work, "reset", "-q", "--hard", f.three)
	f.bare = filepath.Join(root, "repos", "octo", "action.git")
	runGit(t, root, "clone", "-q", "--mirror", work, f.bare)

	s := &gitServer{repo: f}
	backend := &cgi.Handler{
		Path: gitHTTPBackend,
		Env:  append([]string{"GIT_PROJECT_ROOT=" + filepath.Join(root, "repos"), "GIT_HTTP_EXPORT_ALL=1"}, gitEnv[:2]...),
		// The backend explains its 404s on stderr; the tests check the
		// client's error instead.
		Stderr: io.Discard,
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.auth = append(s.auth, r.Header.Get("Authorization"))
		s.mu.Unlock()
		if token != "" {
			if user, password, ok := r.BasicAuth(); !ok || user != "x-access-token" || password != token {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// seen is the number of requests served so far, and their Authorization
// headers.
func (s *gitServer) seen() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, append([]string(nil), s.auth...)
}
