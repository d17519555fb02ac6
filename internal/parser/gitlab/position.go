package gitlab

import (
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// locator maps the scalar's text to the file for shell.Split.
func (n *node) locator() shell.Locate {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	return n.src.Locate(n.value)
}

// newScalarText positions byte ranges of a scalar's text.
func newScalarText(n *node) *syntax.ScalarText { return syntax.NewScalarText(n.value, n.locator()) }
