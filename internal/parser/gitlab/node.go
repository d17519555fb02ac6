package gitlab

import (
	"fmt"
	"strings"

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
	src *scalarSource
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

// sourceFile is one loaded file: its text, for mapping scalars back to
// columns, and where its scalars are, for telling comments from `#` inside
// strings.
type sourceFile struct {
	path  string
	lines [][]rune
	// scalarSpans lists, per line, the column ranges [from, to) covered by
	// scalars; a line inside a multi-line scalar is covered entirely.
	scalarSpans map[int]*syntax.Ranges
}

func newSourceFile(path string, src []byte) *sourceFile {
	// The YAML reader drops a byte-order mark before counting columns, and
	// ends lines at every YAML line break (a lone \r too).
	text := syntax.YAMLLines(strings.TrimPrefix(string(src), bom))
	lines := make([][]rune, len(text))
	for i, l := range text {
		lines[i] = []rune(strings.TrimRight(l, syntax.YAMLLineBreaks))
	}
	return &sourceFile{path: path, lines: lines, scalarSpans: map[int]*syntax.Ranges{}}
}

// bom is UTF-8's byte-order mark.
const bom = "\uFEFF"

// at returns the character at a 1-based line and column, '\n' just after
// the end of a line, and false past the end of the file.
func (f *sourceFile) at(line, col int) (rune, bool) {
	if line < 1 || line > len(f.lines) {
		return 0, false
	}
	l := f.lines[line-1]
	switch {
	case col-1 < len(l):
		return l[col-1], true
	case line == len(f.lines):
		return 0, false
	default:
		return '\n', true
	}
}

// cover records that a scalar runs from from.Line:Column to the exclusive
// end to.EndLine:EndColumn.
func (f *sourceFile) cover(from, to model.Pos) {
	if from.Line == to.EndLine {
		f.ranges(from.Line).Add(from.Column, to.EndColumn)
		return
	}
	for l := from.Line; l <= to.EndLine; l++ {
		f.ranges(l).Add(1, 1<<30)
	}
}

func (f *sourceFile) ranges(line int) *syntax.Ranges {
	r := f.scalarSpans[line]
	if r == nil {
		r = &syntax.Ranges{}
		f.scalarSpans[line] = r
	}
	return r
}

func (f *sourceFile) covered(line, col int) bool {
	return f.scalarSpans[line].Covers(col)
}

// comments finds the YAML comments of the file: a `#` at the start of a
// line or after a blank that is not inside a scalar.
func (f *sourceFile) comments() []model.Comment {
	var out []model.Comment
	for i, l := range f.lines {
		line := i + 1
		for j, r := range l {
			if r != '#' || (j > 0 && l[j-1] != ' ' && l[j-1] != '\t') || f.covered(line, j+1) {
				continue
			}
			out = append(out, model.Comment{
				Text: string(l[j+1:]),
				Pos:  model.Pos{File: f.path, Line: line, Column: j + 1, EndLine: line, EndColumn: len(l) + 1},
			})
			break
		}
	}
	return out
}

// valueStart returns where the value written at line:col begins. yaml.v3
// positions a node with properties (`&anchor`, `!tag`) at its first
// property; the value follows them and the blanks, comments and line
// breaks after them. An empty value begins right after its properties.
func (f *sourceFile) valueStart(line, col int, empty bool) (int, int) {
	blank := func(r rune) bool { return r == ' ' || r == '\t' }
	for {
		r, _ := f.at(line, col)
		if r != '&' && r != '!' {
			return line, col
		}
		next, _ := f.at(line, col+1)
		verbatim := r == '!' && next == '<' // !<tag:yaml.org,2002:str>
		for {
			r, ok := f.at(line, col)
			if !ok || r == '\n' || blank(r) || !verbatim && strings.ContainsRune(",[]{}", r) {
				break
			}
			col++
			if verbatim && r == '>' {
				break
			}
		}
		endLine, endCol := line, col
	separation:
		for {
			r, ok := f.at(line, col)
			switch {
			case !ok:
				return endLine, endCol
			case blank(r):
				col++
			case r == '\n' || r == '#': // after a blank, `#` starts a comment
				if empty {
					return endLine, endCol
				}
				line, col = line+1, 1
			default:
				break separation
			}
		}
	}
}

// scalarSource is where a scalar's text was written.
type scalarSource struct {
	file      *sourceFile
	line, col int // where the value begins: its first character, opening quote or block indicator
	style     yaml.Style
}

// point is where a character of a scalar's text was written; width is the
// number of source columns it takes (2 for the escape \t or a doubled
// single quote).
type point struct{ line, col, width int }

// points returns, for every character of text, where it was written. The
// text is walked alongside the source; source blanks that YAML folded or
// stripped (indentation, line breaks) are skipped and escape sequences are
// stepped over, so every character lands on its own source column.
func (s *scalarSource) points(text string) []point {
	style := s.style &^ (yaml.TaggedStyle | yaml.FlowStyle)
	cur := point{s.line, s.col, 1}
	switch style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		cur = point{s.line + 1, 1, 1}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		cur.col++
	}
	next := func(p point) point {
		if r, _ := s.file.at(p.line, p.col); r == '\n' {
			return point{p.line + 1, 1, 1}
		}
		return point{p.line, p.col + 1, 1}
	}
	pts := make([]point, 0, len(text))
	for _, r := range text {
		for {
			c, ok := s.file.at(cur.line, cur.col)
			if !ok {
				pts = append(pts, cur)
				break
			}
			if style == yaml.DoubleQuotedStyle && c == '\\' {
				e, _ := s.file.at(cur.line, cur.col+1)
				if e == '\n' { // an escaped line break joins lines
					cur = point{cur.line + 1, 1, 1}
					continue
				}
				escape := point{cur.line, cur.col, escapeWidth(e)}
				pts = append(pts, escape)
				cur.col += escape.width
				break
			}
			if style == yaml.SingleQuotedStyle && c == '\'' && r == '\'' {
				pts = append(pts, point{cur.line, cur.col, 2})
				cur.col += 2
				break
			}
			if c == r || r == ' ' && c == '\n' { // a folded line break reads as a space
				pts = append(pts, cur)
				cur = next(cur)
				break
			}
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				cur = next(cur)
				continue
			}
			pts = append(pts, cur) // unexpected: keep walking in step
			cur = next(cur)
			break
		}
	}
	return pts
}

