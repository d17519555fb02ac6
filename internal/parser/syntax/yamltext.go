package syntax

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"gopkg.in/yaml.v3"
)

// YAMLFile is one loaded YAML file as the parsers of YAML systems share
// it: its text, for mapping scalars back to columns, and where its scalars
// are, for telling comments from `#` inside strings.
type YAMLFile struct {
	Path  string   // the display path positions are written with
	Lines [][]rune // without line breaks, counted as the YAML reader counts them
	// scalarSpans lists, per line, the column ranges [from, to) covered by
	// scalars; a line inside a multi-line scalar is covered entirely.
	scalarSpans map[int]*Ranges
}

// NewYAMLFile splits a file's text into lines as the YAML reader sees them.
func NewYAMLFile(path string, src []byte) *YAMLFile {
	// The YAML reader drops a byte-order mark before counting columns, and
	// ends lines at every YAML line break (a lone \r too).
	text := YAMLLines(strings.TrimPrefix(string(src), bom))
	lines := make([][]rune, len(text))
	for i, l := range text {
		lines[i] = []rune(strings.TrimRight(l, YAMLLineBreaks))
	}
	return &YAMLFile{Path: path, Lines: lines, scalarSpans: map[int]*Ranges{}}
}

// bom is UTF-8's byte-order mark.
const bom = "\uFEFF"

// At returns the character at a 1-based line and column, '\n' just after
// the end of a line, and false past the end of the file.
func (f *YAMLFile) At(line, col int) (rune, bool) {
	if line < 1 || line > len(f.Lines) {
		return 0, false
	}
	l := f.Lines[line-1]
	switch {
	case col-1 < len(l):
		return l[col-1], true
	case line == len(f.Lines):
		return 0, false
	default:
		return '\n', true
	}
}

// Cover records that a scalar runs from from.Line:Column to the exclusive
// end to.EndLine:EndColumn.
func (f *YAMLFile) Cover(from, to model.Pos) {
	if from.Line == to.EndLine {
		f.ranges(from.Line).Add(from.Column, to.EndColumn)
		return
	}
	for l := from.Line; l <= to.EndLine; l++ {
		f.ranges(l).Add(1, 1<<30)
	}
}

func (f *YAMLFile) ranges(line int) *Ranges {
	r := f.scalarSpans[line]
	if r == nil {
		r = &Ranges{}
		f.scalarSpans[line] = r
	}
	return r
}

func (f *YAMLFile) covered(line, col int) bool {
	return f.scalarSpans[line].Covers(col)
}

// Comments finds the YAML comments of the file: a `#` at the start of a
// line or after a blank that is not inside a scalar.
func (f *YAMLFile) Comments() []model.Comment {
	var out []model.Comment
	for i, l := range f.Lines {
		line := i + 1
		for j, r := range l {
			if r != '#' || (j > 0 && l[j-1] != ' ' && l[j-1] != '\t') || f.covered(line, j+1) {
				continue
			}
			out = append(out, model.Comment{
				Text: string(l[j+1:]),
				Pos:  model.Pos{File: f.Path, Line: line, Column: j + 1, EndLine: line, EndColumn: len(l) + 1},
			})
			break
		}
	}
	return out
}

