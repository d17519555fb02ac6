package gitlab

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// countingFS counts the files the parser opens.
type countingFS struct {
	fs.FS
	opens int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opens++
	return c.FS.Open(name)
}

// includeLimit is GitLab's limit on included files, the one the expected
// errors name.
const includeLimit = 150

// parseMap parses the .gitlab-ci.yml of a repository of the given files.
// Its work is bounded by counting, not timing: the parser opens the main
// file and at most includeLimit included ones, however many the files name
// (hostile inputs are bounded further by the limit errors the tests
// expect).
func parseMap(t *testing.T, files map[string]string) (*model.Pipeline, []*model.ParseError) {
	t.Helper()
	repo := fstest.MapFS{}
	for name, text := range files {
		repo[name] = &fstest.MapFile{Data: []byte(text)}
	}
	counted := &countingFS{FS: repo}
	p, err := parse(counted, ".gitlab-ci.yml")
	if counted.opens > 1+includeLimit {
		t.Errorf("the parser opened %d files, more than the main file and %d includes", counted.opens, includeLimit)
	}
	var errs []*model.ParseError
	for _, e := range unjoin(err) {
		var pe *model.ParseError
		if !errors.As(e, &pe) {
			t.Fatalf("error of type %T: %v", e, e)
		}
		errs = append(errs, pe)
	}
	return p, errs
}

// wantErrors checks the errors' "file:line:col: message" forms.
func wantErrors(t *testing.T, errs []*model.ParseError, want ...string) {
	t.Helper()
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMoreThan150Includes(t *testing.T) {
	files := map[string]string{".gitlab-ci.yml": "include: f0.yml\n"}
	for i := range 200 {
		files[fmt.Sprintf("f%d.yml", i)] = fmt.Sprintf("include: f%d.yml\njob%d: {script: [x]}\n", i+1, i)
	}
	p, errs := parseMap(t, files)
	wantErrors(t, errs, "f149.yml:1:10: Maximum of 150 nested includes are allowed!")
	if len(p.Jobs) != 150 {
		t.Errorf("got %d jobs, want the 150 of the files included", len(p.Jobs))
	}
}

func TestExactly150Includes(t *testing.T) {
	files := map[string]string{".gitlab-ci.yml": "include: f0.yml\n"}
	for i := range 150 {
		files[fmt.Sprintf("f%d.yml", i)] = fmt.Sprintf("include: f%d.yml\n", i+1)
	}
	files["f149.yml"] = "job: {script: [x]}\n"
	_, errs := parseMap(t, files)
	wantErrors(t, errs)
}

func TestSameFileIncludedTwiceIsNoCycle(t *testing.T) {
	p, errs := parseMap(t, map[string]string{
		".gitlab-ci.yml": "include: [a.yml, b.yml]\n",
		"a.yml":          "include: c.yml\n",
		"b.yml":          "include: c.yml\n",
		"c.yml":          "job: {script: [x]}\n",
	})
	wantErrors(t, errs)
	if len(p.Jobs) != 1 {
		t.Errorf("got %d jobs, want 1", len(p.Jobs))
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("job: {script: *a9}\n")
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": b.String()})
	wantErrors(t, errs, ".gitlab-ci.yml:6:45: aliases expand to more than 1000000 values")
}

func TestReferenceBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(".r0: [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, ".r%d: [%s]\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("!reference [.r%d], ", i-1), 10), ", "))
	}
	b.WriteString("job: {script: !reference [.r9]}\n")
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": b.String()})
	wantErrors(t, errs, ".gitlab-ci.yml:6:115: !reference tags expand to more than 1000000 values")
}

func TestDeepNesting(t *testing.T) {
	src := "job: {script: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "}\n"
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": src})
	wantErrors(t, errs, ".gitlab-ci.yml:1:214: nesting deeper than 200 levels")
}

func TestScriptNestedDeeperThan10(t *testing.T) {
	src := "job:\n  script: " + strings.Repeat("[", 11) + "x" + strings.Repeat("]", 11) + "\n"
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": src})
	wantErrors(t, errs, ".gitlab-ci.yml:2:21: lists nested deeper than 10 levels")
}

func TestMissingMainFile(t *testing.T) {
	p, errs := parseMap(t, map[string]string{})
	wantErrors(t, errs, ".gitlab-ci.yml:1:1: file \".gitlab-ci.yml\" does not exist")
	if p == nil || p.System != model.GitLab || p.File != ".gitlab-ci.yml" {
		t.Errorf("want an empty GitLab pipeline, got %+v", p)
	}
}

func TestNotAMapping(t *testing.T) {
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": "- a\n- b\n"})
	wantErrors(t, errs, ".gitlab-ci.yml:1:1: the configuration must be a mapping of keywords and jobs")
}

