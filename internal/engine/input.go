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
	var c converter
	term, err := c.termOf(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	return term.Value, nil
}

// converter builds one rule input. A large pipeline has millions of
// values, so it spends as few allocations on each as OPA's values allow:
// terms are cut from blocks, and the terms of equal numbers, equal file
// names and empty lists are shared (rules never modify their input).
type converter struct {
	block   []ast.Term           // terms not yet handed out
	items   [][2]*ast.Term       // the fields of the objects being built, innermost last
	numbers []*ast.Term          // number terms by value, up to maxSharedNumber
	files   map[string]*ast.Term // file name terms
	empty   *ast.Term            // the empty array

	// inRepository is set while the repository view is converted: its
	// pipelines carry no positions (see model.Repository).
	inRepository     bool
	withoutPositions bool // every position is the zero value
}

// termBlock is how many terms are allocated at once.
const termBlock = 256

// maxSharedNumber bounds the numbers whose terms are shared: line numbers,
// and columns of lines of ordinary length.
const maxSharedNumber = 1 << 16

func (c *converter) term(v ast.Value) *ast.Term {
	if len(c.block) == 0 {
		c.block = make([]ast.Term, termBlock)
	}
	t := &c.block[0]
	c.block = c.block[1:]
	t.Value = v
	return t
}

// number is the term of n. OPA interns small numbers itself.
func (c *converter) number(n int) *ast.Term {
	if n < 512 || n > maxSharedNumber {
		return ast.InternedTerm(n)
	}
	if n >= len(c.numbers) {
		grown := make([]*ast.Term, min(2*n, maxSharedNumber)+1)
		copy(grown, c.numbers)
		c.numbers = grown
	}
	if c.numbers[n] == nil {
		c.numbers[n] = ast.InternedTerm(n)
	}
	return c.numbers[n]
}

func (c *converter) file(name string) *ast.Term {
	if t, ok := c.files[name]; ok {
		return t
	}
	if c.files == nil {
		c.files = map[string]*ast.Term{}
	}
	t := c.term(ast.String(name))
	c.files[name] = t
	return t
}

// termOf builds the term of one value. Numbers, booleans and null come
// from OPA's interned terms: a model holds thousands of line and column
// numbers, and sharing their terms saves most of the conversion's
// allocations.
func (c *converter) termOf(v reflect.Value) (*ast.Term, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.InternedNullTerm, nil
		}
		if v.Type() == repositoryType {
			return repositoryTerm(v.Interface().(*model.Repository))
		}
		return c.termOf(v.Elem())
	case reflect.String:
		return c.term(ast.String(v.String())), nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.number(int(v.Int())), nil
	case reflect.Slice:
		if v.Type() == pipelinesType && c.inRepository && !c.withoutPositions {
			c.withoutPositions = true
			defer func() { c.withoutPositions = false }()
		}
		if v.Len() == 0 {
			if c.empty == nil {
				c.empty = c.term(ast.NewArray())
			}
			return c.empty, nil
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			elem, err := c.termOf(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = elem
		}
		return c.term(ast.NewArray(terms...)), nil
	case reflect.Struct:
		if v.IsZero() {
			return zeroTerm(v.Type())
		}
		if v.Type() == posType && c.withoutPositions {
			return zeroTerm(v.Type())
		}
		if v.Type() == posType && v.CanAddr() {
			return c.pos(v.Addr().Interface().(*model.Pos)), nil
		}
		return c.structTerm(v)
	}
	return nil, fmt.Errorf("cannot convert %s to a Rego value", v.Type())
}

func (c *converter) structTerm(v reflect.Value) (*ast.Term, error) {
	fields := structFields(v.Type())
	base := len(c.items)
	for _, f := range fields {
		elem, err := c.termOf(v.Field(f.index))
		if err != nil {
			return nil, err
		}
		c.items = append(c.items, [2]*ast.Term{f.key, elem})
	}
	// NewObject copies the items, so the same space serves every object.
	obj := ast.NewObject(c.items[base:]...)
	c.items = c.items[:base]
	return c.term(obj), nil
}

var (
	posType       = reflect.TypeFor[model.Pos]()
	pipelinesType = reflect.TypeFor[[]model.Pipeline]()
)

// posKeys are the JSON names of model.Pos, in the order of its fields.
var posKeys = [5]*ast.Term{ast.StringTerm("file"), ast.StringTerm("line"), ast.StringTerm("column"), ast.StringTerm("end_line"), ast.StringTerm("end_column")}

// pos builds the term of a position without reflection: every word of
// every command has one.
func (c *converter) pos(p *model.Pos) *ast.Term {
	return c.term(ast.NewObject(
		[2]*ast.Term{posKeys[0], c.file(p.File)},
		[2]*ast.Term{posKeys[1], c.number(p.Line)},
		[2]*ast.Term{posKeys[2], c.number(p.Column)},
		[2]*ast.Term{posKeys[3], c.number(p.EndLine)},
		[2]*ast.Term{posKeys[4], c.number(p.EndColumn)},
	))
}

var zeroTerms sync.Map // reflect.Type → *ast.Term

// zeroTerm is the term of the zero value of a struct type, built once and
// shared: models are full of absent names, conditions and positions, and
// rules never modify their input.
func zeroTerm(t reflect.Type) (*ast.Term, error) {
	if cached, ok := zeroTerms.Load(t); ok {
		return cached.(*ast.Term), nil
	}
	var c converter
	term, err := c.structTerm(reflect.Zero(t))
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
	lazy.once.Do(func() {
		// Its terms live as long as the repository's. Positions are half
		// of a pipeline's values, and nothing is reported in the view's
		// pipelines.
		c := converter{inRepository: true}
		lazy.term, lazy.err = c.structTerm(reflect.ValueOf(r).Elem())
	})
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
