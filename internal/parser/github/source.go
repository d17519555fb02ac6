package github

import (
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// point is a 1-based line and column (in code points) of the source.
type point struct{ line, col int }

// source is one file's text with its YAML nodes indexed by position, so
// that a value actionlint reports by its start can be traced back to the
// exact span it was written in.
//
// The nodes come from go.yaml.in/yaml/v4, the parser actionlint itself
// uses, so the positions of both trees agree by construction.
type source struct {
	file        string
	lines       [][]rune
	scalars     map[point]*yaml.Node
	collections map[point]*yaml.Node
	values      map[*yaml.Node]*yaml.Node // mapping key → its value
	layouts     map[*yaml.Node]*layout
}

func newSource(file string, src []byte, root *yaml.Node) *source {
	// The YAML reader drops a byte-order mark before counting columns.
	raw := syntax.YAMLLines(strings.TrimPrefix(string(src), "\uFEFF"))
	s := &source{
		file:        file,
		lines:       make([][]rune, len(raw)),
		scalars:     map[point]*yaml.Node{},
		collections: map[point]*yaml.Node{},
		values:      map[*yaml.Node]*yaml.Node{},
		layouts:     map[*yaml.Node]*layout{},
	}
	for i, line := range raw {
		s.lines[i] = []rune(strings.TrimRight(line, syntax.YAMLLineBreaks))
	}
	s.index(root)
	return s
}

func (s *source) index(n *yaml.Node) {
	p := point{n.Line, n.Column}
	switch n.Kind {
	case yaml.ScalarNode:
		s.scalars[p] = n
	case yaml.MappingNode, yaml.SequenceNode:
		// A block mapping starts where its first key does; keep the outer one.
		if _, seen := s.collections[p]; !seen {
			s.collections[p] = n
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				s.values[n.Content[i]] = n.Content[i+1]
			}
		}
	}
	for _, c := range n.Content {
		s.index(c)
	}
}

// at returns the rune at p; the end of every line but the last reads as '\n'.
func (s *source) at(p point) (rune, bool) {
	if p.line < 1 || p.line > len(s.lines) || p.col < 1 {
		return 0, false
	}
	line := s.lines[p.line-1]
	switch {
	case p.col <= len(line):
		return line[p.col-1], true
	case p.col == len(line)+1 && p.line < len(s.lines):
		return '\n', true
	}
	return 0, false
}

func (s *source) next(p point) point {
	if p.line >= 1 && p.line <= len(s.lines) && p.col <= len(s.lines[p.line-1]) {
		return point{p.line, p.col + 1}
	}
	return point{p.line + 1, 1}
}

func (s *source) pos(start, end point) model.Pos {
	start, end = s.clamp(start), s.clamp(end)
	return model.Pos{File: s.file, Line: start.line, Column: start.col, EndLine: end.line, EndColumn: end.col}
}

// clamp keeps p inside the file: the parser places an empty value at the
// end of the input on the line after it.
func (s *source) clamp(p point) point {
	switch last := len(s.lines); {
	case p.line > last:
		return point{last, len(s.lines[last-1]) + 1}
	case p.line < 1:
		return point{1, 1}
	}
	return point{p.line, max(p.col, 1)}
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }

// layout maps every rune of a scalar's value to where it was written.
type layout struct {
	start, end point // the value's own text, end exclusive
	outerEnd   point // end including a closing quote
	runes      []point
	lineStarts []int // offset in runes of each line of the value
}

func (s *source) layout(n *yaml.Node) *layout {
	if l, ok := s.layouts[n]; ok {
		return l
	}
	value := []rune(n.Value)
	l := &layout{runes: make([]point, len(value)), lineStarts: []int{0}}
	for i, r := range value {
		if r == '\n' {
			l.lineStarts = append(l.lineStarts, i+1)
		}
	}
	begin := s.skipProperties(point{n.Line, n.Column})
	var ok bool
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		ok = s.layoutBlock(l, value, begin, n.Style&yaml.LiteralStyle != 0)
	case n.Style&yaml.DoubleQuotedStyle != 0:
		ok = s.layoutQuoted(l, value, begin, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		ok = s.layoutQuoted(l, value, begin, '\'')
	default:
		ok = s.layoutPlain(l, value, begin)
	}
	if !ok {
		s.layoutUnknown(l, value, begin)
	}
	s.layouts[n] = l
	return l
}

