package parser

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/repofs"
)

// writeTree writes files under a new directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// errorMessages lists "file:line:col: message" of a parse result's errors.
func errorMessages(err error) []string {
	var out []string
	for _, e := range flattenForTest(err) {
		out = append(out, e.Error())
	}
	return out
}

func flattenForTest(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, flattenForTest(e)...)
		}
		return out
	}
	return []error{err}
}

func sourceFiles(p *model.Pipeline) []string {
	if p == nil {
		return nil
	}
	var files []string
	for _, s := range p.Sources {
		files = append(files, s.File)
	}
	return files
}

// TestParseRefusesSymlinksOutOfTheRepository: a file of the repository
// that is a symbolic link to a file outside it, or lies under a linked
// directory outside it, is not read, whether it is the file checked or a
// GitLab include.
func TestParseRefusesSymlinksOutOfTheRepository(t *testing.T) {
	base := writeTree(t, map[string]string{
		"outside/secret.yml": "stolen:\n  script: [cat /etc/shadow]\n",
		"repo/.gitlab-ci.yml": "include:\n  - local: ci/evil.yml\n  - local: linked/secret.yml\n  - local: ci/fine.yml\n" +
			"job:\n  script: [make]\n",
		"repo/ci/fine.yml": "fine:\n  script: [make]\n",
		"repo/ci/real.yml": "real:\n  script: [make]\n",
	})
	repo := filepath.Join(base, "repo")
	symlink(t, filepath.Join(base, "outside", "secret.yml"), filepath.Join(repo, "ci", "evil.yml"))
	symlink(t, "../outside", filepath.Join(repo, "linked"))
	symlink(t, "../outside/secret.yml", filepath.Join(repo, "Jenkinsfile"))
	symlink(t, "real.yml", filepath.Join(repo, "ci", "inside.yml")) // a link inside is fine

	result := Parse(File{Repository: repo, Root: repo, Path: ".gitlab-ci.yml", Display: ".gitlab-ci.yml", System: model.GitLab})
	want := []string{
		`.gitlab-ci.yml:2:12: file "ci/evil.yml" resolves outside the repository through a symbolic link; it was not read`,
		`.gitlab-ci.yml:3:12: file "linked/secret.yml" resolves outside the repository through a symbolic link; it was not read`,
	}
	if got := errorMessages(result.Err); !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := sourceFiles(result.Pipeline); !slices.Equal(got, []string{".gitlab-ci.yml", "ci/fine.yml"}) {
		t.Errorf("sources %v: a file outside the repository was read", got)
	}

	result = Parse(File{Repository: repo, Root: repo, Path: "Jenkinsfile", Display: "Jenkinsfile", System: model.Jenkins})
	want = []string{"Jenkinsfile:1:1: file resolves outside the repository through a symbolic link; it was not read"}
	if got := errorMessages(result.Err); !slices.Equal(got, want) || result.Pipeline != nil {
		t.Errorf("errors %q, pipeline %v; want %q and none", got, result.Pipeline, want)
	}

	src, err := fs.ReadFile(repofs.New(repo), "ci/inside.yml")
	if err != nil || string(src) != "real:\n  script: [make]\n" {
		t.Errorf("a link inside the repository: %q, %v", src, err)
	}
}

// countingFS counts the directories listed through it and gives up after
// a limit, so that a test of an unbounded walk ends.
type countingFS struct {
	fs.FS
	listed atomic.Int64
	limit  int64
}

var errGaveUp = errors.New("gave up")

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if c.listed.Add(1) > c.limit {
		return nil, errGaveUp
	}
	return fs.ReadDir(c.FS, name)
}

func (c *countingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// TestGlobThroughSymlinkLoopsIsBounded: two links back to the root make
// every directory reachable by 2^depth paths; a glob for ci/**/*.yml must
// list a handful of directories, not follow the links.
func TestGlobThroughSymlinkLoopsIsBounded(t *testing.T) {
	root := writeTree(t, map[string]string{"ci/a.yml": "a:\n  script: [make]\n", "ci/sub/b.yml": "b:\n  script: [make]\n"})
	symlink(t, "..", filepath.Join(root, "ci", "l"))
	symlink(t, "..", filepath.Join(root, "ci", "m"))
	repo := &countingFS{FS: repofs.New(root), limit: 10_000}
	matches, err := doublestar.Glob(repo, "ci/**/*.yml", doublestar.WithFilesOnly())
	if n := repo.listed.Load(); n > 100 {
		t.Fatalf("listed %d directories (the limit is %d)", n, repo.limit)
	}
	if err != nil || !slices.Equal(matches, []string{"ci/a.yml", "ci/sub/b.yml"}) {
		t.Errorf("matches %q, %v", matches, err)
	}
}
