// Package resolvetest starts the real servers that tests of resolving
// refs and digests talk to, on this machine: a git server over smart HTTP
// (git http-backend behind net/http/cgi) serving bare repositories the
// test builds, and an in-process OCI registry (go-containerregistry's)
// holding images the test pushes. Nothing is mocked: the resolver speaks
// the protocols it speaks to GitHub and to registries.
//
//	srv := resolvetest.NewGitServer(t, "")           // skips without git
//	repo := srv.NewRepo(t, "actions/checkout")
//	sha := repo.Commit("v4.2.2")
//	repo.SetRef("refs/tags/v4", sha)
//	repo.AnnotatedTag("v4.2.2", sha)
//	// resolve.New(resolve.WithGitHubURL(srv.URL), ...)
//
//	_, host := resolvetest.NewRegistry(t, "", "")    // 127.0.0.1:port
//	digest := resolvetest.PushImage(t, host+"/octo/app:1")
//	// resolve.New(resolve.WithInsecureLocalhost(), ...)
package resolvetest

import (
	"io"
	"log"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// GitHTTPBackend is where Debian's git installs its smart HTTP server.
const GitHTTPBackend = "/usr/lib/git-core/git-http-backend"

// emptyTree is git's empty tree object: commits here change no file.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// gitEnv makes git independent of the machine's configuration, and its
// commits the same on every run.
var gitEnv = []string{
	"GIT_CONFIG_NOSYSTEM=1",
	"GIT_CONFIG_GLOBAL=/dev/null",
	"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com", "GIT_AUTHOR_DATE=2024-01-01T00:00:00Z",
	"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
}

// RequireGit skips the test when git or its HTTP backend is missing.
func RequireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	if _, err := os.Stat(GitHTTPBackend); err != nil {
		t.Skipf("git http-backend is not installed: %v", err)
	}
}

// Git runs git in dir, with the configuration and dates of gitEnv, and
// returns its output, trimmed; a failure fails the test.
func Git(t testing.TB, dir string, args ...string) string {
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

// GitServer serves the bare repositories under its root over smart HTTP,
// as GitHub serves <url>/owner/repo.git, and records the Authorization
// header of each request.
type GitServer struct {
	*httptest.Server
	root string

	mu       sync.Mutex
	requests int
	auth     []string
}

// NewGitServer starts a git server with no repository; the test's cleanup
// stops it. When token is set, a request without it as the password of
// user x-access-token is refused, as GitHub refuses a private repository.
// It skips the test when git is missing.
func NewGitServer(t testing.TB, token string) *GitServer {
	t.Helper()
	RequireGit(t)
	s := &GitServer{root: t.TempDir()}
	backend := &cgi.Handler{
		Path: GitHTTPBackend,
		Env:  append([]string{"GIT_PROJECT_ROOT=" + s.root, "GIT_HTTP_EXPORT_ALL=1"}, gitEnv[:2]...),
		// The backend explains its 404s on stderr; tests check the
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

// Seen is the number of requests served so far, and their Authorization
// headers.
func (s *GitServer) Seen() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, append([]string(nil), s.auth...)
}

// Repo is a bare repository the server serves, built by the test.
type Repo struct {
	t   testing.TB
	Dir string // the bare repository's directory
}

// NewRepo creates the empty bare repository owner/name, served from then
// on as <url>/owner/name.git.
func (s *GitServer) NewRepo(t testing.TB, repo string) *Repo {
	t.Helper()
	dir := filepath.Join(s.root, filepath.FromSlash(repo)+".git")
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	Git(t, s.root, "init", "-q", "--bare", "-b", "main", dir)
	return &Repo{t: t, Dir: dir}
}

// Commit makes a commit of no file with message and parents, and returns
// its SHA. No ref points at it until SetRef or AnnotatedTag.
func (r *Repo) Commit(message string, parents ...string) string {
	r.t.Helper()
	args := []string{"commit-tree", emptyTree, "-m", message}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	return Git(r.t, r.Dir, args...)
}

// SetRef points ref, a full name (refs/heads/main, refs/tags/v4,
// refs/pull/1/head), at commit sha: a branch, a lightweight tag or any
// other ref.
func (r *Repo) SetRef(ref, sha string) {
	r.t.Helper()
	Git(r.t, r.Dir, "update-ref", ref, sha)
}

// AnnotatedTag makes the annotated tag name of commit sha.
func (r *Repo) AnnotatedTag(name, sha string) {
	r.t.Helper()
	Git(r.t, r.Dir, "tag", "-a", "-m", name, name, sha)
}

// NewRegistry serves an in-process OCI registry on 127.0.0.1, stopped by
// the test's cleanup (or earlier, by closing it), and returns it with its
// host:port. When user is set, every
// request must carry user:password. DOCKER_CONFIG is set to a directory of
// the test's own, holding no credentials, so that the user's are not used.
func NewRegistry(t testing.TB, user, password string) (*httptest.Server, string) {
	t.Helper()
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	handler := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); user != "" && (!ok || u != user || p != password) {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, strings.TrimPrefix(srv.URL, "http://")
}

// PushImage pushes an image of one small layer as image (host/repo:tag,
// the host a registry of NewRegistry's without credentials) and returns
// its digest. The layer holds the image's name, so that an image's digest
// is the same on every run and differs from the other images'.
func PushImage(t testing.TB, image string) string {
	t.Helper()
	ref, err := name.ParseReference(image)
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, static.NewLayer([]byte(ref.Context().RepositoryStr()+":"+ref.Identifier()), types.OCILayer))
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatalf("push %s: %v", image, err)
	}
	digest, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return digest.String()
}
