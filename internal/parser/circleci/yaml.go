package circleci

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

func isScalar(n *yaml.Node) bool { return n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null" }

func isMap(n *yaml.Node) bool { return n != nil && n.Kind == yaml.MappingNode }

// text returns a scalar's value, "" for anything else.
func text(n *yaml.Node) string {
	if !isScalar(n) {
		return ""
	}
	return n.Value
}

// scalar is where a scalar's text was written.
func (p *parser) scalar(n *yaml.Node) *syntax.YAMLScalar {
	empty := n.Value == "" && n.Style&^yaml.TaggedStyle == 0
	line, col := p.file.ValueStart(n.Line, n.Column, empty)
	return &syntax.YAMLScalar{File: p.file, Line: line, Col: col, Style: n.Style}
}

// str returns a scalar as a model.String, the zero String for anything
// else.
func (p *parser) str(n *yaml.Node) model.String {
	if !isScalar(n) {
		return model.String{}
	}
	return model.String{Value: n.Value, Pos: p.scalar(n).Span(n.Value)}
}

// pos spans a node: a scalar's text, a collection from its first to its
// last written character.
func (p *parser) pos(n *yaml.Node) model.Pos {
	if n == nil {
		return model.Pos{}
	}
	if n.Kind == yaml.ScalarNode {
		return p.scalar(n).Span(n.Value)
	}
	line, col := p.file.ValueStart(n.Line, n.Column, false)
	start := model.Pos{File: p.file.Path, Line: line, Column: col, EndLine: line, EndColumn: col}
	if end := p.end(n); end.EndLine > start.Line || end.EndLine == start.Line && end.EndColumn > start.Column {
		start.EndLine, start.EndColumn = end.EndLine, end.EndColumn
	}
	return start
}

// end is where the last written character of n ends (an alias ends at its
// own name).
func (p *parser) end(n *yaml.Node) model.Pos {
	for depth := 0; len(n.Content) > 0 && depth <= syntax.MaxDepth; depth++ {
		n = n.Content[len(n.Content)-1]
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return p.scalar(n).Span(n.Value)
	case yaml.AliasNode:
		column := n.Column + len([]rune(n.Value)) + 1
		return model.Pos{File: p.file.Path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: column}
	}
	return model.Pos{File: p.file.Path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column}
}

// entryPos spans a mapping entry, key to value.
func (p *parser) entryPos(e syntax.YAMLPair) model.Pos {
	return syntax.Join(p.pos(e.Key), p.pos(e.Value))
}

// decode reads the first YAML document of src (CircleCI reads one) and
// checks it against the limits every parser applies.
func (p *parser) decode(src []byte) *yaml.Node {
	if bad := syntax.InvalidUTF8(p.file.Path, src); bad != nil {
		p.errs = append(p.errs, bad)
		return nil
	}
	doc, err := decodeFirst(src)
	if err != nil {
		p.errs = append(p.errs, syntax.YAMLError(p.file.Path, err))
		return nil
	}
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	if !p.withinLimits(doc) {
		return nil
	}
	return doc.Content[0]
}

func decodeFirst(src []byte) (doc *yaml.Node, err error) {
	// yaml.v3 has panicked on malformed input in the past; a parser must
	// not take the program down with it.
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	var n yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(string(src))).Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	return &n, nil
}

// withinLimits checks the nesting depth and the number of values the
// document expands to through its aliases (syntax.MaxDepth and MaxNodes),
// and records where the scalars are, to tell comments from `#` in text.
func (p *parser) withinLimits(doc *yaml.Node) bool {
	sizes := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) (int, bool)
	size = func(n *yaml.Node, depth int) (int, bool) {
		if depth > syntax.MaxDepth {
			p.errorf(p.at(n), "nesting deeper than %d levels", syntax.MaxDepth)
			return 0, false
		}
		if s, ok := sizes[n]; ok {
			return s, true
		}
		total := 1
		if n.Kind == yaml.ScalarNode {
			p.cover(n)
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return 1, true
			}
			s, ok := size(n.Alias, depth+1)
			if !ok {
				return 0, false
			}
			total = s
		}
		for _, c := range n.Content {
			s, ok := size(c, depth+1)
			if !ok {
				return 0, false
			}
			total = min(total+s, syntax.MaxNodes+1)
		}
		if total > syntax.MaxNodes {
			p.errorf(p.at(n), "aliases expand to more than %d values", syntax.MaxNodes)
			return 0, false
		}
		sizes[n] = total
		return total, true
	}
	_, ok := size(doc, 0)
	return ok
}

// at is the position where a node starts.
func (p *parser) at(n *yaml.Node) model.Pos {
	return model.Pos{File: p.file.Path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1}
}

// cover records where a scalar is written, from its first character (a
// block scalar from the line after its indicator, where a comment may
// follow the indicator).
func (p *parser) cover(n *yaml.Node) {
	src := p.scalar(n)
	from := model.Pos{Line: src.Line, Column: src.Col}
	if style := n.Style &^ yaml.TaggedStyle; style == yaml.LiteralStyle || style == yaml.FoldedStyle {
		from = model.Pos{Line: src.Line + 1, Column: 1}
	}
	p.file.Cover(from, src.Span(n.Value))
}
