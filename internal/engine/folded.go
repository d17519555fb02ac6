package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/version"
)

// Folding the built-in tables means compiling and evaluating their
// packages, about a quarter of what New costs; a check of one file pays it
// for tables that change only with the rules. So go generate folds them
// into folded_tables.json, and New takes a package's tables from there
// when the file was made from the same sources with the same OPA, and
// evaluates them otherwise: after an edit not yet regenerated, or when
// custom policies extend a table package. TestFoldedTablesAreCurrent fails
// when the file is stale.
//
//go:generate go run ./foldtables folded_tables.json ../secret/tables.json
//go:embed folded_tables.json
var foldedTablesJSON string

// foldedFormat changes when the file's layout or the fold changes.
const foldedFormat = "pipelint folded tables 1"

// tablesKey identifies the sources of one table package: the modules, by
// name and text, and the OPA version that evaluates them.
func tablesKey(pkg string, modules map[string]module) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", foldedFormat, version.Version, pkg)
	for _, name := range sortedKeys(modules) {
		fmt.Fprintf(h, "%d:%s\x00%d:%s\x00", len(name), name, len(modules[name].source), modules[name].source)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// generatedFile is folded_tables.json, read once: its values are never
// modified, so every engine can share them, as concurrent evaluations share
// the terms of compiled rules.
var generatedFile = sync.OnceValues(func() (ast.Object, error) {
	file, err := readFolded(foldedTablesJSON)
	if err != nil {
		return nil, fmt.Errorf("folded_tables.json: %w", err)
	}
	return file, nil
})

// generatedTables returns the tables of package pkg from folded_tables.json
// if it holds them for key.
func generatedTables(pkg, key string) (ast.Object, bool, error) {
	file, err := generatedFile()
	if err != nil {
		return nil, false, err
	}
	packages, ok := field(file, "packages").(*ast.Array)
	if !ok {
		return nil, false, nil
	}
	for i := range packages.Len() {
		p, _ := packages.Elem(i).Value.(ast.Object)
		if p == nil || field(p, "key") != ast.String(key) || field(p, "package") != ast.String(pkg) {
			continue
		}
		tables, _ := field(p, "tables").(ast.Object) // nil when no table has a value
		return tables, true, nil
	}
	return nil, false, nil
}

// field is the value of obj[key], or nil.
func field(obj ast.Object, key string) ast.Value {
	if t := obj.Get(ast.StringTerm(key)); t != nil {
		return t.Value
	}
	return nil
}

// FoldTables evaluates the table packages of a policy tree and returns
// them in the form of folded_tables.json, for go generate.
func FoldTables(ctx context.Context, fsys fs.FS) ([]byte, error) {
	modules, err := loadModules([]policyTree{{fsys: fsys}}, false)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("{\"packages\": [")
	written := 0
	for _, pkg := range tablePackages {
		parsed := map[string]module{}
		for name, mod := range modules {
			if mod.Package.Path.String() == pkg {
				parsed[name] = mod
			}
		}
		if len(parsed) == 0 {
			continue
		}
		tables, err := evaluateTables(ctx, pkg, parsed, defaultLimits)
		if err != nil {
			return nil, err
		}
		if written > 0 {
			buf.WriteString(",")
		}
		written++
		fmt.Fprintf(&buf, "\n{\"package\": %q, \"key\": %q, \"tables\": ", pkg, tablesKey(pkg, parsed))
		if err := writeTables(&buf, tables); err != nil {
			return nil, fmt.Errorf("%s: %w", pkg, err)
		}
		buf.WriteString("}")
	}
	buf.WriteString("\n]}\n")
	return buf.Bytes(), nil
}

// writeTables writes the tables of a package as a JSON object, one table a
// line, so that a diff shows which tables changed.
func writeTables(buf *bytes.Buffer, tables ast.Object) error {
	if tables == nil {
		buf.WriteString("null")
		return nil
	}
	buf.WriteString("{")
	for i, name := range tables.Keys() {
		value, err := encodeValue(tables.Get(name).Value)
		if err != nil {
			return fmt.Errorf("%v: %w", name, err)
		}
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(map[string]any{string(name.Value.(ast.String)): value}); err != nil {
			return fmt.Errorf("%v: %w", name, err)
		}
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
		buf.Write(bytes.TrimSuffix(line.Bytes(), []byte("}\n"))[1:]) // the one member, without braces
	}
	buf.WriteString("\n}")
	return nil
}

// A Rego value is written as JSON, but for what JSON lacks: a set is
// {"$set": [elements]}, and an object with a key that is not a string, or
// that starts with $, is {"$object": [[key, value], ...]}.
const (
	setTag    = "$set"
	objectTag = "$object"
)

func encodeValue(v ast.Value) (any, error) {
	switch v := v.(type) {
	case ast.Null:
		return nil, nil
	case ast.Boolean:
		return bool(v), nil
	case ast.Number:
		return json.Number(v), nil
	case ast.String:
		if !utf8.ValidString(string(v)) {
			return nil, fmt.Errorf("string %q is not UTF-8", string(v))
		}
		return string(v), nil
	case *ast.Array:
		elems := make([]any, 0, v.Len())
		for i := range v.Len() {
			elem, err := encodeValue(v.Elem(i).Value)
			if err != nil {
				return nil, err
			}
			elems = append(elems, elem)
		}
		return elems, nil
	case ast.Set:
		elems := make([]any, 0, v.Len())
		for _, t := range v.Slice() {
			elem, err := encodeValue(t.Value)
			if err != nil {
				return nil, err
			}
			elems = append(elems, elem)
		}
		return map[string]any{setTag: elems}, nil
	case ast.Object:
		plain := map[string]any{}
		var pairs []any
		for _, k := range v.Keys() {
			key, err := encodeValue(k.Value)
			if err != nil {
				return nil, err
			}
			value, err := encodeValue(v.Get(k).Value)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, []any{key, value})
			if s, ok := key.(string); ok && !strings.HasPrefix(s, "$") && plain != nil {
				plain[s] = value
			} else {
				plain = nil
			}
		}
		if plain == nil {
			return map[string]any{objectTag: pairs}, nil
		}
		return plain, nil
	}
	return nil, fmt.Errorf("cannot write a %T", v)
}

