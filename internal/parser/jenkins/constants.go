package jenkins

import (
	"strings"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// constant is a variable the whole file gives one plain string literal
// and nothing else, so that a value naming it (an image) can be read as
// that literal.
type constant struct {
	value model.String // the literal, decoded, where it is written
	// env is true for an environment variable (an `environment {}`
	// entry, `env.X = 'v'`), which `env.X` reads too; a script variable
	// (`def X = 'v'`) is read only as X.
	env bool
}

// constants collects the file's constants. A name is one when it is
// assigned exactly once in the whole file (a declaration, an assignment,
// an `environment {}` entry), to a string literal without interpolation,
// and is never a function's or closure's parameter, a loop variable or a
// withEnv entry. Jenkins' own variables (BUILD_ID, BRANCH_NAME) and
// parameters (`params.X`) are never assigned in the file, so never
// constants.
type constants struct {
	src      []byte
	pos      *positions
	assigned map[string]int
	literal  map[string]constant
	blocked  map[string]bool
	// images holds where each variable is assigned a bare
	// docker.image('x'): the offsets of those calls.
	images map[string][]int
}

// fileConstants returns the file's constants and, by variable, where a
// bare docker.image('x') is assigned to it.
func (b *builder) fileConstants(root *cst.GreenNode) (map[string]constant, map[string][]int) {
	c := &constants{src: b.src, pos: b.pos, assigned: map[string]int{}, literal: map[string]constant{}, blocked: map[string]bool{}, images: map[string][]int{}}
	c.walk(root, false)
	found := map[string]constant{}
	for name, value := range c.literal {
		if c.assigned[name] == 1 && !c.blocked[name] {
			found[name] = value
		}
	}
	return found, c.images
}

// walk visits n; inEnvironment is true inside an `environment {}` block,
// whose assignments set environment variables.
func (c *constants) walk(n *cst.GreenNode, inEnvironment bool) {
	switch n.Kind {
	case cst.AssignExpr:
		c.assignment(n, inEnvironment)
	case cst.VariableDecl, cst.FieldDecl:
		c.declaration(n)
	case cst.MethodDecl, cst.ConstructorDecl, cst.ClosureExpr, cst.ForInStmt, cst.CatchClause:
		c.blockNames(n)
	case cst.CallExpr:
		switch calleeIdent(n) {
		case "environment":
			inEnvironment = true
		case "withEnv":
			c.blockEnvEntries(n)
		}
	}
	for _, child := range n.Children {
		if !child.IsToken {
			c.walk(child.Node, inEnvironment)
		}
	}
}

// assignment records `X = v`, `env.X = v`, and blocks X for any other
// assignment operator (`X += v`).
func (c *constants) assignment(n *cst.GreenNode, inEnvironment bool) {
	if len(n.Children) < 2 || n.Children[0].IsToken || !n.Children[1].IsToken {
		return
	}
	name, env := "", inEnvironment
	switch target := n.Children[0].Node; target.Kind {
	case cst.IdentExpr:
		if tok := greenIdent(target); tok != nil {
			name = tok.Text
		}
	case cst.PropertyExpr:
		if len(target.Children) == 3 && !target.Children[0].IsToken && target.Children[2].IsToken {
			if recv := greenIdent(target.Children[0].Node); recv != nil && recv.Text == "env" {
				name, env = target.Children[2].Token.Text, true
			}
		}
	}
	if name == "" {
		return
	}
	if n.Children[1].Token.Kind != token.Assign {
		c.blocked[name] = true
		return
	}
	c.assign(name, valueAfter(n), env)
}

// declaration records `def X = v` and `String X = v`; a declaration of
// several names blocks them all.
func (c *constants) declaration(n *cst.GreenNode) {
	var names []string
	for _, child := range n.Children {
		if child.IsToken && child.Token.Kind == token.Comma {
			for _, child := range n.Children {
				if child.IsToken && child.Token.Kind == token.Identifier {
					c.blocked[child.Token.Text] = true
				}
			}
			return
		}
		if child.IsToken && child.Token.Kind == token.Assign {
			break
		}
		if child.IsToken && (child.Token.Kind == token.Identifier || child.Token.Kind == token.CapitalizedIdentifier) {
			names = append(names, child.Token.Text)
		}
	}
	if len(names) > 0 {
		c.assign(names[len(names)-1], valueAfter(n), false)
	}
}

func (c *constants) assign(name string, value *cst.GreenNode, env bool) {
	c.assigned[name]++
	if value != nil && value.Kind == cst.CallExpr && !value.Children[0].IsToken {
		if callee := value.Children[0].Node; isDottedName(callee, 2) && dottedName(callee) == "docker.image" {
			start, _ := firstToken(value).TextSpan()
			c.images[name] = append(c.images[name], start)
		}
	}
	if value == nil || value.Kind != cst.LiteralExpr {
		return
	}
	tok := firstToken(value)
	if tok == nil {
		return
	}
	s, ok := tokenString(*tok, c.src)
	if !ok || s.interpolated() {
		return
	}
	start, end := s.contentSpan()
	c.literal[name] = constant{value: model.String{Value: s.value, Pos: c.pos.span(start, end)}, env: env}
}

// blockNames blocks the names a function, closure, loop or catch clause
// binds: the name tokens written directly in it before its body.
func (c *constants) blockNames(n *cst.GreenNode) {
	for _, child := range n.Children {
		if !child.IsToken {
			if child.Node.Kind == cst.BlockStmt {
				return
			}
			continue
		}
		switch child.Token.Kind {
		case token.Arrow, token.LBrace:
			if n.Kind == cst.ClosureExpr && child.Token.Kind == token.Arrow {
				return
			}
		case token.Identifier:
			c.blocked[child.Token.Text] = true
		}
	}
}

// blockEnvEntries blocks the variables withEnv(['X=v']) sets.
func (c *constants) blockEnvEntries(n *cst.GreenNode) {
	var visit func(n *cst.GreenNode)
	visit = func(n *cst.GreenNode) {
		for _, child := range n.Children {
			switch {
			case !child.IsToken:
				visit(child.Node)
			case isStringToken(child.Token.Kind) || child.Token.Kind == token.GStringBegin:
				text := strings.TrimLeft(child.Token.Text, `'"`)
				if name, _, ok := strings.Cut(text, "="); ok {
					c.blocked[name] = true
				}
			}
		}
	}
	visit(n)
}

// calleeIdent returns the name of a call whose callee is a plain
// identifier, "" otherwise.
func calleeIdent(n *cst.GreenNode) string {
	if len(n.Children) == 0 || n.Children[0].IsToken {
		return ""
	}
	if tok := greenIdent(n.Children[0].Node); tok != nil {
		return tok.Text
	}
	return ""
}

// valueAfter returns the node after the `=` of a declaration or
// assignment, nil when there is none.
func valueAfter(n *cst.GreenNode) *cst.GreenNode {
	seen := false
	for _, child := range n.Children {
		if seen && !child.IsToken {
			return child.Node
		}
		seen = seen || child.IsToken && child.Token.Kind == token.Assign
	}
	return nil
}
