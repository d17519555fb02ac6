package jenkins

import (
	"sort"
	"unicode/utf8"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/pipelint/pipelint/internal/model"
)

// positions turns byte offsets of one file into model positions. The Groovy
// parser counts columns in bytes; the model counts them in code points.
//
// Lines end where Groovy ends them: at \n, \r\n or a lone \r. A byte-order
// mark at the start of the file is not a column: editors do not show it.
type positions struct {
	file       string
	src        []byte
	lineStarts []int
	// bom is the length of the file's byte-order mark, 0 or 3.
	bom int
	// marks, when the file is not all ASCII, count the code points before
	// a rune boundary near every markStep-th byte, so that a column is
	// counted from the nearest mark instead of from the line's start (lines
	// may be megabytes long). Nil when every byte is a code point.
	marks []runeMark
}

// runeMark is a rune boundary of the file and the code points before it.
type runeMark struct{ offset, runes int }

const markStep = 64

// bom is UTF-8's byte-order mark.
const bom = "\uFEFF"

func newPositions(file string, src []byte) *positions {
	p := &positions{file: file, src: src, lineStarts: []int{0}}
	if len(src) >= len(bom) && string(src[:len(bom)]) == bom {
		p.bom = len(bom)
	}
	ascii := true
	for i, b := range src {
		switch {
		case b == '\n':
			p.lineStarts = append(p.lineStarts, i+1)
		case b == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			p.lineStarts = append(p.lineStarts, i+1)
		case b >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii {
		p.marks = make([]runeMark, 0, len(src)/markStep+1)
		runes := 0
		for i := 0; i < len(src); runes++ {
			for len(p.marks)*markStep <= i {
				p.marks = append(p.marks, runeMark{offset: i, runes: runes})
			}
			_, size := utf8.DecodeRune(src[i:])
			i += size
		}
	}
	return p
}

// point returns the 1-based line and code-point column of a byte offset.
func (p *positions) point(offset int) (line, column int) {
	offset = min(max(offset, 0), len(p.src))
	i := sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > offset }) - 1
	start := p.lineStarts[i]
	if i == 0 {
		start = min(p.bom, offset)
	}
	return i + 1, p.runesBefore(offset) - p.runesBefore(start) + 1
}

// runesBefore counts the code points before a byte offset that starts a
// line or a token: utf8.RuneCount(src[:offset]), in constant time.
func (p *positions) runesBefore(offset int) int {
	if p.marks == nil {
		return offset
	}
	m := p.marks[min(offset/markStep, len(p.marks)-1)]
	if m.offset > offset { // a rune straddles the mark's step
		m = p.marks[offset/markStep-1]
	}
	return m.runes + utf8.RuneCount(p.src[m.offset:offset])
}

// span returns the position of the half-open byte range [start, end).
func (p *positions) span(start, end int) model.Pos {
	line, column := p.point(start)
	endLine, endColumn := p.point(max(start, end))
	return model.Pos{File: p.file, Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
}

// node returns the position of a CST node's text, leaving out the
// whitespace and comments the parser attaches to its first and last tokens.
func (p *positions) node(n *cst.Node) model.Pos {
	start, end := textSpan(n)
	return p.span(start, end)
}

// str returns a model string for text written at n.
func (p *positions) str(value string, n *cst.Node) model.String {
	return model.String{Value: value, Pos: p.node(n)}
}

// textSpan returns the byte range of n from its first token's text to its
// last token's text.
func textSpan(n *cst.Node) (start, end int) {
	first, last := n.FirstToken(), n.LastToken()
	if first == nil || last == nil {
		s := n.Span()
		return s.Start, s.Start
	}
	start, _ = first.Token().TextSpan()
	_, end = last.Token().TextSpan()
	return start, max(start, end)
}

// sourceText returns the source of n without its surrounding trivia.
func (p *positions) sourceText(n *cst.Node) string {
	start, end := textSpan(n)
	return string(p.src[start:end])
}
