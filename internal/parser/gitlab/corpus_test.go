package gitlab

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pipelint/pipelint/internal/model"
)

var quoted = regexp.MustCompile(`"[^"]*"|\d+`)

// TestCorpus parses the .gitlab-ci.yml of every corpus project (each
// project directory is the repository root): no panic, every error
// positioned, and a summary of how many resolve fully, how many only
// partly (includes that are not fetched) and why the rest fail.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpusDir(t), "gitlab")
	projects, err := os.ReadDir(corpus)
	if err != nil {
		t.Skipf("no GitLab corpus: %v", err)
	}
	var parsed, full, partial int
	reasons := map[string]int{}
	for _, project := range projects {
		root := filepath.Join(corpus, project.Name())
		if _, err := os.Stat(filepath.Join(root, ".gitlab-ci.yml")); err != nil {
			continue
		}
		start := time.Now()
		p, warnings, err := parseWithWarnings(os.DirFS(root), ".gitlab-ci.yml")
		elapsed := time.Since(start)
		parsed++
		if p == nil {
			t.Errorf("%s: no pipeline", project.Name())
			continue
		}
		unfetched := slices.ContainsFunc(p.References, func(r model.Reference) bool {
			return r.Kind == model.RefInclude && (r.Usage != "local" || r.Dynamic) && !slices.ContainsFunc(p.Jobs, func(j model.Job) bool { return j.Uses != nil && j.Uses.Pos == r.Pos })
		})
		switch {
		case err != nil:
		case unfetched:
			partial++
		default:
			full++
		}
		t.Logf("%-40s %3d jobs %3d refs %2d errors %2d warnings partial=%-5v %v", project.Name(), len(p.Jobs), len(p.References), len(unjoin(err)), len(warnings), unfetched, elapsed.Round(time.Microsecond))
		for _, e := range unjoin(err) {
			var pe *model.ParseError
			if !errors.As(e, &pe) || pe.Pos.File == "" || pe.Pos.Line == 0 {
				t.Errorf("%s: error without position: %v", project.Name(), e)
				continue
			}
			t.Logf("    error %v", e)
			reasons["error: "+quoted.ReplaceAllString(pe.Message, "…")]++
		}
		for _, w := range warnings {
			reasons["warning: "+quoted.ReplaceAllString(w.Message, "…")]++
		}
	}
	if parsed == 0 {
		t.Skip("corpus has no .gitlab-ci.yml")
	}
	t.Logf("%d pipelines: %d resolve fully, %d partly (includes not fetched), %d with errors", parsed, full, partial, parsed-full-partial)
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("  %3d × %s", reasons[k], k)
	}
}

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

// FuzzParse feeds arbitrary main files, next to the files of the includes
// fixture, to the parser: it must neither panic nor hang.
func FuzzParse(f *testing.F) {
	mains, _ := filepath.Glob("testdata/*/.gitlab-ci.yml")
	for _, main := range mains {
		if src, err := os.ReadFile(main); err == nil {
			f.Add(src)
		}
	}
	base := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/includes"), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, err := os.ReadFile(filepath.Join("testdata/includes", name))
			base[name] = &fstest.MapFile{Data: data}
			return err
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		repo := maps.Clone(base)
		repo[".gitlab-ci.yml"] = &fstest.MapFile{Data: src}
		p, err := parse(repo, ".gitlab-ci.yml")
		if p == nil {
			t.Fatalf("nil pipeline (err %v)", err)
		}
		childPipelines(p)
	})
}
