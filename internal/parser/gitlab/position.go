package gitlab

import (
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
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

// newScalarText positions byte ranges of a scalar's text.
func newScalarText(n *node) *syntax.ScalarText { return syntax.NewScalarText(n.value, n.locator()) }
