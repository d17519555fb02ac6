package gitlab

import (
	"strings"

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
	return n.src.locate(n.value)
}

// substring returns the bytes [from, to) of a scalar, positioned within
// it.
func substring(n *node, from, to int) model.String {
	locate := n.locator()
	start := locate(textPoint(n.value, from))
	end := locate(textPoint(n.value, to))
	start.EndLine, start.EndColumn = end.Line, end.Column
	return model.String{Value: n.value[from:to], Pos: start}
}

// textPoint converts a byte offset in text to a 1-based line and column.
func textPoint(text string, offset int) (line, col int) {
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	return line, len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
}
