package resolve

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// newTestResolver is a Resolver reading srv with its own cache directory
// and no token from the environment.
func newTestResolver(t *testing.T, githubURL string, opts ...Option) *Resolver {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	r, err := New(append([]Option{WithGitHubURL(githubURL), WithCacheDir(t.TempDir())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRefs(t *testing.T) {
	srv := newGitServer(t, "")
	r := newTestResolver(t, srv.URL)
	refs, err := r.Refs(context.Background(), "octo/action")
	if err != nil {
		t.Fatal(err)
	}
	f := srv.repo
	for _, tc := range []struct{ ref, want string }{
		{"v1", f.one},       // lightweight tag
		{"v1.0.0", f.one},   // annotated tag, peeled to its commit
		{"v2.1", f.three},   // annotated
		{"v2.1.0", f.three}, // lightweight
		{"main", f.three},   // branch
		{"dev", f.two},
		{"v2", f.three}, // both a tag and a branch: the tag, as git has it
		{"refs/tags/v2", f.three},
		{"refs/heads/v2", f.two},
	} {
		got, err := refs.Commit(tc.ref)
		if err != nil || got != tc.want {
			t.Errorf("Commit(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
		}
	}
	for _, ref := range []string{"v3", "pull/1/head", "refs/pull/1/head", "refs/heads/release", "refs/tags/dev", "HEAD"} {
		got, err := refs.Commit(ref)
		if !errors.Is(err, ErrUnknownRef) || got != "" {
			t.Errorf("Commit(%q) = %q, %v; want ErrUnknownRef", ref, got, err)
		} else if !strings.Contains(err.Error(), "octo/action@"+ref) {
			t.Errorf("Commit(%q) error %q does not name the ref", ref, err)
		}
	}
	if got := refs.Repo; got != "octo/action" {
		t.Errorf("Repo = %q", got)
	}
	if len(refs.Branches) != 3 || len(refs.Tags) != 6 {
		t.Errorf("got branches %v and tags %v; want main, dev, v2 and six tags", refs.Branches, refs.Tags)
	}
}

func TestRefsAtCommit(t *testing.T) {
	srv := newGitServer(t, "")
	refs, err := newTestResolver(t, srv.URL).Refs(context.Background(), "octo/action")
	if err != nil {
		t.Fatal(err)
	}
	f := srv.repo
	if got, want := refs.TagsAt(f.three), []string{"release", "v2", "v2.1", "v2.1.0"}; !slices.Equal(got, want) {
		t.Errorf("TagsAt(three) = %q, want %q", got, want)
	}
	if got, want := refs.TagsAt(strings.ToUpper(f.one)), []string{"v1", "v1.0.0"}; !slices.Equal(got, want) {
		t.Errorf("TagsAt(ONE) = %q, want %q", got, want)
	}
	if got := refs.TagsAt(f.fork); got != nil {
		t.Errorf("TagsAt(fork) = %q, want none", got)
	}
	if got, want := refs.BranchesAt(f.two), []string{"dev", "v2"}; !slices.Equal(got, want) {
		t.Errorf("BranchesAt(two) = %q, want %q", got, want)
	}
	if got := refs.BranchesAt(f.one); got != nil {
		t.Errorf("BranchesAt(one) = %q, want none", got)
	}
	for sha, want := range map[string]string{f.three: "v2.1.0", f.one: "v1.0.0", f.two: ""} {
		if got, ok := refs.MostSpecificTag(sha); got != want || ok != (want != "") {
			t.Errorf("MostSpecificTag(%s) = %q, %v; want %q", sha, got, ok, want)
		}
	}
	if !refs.Ambiguous("v2") {
		t.Error(`Ambiguous("v2") = false; v2 is a branch and a tag`)
	}
	for _, name := range []string{"v1", "main", "nothing"} {
		if refs.Ambiguous(name) {
			t.Errorf("Ambiguous(%q) = true", name)
		}
	}
}

func TestMostSpecificTag(t *testing.T) {
	const at, other = "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"
	for _, tc := range []struct {
		tags []string // at the commit
		want string
	}{
		{[]string{"v4", "v4.2.2"}, "v4.2.2"},
		{[]string{"v4.2.2", "v4", "v4.2"}, "v4.2.2"},
		{[]string{"v4", "latest", "stable"}, "v4"},
		{[]string{"v4.2.2", "4.2.2"}, "4.2.2"},            // as many numbers: byte order
		{[]string{"v10.0", "v9.1"}, "v10.0"},              // byte order, not numeric
		{[]string{"v4.2.2-beta", "v4.2", "v4.x"}, "v4.2"}, // not versions as tags spell them
		{[]string{"latest"}, ""},
		{nil, ""},
	} {
		refs := &RefSet{Repo: "o/r", Tags: map[string]string{"v4.2.3": other, "v4.2.3.1": other}}
		for _, tag := range tc.tags {
			refs.Tags[tag] = at
		}
		if got, ok := refs.MostSpecificTag(at); got != tc.want || ok != (tc.want != "") {
			t.Errorf("MostSpecificTag with tags %q = %q, %v; want %q", tc.tags, got, ok, tc.want)
		}
	}
}

func TestRefsErrors(t *testing.T) {
	srv := newGitServer(t, "")
	r := newTestResolver(t, srv.URL)
	_, err := r.Refs(context.Background(), "octo/missing")
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/octo/missing.git") {
		t.Errorf("Refs(octo/missing) error = %v; want one naming the repository's URL", err)
	}
	requests, _ := srv.Seen()
	for _, repo := range []string{"octo", "octo/action/sub", "../action", "octo/..", "octo/a b", "", "octo/"} {
		if _, err := r.Refs(context.Background(), repo); err == nil || !strings.Contains(err.Error(), "want owner/name") {
			t.Errorf("Refs(%q) error = %v; want an invalid name", repo, err)
		}
	}
	if after, _ := srv.Seen(); after != requests {
		t.Errorf("invalid names made %d requests", after-requests)
	}
}

func TestToken(t *testing.T) {
	const token = "ghp_s3cretTokenValue"
	srv := newGitServer(t, token)
	cacheDir := t.TempDir()

	// From the environment: GITHUB_TOKEN first, else GH_TOKEN.
	for _, env := range [][2]string{{token, "wrong"}, {"", token}} {
		t.Setenv("GITHUB_TOKEN", env[0])
		t.Setenv("GH_TOKEN", env[1])
		r, err := New(WithGitHubURL(srv.URL), WithCacheDir(t.TempDir()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Refs(context.Background(), "octo/action"); err != nil {
			t.Errorf("GITHUB_TOKEN=%q GH_TOKEN=%q: %v", env[0], env[1], err)
		}
	}
	r := newTestResolver(t, srv.URL, WithToken(token), WithCacheDir(cacheDir))
	if _, err := r.Refs(context.Background(), "octo/action"); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	if _, auth := srv.Seen(); auth[len(auth)-1] != want {
		t.Errorf("last request's Authorization = %q, want %q", auth[len(auth)-1], want)
	}

	// A refused token, and none, fail, and the error does not tell the token.
	for _, opt := range []Option{WithToken(token + "-revoked"), WithToken("")} {
		_, err := newTestResolver(t, srv.URL, opt).Refs(context.Background(), "octo/action")
		if err == nil {
			t.Fatal("a refused token listed the refs")
		}
		if strings.Contains(err.Error(), token) {
			t.Errorf("error %q holds the token", err)
		}
	}

	// Nor does the cache.
	err := filepath.WalkDir(cacheDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if strings.Contains(string(data), token) {
			t.Errorf("cache file %s holds the token", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTimeout(t *testing.T) {
	// A server that accepts the request and never answers it.
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	}))
	t.Cleanup(srv.Close)
	defer close(hang) // before Close, which waits for the handlers

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := newTestResolver(t, srv.URL).Refs(ctx, "octo/action"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Refs from a server that never answers: %v, want context.DeadlineExceeded", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := newTestResolver(t, srv.URL).Refs(ctx, "octo/action"); !errors.Is(err, context.Canceled) {
		t.Errorf("Refs with a cancelled context: %v, want context.Canceled", err)
	}
	_, err := newTestResolver(t, srv.URL, WithTimeout(200*time.Millisecond)).Refs(context.Background(), "octo/action")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Refs from a server that never answers, with a timeout: %v, want context.DeadlineExceeded", err)
	}
}

// Pin names the most specific version tag at a tag's commit, and nothing
// beside a branch's, whose name the pin's comment keeps.
func TestPin(t *testing.T) {
	srv := newGitServer(t, "")
	r := newTestResolver(t, srv.URL)
	f := srv.repo
	for _, tc := range []struct{ ref, sha, version string }{
		{"v2", f.three, "v2.1.0"},      // annotated major tag
		{"release", f.three, "v2.1.0"}, // not a version, at a version's commit
		{"v1", f.one, "v1.0.0"},
		{"refs/tags/v1", f.one, "v1.0.0"},
		{"main", f.three, ""},        // a branch
		{"refs/heads/v2", f.two, ""}, // the branch, not the tag
	} {
		sha, version, err := r.Pin(context.Background(), "octo", "action", tc.ref)
		if err != nil || sha != tc.sha || version != tc.version {
			t.Errorf("Pin(%q) = %q, %q, %v; want %q, %q", tc.ref, sha, version, err, tc.sha, tc.version)
		}
	}
	if _, _, err := r.Pin(context.Background(), "octo", "action", "v9"); !errors.Is(err, ErrUnknownRef) {
		t.Errorf("Pin(v9): %v; want ErrUnknownRef", err)
	}
	if _, _, err := r.Pin(context.Background(), "octo", "missing", "v1"); err == nil || !strings.Contains(err.Error(), "octo/missing.git") {
		t.Errorf("Pin of a missing repository: %v; want an error naming it", err)
	}
}
