package jenkins

import (
	"regexp"
	"strings"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// Var.Source values.
const (
	sourceLiteral    = "literal"
	sourceExpression = "expression"
	sourceSecret     = "secret"
	sourceVariable   = "variable"
)

// value returns an argument or assignment value as the model shows it:
// strings decoded (interpolations kept as written, positioned on the text
// between the quotes), anything else as its source text, and where the
// value comes from at run time.
func (b *builder) value(n *cst.Node) (model.String, string) {
	if s, ok := stringLiteral(n, b.src); ok {
		source := sourceLiteral
		if s.interpolated() {
			source = sourceExpression
		}
		start, end := s.contentSpan()
		return model.String{Value: s.value, Pos: b.pos.span(start, end)}, source
	}
	text := b.pos.str(b.pos.sourceText(n), n)
	switch n.Kind() {
	case cst.LiteralExpr, cst.BoolExpr, cst.NullExpr:
		return text, sourceLiteral
	case cst.IdentExpr, cst.PropertyExpr:
		return text, sourceVariable
	}
	if c, ok := asCall(n); ok && c.name == "credentials" {
		return text, sourceSecret
	}
	return text, sourceExpression
}

// expressions returns what Groovy computes into a value before the step
// runs: the interpolations of a double-quoted or slashy string and, in a
// `+` concatenation, those of its string operands and every other operand
// as written. A single-quoted string has none, even beside one that has.
func (b *builder) expressions(n *cst.Node) []model.Expression {
	if s, ok := stringLiteral(n, b.src); ok {
		var found []model.Expression
		for _, in := range s.interpolations {
			found = append(found, groovyExpression(in.expr, b.pos.span(in.start, in.end)))
		}
		return found
	}
	if !isConcatenation(n) {
		return nil
	}
	var found []model.Expression
	for _, operand := range n.Children() {
		if operand.IsToken() {
			continue
		}
		for operand.Kind() == cst.ParenExpr && firstNode(operand) != nil {
			operand = firstNode(operand)
		}
		if _, ok := stringLiteral(operand, b.src); ok || isConcatenation(operand) {
			found = append(found, b.expressions(operand)...)
		} else {
			text := b.pos.str(b.pos.sourceText(operand), operand)
			found = append(found, groovyExpression(text.Value, text.Pos))
		}
	}
	return found
}

// groovyPath is the variable or property path an expression starts with:
// `params.TAG` in `params.TAG ?: 'latest'`, `env.BRANCH_NAME.trim` in
// `env.BRANCH_NAME.trim()` (the method is dropped).
var groovyPath = regexp.MustCompile(`^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`)

// groovyExpression is an expression that reads the path it starts with,
// whose text becomes part of the value (Groovy interpolates it whole).
func groovyExpression(text string, pos model.Pos) model.Expression {
	e := model.Expression{Value: text, Pos: pos}
	text = strings.TrimSpace(text)
	path := groovyPath.FindString(text)
	if strings.HasPrefix(text[len(path):], "(") {
		path = path[:max(strings.LastIndexByte(path, '.'), 0)]
	}
	if path != "" {
		e.Reads = []string{path}
		e.Flows = e.Reads
	}
	return e
}

// isConcatenation reports whether n is `a + b`.
func isConcatenation(n *cst.Node) bool {
	if n.Kind() != cst.BinaryExpr {
		return false
	}
	for _, child := range n.Children() {
		if child.IsToken() && child.Token().Kind == token.Plus {
			return true
		}
	}
	return false
}

// argVars returns a call's arguments as Vars; positional ones have an
// empty Name.
func (b *builder) argVars(c *call) []model.Var {
	var vars []model.Var
	for _, a := range c.args {
		vars = append(vars, b.argVar(a))
	}
	return vars
}

func (b *builder) argVar(a arg) model.Var {
	value, source := b.value(a.value)
	v := model.Var{Value: value, Source: source, Expressions: b.expressions(a.value), Pos: b.pos.node(a.value)}
	if a.nameNode != nil {
		v.Name = b.pos.str(a.name, a.nameNode)
		start, _ := textSpan(a.nameNode)
		_, end := textSpan(a.value)
		v.Pos = b.pos.span(start, end)
	}
	return v
}

// stringValue returns n as a model string when it is a string literal.
func (b *builder) stringValue(n *cst.Node) (model.String, *groovyString, bool) {
	if n == nil {
		return model.String{}, nil, false
	}
	s, ok := stringLiteral(n, b.src)
	if !ok {
		return model.String{}, nil, false
	}
	start, end := s.contentSpan()
	return model.String{Value: s.value, Pos: b.pos.span(start, end)}, s, true
}

// substring returns the model string of value bytes [from, to) of s.
func (b *builder) substring(s *groovyString, from, to int) model.String {
	return model.String{Value: s.value[from:to], Pos: b.pos.span(s.sourceOffsets[from], s.sourceOffsets[to])}
}

// reference appends a reference to the pipeline, in source order.
func (b *builder) reference(r model.Reference) {
	b.pipeline.References = append(b.pipeline.References, r)
}

var commitSHA = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// library records a shared library reference written as 'name@version'.
func (b *builder) library(n *cst.Node) {
	value, s, ok := b.stringValue(n)
	if !ok {
		text := b.pos.str(b.pos.sourceText(n), n)
		b.reference(model.Reference{Kind: model.RefLibrary, Value: text, Dynamic: true, Pos: text.Pos})
		return
	}
	name, version, _ := strings.Cut(value.Value, "@")
	b.reference(model.Reference{
		Kind: model.RefLibrary, Value: value, Repo: name, Ref: version,
		Pinned:  commitSHA.MatchString(version),
		Dynamic: s.interpolated() || strings.Contains(value.Value, "$"),
		Pos:     value.Pos,
	})
}

// imageOf records the image n names. A name that is one of the file's
// constants, or a string whose interpolations all are (`"${REGISTRY}/app:${TAG}"`),
// is read as its literal, positioned where that literal is written when
// the constant ends the name (and so sets the tag), as GitLab variables
// are. Anything else computed is dynamic, and stays as written.
func (b *builder) imageOf(n *cst.Node, usage string) model.Image {
	if value, ok := b.resolved(n); ok {
		return b.image(value, false, usage)
	}
	value, source := b.value(n)
	return b.image(value, source != sourceLiteral, usage)
}

// resolved returns the text of n when it is a constant, or a string whose
// interpolations are all constants.
func (b *builder) resolved(n *cst.Node) (model.String, bool) {
	if c, ok := b.constantNamed(b.pos.sourceText(n)); ok && (n.Kind() == cst.IdentExpr || n.Kind() == cst.PropertyExpr) {
		return c.value, true
	}
	s, ok := stringLiteral(n, b.src)
	if !ok || !s.interpolated() {
		return model.String{}, false
	}
	start, end := s.contentSpan()
	out := model.String{Pos: b.pos.span(start, end)}
	var text strings.Builder
	next := 0 // the next interpolation
	for i := 0; i < len(s.value); i++ {
		if next < len(s.interpolations) && s.sourceOffsets[i] == s.interpolations[next].start {
			in := s.interpolations[next]
			c, ok := b.constantNamed(in.expr)
			if !ok {
				return model.String{}, false
			}
			text.WriteString(c.value.Value)
			if in.end == end {
				out.Pos = c.value.Pos
			}
			for i+1 < len(s.value) && s.sourceOffsets[i+1] < in.end {
				i++
			}
			next++
			continue
		}
		text.WriteByte(s.value[i])
	}
	out.Value = text.String()
	return out, next == len(s.interpolations)
}

// constantNamed returns the constant an expression names: `X`, or
// `env.X` for an environment variable.
func (b *builder) constantNamed(expr string) (constant, bool) {
	if name, ok := strings.CutPrefix(expr, "env."); ok {
		c, found := b.constants[name]
		return c, found && c.env
	}
	c, found := b.constants[expr]
	return c, found
}

// image records a container image reference and returns the image.
func (b *builder) image(value model.String, dynamic bool, usage string) model.Image {
	registry, repo, tag, digest := splitImage(value.Value)
	b.reference(model.Reference{
		Kind: model.RefImage, Usage: usage, Value: value,
		Registry: registry, Repo: repo, Ref: tag, Digest: digest,
		Pinned:  digest != "",
		Dynamic: dynamic || strings.Contains(value.Value, "$"),
		Pos:     value.Pos,
	})
	return model.Image{Name: value, Pos: value.Pos}
}

// splitImage splits [registry/]repository[:tag][@digest]. The first path
// component is a registry when it looks like a host (has a dot or a port,
// or is localhost), as Docker decides it.
func splitImage(ref string) (registry, repo, tag, digest string) {
	ref, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref, tag = ref[:i], ref[i+1:]
	}
	if first, rest, ok := strings.Cut(ref, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first, rest, tag, digest
	}
	return "", ref, tag, digest
}
