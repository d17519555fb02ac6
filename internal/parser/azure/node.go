package azure

import (
	"fmt"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

// node is one value of a file, or of a template once expanded, with where
// it was written. A value a template expression computed keeps the
// position of the expression; one substituted whole (a parameter's value)
// keeps its own.
type node struct {
	kind  nodeKind
	pos   model.Pos
	value string
	null  bool
	pairs []pair
	items []*node
	// src positions the characters of a scalar written in a file; nil for
	// a computed one.
	src *syntax.YAMLScalar
	// exprs are the template expressions of a scalar that could not be
	// evaluated, kept in its text.
	exprs []model.Expression
	// folded maps a mapping's keys in lower case to their pairs (the first
	// of each), built on the first lookup by an expression.
	folded map[string]int
}

// foldedIndex returns the index of a mapping's keys without regard to
// case, as expressions read properties.
func (n *node) foldedIndex() map[string]int {
	if n.folded == nil {
		n.folded = make(map[string]int, len(n.pairs))
		for i := len(n.pairs) - 1; i >= 0; i-- {
			n.folded[strings.ToLower(n.pairs[i].key.value)] = i
		}
	}
	return n.folded
}

type pair struct{ key, value *node }

func (n *node) isMap() bool  { return n != nil && n.kind == mapNode }
func (n *node) isSeq() bool  { return n != nil && n.kind == seqNode }
func (n *node) isNull() bool { return n == nil || n.null }

func (n *node) isScalar() bool { return n != nil && n.kind == scalarNode && !n.null }

// get returns the value of key in a mapping, or nil.
func (n *node) get(key string) *node {
	if !n.isMap() {
		return nil
	}
	for _, p := range n.pairs {
		if p.key.value == key {
			return p.value
		}
	}
	return nil
}

// entry returns the pair of key in a mapping, or nil.
func (n *node) entry(key string) *pair {
	if !n.isMap() {
		return nil
	}
	for i := range n.pairs {
		if n.pairs[i].key.value == key {
			return &n.pairs[i]
		}
	}
	return nil
}

func (n *node) str() model.String {
	if !n.isScalar() {
		return model.String{}
	}
	return model.String{Value: n.value, Pos: n.pos}
}

func (n *node) text() string {
	if !n.isScalar() {
		return ""
	}
	return n.value
}

// locate maps the scalar's text to the file for shell.Split.
func (n *node) locate() func(line, col int) model.Pos {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	return n.src.Locate(n.value)
}

// converter turns one file's yaml.Node tree into nodes. Azure Pipelines
// refuses anchors and aliases, so an alias is an error.
type converter struct {
	file  *syntax.YAMLFile
	count int
	errs  []*model.ParseError
}

func (c *converter) errorf(y *yaml.Node, format string, args ...any) {
	c.errs = append(c.errs, &model.ParseError{Pos: c.file.Start(y), Message: fmt.Sprintf(format, args...)})
}

// convert returns nil only when a limit was hit (already reported).
func (c *converter) convert(y *yaml.Node, depth int) *node {
	if depth > syntax.MaxDepth {
		c.errorf(y, "nesting deeper than %d levels", syntax.MaxDepth)
		return nil
	}
	if c.count++; c.count > syntax.MaxNodes {
		c.errorf(y, "more than %d values", syntax.MaxNodes)
		return nil
	}
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return &node{null: true, pos: c.file.Start(y)}
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		c.errorf(y, "Azure Pipelines does not support YAML aliases (*%s)", y.Value)
		return &node{null: true, pos: c.file.Start(y)}
	case yaml.ScalarNode:
		line, col := c.file.ValueStart(y.Line, y.Column, y.Value == "" && y.Style&^yaml.TaggedStyle == 0)
		src := &syntax.YAMLScalar{File: c.file, Line: line, Col: col, Style: y.Style}
		pos := src.Span(y.Value)
		from := model.Pos{Line: line, Column: col}
		if style := y.Style &^ yaml.TaggedStyle; style == yaml.LiteralStyle || style == yaml.FoldedStyle {
			from = model.Pos{Line: line + 1, Column: 1}
		}
		c.file.Cover(from, pos)
		return &node{kind: scalarNode, pos: pos, value: y.Value, null: y.Tag == "!!null", src: src}
	case yaml.SequenceNode:
		n := &node{kind: seqNode, pos: c.file.Start(y)}
		for _, child := range y.Content {
			item := c.convert(child, depth+1)
			if item == nil {
				return nil
			}
			n.items = append(n.items, item)
		}
		if len(n.items) > 0 {
			n.pos = syntax.Join(n.pos, n.items[len(n.items)-1].pos)
		}
		return n
	case yaml.MappingNode:
		n := &node{kind: mapNode, pos: c.file.Start(y)}
		seen := map[string]bool{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k := c.convert(y.Content[i], depth+1)
			v := c.convert(y.Content[i+1], depth+1)
			if k == nil || v == nil {
				return nil
			}
			if k.kind != scalarNode {
				c.errorf(y.Content[i], "a mapping key must be a scalar")
				continue
			}
			if seen[k.value] {
				c.errorf(y.Content[i], "duplicate key %q", k.value)
				continue
			}
			seen[k.value] = true
			n.pairs = append(n.pairs, pair{k, v})
		}
		if len(n.pairs) > 0 {
			n.pos = syntax.Join(n.pos, n.pairs[len(n.pairs)-1].value.pos)
		}
		return n
	}
	return &node{null: true, pos: c.file.Start(y)}
}

// list returns a sequence's items, nil for anything else.
func (n *node) list() []*node {
	if !n.isSeq() {
		return nil
	}
	return n.items
}

// entries returns a mapping's pairs, nil for anything else.
func (n *node) entries() []pair {
	if !n.isMap() {
		return nil
	}
	return n.pairs
}
