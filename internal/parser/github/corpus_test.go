package github

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/model"
)

// repoRoot is the repository root, from this package's directory.
const repoRoot = "../../.."

// corpusDir returns the corpus of real CI files, an absolute path, and
// skips the test when it is absent. The corpus is not part of the
// repository: it is ../shared/corpus beside the checkout, or the directory
// PIPELINT_CORPUS names (a relative one from the repository root).
//
// go test caches a package's result with the files its tests opened, but
// ignores files outside the module, the corpus among them: a run without
// the corpus would be replayed once it is there. So corpusDir reads
// PIPELINT_CORPUS with os.Getenv, and enters every directory of the corpus
// (or, while it is absent, its nearest existing parent) with os.Chdir: go
// test records both wherever they point, a directory with its modification
// time, so adding or removing the corpus or anything in it runs the tests
// again. (A file edited in place is not noticed: use -count=1.) As it
// moves the working directory for a moment, no parallel test may call it.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PIPELINT_CORPUS")
	if dir == "" {
		dir = "../shared/corpus"
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repoRoot, dir)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var visit []string
	info, statErr := os.Stat(dir)
	if statErr == nil && info.IsDir() {
		resolved, err := filepath.EvalSymlinks(dir) // WalkDir does not enter a link
		if err != nil {
			tb.Fatal(err)
		}
		err = filepath.WalkDir(resolved, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				visit = append(visit, path)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	} else {
		parent := filepath.Dir(dir) // the nearest existing one, where the corpus would appear
		for parent != filepath.Dir(parent) {
			if _, err := os.Stat(parent); err == nil {
				break
			}
			parent = filepath.Dir(parent)
		}
		visit = append(visit, parent)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range visit {
		_ = os.Chdir(d) // for the record only
	}
	if err := os.Chdir(wd); err != nil {
		panic(err) // every later relative path would be wrong
	}
	if statErr != nil {
		tb.Skipf("no corpus at %s: %v", dir, statErr)
	}
	if !info.IsDir() {
		tb.Fatalf("corpus %s is not a directory", dir)
	}
	return dir
}

// corpusFiles returns the corpus's real workflows and actions (see its
// MANIFEST.tsv) by their paths in the corpus.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	corpus := corpusDir(tb)
	root := filepath.Join(corpus, "github")
	if _, err := os.Stat(root); err != nil {
		tb.Skip("corpus without github/:", err)
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		rel, _ := filepath.Rel(corpus, path)
		files[filepath.ToSlash(rel)] = src
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// usesLine finds `uses:` values with a plain line regex, independently of
// the parser.
var usesLine = regexp.MustCompile(`^(\s*-?\s*uses:\s*)(\S+)`)

func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	failed, checked := 0, 0
	messages := map[string]int{}
	for _, name := range names {
		src := files[name]
		p, err := Parse(name, src)
		if p == nil {
			t.Errorf("%s: no pipeline: %v", name, err)
			continue
		}
		if err != nil {
			failed++
			for _, e := range unjoin(err) {
				var pe *model.ParseError
				if !errors.As(e, &pe) {
					t.Errorf("%s: error %v is not a *model.ParseError", name, e)
					continue
				}
				messages[pe.Message]++
			}
		}
		refs := map[[2]int]model.Reference{}
		for _, r := range p.References {
			refs[[2]int{r.Pos.Line, r.Pos.Column}] = r
		}
		for i, line := range strings.Split(string(src), "\n") {
			m := usesLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			value, column := m[2], utf8.RuneCountInString(m[1])+1
			if unquoted := strings.Trim(value, `"'`); unquoted != value {
				value, column = unquoted, column+1
			}
			checked++
			r, ok := refs[[2]int{i + 1, column}]
			if !ok {
				t.Errorf("%s:%d:%d: no reference for uses %q", name, i+1, column, value)
				continue
			}
			if r.Value.Value != value {
				t.Errorf("%s:%d:%d: reference %q, want %q", name, i+1, column, r.Value.Value, value)
			}
			_, ref, _ := strings.Cut(value, "@")
			wantPinned := regexp.MustCompile(`^[0-9a-fA-F]{40}$`).MatchString(ref)
			if strings.HasPrefix(value, "docker://") {
				wantPinned = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(ref)
			}
			if r.Pinned != wantPinned {
				t.Errorf("%s:%d:%d: %q pinned = %v", name, i+1, column, value, r.Pinned)
			}
			if want := i + 1; r.Pos.EndLine != want || r.Pos.EndColumn != column+utf8.RuneCountInString(value) {
				t.Errorf("%s:%d:%d: %q ends at %d:%d", name, i+1, column, value, r.Pos.EndLine, r.Pos.EndColumn)
			}
		}
	}
	t.Logf("%d files, %d uses checked, %d files with parse errors", len(names), checked, failed)
	for _, msg := range slicesSortedKeys(messages) {
		t.Logf("  %d× %s", messages[msg], msg)
	}
}

func unjoin(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}

func slicesSortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func BenchmarkParse(b *testing.B) {
	files := corpusFiles(b)
	b.ResetTimer()
	for b.Loop() {
		for name, src := range files {
			_, _ = Parse(name, src)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files)), "µs/file")
}