// readFolded reads the JSON of folded_tables.json into a Rego value,
// turning the tagged objects back into sets and objects. A value that
// occurs more than once, such as a command matcher in every index, is read
// once and shared.
func readFolded(data string) (ast.Object, error) {
	r := foldedReader{data: data, seen: map[string]*ast.Term{}}
	if err := r.findEnds(); err != nil {
		return nil, err
	}
	t, err := r.value()
	if err != nil {
		return nil, err
	}
	if r.space(); r.pos != len(r.data) {
		return nil, r.errorf("unexpected %q", r.data[r.pos])
	}
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return nil, r.errorf("not an object")
	}
	return obj, nil
}

type foldedReader struct {
	data  string
	pos   int
	spans []span               // of every array and object, in order
	next  int                  // the span of the next array or object
	seen  map[string]*ast.Term // by JSON text
}

type span struct{ start, end int }

// findEnds finds the span of every array and object, in one pass.
func (r *foldedReader) findEnds() error {
	var open []int // indexes into r.spans
	for i := 0; i < len(r.data); i++ {
		switch r.data[i] {
		case '{', '[':
			open = append(open, len(r.spans))
			r.spans = append(r.spans, span{start: i})
		case '}', ']':
			if len(open) == 0 {
				return fmt.Errorf("offset %d: unexpected %q", i, r.data[i])
			}
			r.spans[open[len(open)-1]].end = i + 1
			open = open[:len(open)-1]
		case '"':
			for i++; i < len(r.data) && r.data[i] != '"'; i++ {
				if r.data[i] == '\\' {
					i++
				}
			}
		}
	}
	if len(open) > 0 {
		return fmt.Errorf("offset %d: unterminated %q", r.spans[open[len(open)-1]].start, r.data[r.spans[open[len(open)-1]].start])
	}
	return nil
}

func (r *foldedReader) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: %s", r.pos, fmt.Sprintf(format, args...))
}

func (r *foldedReader) space() {
	for r.pos < len(r.data) && strings.IndexByte(" \t\r\n", r.data[r.pos]) >= 0 {
		r.pos++
	}
}