// ValueStart returns where the value written at line:col begins. yaml.v3
// positions a node with properties (`&anchor`, `!tag`) at its first
// property; the value follows them and the blanks, comments and line
// breaks after them. An empty value begins right after its properties.
func (f *YAMLFile) ValueStart(line, col int, empty bool) (int, int) {
	blank := func(r rune) bool { return r == ' ' || r == '\t' }
	for {
		r, _ := f.At(line, col)
		if r != '&' && r != '!' {
			return line, col
		}
		next, _ := f.At(line, col+1)
		verbatim := r == '!' && next == '<' // !<tag:yaml.org,2002:str>
		for {
			r, ok := f.At(line, col)
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
			r, ok := f.At(line, col)
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

// Scalar is where a scalar's text was written, for positioning its
// characters (Span, Locate).
type Scalar struct {
	File      *YAMLFile
	Line, Col int // where the value begins: its first character, opening quote or block indicator
	Style     yaml.Style
}

// scalarPoint is where a character of a scalar's text was written; width
// is the number of source columns it takes (2 for the escape \t or a doubled
// single quote).
type scalarPoint struct{ line, col, width int }

// points returns, for every character of text, where it was written. The
// text is walked alongside the source; source blanks that YAML folded or
// stripped (indentation, line breaks) are skipped and escape sequences are
// stepped over, so every character lands on its own source column.
func (s *Scalar) points(text string) []scalarPoint {
	style := s.Style &^ (yaml.TaggedStyle | yaml.FlowStyle)
	cur := scalarPoint{s.Line, s.Col, 1}
	switch style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		cur = scalarPoint{s.Line + 1, 1, 1}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		cur.col++
	}
	next := func(p scalarPoint) scalarPoint {
		if r, _ := s.File.At(p.line, p.col); r == '\n' {
			return scalarPoint{p.line + 1, 1, 1}
		}
		return scalarPoint{p.line, p.col + 1, 1}
	}
	pts := make([]scalarPoint, 0, len(text))
	for _, r := range text {
		for {
			c, ok := s.File.At(cur.line, cur.col)
			if !ok {
				pts = append(pts, cur)
				break
			}
			if style == yaml.DoubleQuotedStyle && c == '\\' {
				e, _ := s.File.At(cur.line, cur.col+1)
				if e == '\n' { // an escaped line break joins lines
					cur = scalarPoint{cur.line + 1, 1, 1}
					continue
				}
				escape := scalarPoint{cur.line, cur.col, escapeWidth(e)}
				pts = append(pts, escape)
				cur.col += escape.width
				break
			}
			if style == yaml.SingleQuotedStyle && c == '\'' && r == '\'' {
				pts = append(pts, scalarPoint{cur.line, cur.col, 2})
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

// Span computes a scalar's Pos from its points: from the first to just
// after the last character of the content, without quotes, and for a block
// scalar without the indicator and the leading and trailing line breaks.
func (s *Scalar) Span(text string) model.Pos {
	pos := model.Pos{File: s.File.Path, Line: s.Line, Column: s.Col, EndLine: s.Line, EndColumn: s.Col}
	style := s.Style &^ (yaml.TaggedStyle | yaml.FlowStyle)
	pts := s.points(text)
	if style == yaml.DoubleQuotedStyle || style == yaml.SingleQuotedStyle {
		if len(pts) == 0 { // "": an empty span between the quotes
			pos.Column++
			pos.EndColumn++
			return pos
		}
		first, last := pts[0], pts[len(pts)-1]
		return model.Pos{File: s.File.Path, Line: first.line, Column: first.col, EndLine: last.line, EndColumn: last.col + last.width}
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

// Locate maps a line and column of the scalar's text (as shell.Locate
// expects) to the file. A column past the end of a text line maps just
// after its last character.
func (s *Scalar) Locate(text string) func(line, col int) model.Pos {
	var pts []scalarPoint
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
			return model.Pos{File: s.File.Path, Line: s.Line, Column: s.Col, EndLine: s.Line, EndColumn: s.Col}
		}
		lineEnd := len(pts)
		if line < len(lineStarts) {
			lineEnd = lineStarts[line] - 1 // index of the '\n'
		}
		i := lineStarts[line-1] + max(col, 1) - 1
		var p scalarPoint
		switch {
		case i < lineEnd:
			p = pts[i]
		case lineEnd > lineStarts[line-1]:
			p = pts[lineEnd-1]
			p.col++
		default: // an empty line
			p = pts[min(lineStarts[line-1], len(pts)-1)]
		}
		return model.Pos{File: s.File.Path, Line: p.line, Column: p.col, EndLine: p.line, EndColumn: p.col + 1}
	}
}

// ScalarText positions byte ranges of one scalar's text. Ranges asked for
// in increasing order take time linear in the text altogether, however
// many there are.
type ScalarText struct {
	text   string
	locate func(line, col int) model.Pos
	// The last offset converted to a point, and its line and column.
	offset, line, col int
}

// NewScalarText positions the text of a scalar whose characters locate
// places (a Scalar's Locate).
func NewScalarText(text string, locate func(line, col int) model.Pos) *ScalarText {
	return &ScalarText{text: text, locate: locate, line: 1, col: 1}
}

// Substring returns the bytes [from, to) of the scalar, positioned within
// it.
func (s *ScalarText) Substring(from, to int) model.String {
	start := s.locate(s.point(from))
	end := s.locate(s.point(to))
	start.EndLine, start.EndColumn = end.Line, end.Column
	return model.String{Value: s.text[from:to], Pos: start}
}

// point converts a byte offset of the text to a 1-based line and column,
// counting on from the last offset converted.
func (s *ScalarText) point(offset int) (line, col int) {
	if offset < s.offset {
		s.offset, s.line, s.col = 0, 1, 1
	}
	for _, r := range s.text[s.offset:offset] {
		if r == '\n' {
			s.line, s.col = s.line+1, 1
		} else {
			s.col++
		}
	}
	s.offset = offset
	return s.line, s.col
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// YAMLError turns a yaml.v3 error ("yaml: line 3: did not find ...") into
// a ParseError at that line.
func YAMLError(path string, err error) *model.ParseError {
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return &model.ParseError{Pos: model.Pos{File: path, Line: line, Column: 1, EndLine: line, EndColumn: 1}, Message: "invalid YAML: " + msg}
}
