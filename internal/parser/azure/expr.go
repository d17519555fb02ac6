package azure

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// An Azure expression (the body of `${{ }}` or `$[ ]`): literals, property
// paths and function calls; Azure has no operators.
type expr struct {
	kind  exprKind
	value string  // a literal's text, a function's name (lower case), a path's root
	props []*expr // a path's properties: literal names or index expressions
	args  []*expr
	num   bool // a literal that is a number
}

type exprKind int

const (
	literalExpr exprKind = iota
	pathExpr
	callExpr
)

// maxExprLength and maxExprDepth bound what is parsed of one expression.
const (
	maxExprLength = 10_000
	maxExprDepth  = 50
)

type exprParser struct {
	text  string
	i     int
	depth int
}

// parseExpr parses an expression, or reports why it cannot.
func parseExpr(text string) (*expr, error) {
	if len(text) > maxExprLength {
		return nil, fmt.Errorf("expression longer than %d bytes", maxExprLength)
	}
	p := &exprParser{text: text}
	e, err := p.expression()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.text) {
		return nil, fmt.Errorf("unexpected %q", p.text[p.i:])
	}
	return e, nil
}

func (p *exprParser) space() {
	for p.i < len(p.text) && strings.ContainsRune(" \t\r\n", rune(p.text[p.i])) {
		p.i++
	}
}

func isIdentByte(b byte, first bool) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || !first && (b >= '0' && b <= '9' || b == '-')
}

func (p *exprParser) ident() string {
	start := p.i
	for p.i < len(p.text) && isIdentByte(p.text[p.i], p.i == start) {
		p.i++
	}
	return p.text[start:p.i]
}

func (p *exprParser) expression() (*expr, error) {
	if p.depth++; p.depth > maxExprDepth {
		return nil, fmt.Errorf("expression nested deeper than %d levels", maxExprDepth)
	}
	defer func() { p.depth-- }()
	p.space()
	if p.i >= len(p.text) {
		return nil, fmt.Errorf("missing value")
	}
	switch c := p.text[p.i]; {
	case c == '\'':
		var b strings.Builder
		for p.i++; ; p.i++ {
			if p.i >= len(p.text) {
				return nil, fmt.Errorf("unterminated string")
			}
			if p.text[p.i] == '\'' {
				if p.i+1 < len(p.text) && p.text[p.i+1] == '\'' {
					b.WriteByte('\'')
					p.i++
					continue
				}
				p.i++
				return &expr{kind: literalExpr, value: b.String()}, nil
			}
			b.WriteByte(p.text[p.i])
		}
	case c == '-' || c == '.' || c >= '0' && c <= '9':
		start := p.i
		for p.i < len(p.text) && strings.ContainsRune("+-.0123456789eExXabcdefABCDEF", rune(p.text[p.i])) {
			p.i++
		}
		return &expr{kind: literalExpr, value: p.text[start:p.i], num: true}, nil
	case isIdentByte(c, true):
		name := p.ident()
		p.space()
		if p.i < len(p.text) && p.text[p.i] == '(' {
			call := &expr{kind: callExpr, value: strings.ToLower(name)}
			p.i++
			p.space()
			if p.i < len(p.text) && p.text[p.i] == ')' {
				p.i++
				return call, nil
			}
			for {
				arg, err := p.expression()
				if err != nil {
					return nil, err
				}
				call.args = append(call.args, arg)
				p.space()
				if p.i >= len(p.text) {
					return nil, fmt.Errorf("missing ) after the arguments of %s", name)
				}
				if p.text[p.i] == ')' {
					p.i++
					return call, nil
				}
				if p.text[p.i] != ',' {
					return nil, fmt.Errorf("unexpected %q in the arguments of %s", p.text[p.i:], name)
				}
				p.i++
			}
		}
		switch strings.ToLower(name) {
		case "true", "false", "null":
			return &expr{kind: literalExpr, value: strings.ToLower(name)}, nil
		}
		path := &expr{kind: pathExpr, value: name}
		for p.i < len(p.text) {
			switch p.text[p.i] {
			case '.':
				p.i++
				prop := p.ident()
				if prop == "" {
					return nil, fmt.Errorf("missing property name after %q", p.text[:p.i])
				}
				path.props = append(path.props, &expr{kind: literalExpr, value: prop})
				continue
			case '[':
				p.i++
				index, err := p.expression()
				if err != nil {
					return nil, err
				}
				p.space()
				if p.i >= len(p.text) || p.text[p.i] != ']' {
					return nil, fmt.Errorf("missing ]")
				}
				p.i++
				path.props = append(path.props, index)
				continue
			}
			break
		}
		return path, nil
	}
	return nil, fmt.Errorf("unexpected %q", p.text[p.i:])
}

