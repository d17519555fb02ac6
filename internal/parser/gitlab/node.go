package gitlab

import (
	"fmt"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

// Limits that keep hostile input cheap, besides the ones every parser
// shares: the expanded size of a file's tree (syntax.MaxNodes) counts every
// use of an alias or !reference as a copy of its target, and
// syntax.MaxDepth bounds the nesting of collections.
const (
	// maxJobValues bounds the values of all jobs together once extends and
	// default: are applied (which share values between jobs rather than
	// copy them). The largest corpus pipeline (CMake, 158 jobs) has 38,000.
	maxJobValues = 250_000
)

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
	// refNode is a `!reference [key, ...]` sequence, resolved after extends.
	refNode
)

// node is one value of the configuration with the position where it was
// written. Nodes are immutable once built: aliases, merges, extends and
// references share them, which is how every value keeps its provenance.
type node struct {
	kind nodeKind
	// pos spans the value. For a block scalar it spans the content, not the
	// `|` indicator; for a collection it runs from its first to its last
	// character in the file it was written in.
	pos   model.Pos
	value string // scalar text
	null  bool   // a YAML null scalar
	pairs []pair // mapping entries in order, keys unique
	items []*node
	// size counts the nodes of the expanded subtree, saturating above
	// syntax.MaxNodes.
	size int
	// src maps a scalar's text back to the file, for locating commands.
	src *syntax.Scalar
	// index maps the keys of a large mapping to their pairs, built on the
	// first lookup: the top level of a big file has many thousands of
	// entries, each looked up in turn.
	index map[string]int
}

type pair struct{ key, value *node }

func (n *node) isMap() bool { return n != nil && n.kind == mapNode }

func (n *node) isSeq() bool { return n != nil && n.kind == seqNode }

// itemsOrNil returns a sequence's items, nil for anything else.
func (n *node) itemsOrNil() []*node {
	if !n.isSeq() {
		return nil
	}
	return n.items
}

// scalars returns a list's scalar items, or a lone scalar as a list.
func scalars(n *node) []*node {
	switch {
	case n.isNull():
		return nil
	case n.kind == scalarNode:
		return []*node{n}
	case n.kind != seqNode:
		return nil
	}
	var out []*node
	for _, it := range n.items {
		if it.kind == scalarNode && !it.null {
			out = append(out, it)
		}
	}
	return out
}

func (n *node) isNull() bool { return n == nil || n.null }

// get returns the value of key in a mapping, or nil.
func (n *node) get(key string) *node {
	_, v := n.entry(key)
	return v
}

// indexedPairs is the size from which a mapping's keys are looked up in an
// index rather than one by one.
const indexedPairs = 32

// entry returns the key node and value of key in a mapping.
func (n *node) entry(key string) (k, v *node) {
	if !n.isMap() {
		return nil, nil
	}
	if len(n.pairs) >= indexedPairs {
		if n.index == nil {
			n.index = make(map[string]int, len(n.pairs))
			for i, p := range n.pairs {
				n.index[p.key.value] = i
			}
		}
		if i, ok := n.index[key]; ok {
			return n.pairs[i].key, n.pairs[i].value
		}
		return nil, nil
	}
	for _, p := range n.pairs {
		if p.key.value == key {
			return p.key, p.value
		}
	}
	return nil, nil
}

// str returns a scalar as a model.String; the zero String for anything else.
func (n *node) str() model.String {
	if n == nil || n.kind != scalarNode || n.null {
		return model.String{}
	}
	return model.String{Value: n.value, Pos: n.pos}
}

// text returns a scalar's value, "" for anything else.
func (n *node) text() string {
	if n == nil || n.kind != scalarNode || n.null {
		return ""
	}
	return n.value
}

func newMap(pos model.Pos, pairs []pair) *node {
	n := &node{kind: mapNode, pos: pos, pairs: pairs, size: 1}
	for _, p := range pairs {
		n.size = addSize(n.size, p.key.size+p.value.size)
	}
	return n
}

