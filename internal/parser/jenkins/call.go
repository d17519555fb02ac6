package jenkins

import (
	"strings"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
)

// call is a method call in any of Groovy's spellings: `sh 'x'`,
// `sh(script: 'x')`, `stage('a') { }`, `docker.image('x').inside { }`.
type call struct {
	node *cst.Node
	// name is the dotted callee without arguments ("sh",
	// "docker.image.inside"); empty when the callee is computed.
	name     string
	nameNode *cst.Node // the callee expression
	// receiver is the call this one is chained on, as in
	// docker.image('x').inside { }; nil otherwise.
	receiver *call
	args     []arg
	body     *cst.Node // the trailing closure, if any
}

// arg is a positional (name == "") or named argument.
type arg struct {
	name     string
	nameNode *cst.Node
	value    *cst.Node
}

// asCall returns n as a call, looking through expression statements and
// parentheses. It reports false when n is no call.
func asCall(n *cst.Node) (*call, bool) {
	for n != nil && (n.Kind() == cst.ExpressionStmt || n.Kind() == cst.ParenExpr) {
		n = firstNode(n)
	}
	if n == nil || n.Kind() != cst.CallExpr {
		return nil, false
	}
	children := n.Children()
	if len(children) == 0 || children[0].IsToken() {
		return nil, false
	}
	c := &call{node: n, nameNode: children[0]}
	c.name, c.receiver = calleeName(children[0])
	for _, child := range children[1:] {
		switch child.Kind() {
		case cst.TokenNode, cst.ErrorNode:
		case cst.MapEntry:
			key, value := mapEntry(child)
			if key != nil {
				c.args = append(c.args, arg{name: keyName(key), nameNode: key, value: value})
			}
		case cst.ClosureExpr:
			if c.body != nil {
				c.args = append(c.args, arg{value: c.body})
			}
			c.body = child
		default:
			c.args = append(c.args, arg{value: child})
		}
	}
	return c, true
}

// calls returns the calls of an expression statement. Calls written on one
// line without a separator (`agent { … } steps { … }`) come out of the
// parser as one CallExpr whose children are the calls; each is returned.
// So does a string that ends a statement inside a closure argument,
// followed by a call on the next line (`f({ a = "${x}"` newline `g() })`):
// the parser joins them as if the string were called.
func calls(stmt *cst.Node) []*call {
	c, ok := asCall(stmt)
	if !ok {
		return nil
	}
	if c.name != "" {
		return []*call{c}
	}
	var out []*call
	switch c.nameNode.Kind() {
	case cst.CallExpr, cst.GStringExpr, cst.LiteralExpr:
		for _, child := range c.node.Children() {
			if inner, ok := asCall(child); ok {
				out = append(out, calls(inner.node)...)
			}
		}
	}
	if len(out) == 0 {
		return []*call{c}
	}
	return out
}

// calleeName spells a callee as a dotted name, skipping the arguments of
// calls it is chained on, and returns the call it is chained on.
func calleeName(n *cst.Node) (string, *call) {
	switch n.Kind() {
	case cst.IdentExpr:
		return identText(n), nil
	case cst.PropertyExpr, cst.SafeNavExpr:
		children := n.Children()
		last := children[len(children)-1]
		if !last.IsToken() || !isName(last.Token().Kind) {
			return "", nil
		}
		prefix, receiver := calleeName(children[0])
		if inner, ok := asCall(children[0]); ok {
			receiver = inner
			prefix = inner.name
		}
		if prefix == "" {
			return "", receiver
		}
		return prefix + "." + last.Token().Text, receiver
	}
	return "", nil
}

// mapEntry returns the key and value nodes of a MapEntry.
func mapEntry(n *cst.Node) (key, value *cst.Node) {
	var nodes []*cst.Node
	for _, child := range n.Children() {
		if !child.IsToken() || isName(child.Token().Kind) || isStringToken(child.Token().Kind) {
			nodes = append(nodes, child)
		}
	}
	if len(nodes) != 2 {
		return nil, nil
	}
	return nodes[0], nodes[1]
}

// keyName returns a map key as written without quotes: `a:`, `'a':`, `"a":`.
func keyName(n *cst.Node) string {
	if n.IsToken() {
		return strings.Trim(n.Token().Text, `'"`)
	}
	if n.Kind() == cst.IdentExpr {
		return identText(n)
	}
	tok := n.FirstToken()
	if tok == nil || n.Kind() != cst.LiteralExpr {
		return ""
	}
	return strings.Trim(tok.Token().Text, `'"`)
}

// identText returns the identifier of an IdentExpr ("" for anything else).
func identText(n *cst.Node) string {
	if n == nil || n.Kind() != cst.IdentExpr {
		return ""
	}
	tok := n.FirstToken()
	if tok == nil || !isName(tok.Token().Kind) {
		return ""
	}
	return tok.Token().Text
}

func isName(k token.Kind) bool {
	return k == token.Identifier || k == token.CapitalizedIdentifier || k == token.KwIn ||
		k >= token.KwAs && k < token.Plus // keywords are legal after a dot: x.class, x.default
}

func isStringToken(k token.Kind) bool {
	switch k {
	case token.StringLiteral, token.GStringFull, token.SlashyStringLit, token.DollarSlashyStringLit:
		return true
	}
	return false
}

// named returns the value of the named argument key, or nil.
func (c *call) named(key string) *cst.Node {
	for _, a := range c.args {
		if a.name == key {
			return a.value
		}
	}
	return nil
}

// positional returns the i-th positional argument, or nil.
func (c *call) positional(i int) *cst.Node {
	for _, a := range c.args {
		if a.name == "" {
			if i == 0 {
				return a.value
			}
			i--
		}
	}
	return nil
}

// firstNode returns the first interior child of n.
func firstNode(n *cst.Node) *cst.Node {
	if n == nil {
		return nil
	}
	for _, child := range n.Children() {
		if !child.IsToken() {
			return child
		}
	}
	return nil
}

// statements returns the statements of a closure or block, in order.
func statements(block *cst.Node) []*cst.Node {
	if block == nil {
		return nil
	}
	var out []*cst.Node
	for _, child := range block.Children() {
		if !child.IsToken() && child.Kind() != cst.ErrorNode {
			out = append(out, child)
		}
	}
	return out
}

// listItems returns the elements of a list literal, or n itself when it is
// not a list (Jenkins accepts a single item where a list is expected).
func listItems(n *cst.Node) []*cst.Node {
	if n == nil {
		return nil
	}
	if n.Kind() != cst.ListExpr {
		return []*cst.Node{n}
	}
	return statements(n)
}
