package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadRefusesSymlinksOutOfTheRepository: a configuration file that is
// a symbolic link out of its repository is found, so that it is not
// silently skipped, but never read: its errors would quote what it holds
// (here an unknown key). A link inside the repository is read.
func TestLoadRefusesSymlinksOutOfTheRepository(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	mkdirs(t, top, "repo/.git", "repo/shared", "repo/sub", "loose")
	if err := os.WriteFile(filepath.Join(top, "stolen.yaml"), []byte("stolen-secret-key: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "shared", "pipelint.yaml"), []byte("ignore-paths: [legacy]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"repo/.pipelint.yaml":     "../stolen.yaml",
		"repo/sub/.pipelint.yaml": "../shared/pipelint.yaml",
		"loose/.pipelint.yaml":    "../repo/shared/pipelint.yaml", // no .git: the repository is loose/
	} {
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}

	for _, dir := range []string{repo, filepath.Join(top, "loose")} {
		file, err := Find(dir)
		if want := filepath.Join(dir, ".pipelint.yaml"); file != want || err != nil {
			t.Fatalf("Find(%s) = %q, %v; want %q", dir, file, err, want)
		}
		_, err = Load(file)
		want := file + ":1:1: the configuration file resolves outside the repository through a symbolic link; it was not read"
		if err == nil || err.Error() != want {
			t.Errorf("Load(%s) = %v, want %q", file, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "stolen") {
			t.Errorf("the error quotes the file outside: %v", err)
		}
	}

	c, err := Load(filepath.Join(repo, "sub", ".pipelint.yaml"))
	if err != nil || len(c.IgnorePaths) != 1 {
		t.Errorf("a link inside the repository: %+v, %v", c, err)
	}
}
