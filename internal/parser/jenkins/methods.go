package jenkins

import (
	"fmt"
	"slices"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// maxInlineFactor bounds the source a file's function calls may expand to,
// as a multiple of the file's size: each call walks the function's body
// again, so nested calls would otherwise grow exponentially.
const maxInlineFactor = 8

// method is a function declared at the top level of a scripted pipeline
// (`def deploy(String env) { … }`). Its steps run where it is called.
type method struct {
	body *cst.Node
	// The numbers of arguments it accepts: required ones up to all of
	// them, any number from required on when the last is varargs.
	required, params int
	varargs          bool
}

// declareMethods collects the top-level function declarations by name.
func (b *builder) declareMethods(root *cst.Node) {
	b.methods = map[string][]method{}
	for _, decl := range root.ChildrenByKind(cst.MethodDecl) {
		if name, m, ok := parseMethod(decl); ok {
			b.methods[name] = append(b.methods[name], m)
		}
	}
}

// parseMethod reads a declaration's name, parameters and body. Parameter
// types may hold commas of their own (Map<String, String>).
func parseMethod(decl *cst.Node) (string, method, bool) {
	m := method{body: decl.ChildByKind(cst.BlockStmt)}
	name := ""
	inParams, angles := false, 0
	written, optional := false, false // of the current parameter
	endParam := func() {
		if written {
			m.params++
			if !optional && !m.varargs {
				m.required++
			}
		}
		written, optional = false, false
	}
	for _, child := range decl.Children() {
		var kind token.Kind
		if child.IsToken() {
			kind = child.Token().Kind
		}
		if !inParams {
			if kind == token.LParen {
				inParams = true
			} else if child.IsToken() && isName(kind) {
				name = child.Token().Text // the last name before the parameters
			}
			continue
		}
		switch kind {
		case token.RParen:
			endParam()
			return name, m, name != "" && m.body != nil
		case token.Comma:
			if angles <= 0 {
				endParam()
				continue
			}
		case token.Lt:
			angles++
		case token.Gt:
			angles--
		case token.RightShift:
			angles -= 2
		case token.UnsignedRightShift:
			angles -= 3
		case token.Assign:
			optional = true
		case token.Ellipsis:
			m.varargs = true
		}
		written = true
	}
	return "", method{}, false
}

// accepts reports whether the method takes n arguments.
func (m method) accepts(n int) bool {
	return n >= m.required && (n <= m.params || m.varargs)
}

// methodFor returns the local function a call without closures invokes,
// or nil. Calls that pass closures stay wrappers whose closures are walked
// in place: following a closure into the function's parameters is beyond
// this reading.
func (b *builder) methodFor(c *call, sc scope) *method {
	if c.name == "" || c.receiver != nil || c.body != nil || slices.Contains(sc.inlining, c.name) {
		return nil
	}
	n, named := 0, false
	for _, a := range c.args {
		switch {
		case a.value.Kind() == cst.ClosureExpr:
			return nil
		case a.name != "": // named arguments arrive as one map
			if !named {
				n++
			}
			named = true
		default:
			n++
		}
	}
	for i, m := range b.methods[c.name] {
		if m.accepts(n) {
			return &b.methods[c.name][i]
		}
	}
	return nil
}

// inline walks a local function's body where it is called, as a wrapper
// of its steps, until the file's expansion budget is spent.
func (b *builder) inline(c *call, m *method, sc scope) bool {
	start, end := textSpan(m.body)
	if b.inlined += end - start; b.inlined > maxInlineFactor*len(b.src) {
		if !b.inlineCapped {
			b.errs = append(b.errs, &model.ParseError{Pos: b.pos.node(c.node),
				Message: fmt.Sprintf("function calls expand to more than %d times the file; later calls are not followed", maxInlineFactor)})
		}
		b.inlineCapped = true
		return false
	}
	inner := sc
	inner.inlining = append(slices.Clone(sc.inlining), c.name)
	b.wrapped(c, statements(m.body), sc, inner)
	return true
}
