package travis

import (
	"fmt"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
	"gopkg.in/yaml.v3"
)

// node is one value of the configuration with where it was written.
// Aliases and merge keys are resolved when a file is read, imports when
// files are merged; nodes are shared, never changed, so every value keeps
// the position of the file it came from.
type node struct {
	pos   model.Pos
	kind  yaml.Kind // ScalarNode, MappingNode or SequenceNode
	value string
	null  bool
	pairs []pair
	items []*node
	src   *syntax.YAMLScalar // where a scalar's text is, for positioning parts of it
	// size counts the values of the subtree as expanded, aliases copied.
	size int
}

type pair struct{ key, value *node }

func (n *node) isMap() bool    { return n != nil && n.kind == yaml.MappingNode }
func (n *node) isSeq() bool    { return n != nil && n.kind == yaml.SequenceNode }
func (n *node) isScalar() bool { return n != nil && n.kind == yaml.ScalarNode && !n.null }

// get returns the value of key in a mapping, nil when absent.
func (n *node) get(key string) *node {
	_, v := n.entry(key)
	return v
}

func (n *node) entry(key string) (k, v *node) {
	if !n.isMap() {
		return nil, nil
	}
	for _, p := range n.pairs {
		if p.key.value == key {
			return p.key, p.value
		}
	}
	return nil, nil
}

// str is a scalar as a model.String, the zero String for anything else.
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

// list returns a sequence's items, or a lone value as a list of one.
func (n *node) list() []*node {
	switch {
	case n == nil || n.null:
		return nil
	case n.isSeq():
		return n.items
	}
	return []*node{n}
}

// truthy reads a YAML boolean as Travis does.
func (n *node) truthy() bool {
	switch strings.ToLower(n.text()) {
	case "true", "yes", "on":
		return true
	}
	return false
}

// substring positions the bytes [from, to) of a scalar's text.
func (n *node) substring(from, to int) model.String {
	value := n.value[from:to]
	if n.src == nil {
		return model.String{Value: value, Pos: n.pos}
	}
	locate := n.src.Locate(n.value)
	start := locate(lineCol(n.value, from))
	end := locate(lineCol(n.value, to))
	start.EndLine, start.EndColumn = end.Line, end.Column
	return model.String{Value: value, Pos: start}
}

// lineCol converts a byte offset of text to a 1-based line and column in
// code points, as shell.Locate counts them.
func lineCol(text string, offset int) (int, int) {
	line, col := 1, 1
	for _, r := range text[:offset] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// locator maps the scalar's text to the file for shell.Split.
func (n *node) locator() shell.Locate {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	return n.src.Locate(n.value)
}

// converter turns one file's yaml.Node tree into nodes, resolving aliases
// and merge keys, within syntax.MaxDepth and syntax.MaxNodes.
type converter struct {
	file *syntax.YAMLFile
	done map[*yaml.Node]*node
	// expanded counts the values the file stands for, every use of an
	// alias a copy of its target, against alias bombs.
	expanded int
	errs     []*model.ParseError
	warnings []*model.ParseError
}

func (c *converter) errorf(y *yaml.Node, format string, args ...any) {
	c.errs = append(c.errs, &model.ParseError{Pos: c.file.Start(y), Message: fmt.Sprintf(format, args...)})
}

// convert returns nil when a limit is exceeded (reported).
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
			return &node{kind: yaml.ScalarNode, null: true, pos: c.file.Start(y)}
		}
		return c.convert(y.Content[0], depth)
	case yaml.AliasNode:
		if y.Alias == nil {
			return &node{kind: yaml.ScalarNode, null: true, pos: c.file.Start(y)}
		}
		n = c.convert(y.Alias, depth+1)
		if n == nil {
			return nil
		}
		if c.expanded += n.size; c.expanded > syntax.MaxNodes {
			c.errorf(y, "aliases expand to more than %d values", syntax.MaxNodes)
			return nil
		}
		return n
	case yaml.ScalarNode:
		src, pos := c.file.Scalar(y)
		n = &node{kind: yaml.ScalarNode, pos: pos, value: y.Value, null: y.Tag == "!!null", src: src, size: 1}
	case yaml.SequenceNode:
		n = &node{kind: yaml.SequenceNode, pos: c.file.ValuePos(y), size: 1}
		for _, child := range y.Content {
			item := c.convert(child, depth+1)
			if item == nil {
				return nil
			}
			n.size = min(n.size+item.size, syntax.MaxNodes+1)
			n.items = append(n.items, item)
			n.pos = syntax.Join(n.pos, item.pos)
		}
	case yaml.MappingNode:
		if n = c.mapping(y, depth); n == nil {
			return nil
		}
	default:
		return &node{kind: yaml.ScalarNode, null: true, pos: c.file.Start(y)}
	}
	if y.Anchor != "" {
		c.done[y] = n
	}
	return n
}

// mapping builds a mapping: explicit keys beat merged (`<<`) ones, the
// earlier merge source beats a later one, and a duplicate key keeps its
// last value (with a warning), as Travis's YAML loader does.
func (c *converter) mapping(y *yaml.Node, depth int) *node {
	n := &node{kind: yaml.MappingNode, pos: c.file.ValuePos(y), size: 1}
	var merged []pair
	at := map[string]int{}
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky, vy := y.Content[i], y.Content[i+1]
		if ky.Tag == "!!merge" && ky.Kind == yaml.ScalarNode {
			m := c.convert(vy, depth+1)
			if m == nil {
				return nil
			}
			for _, source := range m.list() {
				if !source.isMap() {
					c.errorf(vy, "a merge key (<<) needs a mapping or a list of mappings")
					continue
				}
				merged = append(merged, source.pairs...)
				n.size = min(n.size+source.size, syntax.MaxNodes+1)
			}
			continue
		}
		k, v := c.convert(ky, depth+1), c.convert(vy, depth+1)
		if k == nil || v == nil {
			return nil
		}
		n.pos = syntax.Join(n.pos, v.pos)
		n.size = min(n.size+k.size+v.size, syntax.MaxNodes+1)
		if !k.isScalar() {
			c.errorf(ky, "a mapping key must be a scalar")
			continue
		}
		if i, ok := at[k.value]; ok {
			c.warnings = append(c.warnings, &model.ParseError{Pos: k.pos, Message: fmt.Sprintf(
				"duplicate key %q: the one at line %d is ignored", k.value, n.pairs[i].key.pos.Line)})
			n.pairs[i] = pair{k, v}
			continue
		}
		at[k.value] = len(n.pairs)
		n.pairs = append(n.pairs, pair{k, v})
	}
	for _, p := range merged {
		if _, ok := at[p.key.value]; !ok {
			at[p.key.value] = len(n.pairs)
			n.pairs = append(n.pairs, p)
		}
	}
	return n
}
