package gitlab

import (
	"os"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestScriptLinePositions checks that every script line, whatever its YAML
// style and wherever it was written, maps its text back to the file
// character by character (what shell.Split's locate callback receives).
func TestScriptLinePositions(t *testing.T) {
	src := `.tpl:
  script:
    - echo "from template"
job:
  script:
    - !reference [.tpl, script]
    - 'echo ''quoted'' x'
    - "printf \"%s\" y"
    - |
      make \
        all
      go test ./...
    - >
      folded one
      two
    - plain
      continued
`
	repo := fstest.MapFS{"ci/main.yml": {Data: []byte(src)}}
	p := &parser{in: syntax.Input{Repo: repo, Path: "ci/main.yml", Display: "ci/main.yml"}}
	config, _ := p.load(p.in.Path, []string{p.in.Path}, model.Pos{})
	config = p.resolveReferences(p.resolveExtends(config))
	lines := p.flatten(config.get("job").get("script"))
	if len(p.errs) > 0 || len(lines) != 6 {
		t.Fatalf("errors %v, %d lines", p.errs, len(lines))
	}
	at := func(l, c int) string {
		return pos(model.Pos{File: "ci/main.yml", Line: l, Column: c, EndLine: l, EndColumn: c + 1})
	}
	for _, tc := range []struct {
		line      int
		span      string
		textLine  int
		textCol   int
		wantPoint string
	}{
		{0, "ci/main.yml:3:7-3:27", 1, 6, at(3, 12)},
		{0, "ci/main.yml:3:7-3:27", 1, 100, at(3, 27)},
		{1, "ci/main.yml:7:8-7:25", 1, 6, at(7, 13)},
		{1, "ci/main.yml:7:8-7:25", 1, 7, at(7, 15)},
		{1, "ci/main.yml:7:8-7:25", 1, 15, at(7, 24)},
		{2, "ci/main.yml:8:8-8:23", 1, 8, at(8, 15)},
		{2, "ci/main.yml:8:8-8:23", 1, 13, at(8, 22)},
		{3, "ci/main.yml:10:7-12:20", 2, 3, at(11, 9)},
		{3, "ci/main.yml:10:7-12:20", 3, 1, at(12, 7)},
		{3, "ci/main.yml:10:7-12:20", 3, 14, at(12, 20)},
		{4, "ci/main.yml:14:7-15:10", 1, 12, at(15, 7)},
		{5, "ci/main.yml:16:7-17:16", 1, 7, at(17, 7)},
	} {
		line := lines[tc.line]
		if got := pos(line.pos); got != tc.span {
			t.Errorf("line %d %q spans %s, want %s", tc.line, line.value, got, tc.span)
		}
		if got := pos(line.locator()(tc.textLine, tc.textCol)); got != tc.wantPoint {
			t.Errorf("line %d %q: text %d:%d is at %s, want %s", tc.line, line.value, tc.textLine, tc.textCol, got, tc.wantPoint)
		}
	}
}

// TestCommandsPointIntoIncludedFile checks the whole path through
// shell.Split: a command of a block scalar in an included file is
// positioned in that file, an argument after a line continuation on its
// own line.
func TestCommandsPointIntoIncludedFile(t *testing.T) {
	p, err := parse(os.DirFS("testdata/includes"), ".gitlab-ci.yml")
	if p == nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(p.Jobs, func(j model.Job) bool { return j.ID.Value == "from-elsewhere" })
	if i < 0 || len(p.Jobs[i].Steps) != 1 {
		t.Fatalf("no from-elsewhere job with one step")
	}
	cmds := p.Jobs[i].Steps[0].Script.Commands
	if len(cmds) != 1 || len(cmds[0].Args) != 1 {
		t.Fatalf("commands %+v, want make all", cmds)
	}
	if got := str(cmds[0].Name); got != `"make"@ci/jobs/deep/c.yml:5:7-5:11` {
		t.Errorf("name %s", got)
	}
	if got := str(cmds[0].Args[0]); got != `"all"@ci/jobs/deep/c.yml:6:9-6:12` {
		t.Errorf("argument %s", got)
	}
}
