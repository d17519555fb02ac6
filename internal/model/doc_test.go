package model

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/model.md from the Go types")

// modelDocFile is the reference of the Rego input that TestModelDoc keeps
// in step with this package.
const modelDocFile = "../../docs/model.md"

// TestModelDoc renders the Rego input reference from the types and doc
// comments of this package and compares it with docs/model.md, so the page
// policy authors read cannot drift from what rules receive.
func TestModelDoc(t *testing.T) {
	got, err := renderModelDoc(".")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(modelDocFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(modelDocFile)
	if err != nil {
		t.Fatalf("%v; write it with: go test ./internal/model -run TestModelDoc -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/model.md does not match the model types; update it with: go test ./internal/model -run TestModelDoc -update\n%s", firstDifference(want, got))
	}
}

// TestModelDocNamesRegoTypes pins the rendering of each kind of field, so a
// change to the renderer shows here and not only as a changed page.
func TestModelDocNamesRegoTypes(t *testing.T) {
	page, err := renderModelDoc(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"| `system` | `string` | One of `\"github\"`, `\"gitlab\"`, `\"jenkins\"`, `\"azure\"`, `\"circleci\"`, `\"bitbucket\"` or `\"travis\"`. |",
		"| `kind` | `string` | `\"workflow\"` or `\"action\"` |",
		"| `line` | `number` |  |",
		"| `secrets_inherit` | `boolean` |  |",
		"| `permissions` | object [Permissions](#permissions) or `null` |  |",
		"| `jobs` | array of [Job](#job) objects |  |",
		"| `lines` | array of `string` |  |",
		"| `owner` | `string` | See `registry`. |",
		"| `kind` | `string` | one of `\"action\"`, `\"reusable-workflow\"`, `\"image\"`, `\"include\"`, `\"library\"` or `\"pipeline\"` |",
		"| `digest` | `string` | See `ref`. |",
		"| `steps` | array of [Step](#step) objects |  |",
	} {
		if !bytes.Contains(page, []byte("\n"+row+"\n")) {
			t.Errorf("the page has no row\n%s", row)
		}
	}
}

// firstDifference shows the first line where two texts differ.
func firstDifference(want, got []byte) string {
	wantLines, gotLines := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wantLines), len(gotLines)) {
		w, g := lineAt(wantLines, i), lineAt(gotLines, i)
		if w != g {
			return fmt.Sprintf("first difference at line %d:\n  docs/model.md: %s\n  generated:     %s", i+1, w, g)
		}
	}
	return ""
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

// modelReference is what the page is built from: the documented types and
// constants of the package.
type modelReference struct {
	types      map[string]*doc.Type
	consts     map[string]string   // constant name → its string value
	constOrder []string            // constant names in source order
	typeValues map[string][]string // type name → values of its typed constants
}

func renderModelDoc(dir string) ([]byte, error) {
	ref, err := loadModelReference(dir)
	if err != nil {
		return nil, err
	}
	order := []string{"Pipeline"}
	listed := map[string]bool{"Pipeline": true}
	var sections strings.Builder
	for i := 0; i < len(order); i++ {
		section, used, err := ref.section(order[i])
		if err != nil {
			return nil, err
		}
		sections.WriteString(section)
		for _, name := range used {
			if !listed[name] {
				listed[name] = true
				order = append(order, name)
			}
		}
	}
	var links []string
	for _, name := range order {
		links = append(links, typeLink(name))
	}
	var page bytes.Buffer
	fmt.Fprintf(&page, modelDocIntro, strings.Join(links, " · "))
	page.WriteString(sections.String())
	return page.Bytes(), nil
}