func (r *foldedReader) value() (*ast.Term, error) {
	r.space()
	if r.pos == len(r.data) {
		return nil, r.errorf("unexpected end")
	}
	switch c := r.data[r.pos]; {
	case c == '{' || c == '[':
		sp := r.spans[r.next]
		text := r.data[sp.start:sp.end]
		if t, ok := r.seen[text]; ok {
			for r.pos = sp.end; r.next < len(r.spans) && r.spans[r.next].start < sp.end; r.next++ {
			}
			return t, nil
		}
		r.next++
		var t *ast.Term
		var err error
		if c == '[' {
			terms, err := r.array()
			if err != nil {
				return nil, err
			}
			t = ast.ArrayTerm(terms...)
		} else if t, err = r.object(); err != nil {
			return nil, err
		}
		r.seen[text] = t
		return t, nil
	case c == '"':
		s, err := r.string()
		if err != nil {
			return nil, err
		}
		return ast.StringTerm(s), nil
	case strings.HasPrefix(r.data[r.pos:], "true"):
		r.pos += len("true")
		return ast.InternedTerm(true), nil
	case strings.HasPrefix(r.data[r.pos:], "false"):
		r.pos += len("false")
		return ast.InternedTerm(false), nil
	case strings.HasPrefix(r.data[r.pos:], "null"):
		r.pos += len("null")
		return ast.InternedNullTerm, nil
	}
	start := r.pos
	for r.pos < len(r.data) && strings.IndexByte("+-.0123456789eE", r.data[r.pos]) >= 0 {
		r.pos++
	}
	n := json.Number(r.data[start:r.pos])
	if _, err := n.Float64(); err != nil {
		return nil, r.errorf("bad number %q", string(n))
	}
	return ast.NumberTerm(n), nil
}

func (r *foldedReader) string() (string, error) {
	start := r.pos
	escaped := false
	for r.pos++; r.pos < len(r.data) && r.data[r.pos] != '"'; r.pos++ {
		if r.data[r.pos] == '\\' {
			escaped = true
			r.pos++
		}
	}
	if r.pos == len(r.data) {
		return "", r.errorf("unterminated string")
	}
	r.pos++
	if !escaped {
		return r.data[start+1 : r.pos-1], nil
	}
	var s string
	if err := json.Unmarshal([]byte(r.data[start:r.pos]), &s); err != nil {
		return "", r.errorf("%v", err)
	}
	return s, nil
}

// array reads the elements of the array at r.pos.
func (r *foldedReader) array() ([]*ast.Term, error) {
	var terms []*ast.Term
	err := r.members('[', ']', func() error {
		t, err := r.value()
		terms = append(terms, t)
		return err
	})
	return terms, err
}

// object reads the object at r.pos: a set or an object when it is tagged.
func (r *foldedReader) object() (*ast.Term, error) {
	obj := ast.NewObject()
	var tagged *ast.Term
	err := r.members('{', '}', func() error {
		if r.space(); r.pos == len(r.data) || r.data[r.pos] != '"' {
			return r.errorf("expected a key")
		}
		key, err := r.string()
		if err != nil {
			return err
		}
		if r.space(); r.pos == len(r.data) || r.data[r.pos] != ':' {
			return r.errorf("expected :")
		}
		r.pos++
		value, err := r.value()
		if err != nil {
			return err
		}
		if strings.HasPrefix(key, "$") {
			if tagged != nil || obj.Len() > 0 {
				return r.errorf("%q is not alone in its object", key)
			}
			tagged, err = untag(key, value)
			return err
		}
		if tagged != nil {
			return r.errorf("%q follows a tag", key)
		}
		obj.Insert(ast.StringTerm(key), value)
		return nil
	})
	if tagged != nil {
		return tagged, err
	}
	return ast.NewTerm(obj), err
}

// untag makes the set or object a tagged object stands for.
func untag(tag string, value *ast.Term) (*ast.Term, error) {
	elems, ok := value.Value.(*ast.Array)
	if !ok {
		return nil, fmt.Errorf("%s holds %v, not an array", tag, value)
	}
	switch tag {
	case setTag:
		set := ast.NewSet()
		elems.Foreach(set.Add)
		return ast.NewTerm(set), nil
	case objectTag:
		obj := ast.NewObject()
		for i := range elems.Len() {
			pair, ok := elems.Elem(i).Value.(*ast.Array)
			if !ok || pair.Len() != 2 {
				return nil, fmt.Errorf("%s holds %v, not a [key, value] pair", tag, elems.Elem(i))
			}
			obj.Insert(pair.Elem(0), pair.Elem(1))
		}
		return ast.NewTerm(obj), nil
	}
	return nil, fmt.Errorf("unknown tag %q", tag)
}

// members reads the comma-separated members between open and close.
func (r *foldedReader) members(open, close byte, member func() error) error {
	r.pos++ // open
	if r.space(); r.pos < len(r.data) && r.data[r.pos] == close {
		r.pos++
		return nil
	}
	for {
		if err := member(); err != nil {
			return err
		}
		r.space()
		if r.pos == len(r.data) {
			return r.errorf("unterminated %c", open)
		}
		switch r.data[r.pos] {
		case ',':
			r.pos++
		case close:
			r.pos++
			return nil
		default:
			return r.errorf("unexpected %q", r.data[r.pos])
		}
	}
}
