package jenkins

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

var update = flag.Bool("update", false, "rewrite the .golden files from the parser's output")

// TestGolden parses every testdata/*.groovy file and compares a compact
// rendering of the model (every value with its line:column span) and the
// parse errors with testdata/<name>.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.groovy")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".groovy")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse("ci/"+filepath.Base(file), src)
			got := render(p, err)
			golden := strings.TrimSuffix(file, ".groovy") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("model differs from %s (run with -update to accept):\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

// render prints p one field per line, leaving out empty values. Strings
// and positions print as "value" @line:col-endLine:endCol; the file of
// every position must be the parsed one and is checked, not printed.
func render(p *model.Pipeline, err error) string {
	var b strings.Builder
	renderValue(&b, "", reflect.ValueOf(*p), p.File)
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(&b, "error: %s\n", line)
		}
	}
	return b.String()
}

var (
	posType    = reflect.TypeFor[model.Pos]()
	stringType = reflect.TypeFor[model.String]()
)

func renderValue(b *strings.Builder, indent string, v reflect.Value, file string) {
	for i := range v.NumField() {
		field, value := v.Type().Field(i), v.Field(i)
		if value.IsZero() || field.Name == "Sources" || field.Name == "Commands" { // Commands belong to the shell package; locate is tested in TestLocate
			continue
		}
		name := field.Tag.Get("json")
		switch {
		case value.Kind() == reflect.Pointer:
			fmt.Fprintf(b, "%s%s:\n", indent, name)
			renderValue(b, indent+"  ", value.Elem(), file)
		case value.Kind() == reflect.Slice && value.Type().Elem().Kind() == reflect.Struct && value.Type().Elem() != stringType:
			for j := range value.Len() {
				fmt.Fprintf(b, "%s%s[%d]:\n", indent, name, j)
				renderValue(b, indent+"  ", value.Index(j), file)
			}
		case value.Kind() == reflect.Slice:
			for j := range value.Len() {
				fmt.Fprintf(b, "%s%s[%d]: %s\n", indent, name, j, scalar(value.Index(j), file))
			}
		case value.Kind() == reflect.Struct && value.Type() != posType && value.Type() != stringType:
			fmt.Fprintf(b, "%s%s:\n", indent, name)
			renderValue(b, indent+"  ", value, file)
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

// diffLines shows the first differing line of two renderings.
func diffLines(want, got string) string {
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
