package corpustest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLayout(t *testing.T) {
	corpus := t.TempDir()
	manifest := "system\tlocal_path\trepo\tsource_path\n" +
		"github\tgithub/o__a/ci.yml\to/a\t.github/workflows/ci.yml\n" +
		"github\tgithub/o__a/action.yml\to/a\taction.yml\n" +
		"gitlab\tgitlab/o__b/.gitlab-ci.yml\to/b\t.gitlab-ci.yml\n" +
		"gitlab\tgitlab/o__b/ci/build.yml\to/b\tci/build.yml\n"
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(corpus, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(corpus, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("MANIFEST.tsv", manifest)
	for _, f := range []string{"github/o__a/ci.yml", "github/o__a/action.yml", "gitlab/o__b/.gitlab-ci.yml", "gitlab/o__b/ci/build.yml"} {
		write(f, f)
	}
	scratch := t.TempDir()
	repos, err := Layout(corpus, scratch)
	if err != nil {
		t.Fatal(err)
	}
	want := []Repository{
		{Name: "github/o__a", Dir: filepath.Join(scratch, "github", "o__a")}, // copied: stored flat
		{Name: "gitlab/o__b", Dir: filepath.Join(corpus, "gitlab", "o__b")},  // in place
	}
	if !slices.Equal(repos, want) {
		t.Fatalf("got %v, want %v", repos, want)
	}
	for file, stored := range map[string]string{".github/workflows/ci.yml": "github/o__a/ci.yml", "action.yml": "github/o__a/action.yml"} {
		got, err := os.ReadFile(filepath.Join(repos[0].Dir, filepath.FromSlash(file)))
		if err != nil || string(got) != stored {
			t.Errorf("%s: %q, %v; want the text of %s", file, got, err, stored)
		}
	}
}

func TestLayoutRejectsPathsOutsideTheRepository(t *testing.T) {
	for _, line := range []string{
		"github\tgithub/o__a/ci.yml\to/a\t../../escape.yml",
		"github\tgithub/o__a/ci.yml\to/a\t/etc/ci.yml",
		"github\tgitlab/o__a/ci.yml\to/a\tci.yml", // stored under another system
		"github\tgithub/ci.yml\to/a\tci.yml",
	} {
		_, err := readManifest("MANIFEST.tsv", strings.NewReader("system\tlocal_path\trepo\tsource_path\n"+line+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "MANIFEST.tsv:2: ") {
			t.Errorf("%q: got %v, want an error at MANIFEST.tsv:2", line, err)
		}
	}
}

func TestLayoutNeedsEveryFileOfTheManifest(t *testing.T) {
	for _, stored := range []string{"gitlab/o__b/.gitlab-ci.yml", "github/o__a/ci.yml"} { // used in place, copied
		corpus := t.TempDir()
		system, _, _ := strings.Cut(stored, "/")
		manifest := "system\tlocal_path\trepo\tsource_path\n" + system + "\t" + stored + "\to/x\t.gitlab-ci.yml\n"
		if err := os.WriteFile(filepath.Join(corpus, "MANIFEST.tsv"), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Layout(corpus, t.TempDir()); !os.IsNotExist(err) {
			t.Errorf("%s missing: got %v, want an error saying so", stored, err)
		}
	}
}
