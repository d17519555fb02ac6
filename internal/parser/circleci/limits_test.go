package circleci

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

func parseText(t *testing.T, src string) syntax.Result {
	t.Helper()
	repo := fstest.MapFS{".circleci/config.yml": {Data: []byte(src)}}
	return Parse(syntax.Input{Repo: repo, Path: ".circleci/config.yml", Display: ".circleci/config.yml"})
}

// TestHostileInputs are files built to exhaust a parser: each must end
// with a positioned error, quickly.
func TestHostileInputs(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	tests := map[string]struct{ src, want string }{
		"alias bomb":   {bomb, "aliases expand to more than"},
		"deep nesting": {strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "nesting deeper than"},
		"recursive command": {`version: 2.1
commands:
  loop:
    steps:
      - loop
jobs:
  build:
    docker: [{image: alpine}]
    steps: [loop]
`, "calls commands more than"},
		"commands that multiply": {multiplying(), "expands to more than"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := parseText(t, tt.src)
			if r.Err == nil || !strings.Contains(r.Err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", r.Err, tt.want)
			}
			if !strings.HasPrefix(r.Err.Error(), ".circleci/config.yml:") {
				t.Errorf("error not positioned: %v", r.Err)
			}
		})
	}
}

// multiplying is a configuration whose commands call the one before ten
// times each, six deep: a million steps once expanded.
func multiplying() string {
	var b strings.Builder
	b.WriteString("version: 2.1\ncommands:\n  c0:\n    steps:\n      - run: echo\n")
	for i := 1; i <= 6; i++ {
		b.WriteString("  c" + string(rune('0'+i)) + ":\n    steps:\n")
		for range 10 {
			b.WriteString("      - c" + string(rune('0'+i-1)) + "\n")
		}
	}
	b.WriteString("jobs:\n  build:\n    docker: [{image: alpine}]\n    steps: [c6]\n")
	return b.String()
}

// TestLongParameterUsedOften is a long default substituted into many
// steps: the text substituted is bounded.
func TestLongParameterUsedOften(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 2.1\ncommands:\n  say:\n    parameters:\n      text:\n        type: string\n        default: " + strings.Repeat("x", 1<<20) + "\n    steps:\n      - run: echo << parameters.text >>\njobs:\n  build:\n    docker: [{image: alpine}]\n    steps:\n")
	for range 200 {
		b.WriteString("      - say\n")
	}
	r := parseText(t, b.String())
	if r.Err == nil || !strings.Contains(r.Err.Error(), "parameters expand to more than") {
		t.Fatalf("error %v, want the substitution limit", r.Err)
	}
}
