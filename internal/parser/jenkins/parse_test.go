package jenkins

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	groovyparser "github.com/albertocavalcante/groovy-parser-go"
	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/parser"
	"github.com/albertocavalcante/groovy-parser-go/source"
	"github.com/pipelint/pipelint/internal/model"
)

func parseStep(t *testing.T, src string) model.Step {
	t.Helper()
	p, err := Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if len(p.Jobs) != 1 || len(p.Jobs[0].Steps) != 1 {
		t.Fatalf("want one job with one step, got %+v", p.Jobs)
	}
	return p.Jobs[0].Steps[0]
}

func at(line, column, endLine, endColumn int) model.Pos {
	return model.Pos{File: "Jenkinsfile", Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
}

// TestScriptText checks the decoded text of each Groovy string form, where
// it is written, and whether Groovy interpolates it.
func TestScriptText(t *testing.T) {
	tests := []struct {
		name, src string
		text      string
		pos       model.Pos
		source    string
	}{
		{"single", `sh 'echo $HOME'`, "echo $HOME", at(1, 5, 1, 15), sourceLiteral},
		{"escapes", `sh 'it\'s\ttab'`, "it's\ttab", at(1, 5, 1, 15), sourceLiteral},
		{"double", `sh "make"`, "make", at(1, 5, 1, 9), sourceLiteral},
		{"escaped dollar", `sh "echo \${X}"`, "echo ${X}", at(1, 5, 1, 15), sourceLiteral},
		{"gstring", `sh "echo ${X} $Y.z"`, "echo ${X} $Y.z", at(1, 5, 1, 19), sourceExpression},
		{"triple single", "sh '''a\n  b'''", "a\n  b", at(1, 7, 2, 4), sourceLiteral},
		{"triple double", "sh \"\"\"\nx ${Y}\n\"\"\"", "\nx ${Y}\n", at(1, 7, 3, 1), sourceExpression},
		{"dollar slashy", `sh $/a $$b/$`, "a $b", at(1, 6, 1, 11), sourceLiteral},
		{"named script", `sh(script: 'ls', returnStatus: true)`, "ls", at(1, 13, 1, 15), sourceLiteral},
		{"wide characters", `sh "✓ ${X}"`, "✓ ${X}", at(1, 5, 1, 11), sourceExpression},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step := parseStep(t, tt.src)
			if step.Kind != model.StepRun || step.Script == nil {
				t.Fatalf("want a run step, got %+v", step)
			}
			if got := step.Script.Text; got.Value != tt.text || got.Pos != tt.pos {
				t.Errorf("text = %q %+v, want %q %+v", got.Value, got.Pos, tt.text, tt.pos)
			}
			if got := step.With[0].Source; got != tt.source {
				t.Errorf("source = %q, want %q", got, tt.source)
			}
		})
	}
}

// TestLocate maps script coordinates back into the file through escapes,
// interpolations and line breaks.
func TestLocate(t *testing.T) {
	src := "node {\n  sh \"\"\"\\techo ${A}\n  ✓ go\\\n test\"\"\"\n}\n"
	p, err := Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	node := firstCallNode(t, src)
	s, ok := stringLiteral(node, []byte(src))
	if !ok {
		t.Fatal("no string literal")
	}
	if want := "\techo ${A}\n  ✓ go test"; s.value != want {
		t.Fatalf("value = %q, want %q", s.value, want)
	}
	locate := s.locator(newPositions("Jenkinsfile", []byte(src)))
	tests := []struct{ line, column, wantLine, wantColumn int }{
		{1, 1, 2, 9},  // the \t escape starts at its backslash
		{1, 2, 2, 11}, // "echo"
		{1, 7, 2, 16}, // "${A}" is copied as written
		{2, 3, 3, 3},  // "✓", counted as one column
		{2, 5, 3, 5},  // "go"
		{2, 8, 4, 2},  // "test", after the line continuation
		{2, 12, 4, 6}, // just past the end: the closing quotes
	}
	for _, tt := range tests {
		got := locate(tt.line, tt.column)
		if got != at(tt.wantLine, tt.wantColumn, tt.wantLine, tt.wantColumn) {
			t.Errorf("locate(%d, %d) = %d:%d, want %d:%d", tt.line, tt.column, got.Line, got.Column, tt.wantLine, tt.wantColumn)
		}
	}
	if len(p.Jobs) != 1 {
		t.Errorf("jobs = %d, want 1", len(p.Jobs))
	}
}

// firstCallNode returns the argument of the first sh call in src.
func firstCallNode(t *testing.T, src string) *cstNode {
	t.Helper()
	for _, n := range walkCalls(src) {
		if c, ok := asCall(n); ok && c.name == "sh" {
			return c.positional(0)
		}
	}
	t.Fatal("no sh call")
	return nil
}

// TestParseErrors checks that syntax errors come back as positioned
// *model.ParseError values next to the partial model.
func TestParseErrors(t *testing.T) {
	p, err := Parse("ci/Jenkinsfile", []byte("pipeline {\n  stages {\n    stage('A') { steps { sh 'x' } }\n    stage('B') { steps { sh('y' } }\n"))
	var perr *model.ParseError
	if !errors.As(err, &perr) {
		t.Fatalf("error %v is no *model.ParseError", err)
	}
	// The error is at the "(" that the "}" should have closed; the blocks
	// left open at the end of the file are the parser recovering from it.
	if want := (model.Pos{File: "ci/Jenkinsfile", Line: 4, Column: 28, EndLine: 4, EndColumn: 29}); perr.Pos != want || perr.Message != "missing ')' to close the call opened at 4:28" {
		t.Errorf("first error = %+v %q, want %+v", perr.Pos, perr.Message, want)
	}
	if got := strings.Count(err.Error(), "\n") + 1; got != 1 {
		t.Errorf("got %d errors, want 1: %v", got, err)
	}
	if len(p.Jobs) != 2 || p.Jobs[0].ID.Value != "A" || p.Jobs[1].ID.Value != "B" {
		t.Errorf("partial model lost stages: %+v", p.Jobs)
	}
}

