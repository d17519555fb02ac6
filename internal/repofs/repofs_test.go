package repofs

import (
	"os"
	"path/filepath"
	"testing"
)

// TestForFile: a file is read from the repository that holds it, the
// nearest directory with .git, else its own directory; a symbolic link
// out of that is refused.
func TestForFile(t *testing.T) {
	top := t.TempDir()
	for _, dir := range []string{"repo/.git", "repo/sub", "loose"} {
		if err := os.MkdirAll(filepath.Join(top, filepath.FromSlash(dir)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"repo/baseline.json", "loose/baseline.json"} {
		if err := os.WriteFile(filepath.Join(top, filepath.FromSlash(name)), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../baseline.json", filepath.Join(top, "repo", "sub", "in.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink("../repo/baseline.json", filepath.Join(top, "loose", "out.json")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, name, err string
	}{
		{"repo/sub/in.json", "sub/in.json", ""},
		{"loose/baseline.json", "baseline.json", ""},
		{"loose/out.json", "out.json", "resolves outside the repository through a symbolic link; it was not read"},
	} {
		fsys, name, err := ForFile(filepath.Join(top, filepath.FromSlash(c.path)))
		if err != nil || name != c.name {
			t.Fatalf("ForFile(%s) = %q, %v; want %q", c.path, name, err, c.name)
		}
		f, err := fsys.Open(name)
		if err == nil {
			f.Close()
		}
		if got := errorText(err); got != c.err {
			t.Errorf("open %s: %q, want %q", c.path, got, c.err)
		}
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