func newSeq(kind nodeKind, pos model.Pos, items []*node) *node {
	n := &node{kind: kind, pos: pos, items: items, size: 1}
	for _, it := range items {
		n.size = addSize(n.size, it.size)
	}
	return n
}

func nullAt(pos model.Pos) *node { return &node{kind: scalarNode, null: true, pos: pos, size: 1} }

func addSize(a, b int) int { return min(a+b, syntax.MaxNodes+1) }

// converter turns one file's yaml.Node tree into nodes, resolving aliases
// and merge keys (which work within a file only).
type converter struct {
	file *syntax.YAMLFile
	done map[*yaml.Node]*node // converted anchored nodes, shared by their aliases
	// expanded counts the nodes that alias uses stand for, against alias
	// bombs.
	expanded int
	errs     []*model.ParseError
	warnings []*model.ParseError
}

func (c *converter) errorf(n *yaml.Node, format string, args ...any) {
	c.errs = append(c.errs, &model.ParseError{Pos: c.start(n), Message: fmt.Sprintf(format, args...)})
}

func (c *converter) start(n *yaml.Node) model.Pos {
	return model.Pos{File: c.file.Path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column}
}

// valueStart is start without the node's anchor and tag.
func (c *converter) valueStart(n *yaml.Node) model.Pos {
	empty := n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&^yaml.TaggedStyle == 0
	line, col := c.file.ValueStart(n.Line, n.Column, empty)
	return model.Pos{File: c.file.Path, Line: line, Column: col, EndLine: line, EndColumn: col}
}

func (c *converter) source(y *yaml.Node) *syntax.Scalar {
	start := c.valueStart(y)
	return &syntax.Scalar{File: c.file, Line: start.Line, Col: start.Column, Style: y.Style}
}

