package resolve

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestReachable(t *testing.T) {
	srv := newGitServer(t, "")
	f := srv.repo
	const unknown = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		sha   string
		depth int
		want  Reachability
	}{
		{f.three, 1, Reachable},                // head of main, tagged
		{strings.ToUpper(f.two), 1, Reachable}, // head of dev
		{f.base, 1, Reachable},                 // a parent of one (tagged v1) is named in one
		{f.root, 2, Reachable},                 // the parent of base, fetched at depth 2
		{f.root, 1, Undecided},                 // older than the depth read
		{f.fork, 1, Undecided},                 // not found, but histories were cut
		{f.fork, 10, Unreachable},              // only refs/pull/1/head has it
		{unknown, 10, Unreachable},
	} {
		r := newTestResolver(t, srv.URL, WithHistoryDepth(tc.depth))
		got, err := r.Reachable(context.Background(), "octo/action", tc.sha)
		if err != nil || got != tc.want {
			t.Errorf("Reachable(%s) with depth %d = %v, %v; want %v", tc.sha, tc.depth, got, err, tc.want)
		}
	}

	for _, sha := range []string{"", "abc123", f.three + "0", strings.Replace(f.three, f.three[:1], "g", 1)} {
		if _, err := newTestResolver(t, srv.URL).Reachable(context.Background(), "octo/action", sha); err == nil || !strings.Contains(err.Error(), "full SHA") {
			t.Errorf("Reachable(%q): %v; want an invalid SHA", sha, err)
		}
	}
	if _, err := newTestResolver(t, srv.URL).Reachable(context.Background(), "octo/missing", f.three); err == nil {
		t.Error("Reachable in a missing repository answered")
	}
}

func TestReachableCacheAndOffline(t *testing.T) {
	srv := newGitServer(t, "")
	cacheDir := t.TempDir()
	offline := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithOffline(true))
	if _, err := offline.Reachable(context.Background(), "octo/action", srv.repo.fork); !errors.Is(err, ErrOffline) {
		t.Errorf("offline, empty cache: %v; want ErrOffline", err)
	}
	r := newTestResolver(t, srv.URL, WithCacheDir(cacheDir))
	for _, sha := range []string{srv.repo.three, srv.repo.root, srv.repo.fork} {
		if _, err := r.Reachable(context.Background(), "octo/action", sha); err != nil {
			t.Fatal(err)
		}
	}
	srv.Close()
	for sha, want := range map[string]Reachability{srv.repo.three: Reachable, srv.repo.root: Reachable, srv.repo.fork: Unreachable} {
		if got, err := offline.Reachable(context.Background(), "octo/action", sha); err != nil || got != want {
			t.Errorf("offline Reachable(%s) = %v, %v; want %v", sha, got, err, want)
		}
	}
	// The answer depends on the depth read: another depth is another question.
	if _, err := newTestResolver(t, srv.URL, WithCacheDir(cacheDir), WithOffline(true), WithHistoryDepth(1)).Reachable(context.Background(), "octo/action", srv.repo.fork); !errors.Is(err, ErrOffline) {
		t.Errorf("offline with another depth: %v; want ErrOffline", err)
	}
}
