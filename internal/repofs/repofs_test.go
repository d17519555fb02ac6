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

// TestCreate: a regular file is emptied and written, a missing one
// created; a symbolic link, even to a file inside, or a directory, is
// refused, and what it leads to is left as it was.
func TestCreate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) error {
		f, err := Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if _, err := f.WriteString(content); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if err := os.WriteFile(filepath.Join(dir, "old.json"), []byte("a longer earlier report"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("old.json", filepath.Join(dir, "link.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	for _, c := range []struct{ name, err string }{
		{"old.json", ""},
		{"new.json", ""},
		{"link.json", "is a symbolic link, not a regular file; it was not written (the repository checked may have put it there): remove it or name another file"},
		{"dir", "is a directory, not a regular file; it was not written (the repository checked may have put it there): remove it or name another file"},
	} {
		if got := errorText(write(c.name, "{}")); got != c.err {
			t.Errorf("%s: %q, want %q", c.name, got, c.err)
		}
	}
	for name, want := range map[string]string{"old.json": "{}", "new.json": "{}"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", name, got, err, want)
		}
	}
}