const modelDocIntro = "# The rule input model\n\n" +
	"<!-- Generated from internal/model by TestModelDoc. Do not edit: change the Go types or their doc comments and run\n" +
	"     go test ./internal/model -run TestModelDoc -update -->\n\n" +
	"Every rule is evaluated once per checked file, and `input` is that file: a\n" +
	"[Pipeline](#pipeline) object. GitHub Actions workflows and `action.yml` files,\n" +
	"GitLab CI files and Jenkinsfiles are all turned into this one shape, so a\n" +
	"rule written once covers all three; `input.system` tells them apart when a\n" +
	"rule must. What only one system has is empty or `null` on the others.\n" +
	"A file is judged in its repository: `input.repository.pipelines` holds every\n" +
	"pipeline of the repository ([Repository](#repository)), and `input.callees`\n" +
	"the local reusable workflows and actions a GitHub file calls, parsed, which\n" +
	"its jobs' and steps' `callee` name.\n\n" +
	"How to read the tables below:\n\n" +
	"- **Positions.** Every element a rule may point at has a `pos`, a [Pos](#pos)\n" +
	"  object. Lines and columns are 1-based and columns count Unicode code points;\n" +
	"  `end_column` is exclusive, the column just after the last character (as in\n" +
	"  SARIF). `file` is the path relative to the repository root, with forward\n" +
	"  slashes. A rule reports a finding at one of these `pos` values as it is; it\n" +
	"  never has to compute one.\n" +
	"- **Arrays are never null.** A list the file does not have is `[]`, so\n" +
	"  `some job in input.jobs` needs no guard.\n" +
	"- **Objects marked \"or `null`\" are `null` when absent.** Reading a field of\n" +
	"  `null` is undefined in Rego, so `job.environment.name.value == \"production\"`\n" +
	"  is simply not true for a job without an environment; write\n" +
	"  `job.environment == null` to ask for jobs that have none.\n" +
	"- **A [String](#string) the file does not set** is still there, with `value`\n" +
	"  `\"\"` and a `pos` whose `line` is 0.\n" +
	"- **Names** are the `json` tags of the Go types in `internal/model`. The input is\n" +
	"  exactly the JSON encoding of a `model.Pipeline`, except that a list Go\n" +
	"  would encode as `null` is `[]`.\n\n" +
	"`pipelint check --format json` prints findings, not this input. To see the\n" +
	"input of a real file, run the `dump-input` example policy, which reports it\n" +
	"as one finding (see [Seeing the input](policies.md#seeing-the-input)):\n\n" +
	"```sh\n" +
	"pipelint check --policy docs/examples/dump-input --format json .github/workflows/ci.yml |\n" +
	"  jq '.findings[] | select(.rule_id == \"dump-input\") | .message | fromjson'\n" +
	"```\n\n" +
	"Types: %s\n"

func loadModelReference(dir string) (*modelReference, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/pipelint/pipelint/internal/model")
	if err != nil {
		return nil, err
	}
	ref := &modelReference{types: map[string]*doc.Type{}, consts: map[string]string{}, typeValues: map[string][]string{}}
	// Untyped constants (KindWorkflow, StepRun, RefImage) are the values
	// comments name; typed ones (GitHub) are words comments also use in
	// their ordinary sense, so they are only listed with their type.
	for _, group := range pkg.Consts {
		for _, c := range stringConsts(group) {
			ref.consts[c.name] = c.value
			ref.constOrder = append(ref.constOrder, c.name)
		}
	}
	for _, t := range pkg.Types {
		ref.types[t.Name] = t
		for _, group := range t.Consts {
			for _, c := range stringConsts(group) {
				ref.typeValues[t.Name] = append(ref.typeValues[t.Name], c.value)
			}
		}
	}
	return ref, nil
}

type namedConst struct{ name, value string }

// stringConsts lists the string constants of a const block in source order.
func stringConsts(group *doc.Value) []namedConst {
	var consts []namedConst
	for _, spec := range group.Decl.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, name := range vs.Names {
			if i >= len(vs.Values) {
				continue
			}
			lit, ok := vs.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			value, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			consts = append(consts, namedConst{name.Name, value})
		}
	}
	return consts
}