func TestChildPipelines(t *testing.T) {
	p, errs := parseMap(t, map[string]string{".gitlab-ci.yml": `
a:
  trigger: {include: [{local: /ci/a.yml}, {template: x.yml}]}
b:
  trigger:
    include: ci/b.yml
again:
  trigger: {include: ci/b.yml}
generated:
  trigger: {include: [{artifact: gen.yml, job: gen}]}
dynamic:
  trigger: {include: "ci/$NAME.yml"}
multi:
  trigger: group/project
`})
	wantErrors(t, errs)
	var got []string
	for _, child := range childPipelines(p) {
		got = append(got, fmt.Sprintf("%s@%d:%d", child.Value, child.Pos.Line, child.Pos.Column))
	}
	if want := "ci/a.yml@3:31,ci/b.yml@6:14"; strings.Join(got, ",") != want {
		t.Errorf("childPipelines = %q, want %s", got, want)
	}
}

func TestParseImage(t *testing.T) {
	for _, tc := range []struct{ in, registry, repo, tag, digest string }{
		{"alpine", "", "alpine", "", ""},
		{"alpine:3.19", "", "alpine", "3.19", ""},
		{"library/alpine:3", "", "library/alpine", "3", ""},
		{"localhost/app", "localhost", "app", "", ""},
		{"localhost:5000/app:1", "localhost:5000", "app", "1", ""},
		{"ghcr.io/o/r@sha256:abc", "ghcr.io", "o/r", "", "sha256:abc"},
		{"ghcr.io/o/r:1@sha256:abc", "ghcr.io", "o/r", "1", "sha256:abc"},
		// A user and password before the registry are no tag.
		{"u:pass@reg.example.com/img", "reg.example.com", "img", "", ""},
		{"u:pass@reg.example.com:5000/o/r:1@sha256:abc", "reg.example.com:5000", "o/r", "1", "sha256:abc"},
	} {
		registry, repo, tag, digest := syntax.ParseImage(tc.in)
		if registry != tc.registry || repo != tc.repo || tag != tc.tag || digest != tc.digest {
			t.Errorf("ParseImage(%q) = %q %q %q %q", tc.in, registry, repo, tag, digest)
		}
	}
}

func TestComponentRef(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		in, repo, path, ref string
		pinned, dynamic     bool
	}{
		{"gitlab.com/g/p/lint@1.0.0", "gitlab.com/g/p", "lint", "1.0.0", false, false},
		{"gitlab.com/g/sub/p/lint@" + sha, "gitlab.com/g/sub/p", "lint", sha, true, false},
		{"$CI_SERVER_FQDN/g/p/lint@~latest", "$CI_SERVER_FQDN/g/p", "lint", "~latest", false, false},
		{"gitlab.com/g/p/lint@$VERSION", "gitlab.com/g/p", "lint", "$VERSION", false, true},
	} {
		r := componentRef(model.String{Value: tc.in})
		if r.Repo != tc.repo || r.Path != tc.path || r.Ref != tc.ref || r.Pinned != tc.pinned || r.Dynamic != tc.dynamic {
			t.Errorf("componentRef(%q) = repo %q path %q ref %q pinned %v dynamic %v", tc.in, r.Repo, r.Path, r.Ref, r.Pinned, r.Dynamic)
		}
	}
}

func TestAliasesAddUp(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 4; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	for i := range 20 { // each use is below the limit, all of them are not
		fmt.Fprintf(&b, "job%d: {script: *a4}\n", i)
	}
	_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": b.String()})
	wantErrors(t, errs, ".gitlab-ci.yml:13:16: aliases expand to more than 1000000 values")
}

func TestExtendsAddUp(t *testing.T) {
	var b strings.Builder
	b.WriteString(".big:\n  variables:\n")
	for i := range 50_000 {
		fmt.Fprintf(&b, "    V%d: x\n", i)
	}
	for i := range 10 {
		fmt.Fprintf(&b, "job%d: {extends: .big}\n", i)
	}
	p, errs := parseMap(t, map[string]string{".gitlab-ci.yml": b.String()})
	// A job is 100,005 values: its mapping, its two keys, the extends
	// value, the variables mapping and 50,000 names and values.
	wantErrors(t, errs, ".gitlab-ci.yml:50005:1: jobs expand to more than 250000 values; the rest is not analysed")
	if len(p.Jobs) != 2 {
		t.Errorf("got %d jobs, want the 2 that fit", len(p.Jobs))
	}
}