// convert returns nil only when the tree exceeded a limit (already
// reported).
func (c *converter) convert(y *yaml.Node, depth int) *node {
	if depth > syntax.MaxDepth {
		c.errorf(y, "nesting deeper than %d levels", syntax.MaxDepth)
		return nil
	}
	if n, ok := c.done[y]; ok {
		return n
	}
	var n *node
	switch y.Kind {
	case yaml.DocumentNode:
		if len(y.Content) == 0 {
			return nullAt(c.start(y))
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		if y.Alias == nil {
			return nullAt(c.start(y))
		}
		n = c.convert(y.Alias, depth+1)
		if n == nil {
			return nil
		}
		c.expanded = addSize(c.expanded, n.size)
		if c.expanded > syntax.MaxNodes {
			c.errorf(y, "aliases expand to more than %d values", syntax.MaxNodes)
			return nil
		}
		return n
	case yaml.ScalarNode:
		n = c.scalar(y)
	case yaml.SequenceNode:
		n = c.sequence(y, depth)
	case yaml.MappingNode:
		n = c.mapping(y, depth)
	default:
		return nullAt(c.start(y))
	}
	if n != nil && y.Anchor != "" {
		c.done[y] = n
	}
	return n
}

func (c *converter) scalar(y *yaml.Node) *node {
	if y.Tag == "!reference" {
		c.errorf(y, "!reference must be a sequence of keys, as in !reference [.job, script]")
		return nullAt(c.start(y))
	}
	src := c.source(y)
	pos := src.Span(y.Value)
	from := model.Pos{Line: src.Line, Column: src.Col}
	if style := y.Style &^ yaml.TaggedStyle; style == yaml.LiteralStyle || style == yaml.FoldedStyle {
		from = model.Pos{Line: src.Line + 1, Column: 1} // a comment may follow the indicator
	}
	c.file.Cover(from, pos)
	return &node{kind: scalarNode, pos: pos, value: y.Value, null: y.Tag == "!!null", size: 1, src: src}
}

func (c *converter) sequence(y *yaml.Node, depth int) *node {
	kind := seqNode
	if y.Tag == "!reference" {
		kind = refNode
	}
	items := make([]*node, 0, len(y.Content))
	for _, child := range y.Content {
		item := c.convert(child, depth+1)
		if item == nil {
			return nil
		}
		if kind == refNode && item.kind != scalarNode {
			c.errorf(child, "!reference path elements must be keys")
			return nullAt(c.start(y))
		}
		items = append(items, item)
	}
	start := c.valueStart(y)
	if kind == refNode {
		start = c.start(y) // the !reference tag is what names the value
	}
	n := newSeq(kind, start, items)
	c.setEnd(n, y)
	return n
}

// mapping builds a mapping. Explicit keys beat merged (`<<`) ones wherever
// they are written; among merge sources the earlier one wins; a duplicate
// key keeps its last value, as GitLab's loader does.
func (c *converter) mapping(y *yaml.Node, depth int) *node {
	var explicit, merged []pair
	explicitAt, mergedAt := map[string]int{}, map[string]bool{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky, vy := y.Content[i], y.Content[i+1]
		if ky.Tag == "!!merge" && ky.Kind == yaml.ScalarNode {
			sources := []*yaml.Node{vy}
			if vy.Kind == yaml.SequenceNode {
				sources = vy.Content
			}
			for _, s := range sources {
				m := c.convert(s, depth+1)
				if m == nil {
					return nil
				}
				if !m.isMap() {
					c.errorf(s, "a merge key (<<) needs a mapping or a list of mappings")
					continue
				}
				for _, p := range m.pairs {
					if !mergedAt[p.key.value] {
						mergedAt[p.key.value] = true
						merged = append(merged, p)
					}
				}
			}
			continue
		}
		k := c.convert(ky, depth+1)
		v := c.convert(vy, depth+1)
		if k == nil || v == nil {
			return nil
		}
		if k.kind != scalarNode {
			c.errorf(ky, "a mapping key must be a scalar")
			continue
		}
		if at, ok := explicitAt[k.value]; ok {
			c.warnings = append(c.warnings, &model.ParseError{Pos: k.pos, Message: fmt.Sprintf(
				"duplicate key %q: the one at line %d is ignored", k.value, explicit[at].key.pos.Line)})
			explicit[at] = pair{k, v}
			continue
		}
		explicitAt[k.value] = len(explicit)
		explicit = append(explicit, pair{k, v})
	}
	pairs := explicit
	for _, p := range merged {
		if _, ok := explicitAt[p.key.value]; !ok {
			pairs = append(pairs, p)
		}
	}
	n := newMap(c.valueStart(y), pairs)
	c.setEnd(n, y)
	return n
}

// endOf is where the last written character of y ends (an alias ends at
// its own name, not at its target).
func (c *converter) endOf(y *yaml.Node) model.Pos {
	if y.Kind == yaml.AliasNode {
		end := c.start(y)
		end.EndColumn += len([]rune(y.Value)) + 1
		return end
	}
	if n, ok := c.done[y]; ok {
		return n.pos
	}
	for len(y.Content) > 0 {
		y = y.Content[len(y.Content)-1]
		if y.Kind == yaml.AliasNode {
			return c.endOf(y)
		}
	}
	if y.Kind == yaml.ScalarNode {
		return c.source(y).Span(y.Value)
	}
	return c.start(y)
}

// setEnd makes a collection's span end where its last written element ends
// (a flow collection's closing bracket is not counted).
func (c *converter) setEnd(n *node, y *yaml.Node) {
	if len(y.Content) == 0 {
		return
	}
	end := c.endOf(y.Content[len(y.Content)-1])
	if end.File == n.pos.File && end.EndLine >= n.pos.Line {
		n.pos.EndLine, n.pos.EndColumn = end.EndLine, end.EndColumn
	}
}

func lookup(pairs []pair, key string) *pair {
	for i := range pairs {
		if pairs[i].key.value == key {
			return &pairs[i]
		}
	}
	return nil
}
