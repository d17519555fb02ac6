package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// mkdirs makes directories under root, slash-separated.
func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, dir := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(dir)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func writeConfig(t *testing.T, file, text string) *Config {
	t.Helper()
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The policies a configuration names run with the repository's trust:
// they must be in it, also after following links. Only --policy reaches
// further, and a directory that does not exist is left to the caller.
func TestPolicyDirsStayInTheRepository(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	mkdirs(t, top, "repo/.git", "repo/ci-policies", "repo/sub", "outside")
	if err := os.Symlink(filepath.Join(top, "outside"), filepath.Join(repo, "link-out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ci-policies", filepath.Join(repo, "link-in")); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(repo, ".pipelint.yaml")
	c := writeConfig(t, file, "policies:\n  - ci-policies\n  - link-in\n  - missing\n  - sub/../ci-policies\n")
	got, err := c.PolicyDirs()
	want := []string{filepath.Join(repo, "ci-policies"), filepath.Join(repo, "link-in"), filepath.Join(repo, "missing"), filepath.Join(repo, "ci-policies")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("PolicyDirs() = %q, %v, want %q", got, err, want)
	}

	c = writeConfig(t, file, "policies:\n  - ../outside\n  - link-out\n  - "+filepath.Join(top, "outside")+"\n")
	_, err = c.PolicyDirs()
	wantErr := file + `:2:5: policy directory "../outside" is outside the repository; only --policy can name a directory elsewhere` + "\n" +
		file + `:3:5: policy directory "link-out" is outside the repository; only --policy can name a directory elsewhere` + "\n" +
		file + `:4:5: policy directory "` + filepath.Join(top, "outside") + `" is outside the repository; only --policy can name a directory elsewhere`
	if err == nil || err.Error() != wantErr {
		t.Errorf("error = %v, want %q", err, wantErr)
	}

	// From a subdirectory, the repository is still the one above.
	sub := writeConfig(t, filepath.Join(repo, "sub", ".pipelint.yaml"), "policies: [../ci-policies]\n")
	if got, err := sub.PolicyDirs(); err != nil || !reflect.DeepEqual(got, []string{filepath.Join(repo, "ci-policies")}) {
		t.Errorf("from a subdirectory: PolicyDirs() = %q, %v", got, err)
	}

	// Without .git, the repository is the configuration's directory.
	loose := writeConfig(t, filepath.Join(top, "outside", ".pipelint.yaml"), "policies: [../repo/ci-policies]\n")
	if _, err := loose.PolicyDirs(); err == nil {
		t.Error("a configuration outside any repository reached its parent directory")
	}
}