// string is a scalar with the span of its text: inside quotes, and for a
// block scalar from the first character of its content, not the indicator.
func (s *source) string(n *yaml.Node) model.String {
	l := s.layout(n)
	return model.String{Value: n.Value, Pos: s.pos(l.start, l.end)}
}

// trimmed is string(n) without the blanks around its text, the way GitHub
// reads a reference written as a block scalar (`uses: |`), whose value
// ends with a line break.
func (s *source) trimmed(n *yaml.Node) model.String {
	str := s.string(n)
	value := []rune(n.Value)
	first := slices.IndexFunc(value, func(r rune) bool { return !unicode.IsSpace(r) })
	if first < 0 {
		return str
	}
	last := len(value) - 1
	for unicode.IsSpace(value[last]) {
		last--
	}
	if first == 0 && last == len(value)-1 {
		return str
	}
	l := s.layout(n)
	end := l.runes[last]
	return model.String{Value: string(value[first : last+1]), Pos: s.pos(l.runes[first], point{end.line, end.col + 1})}
}

// skipProperties steps over an anchor (&a) or tag (!!str) before a value.
func (s *source) skipProperties(p point) point {
	for {
		c, _ := s.at(p)
		if c != '&' && c != '!' {
			return p
		}
		for c, ok := s.at(p); ok && !isBlank(c); c, ok = s.at(p) {
			p = s.next(p)
		}
		for c, ok := s.at(p); ok && isBlank(c); c, ok = s.at(p) {
			p = s.next(p)
		}
	}
}

func (s *source) layoutPlain(l *layout, value []rune, begin point) bool {
	l.start = begin
	cur, ok := s.walk(l, value, begin, 0)
	l.end, l.outerEnd = cur, cur
	if len(value) > 0 {
		l.start = l.runes[0]
		l.end = point{l.runes[len(value)-1].line, l.runes[len(value)-1].col + 1}
		l.outerEnd = l.end
	}
	return ok
}

func (s *source) layoutQuoted(l *layout, value []rune, begin point, quote rune) bool {
	if c, _ := s.at(begin); c != quote {
		return false
	}
	l.start = s.next(begin)
	cur, ok := s.walk(l, value, l.start, quote)
	if !ok {
		return false
	}
	for c, ok := s.at(cur); ok && c != quote; c, ok = s.at(cur) {
		if !isBlank(c) && c != '\\' {
			return false
		}
		cur = s.next(cur)
	}
	if c, _ := s.at(cur); c != quote {
		return false
	}
	l.end, l.outerEnd = cur, s.next(cur)
	return true
}

