package jenkins

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// commandWords renders a step's commands as "word@line:col-endLine:endCol".
func commandWords(step model.Step) string {
	var words []string
	for _, c := range step.Script.Commands {
		for _, w := range append([]model.String{c.Name}, c.Args...) {
			words = append(words, spanOf(w))
		}
	}
	return strings.Join(words, " ")
}

func spanOf(s model.String) string {
	return s.Value + "@" + posOf(s.Pos)
}

func posOf(p model.Pos) string {
	return fmt.Sprintf("%d:%d-%d:%d", p.Line, p.Column, p.EndLine, p.EndColumn)
}

// TestByteOrderMark: a Jenkinsfile saved with a UTF-8 byte-order mark
// parses, and the mark takes no column (editors do not show it).
func TestByteOrderMark(t *testing.T) {
	src := "\uFEFFnode('linux') { sh 'make test' }\n// done\n"
	p, err := Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(p.Jobs) != 1 || len(p.Jobs[0].Steps) != 1 {
		t.Fatalf("want one job with one step, got %+v", p.Jobs)
	}
	job := p.Jobs[0]
	if got, want := spanOf(job.ID), "linux@1:7-1:12"; got != want {
		t.Errorf("job id = %s, want %s", got, want)
	}
	if got, want := posOf(job.Runner.Pos), "1:1-1:14"; got != want {
		t.Errorf("node = %s, want %s", got, want)
	}
	if got, want := commandWords(job.Steps[0]), "make@1:21-1:25 test@1:26-1:30"; got != want {
		t.Errorf("commands = %s, want %s", got, want)
	}
	if got, want := posOf(p.Pos), "1:1-3:1"; got != want {
		t.Errorf("pipeline = %s, want %s", got, want)
	}
	if len(p.Comments) != 1 || posOf(p.Comments[0].Pos) != "2:1-2:8" {
		t.Errorf("comments = %+v, want one at 2:1-2:8", p.Comments)
	}
}

// TestByteOrderMarkSyntaxError: an error after the mark is placed as
// without it.
func TestByteOrderMarkSyntaxError(t *testing.T) {
	_, err := Parse("Jenkinsfile", []byte("\uFEFFnode {\n  sh 'x'\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "Jenkinsfile:1:6: ") {
		t.Errorf("err = %v, want one at the unclosed brace, 1:6", err)
	}
}

// TestLineEndings: Groovy ends lines at \n, \r\n and a lone \r (old Mac
// files); positions count lines the same way.
func TestLineEndings(t *testing.T) {
	for name, eol := range map[string]string{"LF": "\n", "CRLF": "\r\n", "CR": "\r"} {
		t.Run(name, func(t *testing.T) {
			src := strings.Join([]string{"node {", "  // build", "  sh 'make ✓ test'", "  stage('x') { sh 'a' }", "}", ""}, eol)
			p, err := Parse("Jenkinsfile", []byte(src))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(p.Jobs) != 2 {
				t.Fatalf("want two jobs, got %+v", p.Jobs)
			}
			if got, want := commandWords(p.Jobs[0].Steps[0]), "make@3:7-3:11 ✓@3:12-3:13 test@3:14-3:18"; got != want {
				t.Errorf("commands = %s, want %s", got, want)
			}
			if got, want := spanOf(p.Jobs[1].ID), "x@4:10-4:11"; got != want {
				t.Errorf("stage = %s, want %s", got, want)
			}
			if len(p.Comments) != 1 || posOf(p.Comments[0].Pos) != "2:3-2:11" {
				t.Errorf("comments = %+v, want one at 2:3-2:11", p.Comments)
			}
			if got, want := posOf(p.Pos), "1:1-6:1"; got != want {
				t.Errorf("pipeline = %s, want %s", got, want)
			}
		})
	}
}

// TestLongLinePositions: words far along a long line, after wide
// characters, are placed at their code-point columns.
func TestLongLinePositions(t *testing.T) {
	const words = 5000
	src := "node { sh 'é" + strings.Repeat(" ✓x", words) + " last' }"
	p, err := Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	commands := p.Jobs[0].Steps[0].Script.Commands
	args := commands[0].Args
	if len(commands) != 1 || len(args) != words+1 {
		t.Fatalf("want one command with %d arguments, got %d commands", words+1, len(commands))
	}
	column := 12 + 1 + 3*words + 1 // "node { sh '", "é", " ✓x" each, " "
	if got, want := spanOf(args[words]), "last@"+posOf(model.Pos{Line: 1, Column: column, EndLine: 1, EndColumn: column + 4}); got != want {
		t.Errorf("last word = %s, want %s", got, want)
	}
	if got, want := spanOf(args[words-1]), "✓x@"+posOf(model.Pos{Line: 1, Column: column - 3, EndLine: 1, EndColumn: column - 1}); got != want {
		t.Errorf("word before = %s, want %s", got, want)
	}
}
