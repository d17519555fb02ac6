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

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/model"
)

var quoted = regexp.MustCompile(`"[^"]*"|\d+`)

// TestCorpus parses the .gitlab-ci.yml of every corpus project (each
// project directory is the repository root): no panic, every error
// positioned, and a summary of how many resolve fully, how many only
// partly (includes that are not fetched) and why the rest fail.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(corpustest.Dir(t), "gitlab")
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
