package corpustest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Repository is one repository of the corpus, its files at the paths they
// have in the original repository, so that pipelint run on Dir shows the
// paths it would show in a checkout of it.
type Repository struct {
	// Name is <system>/<owner__repo>, as the corpus names it:
	// github/actions__checkout.
	Name string
	// Dir is an absolute directory, the repository's root.
	Dir string
}

// Repositories returns every repository of the corpus (see Layout), sorted
// by name, and skips the test when the corpus is absent. The copies it
// makes live in the test's temporary directory.
func Repositories(tb testing.TB) []Repository {
	tb.Helper()
	repos, err := Layout(Dir(tb), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return repos
}

// Layout lays the corpus out as its repositories are, by its MANIFEST.tsv
// (columns system, local_path, source_path: the file's path in the corpus
// and in its repository). A repository whose every file is stored at its
// source path (GitLab's, Jenkins') is used where it is. The others are
// copied under scratch, to scratch/<system>/<owner__repo>/<source_path>:
// the corpus stores GitHub workflows flat, without .github/workflows/.
// The result is sorted by name.
func Layout(corpus, scratch string) ([]Repository, error) {
	manifest := filepath.Join(corpus, "MANIFEST.tsv")
	f, err := os.Open(manifest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	files, err := readManifest(manifest, f)
	if err != nil {
		return nil, err
	}
	byRepo := map[string][]storedFile{}
	for _, file := range files {
		byRepo[file.repo] = append(byRepo[file.repo], file)
	}
	var repos []Repository
	for name, files := range byRepo {
		inPlace := !slices.ContainsFunc(files, func(f storedFile) bool { return f.local != name+"/"+f.source })
		if inPlace {
			for _, f := range files {
				if _, err := os.Stat(filepath.Join(corpus, filepath.FromSlash(f.local))); err != nil {
					return nil, err
				}
			}
			repos = append(repos, Repository{Name: name, Dir: filepath.Join(corpus, filepath.FromSlash(name))})
			continue
		}
		dir := filepath.Join(scratch, filepath.FromSlash(name))
		copied := map[string]bool{}
		for _, f := range files {
			if copied[f.source] {
				return nil, fmt.Errorf("%s: two files of %s have the source path %s", manifest, name, f.source)
			}
			copied[f.source] = true
			if err := copyFile(filepath.Join(corpus, filepath.FromSlash(f.local)), filepath.Join(dir, filepath.FromSlash(f.source))); err != nil {
				return nil, err
			}
		}
		repos = append(repos, Repository{Name: name, Dir: dir})
	}
	slices.SortFunc(repos, func(a, b Repository) int { return strings.Compare(a.Name, b.Name) })
	return repos, nil
}

// storedFile is one line of the manifest.
type storedFile struct {
	repo   string // <system>/<owner__repo>, the first two parts of local
	local  string // path in the corpus
	source string // path in the repository
}

func readManifest(name string, r io.Reader) ([]storedFile, error) {
	scanner := bufio.NewScanner(r)
	column := map[string]int{}
	var files []storedFile
	for line := 1; scanner.Scan(); line++ {
		fields := strings.Split(scanner.Text(), "\t")
		if line == 1 {
			for i, c := range fields {
				column[c] = i
			}
			for _, want := range []string{"system", "local_path", "source_path"} {
				if _, ok := column[want]; !ok {
					return nil, fmt.Errorf("%s:1: no %s column", name, want)
				}
			}
			continue
		}
		if len(fields) != len(column) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", name, line, len(fields), len(column))
		}
		f := storedFile{local: fields[column["local_path"]], source: fields[column["source_path"]]}
		parts := strings.SplitN(f.local, "/", 3)
		// Both paths become paths under a directory: neither may leave it.
		if len(parts) != 3 || parts[0] != fields[column["system"]] || !localSlashPath(f.local) || !localSlashPath(f.source) {
			return nil, fmt.Errorf("%s:%d: want local_path <system>/<owner__repo>/<file> and a relative source_path, got %q and %q", name, line, f.local, f.source)
		}
		f.repo = parts[0] + "/" + parts[1]
		files = append(files, f)
	}
	return files, scanner.Err()
}

func localSlashPath(p string) bool {
	return filepath.IsLocal(filepath.FromSlash(p)) && path.Clean(p) == p
}

func copyFile(from, to string) error {
	src, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, src, 0o644)
}