// layoutBlock handles `|` and `>` scalars, whose text starts on the line
// after the indicator.
func (s *source) layoutBlock(l *layout, value []rune, begin point, literal bool) bool {
	if c, _ := s.at(begin); c != '|' && c != '>' {
		return false
	}
	header := begin
	for c, ok := s.at(s.next(header)); ok && strings.ContainsRune("0123456789+-", c); c, ok = s.at(s.next(header)) {
		header = s.next(header)
	}
	body := point{begin.line + 1, 1}
	ok := literal && s.layoutLiteral(l, value, body.line)
	if !ok {
		if _, ok = s.walk(l, value, body, 0); !ok {
			return false
		}
	}
	first, last := -1, -1
	for i, r := range value {
		if r != '\n' {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 { // empty text: point at the indicator
		l.start, l.end = begin, s.next(header)
	} else {
		l.start = l.runes[first]
		l.end = point{l.runes[last].line, l.runes[last].col + 1}
	}
	l.outerEnd = l.end
	return true
}

// layoutLiteral maps a `|` scalar line by line: value line i is source line
// body+i with the block's indentation removed.
func (s *source) layoutLiteral(l *layout, value []rune, body int) bool {
	indent, ok := s.blockIndent(value, body)
	if !ok {
		return false
	}
	line, col := body, indent+1
	for i, r := range value {
		if line > len(s.lines) {
			return false
		}
		src := s.lines[line-1]
		if r == '\n' {
			l.runes[i] = point{line, min(col, len(src)+1)}
			line, col = line+1, indent+1
			continue
		}
		if col > len(src) || src[col-1] != r {
			return false
		}
		l.runes[i] = point{line, col}
		col++
	}
	return true
}

// blockIndent is the indentation of a block scalar's text: the leading
// spaces of its first non-blank source line, less the spaces the value
// itself keeps there (set by an explicit indentation indicator such as |2).
func (s *source) blockIndent(value []rune, body int) (int, bool) {
	kept := 0
	for _, r := range value {
		if r == ' ' {
			kept++
			continue
		}
		if r == '\n' {
			kept = 0
			continue
		}
		break
	}
	for line := body; line <= len(s.lines); line++ {
		text := string(s.lines[line-1])
		if strings.TrimSpace(text) == "" {
			continue
		}
		lead := len(text) - len(strings.TrimLeft(text, " "))
		return lead - kept, lead >= kept
	}
	return 0, false
}

// walk maps the runes of a flow scalar (plain or quoted) or a folded block
// by matching them against the source from cur. Source blanks that the
// value does not have were folded or trimmed away, and a blank of the value
// that the source does not have was produced by folding a line break; both
// are skipped. It fails on any other difference.
func (s *source) walk(l *layout, value []rune, cur point, quote rune) (point, bool) {
	for i, r := range value {
		if !isBlank(r) {
			for {
				c, ok := s.at(cur)
				if !ok {
					return cur, false
				}
				if isBlank(c) {
					cur = s.next(cur)
					continue
				}
				if quote == '"' && c == '\\' {
					if n, _ := s.at(s.next(cur)); n == '\n' { // escaped line break
						cur = s.next(s.next(cur))
						continue
					}
				}
				break
			}
		}
		c, _ := s.at(cur)
		switch {
		case quote == '"' && c == '\\':
			l.runes[i] = cur
			cur = s.skipEscape(cur)
		case quote == '\'' && c == '\'':
			if n, _ := s.at(s.next(cur)); n != '\'' || r != '\'' {
				return cur, false
			}
			l.runes[i] = cur
			cur = s.next(s.next(cur))
		case c == r:
			l.runes[i] = cur
			cur = s.next(cur)
		case isBlank(r):
			l.runes[i] = cur
		default:
			return cur, false
		}
	}
	return cur, true
}

// skipEscape steps over one escape sequence of a double-quoted scalar.
func (s *source) skipEscape(p point) point {
	p = s.next(p)
	c, _ := s.at(p)
	digits := map[rune]int{'x': 2, 'u': 4, 'U': 8}[c]
	for range digits + 1 {
		p = s.next(p)
	}
	return p
}

// layoutUnknown is the fallback for text the other layouts cannot match:
// everything maps to the value's start.
func (s *source) layoutUnknown(l *layout, value []rune, begin point) {
	for i := range l.runes {
		l.runes[i] = begin
	}
	firstLine := len(value)
	if len(l.lineStarts) > 1 {
		firstLine = l.lineStarts[1] - 1
	}
	l.start = begin
	l.end = point{begin.line, begin.col + firstLine}
	l.outerEnd = l.end
}

// locate maps a line and column of a scalar's value to the source.
func (s *source) locate(n *yaml.Node) shell.Locate {
	l := s.layout(n)
	return func(line, column int) model.Pos {
		if line < 1 || line > len(l.lineStarts) {
			return s.pos(l.start, l.start)
		}
		lineEnd := len(l.runes)
		if line < len(l.lineStarts) {
			lineEnd = l.lineStarts[line] - 1 // the '\n'
		}
		offset := min(l.lineStarts[line-1]+max(column, 1)-1, lineEnd)
		if offset >= len(l.runes) {
			return s.pos(l.end, l.end)
		}
		p := l.runes[offset]
		return s.pos(p, point{p.line, p.col + 1})
	}
}

// outer is the whole span of a node, quotes, brackets and children included.
func (s *source) outer(n *yaml.Node) (start, end point) {
	start = point{n.Line, n.Column}
	switch n.Kind {
	case yaml.ScalarNode:
		return start, s.layout(n).outerEnd
	case yaml.AliasNode:
		end = s.next(start)
		for c, ok := s.at(end); ok && !isBlank(c) && !strings.ContainsRune(",]}", c); c, ok = s.at(end) {
			end = s.next(end)
		}
		return start, end
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		end = start
		if len(n.Content) > 0 {
			_, end = s.outer(n.Content[len(n.Content)-1])
		} else if n.Kind != yaml.DocumentNode {
			end = s.next(start) // past the opening bracket of [] or {}
		}
		if n.Style&yaml.FlowStyle != 0 {
			end = s.closeBracket(end)
		}
	}
	return start, end
}

// closeBracket finds the end of a flow collection after its last element.
func (s *source) closeBracket(p point) point {
	for c, ok := s.at(p); ok; c, ok = s.at(p) {
		switch {
		case c == ']' || c == '}':
			return s.next(p)
		case c == '#':
			p = point{p.line + 1, 1}
		case isBlank(c) || c == ',':
			p = s.next(p)
		default:
			return p
		}
	}
	return p
}

// entry is the span of a node together with its mapping key, if it is the
// key of a mapping entry (`key: value`); otherwise it is the node's own.
func (s *source) entry(n *yaml.Node) model.Pos {
	start, end := s.outer(n)
	if value, ok := s.values[n]; ok {
		_, end = s.outer(value)
		if end.line < start.line || (end.line == start.line && end.col < start.col) {
			end = start // an alias value points at its anchor elsewhere
		}
	}
	return s.pos(start, end)
}

// text is the exact source text of a span.
func (s *source) text(start, end point) string {
	var b strings.Builder
	for p := start; p.line < end.line || (p.line == end.line && p.col < end.col); p = s.next(p) {
		c, ok := s.at(p)
		if !ok {
			break
		}
		b.WriteRune(c)
	}
	return b.String()
}

// comments lists every YAML comment: a '#' at the start of a line or after
// a blank that is not inside a scalar.
func (s *source) comments() []model.Comment {
	inside := map[int]*syntax.Ranges{} // line → column ranges covered by scalars
	cover := func(start, end point) {
		for line := start.line; line <= end.line; line++ {
			from, to := 1, 1<<30
			if line == start.line {
				from = start.col
			}
			if line == end.line {
				to = end.col
			}
			if inside[line] == nil {
				inside[line] = &syntax.Ranges{}
			}
			inside[line].Add(from, to)
		}
	}
	for _, n := range s.scalars {
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 {
			continue // a plain scalar never holds " #": YAML ends it there
		}
		l := s.layout(n)
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			// The header line may carry a real comment (`run: | # note`).
			if l.start.line > n.Line {
				cover(l.start, l.end)
			}
			continue
		}
		cover(point{n.Line, n.Column}, l.outerEnd)
	}
	var out []model.Comment
	for i, line := range s.lines {
		for col := 1; col <= len(line); col++ {
			if line[col-1] != '#' || (col > 1 && line[col-2] != ' ' && line[col-2] != '\t') {
				continue
			}
			if inside[i+1].Covers(col) {
				continue
			}
			text := strings.TrimRight(string(line[col:]), " \t")
			end := col + 1 + len([]rune(text))
			out = append(out, model.Comment{
				Text: strings.TrimSpace(text),
				Pos:  s.pos(point{i + 1, col}, point{i + 1, end}),
			})
			break
		}
	}
	return out
}

// document spans the whole file up to its last non-blank character.
func (s *source) document() model.Pos {
	for i := len(s.lines) - 1; i >= 0; i-- {
		if text := strings.TrimRight(string(s.lines[i]), " \t"); text != "" {
			return s.pos(point{1, 1}, point{i + 1, len([]rune(text)) + 1})
		}
	}
	return s.pos(point{1, 1}, point{1, 1})
}
