package runner

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// toyParser is a made-up CI system: a .toy file holds one job per line,
// `name: shell command`. Registering it is all a system needs to be
// discovered, parsed and checked by every rule.
var toyParser = syntax.Parser{
	System: "toy",
	Files:  "*.toy",
	Detect: func(slashPath string) bool { return path.Ext(slashPath) == ".toy" },
	Parse: syntax.OneFile(func(display string, src []byte) (*model.Pipeline, error) {
		at := func(line, column, length int) model.Pos {
			return model.Pos{File: display, Line: line, Column: column, EndLine: line, EndColumn: column + length}
		}
		p := &model.Pipeline{System: "toy", Kind: model.KindWorkflow, File: display, Pos: at(1, 1, 0)}
		for i, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
			name, command, _ := strings.Cut(line, ": ")
			column := len(name) + 3
			locate := func(l, c int) model.Pos { return at(i+1, column+c-1, 0) }
			text := model.String{Value: command, Pos: at(i+1, column, len(command))}
			step := model.Step{Kind: model.StepRun, Script: &model.Script{Text: text, Shell: "bash", Commands: shell.Split(command, "bash", locate)}, Pos: text.Pos}
			p.Jobs = append(p.Jobs, model.Job{ID: model.String{Value: name, Pos: at(i+1, 1, len(name))}, Steps: []model.Step{step}, Pos: at(i+1, 1, len(line))})
		}
		return p, nil
	}),
}

func TestAMadeUpSystemIsCheckedByEveryRule(t *testing.T) {
	parser.Parsers = append(parser.Parsers, toyParser)
	t.Cleanup(func() { parser.Parsers = parser.Parsers[:len(parser.Parsers)-1] })
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "ci.toy"), []byte("build: npm install\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	result, err := Check(context.Background(), []string{root}, Options{Policy: PolicyOptions{NoConfig: true}})
	if err != nil {
		t.Fatal(err)
	}
	run := result.Run
	if run.FilesChecked != 1 || len(run.Errors) != 0 {
		t.Fatalf("%d files, errors %v", run.FilesChecked, run.Errors)
	}
	var got []string
	for _, f := range run.Findings {
		got = append(got, f.Pos.File+":"+f.RuleID)
	}
	if want := "ci.toy:missing-cache"; strings.Join(got, ",") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
}

// Parse errors quote what they could not read, which may be a secret: the
// run masks every error's message before any report sees it.
func TestErrorsAreMasked(t *testing.T) {
	const token = "ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo"
	root := t.TempDir()
	workflows := filepath.Join(root, ".github", "workflows")
	if err := os.MkdirAll(workflows, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    " + token + ": 1\n    steps:\n      - run: echo\n"
	if err := os.WriteFile(filepath.Join(workflows, "ci.yml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	result, err := Check(context.Background(), []string{root}, Options{Policy: PolicyOptions{NoConfig: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(result.Run.Errors) == 0 {
		t.Fatal("no parse error")
	}
	for _, e := range append(result.Run.Errors, result.Warnings...) {
		if strings.Contains(e.Message, token[4:]) {
			t.Errorf("error shows the token: %s", e)
		}
		if !strings.Contains(e.Message, `"ghp_****"`) {
			t.Errorf("error %s does not quote the masked token", e)
		}
	}
}
