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

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
)

// repoRoot is the repository root, from this package's directory.
const repoRoot = "../../.."

// corpusFiles returns the corpus's real workflows and actions (see its
// MANIFEST.tsv) by their paths in the corpus.
func corpusFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	corpus := corpustest.Dir(tb)
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
