package gitlab

import (
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// join spans from the start of a to the end of b when both are in one
// file, else it is a.
func join(a, b model.Pos) model.Pos {
	if a.File == b.File && (b.EndLine > a.Line || b.EndLine == a.Line && b.EndColumn >= a.Column) {
		a.EndLine, a.EndColumn = b.EndLine, b.EndColumn
	}
	return a
}

// locator maps the scalar's text to the file for shell.Split.
func (n *node) locator() shell.Locate {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	return n.src.Locate(n.value)
}

// scalarText positions byte ranges of one scalar's text. Ranges asked for
// in increasing order take time linear in the text altogether, however
// many there are.
type scalarText struct {
	n      *node
	locate shell.Locate
	// The last offset converted to a point, and its line and column.
	offset, line, col int
}

func newScalarText(n *node) *scalarText {
	return &scalarText{n: n, locate: n.locator(), line: 1, col: 1}
}

// substring returns the bytes [from, to) of the scalar, positioned within
// it.
func (s *scalarText) substring(from, to int) model.String {
	start := s.locate(s.point(from))
	end := s.locate(s.point(to))
	start.EndLine, start.EndColumn = end.Line, end.Column
	return model.String{Value: s.n.value[from:to], Pos: start}
}

// point converts a byte offset of the text to a 1-based line and column,
// counting on from the last offset converted.
func (s *scalarText) point(offset int) (line, col int) {
	if offset < s.offset {
		s.offset, s.line, s.col = 0, 1, 1
	}
	for _, r := range s.n.value[s.offset:offset] {
		if r == '\n' {
			s.line, s.col = s.line+1, 1
		} else {
			s.col++
		}
	}
	s.offset = offset
	return s.line, s.col
}