// limitAllocs bounds the allocations of parsing any one of TestLimits'
// inputs: work counted, not timed, so it holds on any machine. The costliest
// input (200,000 tokens) needs about 270,000 and the function-call bomb
// about 90,000; followed in full, that bomb would make 2^40 calls.
const limitAllocs = 1_000_000

// strayBraceAllocs bounds the stray-braces input instead: the Groovy parser
// reports each of its 60,000 braces as an error of its own (about 6.7
// million allocations), which pipelint then counts without explaining.
const strayBraceAllocs = 10_000_000

// TestLimits feeds nesting bombs and oversized input: each must be stopped
// by its limit, with the limit's error, instead of exhausting the stack,
// and within a bounded number of allocations.
func TestLimits(t *testing.T) {
	tests := []struct {
		name, src, message string
	}{
		{"parentheses", strings.Repeat("(", 100_000) + "x" + strings.Repeat(")", 100_000), "nesting deeper than 500 levels"},
		{"closures", strings.Repeat("node {", 1_000_000), "nesting deeper than 500 levels"},
		{"negations", "x = " + strings.Repeat("!", 1_000_000) + "y", "nesting deeper than 500 levels"},
		{"assignments", strings.Repeat("a = ", 1_000_000) + "b", "nesting deeper than 500 levels"},
		{"gstrings", strings.Repeat(`"${`, 100_000), "nesting deeper than 500 levels"},
		{"else if", "if (a) x()" + strings.Repeat(" else if (a) x()", 100_000), "nesting deeper than 500 levels"},
		{"tokens", strings.Repeat("sh 'x'\n", 100_001), "file too large: more than 200000 tokens"},
		{"function calls", functionBomb(40), "function calls expand to more than 8 times the file; later calls are not followed"},
		{"stray braces", "node { sh 'x' }\n" + strings.Repeat("}\n", 60_000), "59995 more syntax errors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *model.Pipeline
			var err error
			allocs := testing.AllocsPerRun(1, func() { p, err = Parse("Jenkinsfile", []byte(tt.src)) })
			bound := float64(limitAllocs)
			if tt.name == "stray braces" {
				bound = strayBraceAllocs
			}
			if allocs > bound {
				t.Errorf("%.0f allocations, more than %.0f", allocs, bound)
			}
			if p == nil || err == nil || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error = %v, want %q", err, tt.message)
			}
		})
	}
	deep := strings.Repeat("stage('s') {\n", 100) + "sh 'x'\n" + strings.Repeat("}\n", 100)
	p, err := Parse("Jenkinsfile", []byte(deep))
	if err != nil || len(p.Jobs) != 100 || len(p.Jobs[99].Steps) != 1 {
		t.Errorf("100 nested stages: err %v, %d jobs", err, len(p.Jobs))
	}
}

// functionBomb returns functions f1..fn that each call the one before
// twice, and a node that calls fn: 2^n calls if all were followed.
func functionBomb(n int) string {
	var b strings.Builder
	b.WriteString("def f0() { sh 'x' }\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "def f%d() { f%d(); f%d() }\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "node { f%d() }\n", n)
	return b.String()
}

// FuzzParse checks that no input panics and that every position in the
// result lies inside the file, with its end after its start.
func FuzzParse(f *testing.F) {
	for _, seed := range fixtureSources(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, _ := Parse("Jenkinsfile", src)
		if p == nil {
			t.Fatal("nil pipeline")
		}
		// CRLF, LF and a lone CR each end a line.
		breaks := strings.ReplaceAll(string(src), "\r\n", "\n")
		lines := strings.Count(breaks, "\n") + strings.Count(breaks, "\r") + 1
		eachPos(reflect.ValueOf(p).Elem(), func(pos model.Pos) {
			if pos.IsZero() {
				return
			}
			if pos.File != "Jenkinsfile" || pos.Line > lines || pos.EndLine > lines || pos.Column < 1 ||
				pos.EndLine < pos.Line || pos.EndLine == pos.Line && pos.EndColumn < pos.Column {
				t.Fatalf("bad position %+v", pos)
			}
		})
	})
}

// eachPos calls fn for every Pos reachable from v.
func eachPos(v reflect.Value, fn func(model.Pos)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachPos(v.Elem(), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachPos(v.Index(i), fn)
		}
	case reflect.Struct:
		if pos, ok := v.Interface().(model.Pos); ok {
			fn(pos)
			return
		}
		for i := range v.NumField() {
			eachPos(v.Field(i), fn)
		}
	}
}

type cstNode = cst.Node

// walkCalls parses src and returns its call expressions in source order.
func walkCalls(src string) []*cst.Node {
	green, _ := parser.New(source.New("Jenkinsfile", []byte(src)), groovyparser.ParseOptions{Version: groovyparser.Groovy2_4}).Parse()
	var found []*cst.Node
	cst.Walk(cst.NewTree(green), func(n *cst.Node) bool {
		if n.Kind() == cst.CallExpr {
			found = append(found, n)
		}
		return true
	})
	return found
}

func fixtureSources(tb testing.TB) [][]byte {
	files, err := filepath.Glob("testdata/*.groovy")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no fixtures: %v", err)
	}
	var sources [][]byte
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		sources = append(sources, src)
	}
	return sources
}
