// Package parsertest is what the parsers' golden tests share: one
// rendering of a parse result, and one -update flag that rewrites the
// .golden file beside each input.
//
//	go test ./internal/parser/... -update
package parsertest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the parsers' output")

// Golden compares got with the golden file, or with -update rewrites it.
func Golden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("the parse result differs from %s (run with -update to accept):\n%s", golden, firstDifference(string(want), got))
	}
}

// GoldenFiles parses every testdata/*<ext> file with parse, as the file
// <prefix><name> of the testdata directory, and compares each result with
// the .golden file beside it: the golden test of a system whose cases are
// one file each.
func GoldenFiles(t *testing.T, ext, prefix string, parse func(syntax.Input) syntax.Result) {
	files, err := filepath.Glob("testdata/*" + ext)
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ext), func(t *testing.T) {
			result := parse(syntax.Input{Repo: os.DirFS("testdata"), Path: name, Display: prefix + name})
			Golden(t, strings.TrimSuffix(file, ext)+".golden", Render(result))
		})
	}
}

// Render prints a parse result one field per line, leaving out empty
// values and the files' text. Strings print as "value" @line:col-endLine:endCol,
// with " in <file>" when written in another file than the pipeline's. The
// errors, warnings and child pipelines follow.
func Render(r syntax.Result) string {
	var b strings.Builder
	file := ""
	if p := r.Pipeline; p != nil {
		file = p.File
		renderStruct(&b, "", reflect.ValueOf(*p), file)
	}
	for _, child := range r.Children {
		fmt.Fprintf(&b, "child: %s\n", scalar(reflect.ValueOf(child), file))
	}
	if r.Err != nil {
		for _, line := range strings.Split(r.Err.Error(), "\n") {
			fmt.Fprintf(&b, "error: %s\n", line)
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}

var (
	posType    = reflect.TypeFor[model.Pos]()
	stringType = reflect.TypeFor[model.String]()
	// Expressions and the Groovy code's calls, annotations and imports
	// are shown on one line each, like strings.
	oneLine = map[reflect.Type]bool{
		reflect.TypeFor[model.Expression]():       true,
		reflect.TypeFor[model.GroovyCall]():       true,
		reflect.TypeFor[model.GroovyAnnotation](): true,
		reflect.TypeFor[model.GroovyImport]():     true,
	}
)

func renderStruct(b *strings.Builder, indent string, v reflect.Value, file string) {
	for i := range v.NumField() {
		field, value := v.Type().Field(i), v.Field(i)
		// Sources are the files' text; Commands belong to the shell package,
		// whose tests cover them.
		if value.IsZero() || field.Name == "Sources" || field.Name == "Commands" {
			continue
		}
		name := field.Tag.Get("json")
		switch {
		case value.Kind() == reflect.Pointer:
			fmt.Fprintf(b, "%s%s:\n", indent, name)
			renderStruct(b, indent+"  ", value.Elem(), file)
		case value.Kind() == reflect.Slice && value.Type().Elem().Kind() == reflect.Struct &&
			value.Type().Elem() != stringType && !oneLine[value.Type().Elem()]:
			for j := range value.Len() {
				fmt.Fprintf(b, "%s%s[%d]:\n", indent, name, j)
				renderStruct(b, indent+"  ", value.Index(j), file)
			}
		case value.Kind() == reflect.Slice:
			for j := range value.Len() {
				fmt.Fprintf(b, "%s%s[%d]: %s\n", indent, name, j, scalar(value.Index(j), file))
			}
		case value.Kind() == reflect.Struct && value.Type() != posType && value.Type() != stringType:
			fmt.Fprintf(b, "%s%s:\n", indent, name)
			renderStruct(b, indent+"  ", value, file)
		default:
			fmt.Fprintf(b, "%s%s: %s\n", indent, name, scalar(value, file))
		}
	}
}

func scalar(v reflect.Value, file string) string {
	switch x := v.Interface().(type) {
	case model.String:
		return fmt.Sprintf("%q %s", x.Value, posText(x.Pos, file))
	case model.Pos:
		return posText(x, file)
	case model.Expression:
		return fmt.Sprintf("%q reads %v flows %v %s", x.Value, x.Reads, x.Flows, posText(x.Pos, file))
	case model.GroovyCall:
		text := fmt.Sprintf("%s %s", x.Kind, scalar(reflect.ValueOf(x.Name), file))
		if x.ReceiverKind != "" {
			text += fmt.Sprintf(" on %s %s", x.ReceiverKind, scalar(reflect.ValueOf(x.Receiver), file))
		}
		if x.Function != "" {
			text += fmt.Sprintf(" in %q", x.Function)
		}
		return text + " " + posText(x.Pos, file)
	case model.GroovyAnnotation:
		text := "@" + scalar(reflect.ValueOf(x.Name), file)
		if x.Arguments.Value != "" {
			text += " (" + scalar(reflect.ValueOf(x.Arguments), file) + ")"
		}
		return fmt.Sprintf("%s on %s %q %s", text, x.Target, x.Declares, posText(x.Pos, file))
	case model.GroovyImport:
		static := ""
		if x.Static {
			static = "static "
		}
		return fmt.Sprintf("%s%s %s", static, scalar(reflect.ValueOf(x.Name), file), posText(x.Pos, file))
	}
	return fmt.Sprintf("%v", v.Interface())
}

func posText(p model.Pos, file string) string {
	if p.IsZero() {
		return "@-"
	}
	text := fmt.Sprintf("@%d:%d-%d:%d", p.Line, p.Column, p.EndLine, p.EndColumn)
	if p.File != file {
		text += " in " + p.File
	}
	return text
}

// firstDifference shows the first line where two renderings differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, wl, gl)
		}
	}
	return ""
}
