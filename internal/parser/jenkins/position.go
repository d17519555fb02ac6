package jenkins

import (
	"sort"
	"unicode/utf8"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/pipelint/pipelint/internal/model"
)

// positions turns byte offsets of one file into model positions. The Groovy
// parser counts columns in bytes; the model counts them in code points.
type positions struct {
	file       string
	src        []byte
	lineStarts []int
}

func newPositions(file string, src []byte) *positions {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &positions{file: file, src: src, lineStarts: starts}
}

// point returns the 1-based line and code-point column of a byte offset.
func (p *positions) point(offset int) (line, column int) {
	offset = min(max(offset, 0), len(p.src))
	i := sort.Search(len(p.lineStarts), func(i int) bool { return p.lineStarts[i] > offset }) - 1
	return i + 1, utf8.RuneCount(p.src[p.lineStarts[i]:offset]) + 1
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