// booleanFunctions return a boolean or a number: the text of their
// arguments never becomes their value.
var booleanFunctions = map[string]bool{
	"and": true, "or": true, "not": true, "xor": true, "eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true,
	"in": true, "notin": true, "contains": true, "containsvalue": true, "startswith": true, "endswith": true, "length": true,
	"succeeded": true, "failed": true, "always": true, "canceled": true, "succeededorfailed": true,
}

// reads returns the paths an expression reads, and of those the ones whose
// text can become its value, each sorted and once, lower case, `*` for a
// computed index.
func (e *expr) reads() (reads, flows []string) {
	var walk func(e *expr, flowing bool)
	walk = func(e *expr, flowing bool) {
		switch e.kind {
		case pathExpr:
			parts := []string{strings.ToLower(e.value)}
			for _, prop := range e.props {
				if prop.kind == literalExpr {
					parts = append(parts, strings.ToLower(prop.value))
					continue
				}
				parts = append(parts, "*")
				walk(prop, false)
			}
			path := strings.Join(parts, ".")
			reads = append(reads, path)
			if flowing {
				flows = append(flows, path)
			}
		case callExpr:
			inner := flowing && !booleanFunctions[e.value]
			for i, arg := range e.args {
				// iif's condition is only tested.
				walk(arg, inner && !(e.value == "iif" && i == 0))
			}
		}
	}
	walk(e, true)
	slices.Sort(reads)
	slices.Sort(flows)
	return slices.Compact(reads), slices.Compact(flows)
}

// scope is what template expressions may read: the template's parameters
// and the variables of enclosing `each` loops.
type scope struct {
	parameters *node
	loops      map[string]any
}

func (s scope) with(name string, v any) scope {
	loops := make(map[string]any, len(s.loops)+1)
	for k, x := range s.loops {
		loops[k] = x
	}
	loops[name] = v
	return scope{parameters: s.parameters, loops: loops}
}

// A value is nil (null), a bool, a float64, a string or a *node (an object
// or array, or a scalar as written).

// eval computes an expression in a scope; ok is false when it reads
// something only known at run time or not given.
func (s scope) eval(e *expr) (v any, ok bool) {
	switch e.kind {
	case literalExpr:
		if e.num {
			f, err := strconv.ParseFloat(e.value, 64)
			return f, err == nil
		}
		switch e.value {
		case "true":
			return true, true
		case "false":
			return false, true
		case "null":
			return nil, true
		}
		return e.value, true
	case pathExpr:
		var cur any
		root := strings.ToLower(e.value)
		switch {
		case root == "parameters" && s.parameters != nil:
			cur = s.parameters
		case s.loops[e.value] != nil:
			cur = s.loops[e.value]
		default:
			return nil, false
		}
		for _, prop := range e.props {
			key, ok := s.eval(prop)
			if !ok {
				return nil, false
			}
			if cur, ok = property(cur, key); !ok {
				return nil, false
			}
		}
		return cur, true
	case callExpr:
		return s.call(e)
	}
	return nil, false
}

// property reads a property or element of a value; a missing property of
// an object is null, as in Azure.
func property(v, key any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		k, _ := key.(string)
		return x[strings.ToLower(k)], true
	case *node:
		switch {
		case x.isMap():
			k, ok := key.(string)
			if !ok {
				return nil, false
			}
			if i, ok := x.foldedIndex()[strings.ToLower(k)]; ok {
				return x.pairs[i].value, true
			}
			return nil, true
		case x.isSeq():
			f, ok := key.(float64)
			if !ok || f < 0 || int(f) >= len(x.items) {
				return nil, false
			}
			return x.items[int(f)], true
		}
	}
	return nil, false
}

// stringOf converts a value to text as Azure does; ok is false for an
// object or array.
func stringOf(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case bool:
		if x {
			return "True", true
		}
		return "False", true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case string:
		return x, true
	case *node:
		if x.kind == scalarNode {
			return x.value, len(x.exprs) == 0
		}
	}
	return "", false
}

// truthy is a value's truth: false, null, 0, "" and a YAML false are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	case *node:
		if x.kind == scalarNode {
			if x.null {
				return false
			}
			switch strings.ToLower(x.value) {
			case "", "false", "0":
				return false
			}
		}
	}
	return true
}

