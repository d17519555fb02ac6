package bitbucket

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
)

// TestGolden parses every testdata/<name>.yml and compares the result
// with testdata/<name>.golden; the err-* files hold mistakes, each
// reported where it is written.
func TestGolden(t *testing.T) {
	parsertest.GoldenFiles(t, ".yml", "", Parser.Parse)
}

// TestCommandsPointAtTheirText checks, for every command of every
// fixture, that its name's position holds its name (a path written to
// run it, ./x.sh for x.sh, ends with it): script lines, block scalars and
// quoted lines are all mapped back to the file.
func TestCommandsPointAtTheirText(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.yml")
	commands := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := Parse(file, src)
		lines := strings.Split(string(src), "\n")
		for _, job := range p.Jobs {
			for _, step := range job.Steps {
				if step.Script == nil {
					continue
				}
				for _, c := range step.Script.Commands {
					commands++
					pos := c.Name.Pos
					line := []rune(lines[pos.Line-1])
					if pos.Line != pos.EndLine || pos.EndColumn-1 > len(line) || !strings.HasSuffix(string(line[pos.Column-1:pos.EndColumn-1]), c.Name.Value) {
						t.Errorf("%s: command %q at %d:%d-%d:%d", file, c.Name.Value, pos.Line, pos.Column, pos.EndLine, pos.EndColumn)
					}
				}
			}
		}
	}
	if commands < 20 {
		t.Errorf("only %d commands in the fixtures", commands)
	}
}
