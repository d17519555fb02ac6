//go:build unix

package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestLoadNeverOpensSpecialFiles: a configuration file that is a FIFO is
// found, not skipped, and refused without being opened: opening a FIFO
// blocks until someone writes to it.
func TestLoadNeverOpensSpecialFiles(t *testing.T) {
	repo := t.TempDir()
	mkdirs(t, repo, ".git")
	fifo := filepath.Join(repo, ".pipelint.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// Should Load block on the FIFO, writing to it ends the test.
	t.Cleanup(func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	file, err := Find(repo)
	if file != fifo || err != nil {
		t.Fatalf("Find = %q, %v; want %q", file, err, fifo)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Load(file)
		done <- err
	}()
	select {
	case err := <-done:
		want := fifo + ":1:1: the configuration file is a named pipe, not a regular file; it was not read"
		if err == nil || err.Error() != want {
			t.Errorf("Load = %v, want %q", err, want)
		}
	case <-time.After(time.Minute): // a safety net against the hang, no measure of speed
		t.Fatal("Load blocked opening a FIFO")
	}
}