// section renders one struct type: its doc comment and a table of its
// fields. used lists the struct types its fields refer to.
func (m *modelReference) section(name string) (text string, used []string, err error) {
	st := m.structOf(name)
	if st == nil {
		return "", nil, fmt.Errorf("%s is not a struct type of the model", name)
	}
	fields, err := jsonFields(st)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\n## %s\n\n", name)
	for _, paragraph := range paragraphs(m.types[name].Doc) {
		fmt.Fprintf(&out, "%s\n\n", m.prose(paragraph, goToJSON(fields, nil)))
	}
	out.WriteString("| Field | Type | Description |\n|---|---|---|\n")
	for _, f := range fields {
		regoType, refs, err := m.regoType(f.field.Type)
		if err != nil {
			return "", nil, fmt.Errorf("%s.%s: %w", name, f.goName, err)
		}
		used = append(used, refs...)
		names := goToJSON(fields, m.structOf(elementName(f.field.Type)))
		description := m.prose(strings.Join(paragraphs(f.field.Doc.Text()+f.field.Comment.Text()), " "), names)
		if description == "" {
			description = m.implicitDescription(f, fields)
		}
		if values := m.typeValues[elementName(f.field.Type)]; len(values) > 0 {
			description = strings.TrimSpace(description + " One of " + quotedList(values) + ".")
		}
		fmt.Fprintf(&out, "| `%s` | %s | %s |\n", f.jsonName, regoType, tableCell(description))
	}
	return out.String(), used, nil
}

// implicitDescription describes an undocumented field: by the comment of
// the documented field it follows, when that comment mentions it
// (`Registry`'s "For actions Owner/Repo/Path" covers Owner, Repo and
// Path), or as a position.
func (m *modelReference) implicitDescription(f structField, fields []structField) string {
	mention := regexp.MustCompile(`\b` + f.goName + `\b`)
	i := slices.IndexFunc(fields, func(s structField) bool { return s.goName == f.goName })
	for j := i - 1; j >= 0; j-- {
		comment := fields[j].field.Doc.Text() + fields[j].field.Comment.Text()
		if comment == "" {
			continue
		}
		if mention.MatchString(comment) {
			return "See `" + fields[j].jsonName + "`."
		}
		break
	}
	if ident, ok := f.field.Type.(*ast.Ident); ok && ident.Name == "Pos" {
		return "Where the element is written."
	}
	return ""
}

func (m *modelReference) structOf(name string) *ast.StructType {
	t, ok := m.types[name]
	if !ok {
		return nil
	}
	for _, spec := range t.Decl.Specs {
		if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.Name == name {
			st, _ := ts.Type.(*ast.StructType)
			return st
		}
	}
	return nil
}

// regoType names the Rego type of a Go type expression, with links to the
// struct types it refers to, which it also returns.
func (m *modelReference) regoType(expr ast.Expr) (string, []string, error) {
	switch e := expr.(type) {
	case *ast.StarExpr:
		inner, used, err := m.regoType(e.X)
		return inner + " or `null`", used, err
	case *ast.ArrayType:
		if e.Len != nil {
			return "", nil, fmt.Errorf("arrays of fixed length are not supported")
		}
		inner, used, err := m.regoType(e.Elt)
		if len(used) > 0 {
			return "array of " + strings.TrimPrefix(inner, "object ") + " objects", used, err
		}
		return "array of " + inner, used, err
	case *ast.Ident:
		switch e.Name {
		case "string":
			return "`string`", nil, nil
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
			return "`number`", nil, nil
		case "bool":
			return "`boolean`", nil, nil
		}
		if m.structOf(e.Name) != nil {
			return "object " + typeLink(e.Name), []string{e.Name}, nil
		}
		if t, ok := m.types[e.Name]; ok { // a named basic type, such as System
			for _, spec := range t.Decl.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && ts.Name.Name == e.Name {
					return m.regoType(ts.Type)
				}
			}
		}
	}
	return "", nil, fmt.Errorf("no Rego type known for %T; teach TestModelDoc how the engine converts it", expr)
}

// structField is one named field of a struct with its JSON name.
type structField struct {
	goName, jsonName string
	field            *ast.Field
}

