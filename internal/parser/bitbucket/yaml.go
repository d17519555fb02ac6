package bitbucket

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// tree reads one file's yaml.Node tree, with the positions of
// syntax.YAMLFile. Aliases and merge keys are followed where a value is
// read, so a step reused through an anchor is read, and positioned, where
// its definition is written.
type tree struct {
	file *syntax.YAMLFile
	errs []*model.ParseError
}

// errorf records an error once: a definition reused by many steps is
// wrong once.
func (t *tree) errorf(pos model.Pos, format string, args ...any) {
	e := &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)}
	for _, seen := range t.errs {
		if *seen == *e {
			return
		}
	}
	t.errs = append(t.errs, e)
}

func isNull(n *yaml.Node) bool {
	n = syntax.ResolveAlias(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func isMap(n *yaml.Node) bool {
	n = syntax.ResolveAlias(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// text is a scalar's value, "" for anything else.
func text(n *yaml.Node) string {
	n = syntax.ResolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// str is a scalar with the span of its text; the zero String for
// anything else.
func (t *tree) str(n *yaml.Node) model.String {
	n = syntax.ResolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return model.String{}
	}
	return model.String{Value: n.Value, Pos: t.scalar(n).Span(n.Value)}
}

func (t *tree) scalar(n *yaml.Node) *syntax.YAMLScalar {
	start := t.valueStart(n)
	return &syntax.YAMLScalar{File: t.file, Line: start.Line, Col: start.Column, Style: n.Style}
}

// valueStart is where n's value begins, after its anchor and tag.
func (t *tree) valueStart(n *yaml.Node) model.Pos {
	empty := n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&^yaml.TaggedStyle == 0
	line, col := t.file.ValueStart(n.Line, n.Column, empty)
	return model.Pos{File: t.file.Path, Line: line, Column: col, EndLine: line, EndColumn: col}
}

// pos spans a value from its first to its last written character.
func (t *tree) pos(n *yaml.Node) model.Pos {
	n = syntax.ResolveAlias(n)
	if n == nil {
		return model.Pos{}
	}
	if n.Kind == yaml.ScalarNode {
		return t.scalar(n).Span(n.Value)
	}
	start := t.valueStart(n)
	if end := t.endOf(n, 0); end.EndLine > start.Line || end.EndLine == start.Line && end.EndColumn > start.Column {
		start.EndLine, start.EndColumn = end.EndLine, end.EndColumn
	}
	return start
}

// endOf is where the last written character of n ends: an alias ends at
// its own name, not at what it stands for.
func (t *tree) endOf(n *yaml.Node, depth int) model.Pos {
	switch {
	case n.Kind == yaml.AliasNode:
		end := model.Pos{File: t.file.Path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + len([]rune(n.Value)) + 1}
		return end
	case n.Kind == yaml.ScalarNode:
		return t.scalar(n).Span(n.Value)
	case len(n.Content) == 0 || depth > syntax.MaxDepth:
		return t.valueStart(n)
	}
	return t.endOf(n.Content[len(n.Content)-1], depth+1)
}

// checkLimits walks the tree once, each node once: it records where the
// scalars are (so that a `#` inside one is not a comment) and reports
// nesting deeper than syntax.MaxDepth and aliases expanding to more than
// syntax.MaxNodes values. It returns false when a limit was hit; when it
// returns true, reading the file's steps, aliases expanded, reads at most
// that many values.
func (t *tree) checkLimits(root *yaml.Node) bool {
	sizes := map[*yaml.Node]int{}
	var walk func(n *yaml.Node, depth int) int
	walk = func(n *yaml.Node, depth int) int {
		if depth > syntax.MaxDepth {
			t.errorf(t.valueStart(n), "nesting deeper than %d levels", syntax.MaxDepth)
			return -1
		}
		if size, ok := sizes[n]; ok {
			return size
		}
		size := 1
		switch n.Kind {
		case yaml.AliasNode:
			if n.Alias == nil {
				return 1
			}
			sizes[n] = 1 // an alias inside its own anchor counts once
			if size = walk(n.Alias, depth+1); size < 0 {
				return -1
			}
		case yaml.ScalarNode:
			s := t.scalar(n)
			pos := s.Span(n.Value)
			from := model.Pos{Line: s.Line, Column: s.Col}
			if style := n.Style &^ yaml.TaggedStyle; style == yaml.LiteralStyle || style == yaml.FoldedStyle {
				from = model.Pos{Line: s.Line + 1, Column: 1} // a comment may follow the indicator
			}
			t.file.Cover(from, pos)
		default:
			for _, c := range n.Content {
				child := walk(c, depth+1)
				if child < 0 {
					return -1
				}
				size = min(size+child, syntax.MaxNodes+1)
			}
		}
		if size > syntax.MaxNodes {
			t.errorf(t.valueStart(n), "aliases expand to more than %d values", syntax.MaxNodes)
			return -1
		}
		sizes[n] = size
		return size
	}
	return walk(root, 0) >= 0
}