// escapeWidth is the source width of a double-quoted escape starting with
// `\` followed by e.
func escapeWidth(e rune) int {
	switch e {
	case 'x':
		return 4
	case 'u':
		return 6
	case 'U':
		return 10
	}
	return 2
}

// span computes a scalar's Pos from its points: from the first to just
// after the last character of the content, without quotes, and for a block
// scalar without the indicator and the leading and trailing line breaks.
func (s *scalarSource) span(text string) model.Pos {
	pos := model.Pos{File: s.file.path, Line: s.line, Column: s.col, EndLine: s.line, EndColumn: s.col}
	style := s.style &^ (yaml.TaggedStyle | yaml.FlowStyle)
	pts := s.points(text)
	if style == yaml.DoubleQuotedStyle || style == yaml.SingleQuotedStyle {
		if len(pts) == 0 { // "": an empty span between the quotes
			pos.Column++
			pos.EndColumn++
			return pos
		}
		first, last := pts[0], pts[len(pts)-1]
		return model.Pos{File: s.file.path, Line: first.line, Column: first.col, EndLine: last.line, EndColumn: last.col + last.width}
	}
	first, last := -1, -1
	for i, r := range []rune(text) {
		if r == '\n' {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if last < 0 {
		return pos
	}
	if style == yaml.LiteralStyle || style == yaml.FoldedStyle {
		pos.Line, pos.Column = pts[first].line, pts[first].col
	}
	pos.EndLine, pos.EndColumn = pts[last].line, pts[last].col+pts[last].width
	return pos
}

// locate maps a line and column of the scalar's text (as shell.Locate
// expects) to the file. A column past the end of a text line maps just
// after its last character.
func (s *scalarSource) locate(text string) func(line, col int) model.Pos {
	var pts []point
	var lineStarts []int
	return func(line, col int) model.Pos {
		if pts == nil {
			pts = s.points(text)
			lineStarts = []int{0}
			for i, r := range []rune(text) {
				if r == '\n' {
					lineStarts = append(lineStarts, i+1)
				}
			}
		}
		if len(pts) == 0 || line < 1 || line > len(lineStarts) {
			return model.Pos{File: s.file.path, Line: s.line, Column: s.col, EndLine: s.line, EndColumn: s.col}
		}
		lineEnd := len(pts)
		if line < len(lineStarts) {
			lineEnd = lineStarts[line] - 1 // index of the '\n'
		}
		i := lineStarts[line-1] + max(col, 1) - 1
		var p point
		switch {
		case i < lineEnd:
			p = pts[i]
		case lineEnd > lineStarts[line-1]:
			p = pts[lineEnd-1]
			p.col++
		default: // an empty line
			p = pts[min(lineStarts[line-1], len(pts)-1)]
		}
		return model.Pos{File: s.file.path, Line: p.line, Column: p.col, EndLine: p.line, EndColumn: p.col + 1}
	}
}

// converter turns one file's yaml.Node tree into nodes, resolving aliases
// and merge keys (which work within a file only).
type converter struct {
	file *sourceFile
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
	return model.Pos{File: c.file.path, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column}
}

// valueStart is start without the node's anchor and tag.
func (c *converter) valueStart(n *yaml.Node) model.Pos {
	empty := n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&^yaml.TaggedStyle == 0
	line, col := c.file.valueStart(n.Line, n.Column, empty)
	return model.Pos{File: c.file.path, Line: line, Column: col, EndLine: line, EndColumn: col}
}

func (c *converter) source(y *yaml.Node) *scalarSource {
	start := c.valueStart(y)
	return &scalarSource{file: c.file, line: start.Line, col: start.Column, style: y.Style}
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
	pos := src.span(y.Value)
	from := model.Pos{Line: src.line, Column: src.col}
	if style := y.Style &^ yaml.TaggedStyle; style == yaml.LiteralStyle || style == yaml.FoldedStyle {
		from = model.Pos{Line: src.line + 1, Column: 1} // a comment may follow the indicator
	}
	c.file.cover(from, pos)
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
		return c.source(y).span(y.Value)
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