func equal(a, b any) bool {
	if ab, ok := a.(bool); ok {
		return ab == truthy(b)
	}
	if bb, ok := b.(bool); ok {
		return bb == truthy(a)
	}
	as, aok := stringOf(a)
	bs, bok := stringOf(b)
	if !aok || !bok {
		return false
	}
	if af, err := strconv.ParseFloat(as, 64); err == nil {
		if bf, err := strconv.ParseFloat(bs, 64); err == nil {
			return af == bf
		}
	}
	return strings.EqualFold(as, bs)
}

func (s scope) call(e *expr) (any, bool) {
	switch e.value {
	case "and", "or":
		// A known false decides `and`, a known true `or`, whatever the
		// rest is.
		decisive := e.value == "or"
		known := true
		for _, arg := range e.args {
			v, ok := s.eval(arg)
			if !ok {
				known = false
				continue
			}
			if truthy(v) == decisive {
				return decisive, true
			}
		}
		return !decisive, known
	case "iif":
		if len(e.args) != 3 {
			return nil, false
		}
		c, ok := s.eval(e.args[0])
		if !ok {
			return nil, false
		}
		if truthy(c) {
			return s.eval(e.args[1])
		}
		return s.eval(e.args[2])
	case "coalesce":
		for _, arg := range e.args {
			v, ok := s.eval(arg)
			if !ok {
				return nil, false
			}
			if str, _ := stringOf(v); v != nil && (str != "" || !isScalar(v)) {
				return v, true
			}
		}
		return nil, true
	}
	args := make([]any, len(e.args))
	for i, arg := range e.args {
		v, ok := s.eval(arg)
		if !ok {
			return nil, false
		}
		args[i] = v
	}
	text := func(i int) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		return stringOf(args[i])
	}
	two := func(f func(a, b string) bool) (any, bool) {
		a, aok := text(0)
		b, bok := text(1)
		return f(strings.ToLower(a), strings.ToLower(b)), aok && bok
	}
	switch e.value {
	case "not":
		if len(args) != 1 {
			return nil, false
		}
		return !truthy(args[0]), true
	case "eq", "ne":
		if len(args) != 2 {
			return nil, false
		}
		return equal(args[0], args[1]) == (e.value == "eq"), true
	case "in", "notin":
		if len(args) == 0 {
			return nil, false
		}
		found := slices.ContainsFunc(args[1:], func(v any) bool { return equal(args[0], v) })
		return found == (e.value == "in"), true
	case "startswith":
		return two(strings.HasPrefix)
	case "endswith":
		return two(strings.HasSuffix)
	case "contains":
		return two(strings.Contains)
	case "containsvalue":
		if len(args) != 2 {
			return nil, false
		}
		n, ok := args[0].(*node)
		if !ok {
			return nil, false
		}
		for _, item := range n.items {
			if equal(item, args[1]) {
				return true, true
			}
		}
		for _, p := range n.pairs {
			if equal(p.value, args[1]) {
				return true, true
			}
		}
		return false, true
	case "lower", "upper":
		t, ok := text(0)
		if e.value == "lower" {
			return strings.ToLower(t), ok
		}
		return strings.ToUpper(t), ok
	case "replace":
		t, ok1 := text(0)
		old, ok2 := text(1)
		repl, ok3 := text(2)
		return strings.ReplaceAll(t, old, repl), ok1 && ok2 && ok3 && old != ""
	case "format":
		f, ok := text(0)
		if !ok {
			return nil, false
		}
		for i := 1; i < len(args); i++ {
			a, ok := text(i)
			if !ok {
				return nil, false
			}
			f = strings.ReplaceAll(f, "{"+strconv.Itoa(i-1)+"}", a)
		}
		return f, true
	case "join":
		if len(args) != 2 {
			return nil, false
		}
		sep, ok := text(0)
		n, isNode := args[1].(*node)
		if !ok || !isNode || !n.isSeq() {
			return nil, false
		}
		parts := make([]string, len(n.items))
		for i, item := range n.items {
			if parts[i], ok = stringOf(item); !ok {
				return nil, false
			}
		}
		return strings.Join(parts, sep), true
	case "length":
		if len(args) != 1 {
			return nil, false
		}
		switch x := args[0].(type) {
		case string:
			return float64(len(x)), true
		case *node:
			if x.kind == scalarNode {
				return float64(len(x.value)), true
			}
			return float64(len(x.items) + len(x.pairs)), true
		}
	}
	return nil, false
}

func isScalar(v any) bool {
	n, ok := v.(*node)
	return !ok || n.kind == scalarNode
}
