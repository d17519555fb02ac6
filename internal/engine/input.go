package engine

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/internal/model"
)

// toValue converts a model value to an OPA value directly, by the same JSON
// field names encoding/json would use, without serialising to JSON and
// parsing it back. Nil slices become empty arrays, so rules can iterate any
// list without guarding against null.
func toValue(v any) (ast.Value, error) {
	term, err := termOf(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	return term.Value, nil
}

// termOf builds the term of one value. Numbers, booleans and null come
// from OPA's interned terms: a model holds thousands of line and column
// numbers, and sharing their terms saves most of the conversion's
// allocations.
func termOf(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		if v.Type() == repositoryType {
			return repositoryTerm(v.Interface().(*model.Repository))
		}
		return termOf(v.Elem())
	case reflect.String:
		return ast.StringTerm(v.String()), nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.InternedTerm(int(v.Int())), nil
	case reflect.Slice:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			elem, err := termOf(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = elem
		}
		return ast.NewTerm(ast.NewArray(terms...)), nil
	case reflect.Struct:
		if v.IsZero() {
			return zeroTerm(v.Type())
		}
		return structTerm(v)
	}
	return nil, fmt.Errorf("cannot convert %s to a Rego value", v.Type())
}

func structTerm(v reflect.Value) (*ast.Term, error) {
	fields := structFields(v.Type())
	items := make([][2]*ast.Term, len(fields))
	for i, f := range fields {
		elem, err := termOf(v.Field(f.index))
		if err != nil {
			return nil, err
		}
		items[i] = [2]*ast.Term{f.key, elem}
	}
	return ast.NewTerm(ast.NewObject(items...)), nil
}

var zeroTerms sync.Map // reflect.Type → *ast.Term

// zeroTerm is the term of the zero value of a struct type, built once and
// shared: models are full of absent names, conditions and positions, and
// rules never modify their input.
func zeroTerm(t reflect.Type) (*ast.Term, error) {
	if cached, ok := zeroTerms.Load(t); ok {
		return cached.(*ast.Term), nil
	}
	term, err := structTerm(reflect.Zero(t))
	if err != nil {
		return nil, err
	}
	zeroTerms.Store(t, term)
	return term, nil
}

type jsonField struct {
	key   *ast.Term // the JSON name, shared by every value of the type
	index int
}

var fieldCache sync.Map // reflect.Type → []jsonField

// structFields lists the exported fields of t with their JSON names.
func structFields(t reflect.Type) []jsonField {
	if cached, ok := fieldCache.Load(t); ok {
		return cached.([]jsonField)
	}
	var fields []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields = append(fields, jsonField{key: ast.StringTerm(name), index: i})
	}
	fieldCache.Store(t, fields)
	return fields
}

var repositoryType = reflect.TypeFor[*model.Repository]()

// repositoryTerms holds the term of each model.Repository in use: every
// file of a repository shares one, and converting it for each would make
// a repository of N files cost N² conversions. An entry goes when its
// Repository is collected.
var repositoryTerms sync.Map // weak.Pointer[model.Repository] → *lazyTerm

type lazyTerm struct {
	once sync.Once
	term *ast.Term
	err  error
}

func repositoryTerm(r *model.Repository) (*ast.Term, error) {
	key := weak.Make(r)
	entry, loaded := repositoryTerms.LoadOrStore(key, &lazyTerm{})
	if !loaded {
		runtime.AddCleanup(r, func(key weak.Pointer[model.Repository]) { repositoryTerms.Delete(key) }, key)
	}
	lazy := entry.(*lazyTerm)
	lazy.once.Do(func() { lazy.term, lazy.err = structTerm(reflect.ValueOf(r).Elem()) })
	return lazy.term, lazy.err
}

// Input returns the input document rules see for p, as plain Go values
// ready to print as JSON.
func Input(p *model.Pipeline) (any, error) {
	value, err := toValue(p)
	if err != nil {
		return nil, err
	}
	return ast.JSON(value)
}