func jsonFields(st *ast.StructType) ([]structField, error) {
	var fields []structField
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			return nil, fmt.Errorf("embedded fields are not supported")
		}
		tag := ""
		if f.Tag != nil {
			unquoted, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				return nil, err
			}
			tag, _, _ = strings.Cut(reflect.StructTag(unquoted).Get("json"), ",")
		}
		for _, name := range f.Names {
			if !name.IsExported() || tag == "-" {
				continue
			}
			if tag == "" {
				return nil, fmt.Errorf("field %s has no json tag: the tag is its name in Rego", name.Name)
			}
			fields = append(fields, structField{goName: name.Name, jsonName: tag, field: f})
		}
	}
	return fields, nil
}

// goToJSON maps the Go names of fields to their JSON names: the fields of
// a struct and, for a field's comment, those of the struct it holds, since
// comments name both ("Value holds the default").
func goToJSON(fields []structField, inner *ast.StructType) map[string]string {
	names := map[string]string{}
	if inner != nil {
		innerFields, _ := jsonFields(inner)
		for _, f := range innerFields {
			names[f.goName] = f.jsonName
		}
	}
	for _, f := range fields {
		names[f.goName] = f.jsonName
	}
	return names
}

// elementName is the named type at the bottom of pointers and slices.
func elementName(expr ast.Expr) string {
	for {
		switch e := expr.(type) {
		case *ast.StarExpr:
			expr = e.X
		case *ast.ArrayType:
			expr = e.Elt
		case *ast.Ident:
			return e.Name
		default:
			return ""
		}
	}
}

// constantSet finds "the Ref* constants", which reads better as the list
// of their values.
var constantSet = regexp.MustCompile(`\bthe ([A-Z][A-Za-z0-9]*)\* constants\b`)

// goWord finds the Go names a doc comment may use: a name, Type.Field, or
// a constant prefix such as Ref*.
var goWord = regexp.MustCompile(`\b([A-Z][A-Za-z0-9]*)(?:\.([A-Z][A-Za-z0-9]*))?(\*)?`)

// prose rewrites a doc comment for policy authors, who see JSON names and
// values, not Go identifiers: field names become their JSON names,
// constants their values. Text in backticks is left alone.
func (m *modelReference) prose(text string, fieldNames map[string]string) string {
	parts := strings.Split(text, "`")
	for i := 0; i < len(parts); i += 2 { // even parts are outside backticks
		parts[i] = constantSet.ReplaceAllString(parts[i], "$1*")
		parts[i] = goWord.ReplaceAllStringFunc(parts[i], func(word string) string {
			match := goWord.FindStringSubmatch(word)
			name, field, star := match[1], match[2], match[3]
			switch {
			case star != "":
				if values := m.constValuesWithPrefix(name); len(values) > 0 {
					return quotedList(values)
				}
			case field != "":
				if fields, err := jsonFields(m.structOfOrEmpty(name)); err == nil {
					for _, f := range fields {
						if f.goName == field {
							return "`" + name + "." + f.jsonName + "`"
						}
					}
				}
			case m.consts[name] != "":
				return "`" + strconv.Quote(m.consts[name]) + "`"
			case fieldNames[name] != "" && name != strings.ToUpper(name): // not initialisms such as URL
				return "`" + fieldNames[name] + "`"
			}
			return word
		})
	}
	return strings.Join(parts, "`")
}

func (m *modelReference) structOfOrEmpty(name string) *ast.StructType {
	if st := m.structOf(name); st != nil {
		return st
	}
	return &ast.StructType{Fields: &ast.FieldList{}}
}

func (m *modelReference) constValuesWithPrefix(prefix string) []string {
	var values []string
	for _, name := range m.constOrder {
		if strings.HasPrefix(name, prefix) {
			values = append(values, m.consts[name])
		}
	}
	return values
}

// quotedList writes values as `"a"`, `"b"` or `"c"`.
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + strconv.Quote(v) + "`"
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// paragraphs splits a doc comment into paragraphs, each on one line.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if joined := strings.Join(strings.Fields(p), " "); joined != "" {
			out = append(out, joined)
		}
	}
	return out
}

func typeLink(name string) string {
	return "[" + name + "](#" + strings.ToLower(name) + ")"
}

func tableCell(text string) string {
	return strings.ReplaceAll(text, "|", `\|`)
}
