package jenkins

import (
	"strings"
	"unicode"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// A receiver is spelled as a dotted name (`jenkins.model.Jenkins`) of at
// most maxNameParts names and maxNameBytes bytes: a longer chain is a
// receiver of kind other, so that each link of a long chain costs the
// same.
const (
	maxNameParts = 16
	maxNameBytes = 256
)

// groovyCode collects what the whole file's Groovy calls, reads,
// constructs, annotates and imports, in functions and classes too, called
// or not: the steps interpretation reads only what runs as steps. It
// walks the green tree, whose tokens hold their offsets, so that visiting
// a node allocates nothing.
type groovyCode struct {
	pos *positions
	src []byte
	out *model.Groovy
}

// where is the declaration a node sits in.
type where struct {
	class    string // the enclosing classes, dotted
	function string // as model.GroovyCall.Function
}

func (b *builder) groovy(root *cst.GreenNode) *model.Groovy {
	g := &groovyCode{pos: b.pos, src: b.src, out: &model.Groovy{}}
	g.walk(root, -1, where{})
	return g.out
}

// walk visits n. start is where n's text starts when the caller knows it
// (n is the first child of a node whose start is known), else -1: the
// left spine of a long chain `a.b.c…` is then measured once, not once per
// link.
func (g *groovyCode) walk(n *cst.GreenNode, start int, at where) {
	if n == nil {
		return
	}
	if start < 0 {
		first := firstToken(n)
		if first == nil {
			return // no source text at all
		}
		start, _ = first.TextSpan()
	}
	switch n.Kind {
	case cst.ClassDecl, cst.InterfaceDecl, cst.EnumDecl, cst.TraitDecl:
		inner := where{class: joinName(at.class, declaredClass(n))}
		g.declaration(n, start, "class", inner.class, inner)
		return
	case cst.MethodDecl, cst.ConstructorDecl:
		inner := where{class: at.class, function: joinName(at.class, declaredMethod(n))}
		g.declaration(n, start, "method", inner.function, inner)
		return
	case cst.FieldDecl, cst.VariableDecl:
		g.declaration(n, start, "variable", declaredVariable(n), at)
		return
	case cst.ImportDecl:
		g.importDecl(n, start, at)
		return
	case cst.AnnotationNode:
		g.annotation(n, "other", "", at)
		return
	case cst.CallExpr:
		if g.methodCall(n, start, at) {
			return
		}
	case cst.PropertyExpr, cst.SafeNavExpr, cst.MethodPointerExpr:
		if g.member(n, start, textEnd(n), model.CallProperty, at) {
			return
		}
	case cst.NewExpr:
		g.constructor(n, start, at)
	case cst.GStringPath:
		g.gstringPath(n)
	}
	g.children(n.Children, start, at)
}

// children walks nodes of which the first with text starts at start.
func (g *groovyCode) children(children []cst.GreenChild, start int, at where) {
	for _, child := range children {
		if child.IsToken {
			start = -1
			continue
		}
		if child.Node.Width == 0 && firstToken(child.Node) == nil { // text holds a token
			continue
		}
		g.walk(child.Node, start, at)
		start = -1
	}
}

// declaration records the annotations of a declaration of kind target
// and walks the rest of it in inner.
func (g *groovyCode) declaration(n *cst.GreenNode, start int, target, declares string, inner where) {
	var rest []cst.GreenChild
	for i, child := range n.Children {
		if !child.IsToken && child.Node.Kind == cst.AnnotationNode {
			g.annotation(child.Node, target, declares, inner)
			continue
		}
		if rest == nil {
			if i > 0 {
				start = -1 // the declaration starts with its annotations
			}
			rest = n.Children[i:]
		}
	}
	g.children(withoutAnnotations(rest), start, inner)
}

// withoutAnnotations returns children without the annotation nodes among
// them, sharing their array when there are none.
func withoutAnnotations(children []cst.GreenChild) []cst.GreenChild {
	for i, child := range children {
		if !child.IsToken && child.Node.Kind == cst.AnnotationNode {
			out := append([]cst.GreenChild(nil), children[:i]...)
			for _, c := range children[i+1:] {
				if c.IsToken || c.Node.Kind != cst.AnnotationNode {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return children
}

// importDecl records an import and the annotations written on it. The
// parser nests the import in a declaration of its own when annotations
// come first (`@Grab('x')` then `import y`).
func (g *groovyCode) importDecl(n *cst.GreenNode, start int, at where) {
	for _, child := range n.Children {
		if !child.IsToken && child.Node.Kind == cst.ImportDecl {
			g.declaration(n, start, "import", importName(child.Node), at)
			return
		}
	}
	var name []*token.Token
	static := false
	for i := range n.Children {
		child := &n.Children[i]
		if !child.IsToken {
			g.walk(child.Node, -1, at)
			continue
		}
		kind := child.Token.Kind
		if kind == token.KwAs {
			break
		}
		switch {
		case kind == token.KwStatic:
			static = true
		case kind == token.Dot || kind == token.Star || isName(kind) && kind != token.KwImport:
			name = append(name, &child.Token)
		}
	}
	g.out.Imports = append(g.out.Imports, model.GroovyImport{Name: g.joined(name), Static: static, Pos: g.span(n)})
}

// annotation records an annotation written on a declaration of kind
// target, then those nested in its arguments.
func (g *groovyCode) annotation(n *cst.GreenNode, target, declares string, at where) {
	a := model.GroovyAnnotation{Target: target, Declares: declares, Pos: g.span(n)}
	var name []*token.Token
	args, paren := len(n.Children), false // the first child after the name, after a '('
	for i := range n.Children {
		child := &n.Children[i]
		if !child.IsToken || child.Token.Kind == token.LParen {
			args, paren = i, child.IsToken
			break
		}
		if child.Token.Kind != token.At {
			name = append(name, &child.Token)
		}
	}
	a.Name = g.joined(name)
	if last := n.Children[len(n.Children)-1]; paren && last.IsToken && last.Token.Kind == token.RParen && last.Token.Text != "" {
		_, open := n.Children[args].Token.TextSpan()
		end, _ := last.Token.TextSpan()
		end = max(open, end)
		a.Arguments = model.String{Value: string(g.src[open:end]), Pos: g.pos.span(open, end)}
	}
	g.out.Annotations = append(g.out.Annotations, a)
	for _, child := range n.Children[args:] {
		if !child.IsToken {
			g.nestedAnnotations(child.Node, target, declares, at)
		}
	}
}

// nestedAnnotations walks an annotation's argument: an annotation in it
// (`@Grapes([@Grab(...)])`) has the same target, and code in it (a
// closure given to `@ASTTest`) is walked as any other.
func (g *groovyCode) nestedAnnotations(n *cst.GreenNode, target, declares string, at where) {
	switch n.Kind {
	case cst.AnnotationNode:
		g.annotation(n, target, declares, at)
	case cst.AssignExpr, cst.ListExpr: // @Grapes(value = [...])
		for _, child := range n.Children {
			if !child.IsToken {
				g.nestedAnnotations(child.Node, target, declares, at)
			}
		}
	default:
		g.walk(n, -1, at)
	}
}

// methodCall records a call `m(...)` or `x.m(...)` and walks its receiver
// and arguments. It reports false for a callee it cannot name (a call of
// a call's result, or calls the parser joined: see calls).
func (g *groovyCode) methodCall(n *cst.GreenNode, start int, at where) bool {
	if len(n.Children) == 0 || n.Children[0].IsToken {
		return false
	}
	callee := n.Children[0].Node
	switch callee.Kind {
	case cst.IdentExpr:
		name := greenIdent(callee)
		if name == nil {
			return false
		}
		g.record(model.GroovyCall{Kind: model.CallMethod, Name: g.token(name)}, start, textEnd(n), at)
	case cst.PropertyExpr, cst.SafeNavExpr:
		if !g.member(callee, start, textEnd(n), model.CallMethod, at) {
			return false
		}
	default:
		return false
	}
	g.children(n.Children[1:], -1, at)
	return true
}

// member records `x.name` as a call of kind that ends at end (after the
// arguments of a method call), and walks x. It reports false when the
// name is computed (`x."$y"`).
func (g *groovyCode) member(n *cst.GreenNode, start, end int, kind string, at where) bool {
	children := n.Children
	if len(children) < 3 || children[0].IsToken {
		return false
	}
	name := &children[len(children)-1]
	if !name.IsToken || !isName(name.Token.Kind) {
		return false
	}
	if n.Kind == cst.MethodPointerExpr {
		kind = model.CallMethod
	}
	c := model.GroovyCall{Kind: kind, Name: g.token(&name.Token)}
	receiver := children[0].Node
	receiverEnd := textEnd(receiver)
	c.Receiver = model.String{Pos: g.pos.span(start, receiverEnd)}
	c.ReceiverKind = model.ReceiverOther
	switch {
	case receiverEnd-start <= maxNameBytes && isDottedName(receiver, maxNameParts):
		c.Receiver.Value, c.ReceiverKind = string(g.src[start:receiverEnd]), model.ReceiverName
		if strings.ContainsFunc(c.Receiver.Value, notInName) { // blanks, comments or `?.` between the names
			c.Receiver.Value = dottedName(receiver)
		}
	case isStringExpr(unparenthesised(receiver)):
		c.ReceiverKind = model.ReceiverString
	case unparenthesised(receiver).Kind == cst.ListExpr:
		c.ReceiverKind = model.ReceiverList
	}
	g.record(c, start, end, at)
	g.walk(receiver, start, at)
	return true
}

// constructor records `new X(...)`; an array (`new X[2]`) constructs no X.
func (g *groovyCode) constructor(n *cst.GreenNode, start int, at where) {
	var name []*token.Token
	for i := range n.Children {
		child := &n.Children[i]
		if !child.IsToken {
			break
		}
		kind := child.Token.Kind
		if kind == token.LBrack {
			return
		}
		if kind != token.KwNew && kind != token.Dot && !isName(kind) {
			break
		}
		if kind != token.KwNew {
			name = append(name, &child.Token)
		}
	}
	if len(name) > 0 {
		g.record(model.GroovyCall{Kind: model.CallConstructor, Name: g.joined(name)}, start, textEnd(n), at)
	}
}

// gstringPath records the property reads of `"$a.b.c"`.
func (g *groovyCode) gstringPath(n *cst.GreenNode) {
	var parts []*token.Token
	for i := range n.Children {
		child := &n.Children[i]
		if !child.IsToken || !isName(child.Token.Kind) {
			continue
		}
		if len(parts) > 0 && len(parts) < maxNameParts {
			start, _ := parts[0].TextSpan()
			_, receiverEnd := parts[len(parts)-1].TextSpan()
			_, end := child.Token.TextSpan()
			g.out.Calls = append(g.out.Calls, model.GroovyCall{
				Kind:         model.CallProperty,
				Receiver:     model.String{Value: dottedTokens(parts), Pos: g.pos.span(start, receiverEnd)},
				ReceiverKind: model.ReceiverName,
				Name:         g.token(&child.Token),
				Pos:          g.pos.span(start, end),
			})
		}
		parts = append(parts, &child.Token)
	}
}

// record appends a call spanning [start, end).
func (g *groovyCode) record(c model.GroovyCall, start, end int, at where) {
	c.Pos = g.pos.span(start, end)
	c.Function = at.function
	g.out.Calls = append(g.out.Calls, c)
}

// isDottedName reports whether n is an identifier or a chain of property
// reads of at most parts names (`jenkins.model.Jenkins`, `this.class`).
func isDottedName(n *cst.GreenNode, parts int) bool {
	for ; parts > 0; parts-- {
		switch n.Kind {
		case cst.IdentExpr:
			return greenIdent(n) != nil
		case cst.PropertyExpr, cst.SafeNavExpr:
			children := n.Children
			last := children[len(children)-1]
			if len(children) < 3 || children[0].IsToken || !last.IsToken || !isName(last.Token.Kind) {
				return false
			}
			n = children[0].Node
		default:
			return false
		}
	}
	return false
}

// dottedName spells a name isDottedName accepts, `?.` as `.`.
func dottedName(n *cst.GreenNode) string {
	if n.Kind == cst.IdentExpr {
		return greenIdent(n).Text
	}
	return dottedName(n.Children[0].Node) + "." + n.Children[len(n.Children)-1].Token.Text
}

// notInName reports whether r cannot be part of a dotted name as
// isDottedName accepts it written plainly.
func notInName(r rune) bool {
	return r != '.' && r != '_' && r != '$' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// unparenthesised returns the expression inside parentheses.
func unparenthesised(n *cst.GreenNode) *cst.GreenNode {
	for n.Kind == cst.ParenExpr {
		inner := firstNodeOf(n)
		if inner == nil {
			break
		}
		n = inner
	}
	return n
}

// isStringExpr reports whether n is a string literal, interpolated or
// not, or a `+` concatenation holding one.
func isStringExpr(n *cst.GreenNode) bool {
	switch n.Kind {
	case cst.GStringExpr:
		return true
	case cst.LiteralExpr:
		tok := firstToken(n)
		return tok != nil && isStringToken(tok.Kind)
	case cst.ParenExpr:
		return isStringExpr(unparenthesised(n))
	case cst.BinaryExpr:
		plus := false
		for _, child := range n.Children {
			plus = plus || child.IsToken && child.Token.Kind == token.Plus
		}
		for _, child := range n.Children {
			if plus && !child.IsToken && isStringExpr(child.Node) {
				return true
			}
		}
	}
	return false
}

// greenIdent returns the name token of an IdentExpr, or nil.
func greenIdent(n *cst.GreenNode) *token.Token {
	tok := firstToken(n)
	if n.Kind != cst.IdentExpr || tok == nil || !isName(tok.Kind) {
		return nil
	}
	return tok
}

// firstNodeOf returns the first interior child of n.
func firstNodeOf(n *cst.GreenNode) *cst.GreenNode {
	for _, child := range n.Children {
		if !child.IsToken {
			return child.Node
		}
	}
	return nil
}

// firstToken and lastToken return the first and last token under n, or
// nil when it holds none.
func firstToken(n *cst.GreenNode) *token.Token {
	for i := range n.Children {
		if child := &n.Children[i]; child.IsToken {
			return &child.Token
		} else if tok := firstToken(child.Node); tok != nil {
			return tok
		}
	}
	return nil
}

func lastToken(n *cst.GreenNode) *token.Token {
	for i := len(n.Children) - 1; i >= 0; i-- {
		if child := &n.Children[i]; child.IsToken {
			return &child.Token
		} else if tok := lastToken(child.Node); tok != nil {
			return tok
		}
	}
	return nil
}

// textEnd returns where the text of n ends, 0 when it holds no token.
func textEnd(n *cst.GreenNode) int {
	last := lastToken(n)
	if last == nil {
		return 0
	}
	_, end := last.TextSpan()
	return end
}

// span returns the position of n's text; n holds a token.
func (g *groovyCode) span(n *cst.GreenNode) model.Pos {
	start, _ := firstToken(n).TextSpan()
	return g.pos.span(start, textEnd(n))
}

func (g *groovyCode) token(tok *token.Token) model.String {
	start, end := tok.TextSpan()
	return model.String{Value: tok.Text, Pos: g.pos.span(start, end)}
}

// joined returns name tokens and dots as one model string (`groovy.lang.Grab`).
func (g *groovyCode) joined(tokens []*token.Token) model.String {
	if len(tokens) == 0 {
		return model.String{}
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString(t.Text)
	}
	start, _ := tokens[0].TextSpan()
	_, end := tokens[len(tokens)-1].TextSpan()
	return model.String{Value: b.String(), Pos: g.pos.span(start, end)}
}

// dottedTokens joins name tokens with dots.
func dottedTokens(names []*token.Token) string {
	var b strings.Builder
	for i, t := range names {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// importName spells an import declaration's name.
func importName(n *cst.GreenNode) string {
	var b strings.Builder
	for _, child := range n.Children {
		if !child.IsToken {
			continue
		}
		switch kind := child.Token.Kind; {
		case kind == token.KwAs:
			return b.String()
		case kind == token.Dot || kind == token.Star || isName(kind) && kind != token.KwImport && kind != token.KwStatic:
			b.WriteString(child.Token.Text)
		}
	}
	return b.String()
}

// declaredClass returns the name a class, interface, enum or trait
// declares: the first name after its keyword.
func declaredClass(n *cst.GreenNode) string {
	keyword := false
	for _, child := range n.Children {
		if !child.IsToken {
			continue
		}
		switch kind := child.Token.Kind; {
		case kind == token.KwClass || kind == token.KwInterface || kind == token.KwEnum || kind == token.KwTrait:
			keyword = true
		case keyword && isName(kind):
			return child.Token.Text
		}
	}
	return ""
}

// declaredMethod returns the name a method declares: the last name before
// its parameters.
func declaredMethod(n *cst.GreenNode) string {
	name := ""
	for _, child := range n.Children {
		if !child.IsToken {
			continue
		}
		if child.Token.Kind == token.LParen {
			break
		}
		if child.Token.Kind == token.Identifier || child.Token.Kind == token.CapitalizedIdentifier {
			name = child.Token.Text
		}
	}
	return name
}

// declaredVariable returns the name a variable or field declaration
// declares: the last name before its value.
func declaredVariable(n *cst.GreenNode) string {
	name := ""
	for _, child := range n.Children {
		if !child.IsToken {
			continue
		}
		if child.Token.Kind == token.Assign || child.Token.Kind == token.Comma {
			break
		}
		if child.Token.Kind == token.Identifier || child.Token.Kind == token.CapitalizedIdentifier {
			name = child.Token.Text
		}
	}
	return name
}

func joinName(outer, name string) string {
	if outer == "" || name == "" {
		return outer + name
	}
	return outer + "." + name
}
