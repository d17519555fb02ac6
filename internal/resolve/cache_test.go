package resolve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

// clock is a settable time for the time to live.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// cacheFiles is the files under dir, failing the test on any that is not
// a cache entry (a temporary file left behind).
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if !strings.HasSuffix(path, ".json") || strings.HasPrefix(d.Name(), ".") {
				t.Errorf("stray file in the cache: %s", path)
			}
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestCacheAvoidsTheNetwork(t *testing.T) {
	srv := newGitServer(t, "")
	cacheDir := t.TempDir()
	r := newTestResolver(t, srv.URL, WithCacheDir(cacheDir))
	first, err := r.Refs(context.Background(), "octo/action")
	if err != nil {
		t.Fatal(err)
	}
	if files := cacheFiles(t, cacheDir); len(files) != 1 {
		t.Fatalf("cache holds %q, want one entry", files)
	}
	srv.Close()
	// Another Resolver on the same directory, as the next run would be.
	again, err := newTestResolver(t, srv.URL, WithCacheDir(cacheDir)).Refs(context.Background(), "octo/action")
	if err != nil {
		t.Fatalf("cached refs with the server down: %v", err)
	}
	if sha, err := again.Commit("v1.0.0"); err != nil || sha != srv.repo.one {
		t.Errorf("cached Commit(v1.0.0) = %q, %v; want %q", sha, err, srv.repo.one)
	}
	if len(again.Tags) != len(first.Tags) || len(again.Branches) != len(first.Branches) {
		t.Errorf("cached refs %+v differ from %+v", again, first)
	}
	// Another server is another question, even for the same repository.
	if _, err := newTestResolver(t, srv.URL+"/ghes", WithCacheDir(cacheDir)).Refs(context.Background(), "octo/action"); err == nil {
		t.Error("refs of another server were answered from the cache")
	}
}

func TestCacheTTL(t *testing.T) {
	srv := newGitServer(t, "")
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	cacheDir := t.TempDir()
	lookup := func() *RefSet {
		t.Helper()
		refs, err := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithClock(c.Now), WithTTL(time.Hour)).Refs(context.Background(), "octo/action")
		if err != nil {
			t.Fatal(err)
		}
		return refs
	}
	lookup()
	resolvetest.Git(t, srv.repo.bare, "tag", "v3", srv.repo.two) // the repository moves on
	c.now = c.now.Add(59 * time.Minute)
	if _, ok := lookup().Tags["v3"]; ok {
		t.Error("an answer younger than the time to live was looked up again")
	}
	c.now = c.now.Add(time.Minute)
	if sha := lookup().Tags["v3"]; sha != srv.repo.two {
		t.Errorf("after the time to live, v3 = %q; want %q", sha, srv.repo.two)
	}
}

func TestOffline(t *testing.T) {
	srv := newGitServer(t, "")
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	cacheDir := t.TempDir()
	offline := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithClock(c.Now), WithOffline(true))

	_, err := offline.Refs(context.Background(), "octo/action")
	if !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), srv.URL+"/octo/action.git") {
		t.Errorf("offline miss: %v; want ErrOffline naming the repository", err)
	}
	if requests, _ := srv.Seen(); requests != 0 {
		t.Errorf("offline mode made %d requests", requests)
	}

	if _, err := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithClock(c.Now)).Refs(context.Background(), "octo/action"); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(365 * 24 * time.Hour) // stale, and offline still uses it
	refs, err := offline.Refs(context.Background(), "octo/action")
	if err != nil {
		t.Fatalf("offline hit: %v", err)
	}
	if sha, err := refs.Commit("main"); err != nil || sha != srv.repo.three {
		t.Errorf("offline Commit(main) = %q, %v", sha, err)
	}
}

func TestCorruptCache(t *testing.T) {
	srv := newGitServer(t, "")
	cacheDir := t.TempDir()
	r := newTestResolver(t, srv.URL, WithCacheDir(cacheDir))
	if _, err := r.Refs(context.Background(), "octo/action"); err != nil {
		t.Fatal(err)
	}
	files := cacheFiles(t, cacheDir)
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, corrupt := range []string{
		"",
		"{not json",
		string(good[:len(good)/2]), // cut short
		strings.Replace(string(good), `"key": "`, `"key": "x`, 1),                    // another question's
		strings.Replace(string(good), `"branches": {`, `"branches": [1], "x": {`, 1), // a value of the wrong shape
	} {
		if err := os.WriteFile(files[0], []byte(corrupt), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithOffline(true)).Refs(context.Background(), "octo/action")
		if !errors.Is(err, ErrOffline) {
			t.Errorf("offline, with the entry %q: %v; want a miss", corrupt, err)
		}
		before, _ := srv.Seen()
		refs, err := r.Refs(context.Background(), "octo/action")
		if err != nil || refs.Tags["v2"] != srv.repo.three {
			t.Errorf("with the entry %q: %+v, %v", corrupt, refs, err)
		}
		if after, _ := srv.Seen(); after == before {
			t.Errorf("the entry %q was used", corrupt)
		}
		if data, _ := os.ReadFile(files[0]); !strings.Contains(string(data), srv.repo.three) {
			t.Errorf("the entry %q was not replaced: %s", corrupt, data)
		}
	}
}

func TestCacheUnwritable(t *testing.T) {
	srv := newGitServer(t, "")
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	refs, err := newTestResolver(t, srv.URL, WithCacheDir(notDir)).Refs(context.Background(), "octo/action")
	if err != nil || refs.Branches["main"] != srv.repo.three {
		t.Errorf("with a cache that cannot be written: %+v, %v; want the answer", refs, err)
	}
}

func TestCacheDirFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PIPELINT_CACHE_DIR", dir)
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if r.cache.dir != dir {
		t.Errorf("cache directory %q, want PIPELINT_CACHE_DIR %q", r.cache.dir, dir)
	}
	t.Setenv("PIPELINT_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", dir)
	if r, err = New(); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "pipelint", "resolve"); r.cache.dir != want {
		t.Errorf("cache directory %q, want %q", r.cache.dir, want)
	}
}

func TestNewRejects(t *testing.T) {
	for i, opt := range []Option{
		WithGitHubURL("github.com"),
		WithGitHubURL("ftp://github.com"),
		WithGitHubURL("https://user:pass@github.com"),
		WithTimeout(0),
	} {
		if _, err := New(opt, WithCacheDir(t.TempDir())); err == nil {
			t.Errorf("New accepted option %d", i)
		} else if strings.Contains(err.Error(), "pass@") {
			t.Errorf("error %q tells the credentials", err)
		}
	}
}