func TestIncludeLimitReportedOnce(t *testing.T) {
	files := map[string]string{".gitlab-ci.yml": "include: [f0.yml, g.yml, g.yml]\n", "g.yml": "g: {script: [x]}\n"}
	for i := range 200 {
		files[fmt.Sprintf("f%d.yml", i)] = fmt.Sprintf("include: [f%d.yml, g.yml]\n", i+1)
	}
	_, errs := parseMap(t, files)
	wantErrors(t, errs, "f149.yml:1:11: Maximum of 150 nested includes are allowed!")
}

// referenceChain returns hidden keys .r0 to .r<n>, each script a
// !reference to the one before, in file order or reversed, and a job whose
// script is a !reference to the last: the job's reference nests n+1 levels.
func referenceChain(n int, reversed bool) string {
	lines := []string{".r0: {script: [echo]}"}
	for i := 1; i <= n; i++ {
		lines = append(lines, fmt.Sprintf(".r%d: {script: !reference [.r%d, script]}", i, i-1))
	}
	if reversed {
		slices.Reverse(lines)
	}
	lines = append(lines, fmt.Sprintf("job: {script: !reference [.r%d, script]}", n))
	return strings.Join(lines, "\n") + "\n"
}

// TestReferenceNesting: GitLab nests !reference tags ten levels deep. A
// deeper chain is refused once, at the reference that reaches the eleventh
// level, whatever the order the keys are written in.
func TestReferenceNesting(t *testing.T) {
	chain := "[.r10, script] -> [.r9, script] -> [.r8, script] -> [.r7, script] -> [.r6, script] -> " +
		"[.r5, script] -> [.r4, script] -> [.r3, script] -> [.r2, script] -> [.r1, script] -> [.r0, script]"
	for _, tt := range []struct {
		name     string
		src      string
		want     []string
		commands int
	}{
		{"10 levels", referenceChain(9, false), nil, 1},
		{"11 levels", referenceChain(10, false), []string{".gitlab-ci.yml:12:15: !reference nesting deeper than 10 levels: " + chain}, 0},
		{"11 levels reversed", referenceChain(10, true), []string{".gitlab-ci.yml:12:15: !reference nesting deeper than 10 levels: " + chain}, 0},
		{"20000 levels", referenceChain(20_000, false), []string{".gitlab-ci.yml:12:16: !reference nesting deeper than 10 levels: " + chain}, 0},
		{"20000 levels reversed", referenceChain(20_000, true), []string{".gitlab-ci.yml:19990:16: !reference nesting deeper than 10 levels: " + chain}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p *model.Pipeline
			var errs []*model.ParseError
			allocs := testing.AllocsPerRun(1, func() { p, errs = parseMap(t, map[string]string{".gitlab-ci.yml": tt.src}) })
			wantErrors(t, errs, tt.want...)
			commands := 0
			for _, step := range p.Jobs[0].Steps {
				commands += len(step.Script.Commands)
			}
			if commands != tt.commands {
				t.Errorf("the job has %d commands, want %d", commands, tt.commands)
			}
			if bound := 100 * float64(len(tt.src)); allocs > bound {
				t.Errorf("%.0f allocations, more than %.0f", allocs, bound)
			}
		})
	}
}

// extendsChain returns hidden keys .e0 to .e<n>, each extending the one
// before, in file order or reversed, and a job extending the last.
func extendsChain(n int, reversed bool) string {
	lines := []string{".e0: {script: [echo]}"}
	for i := 1; i <= n; i++ {
		lines = append(lines, fmt.Sprintf(".e%d: {extends: .e%d}", i, i-1))
	}
	if reversed {
		slices.Reverse(lines)
	}
	lines = append(lines, fmt.Sprintf("job: {extends: .e%d}", n))
	return strings.Join(lines, "\n") + "\n"
}

// TestLongExtendsChain: a chain of extends far longer than GitLab allows
// is reported once, at the entry where it first gets too long, in work
// that grows with its length (it used to copy the chain at every entry,
// and search it, and recurse once per entry).
func TestLongExtendsChain(t *testing.T) {
	chain := ".e11 -> .e10 -> .e9 -> .e8 -> .e7 -> .e6 -> .e5 -> .e4 -> .e3 -> .e2 -> .e1 -> .e0"
	for _, tt := range []struct {
		name, src, want string
	}{
		{"in file order", extendsChain(5000, false), ".gitlab-ci.yml:12:8: extends nesting deeper than 10 levels: " + chain},
		{"reversed", extendsChain(5000, true), ".gitlab-ci.yml:4990:8: extends nesting deeper than 10 levels: " + chain},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": tt.src})
			runtime.ReadMemStats(&after)
			wantErrors(t, errs, tt.want)
			if allocated, bound := after.TotalAlloc-before.TotalAlloc, uint64(400*len(tt.src)); allocated > bound {
				t.Errorf("%d bytes allocated, more than %d", allocated, bound)
			}
		})
	}
}
