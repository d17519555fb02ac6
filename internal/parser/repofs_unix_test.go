//go:build unix

package parser

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/model"
)

// TestParseNeverOpensSpecialFiles: a FIFO, a link to one, or a link to a
// device is never opened: opening a FIFO blocks until someone writes to it.
func TestParseNeverOpensSpecialFiles(t *testing.T) {
	repo := writeTree(t, map[string]string{
		".gitlab-ci.yml": "include:\n  - local: ci/fifo.yml\njob:\n  script: [make]\n",
	})
	fifo := filepath.Join(repo, "ci", "fifo.yml")
	if err := os.MkdirAll(filepath.Dir(fifo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// Should a parse block on the FIFO, writing to it ends the test.
	t.Cleanup(func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	workflows := filepath.Join(repo, ".github", "workflows")
	if err := os.MkdirAll(workflows, 0o755); err != nil {
		t.Fatal(err)
	}
	symlink(t, "../../ci/fifo.yml", filepath.Join(workflows, "fifo-link.yml"))
	symlink(t, os.DevNull, filepath.Join(workflows, "device.yml"))
	symlink(t, "/dev/stdin", filepath.Join(workflows, "stdin.yml"))

	for _, c := range []struct {
		f    File
		want string
	}{
		{File{Path: ".gitlab-ci.yml", System: model.GitLab}, `.gitlab-ci.yml:2:12: file "ci/fifo.yml" is a named pipe, not a regular file; it was not read`},
		{File{Path: "ci/fifo.yml", System: model.GitLab}, `ci/fifo.yml:1:1: file "ci/fifo.yml" is a named pipe, not a regular file; it was not read`},
		{File{Path: ".github/workflows/fifo-link.yml", System: model.GitHub}, `.github/workflows/fifo-link.yml:1:1: file is a named pipe, not a regular file; it was not read`},
		{File{Path: ".github/workflows/device.yml", System: model.GitHub}, `.github/workflows/device.yml:1:1: file resolves outside the repository through a symbolic link; it was not read`},
		{File{Path: ".github/workflows/stdin.yml", System: model.GitHub}, `.github/workflows/stdin.yml:1:1: file `},
	} {
		f := c.f
		f.Repository, f.Root, f.Display = repo, repo, f.Path
		done := make(chan []string, 1)
		go func() { done <- errorMessages(Parse(f).Err) }()
		select {
		case got := <-done:
			if !slices.ContainsFunc(got, func(e string) bool { return strings.HasPrefix(e, c.want) }) {
				t.Errorf("%s: errors %q, want %q", f.Path, got, c.want)
			}
		case <-time.After(time.Minute): // a safety net against the hang, no measure of speed
			t.Fatalf("%s: the parse blocked opening a special file", f.Path)
		}
	}
}
