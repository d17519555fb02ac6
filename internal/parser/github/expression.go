package github

import (
	"regexp"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// expressionsIn lists the `${{ }}` expressions of every scalar under n (n
// itself when it is one), in source order.
func (c *converter) expressionsIn(n *yaml.Node) []model.Expression {
	n = resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if !strings.Contains(n.Value, "${{") {
			return nil // no layout of the text for nothing
		}
		return findExpressions(n.Value, c.src.locate(n))
	}
	// Values only: GitHub evaluates no expression in a mapping's keys.
	var out []model.Expression
	for i, child := range n.Content {
		if n.Kind != yaml.MappingNode || i%2 == 1 {
			out = append(out, c.expressionsIn(child)...)
		}
	}
	return out
}

// findExpressions parses the `${{ }}` of text with actionlint's expression
// parser; locate maps a line and column of text to the source.
func findExpressions(text string, locate shell.Locate) []model.Expression {
	if !strings.Contains(text, "${{") {
		return nil
	}
	var out []model.Expression
	line, column, scanned := 1, 1, 0 // the point of text[scanned]
	advance := func(to int) {
		for _, r := range text[scanned:to] {
			if r == '\n' {
				line, column = line+1, 1
			} else {
				column++
			}
		}
		scanned = to
	}
	for offset := 0; ; {
		i := strings.Index(text[offset:], "${{")
		if i < 0 {
			return out
		}
		start := offset + i
		body := text[start+3:]
		e := analyse(body)
		end := start + 3 + e.length
		advance(start)
		from := locate(line, column)
		advance(end)
		to := locate(line, column)
		if end == len(text) { // locate gives the last character for the end
			to = locate(line, column-1)
			to.Column++
		}
		from.EndLine, from.EndColumn = to.Line, to.Column
		out = append(out, model.Expression{Value: e.value, Reads: e.reads, Flows: e.flows, Pos: from})
		offset = end
	}
}

// analysed is one expression: its text, the bytes it takes after `${{`
// up to and with `}}`, and the paths it reads and that flow into its
// value.
type analysed struct {
	value        string
	length       int
	reads, flows []string
}

// analyse parses the expression at the start of body, the text after a
// `${{`. One that does not parse runs to the next `}}`, and reads (and
// lets flow) every path in it: a malformed expression is judged by what
// it names.
func analyse(body string) analysed {
	lexer := actionlint.NewExprLexer(body)
	node, err := actionlint.NewExprParser().Parse(lexer)
	if err != nil {
		length := len(body)
		if j := strings.Index(body, "}}"); j >= 0 {
			length = j + 2
		}
		var paths []string
		for _, p := range contextPath.FindAllString(body[:max(length-2, 0)], -1) {
			paths = append(paths, strings.ToLower(p))
		}
		paths = sortedSet(paths)
		return analysed{value: strings.TrimSpace(body[:max(length-2, 0)]), length: length, reads: paths, flows: paths}
	}
	length := min(lexer.Offset(), len(body))
	var a pathAnalysis
	flows := a.flows(node)
	return analysed{
		value:  strings.TrimSpace(strings.TrimSuffix(body[:length], "}}")),
		length: length,
		reads:  sortedSet(a.reads),
		flows:  sortedSet(flows),
	}
}

// contextPath is a dotted path in an expression that does not parse.
var contextPath = regexp.MustCompile(`[A-Za-z_][\w-]*(?:\.(?:\*|[A-Za-z_][\w-]*))+`)

// pathAnalysis collects the paths an expression reads.
type pathAnalysis struct{ reads []string }

// notFlowing are the functions whose result carries none of their
// arguments' text: booleans, and hashFiles' hash.
var notFlowing = []string{"contains", "startswith", "endswith", "success", "always", "cancelled", "failure", "hashfiles"}

// flows returns the paths whose text can become part of n's value, and
// records every path n reads.
func (a *pathAnalysis) flows(n actionlint.ExprNode) []string {
	if p, ok := a.path(n); ok {
		a.reads = append(a.reads, p)
		return []string{p}
	}
	switch n := n.(type) {
	case *actionlint.NotOpNode:
		a.flows(n.Operand)
		return nil
	case *actionlint.CompareOpNode:
		a.flows(n.Left)
		a.flows(n.Right)
		return nil
	case *actionlint.LogicalOpNode:
		left, right := a.flows(n.Left), a.flows(n.Right)
		if n.Kind == actionlint.LogicalOpNodeKindAnd {
			// a && b is a when a is falsy: for text, only when empty.
			return right
		}
		return append(left, right...)
	case *actionlint.FuncCallNode:
		var out []string
		for _, arg := range n.Args {
			out = append(out, a.flows(arg)...)
		}
		if slices.Contains(notFlowing, strings.ToLower(n.Callee)) {
			return nil
		}
		return out
	case *actionlint.ObjectDerefNode: // a property of a computed value
		return a.flows(n.Receiver)
	case *actionlint.ArrayDerefNode:
		return a.flows(n.Receiver)
	case *actionlint.IndexAccessNode:
		a.flows(n.Index)
		return a.flows(n.Operand)
	}
	return nil // literals
}

// path is the context path n reads when n is a variable followed by
// properties, `*` and indexes: `github.event.commits[0].message` is
// `github.event.commits.*.message`. A computed index reads its own paths
// too.
func (a *pathAnalysis) path(n actionlint.ExprNode) (string, bool) {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		return strings.ToLower(n.Name), true
	case *actionlint.ObjectDerefNode:
		return a.property(n.Receiver, strings.ToLower(n.Property))
	case *actionlint.ArrayDerefNode:
		return a.property(n.Receiver, "*")
	case *actionlint.IndexAccessNode:
		if s, ok := n.Index.(*actionlint.StringNode); ok {
			return a.property(n.Operand, strings.ToLower(s.Value))
		}
		p, ok := a.property(n.Operand, "*")
		if ok {
			a.flows(n.Index)
		}
		return p, ok
	}
	return "", false
}

func (a *pathAnalysis) property(receiver actionlint.ExprNode, name string) (string, bool) {
	p, ok := a.path(receiver)
	if !ok {
		return "", false
	}
	return p + "." + name, true
}

// sortedSet sorts paths and drops repeats.
func sortedSet(paths []string) []string {
	if len(paths) == 0 {
		return nil
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}
