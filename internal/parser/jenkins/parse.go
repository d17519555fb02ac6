// Package jenkins turns a Jenkinsfile into the common pipeline model.
//
// The Groovy syntax comes from groovy-parser-go (Groovy 2.4, the dialect of
// Jenkins' CPS engine), which keeps every byte and recovers from errors.
// This package interprets the Jenkins DSL on that tree: declarative
// `pipeline { }` sections, scripted `node`/`stage` blocks, steps, shared
// libraries and images. It knows syntax only; rules judge the result.
package jenkins

import (
	"errors"
	"fmt"
	"strings"

	groovyparser "github.com/albertocavalcante/groovy-parser-go"
	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/lexer"
	"github.com/albertocavalcante/groovy-parser-go/parser"
	"github.com/albertocavalcante/groovy-parser-go/source"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// Limits that keep hostile input from exhausting the stack or the clock.
// The parser recurses once per nesting level, so nesting is measured on
// the tokens before parsing; real Jenkinsfiles stay far below both.
const (
	maxTokens       = 200_000
	maxNesting      = 500 // brackets plus right-recursive operators
	maxWalkDepth    = 256 // statement nesting the interpretation follows
	maxStatements   = 100_000
	maxSyntaxErrors = 5
)

// Parse reads one Jenkinsfile. path is relative to the scanned root and is
// written into every position. The error joins *model.ParseError values;
// the returned pipeline holds whatever could still be interpreted.
func Parse(path string, src []byte) (*model.Pipeline, error) {
	pos := newPositions(path, src)
	p := &model.Pipeline{
		System: model.Jenkins,
		Kind:   model.KindWorkflow,
		File:   path,
		Pos:    pos.span(0, len(src)),
	}
	if pos.bom > 0 {
		// The lexer does not know the byte-order mark; blanks of the same
		// length keep every offset.
		src = append([]byte(strings.Repeat(" ", pos.bom)), src[pos.bom:]...)
	}
	file := source.New(path, src)
	if err := checkLimits(file, pos); err != nil {
		return p, err
	}
	green, syntaxErrs := parser.New(file, groovyparser.ParseOptions{Version: groovyparser.Groovy2_4, FileName: path}).Parse()
	root := cst.NewTree(green)

	b := &builder{pos: pos, src: src, pipeline: p}
	b.comments(green)
	constants, images := b.fileConstants(green)
	b.constants = constants
	p.Groovy = b.groovy(green)
	b.idleImages = idleImages(images, p.Groovy)
	b.file(root)
	for _, job := range b.jobs {
		p.Jobs = append(p.Jobs, *job)
	}
	errs := syntaxErrors(green, syntaxErrs, pos)
	return p, errors.Join(append(errs, b.errs...)...)
}

// checkLimits lexes the file (the lexer does not recurse) and refuses it
// when the parser would nest too deeply. Openers count one level each;
// prefix and right-associative operators and statement keywords count
// too, because the parser recurses on each of them until the next
// separator.
func checkLimits(file *source.File, pos *positions) error {
	lx := lexer.New(file, groovyparser.Groovy2_4)
	chains := []int{0} // recursive operators since the last separator, per open bracket
	nesting := 0       // len(chains)-1 plus the sum of chains
	prev := token.Semicolon
	for n := 0; ; n++ {
		tok := lx.NextToken()
		if tok.Kind == token.EOF {
			return nil
		}
		if n == maxTokens {
			return &model.ParseError{Pos: pos.span(tok.Offset, tok.Offset),
				Message: fmt.Sprintf("file too large: more than %d tokens", maxTokens)}
		}
		switch {
		case tok.Kind == token.LParen || tok.Kind == token.LBrack || tok.Kind == token.LBrace || tok.Kind == token.GStringBegin:
			chains = append(chains, 0)
			nesting++
		case tok.Kind == token.RParen || tok.Kind == token.RBrack || tok.Kind == token.RBrace || tok.Kind == token.GStringEnd:
			if len(chains) > 1 {
				nesting -= 1 + chains[len(chains)-1]
				chains = chains[:len(chains)-1]
			}
		case tok.Kind == token.Semi || tok.Kind == token.Semicolon || tok.Kind == token.Comma:
			nesting -= chains[len(chains)-1]
			chains[len(chains)-1] = 0
		case recursesOn(tok.Kind, prev):
			chains[len(chains)-1]++
			nesting++
		}
		if nesting > maxNesting {
			return &model.ParseError{Pos: pos.span(tok.Offset, tok.Offset+len(tok.Text)),
				Message: fmt.Sprintf("nesting deeper than %d levels", maxNesting)}
		}
		prev = tok.Kind
	}
}

// recursesOn reports whether the parser descends one level on kind.
func recursesOn(kind, prev token.Kind) bool {
	switch kind {
	case token.Not, token.BitwiseNot, token.Inc, token.Dec, token.Power, token.Question, token.Elvis, token.Arrow,
		token.KwIf, token.KwElse, token.KwFor, token.KwWhile, token.KwDo, token.KwTry, token.KwReturn,
		token.KwThrow, token.KwNew, token.KwAssert, token.KwCase, token.KwSwitch, token.KwSynchronized:
		return true
	case token.Plus, token.Minus: // only as prefix operators
		return !endsOperand(prev)
	}
	return kind >= token.Assign && kind < token.Equal || kind >= token.PlusAssign && kind < token.SafeNav ||
		kind == token.ElvisAssign
}

// endsOperand reports whether a token of kind can end an operand, so that
// a following + or - is binary.
func endsOperand(kind token.Kind) bool {
	switch kind {
	case token.RParen, token.RBrack, token.RBrace, token.Identifier, token.CapitalizedIdentifier,
		token.IntLiteral, token.FloatLiteral, token.StringLiteral, token.GStringEnd, token.GStringFull,
		token.NullLiteral, token.BoolLiteral, token.SlashyStringLit, token.DollarSlashyStringLit, token.Inc, token.Dec:
		return true
	}
	return false
}

// builder interprets one file's tree.
type builder struct {
	pos      *positions
	src      []byte
	pipeline *model.Pipeline
	jobs     []*model.Job
	walked   int // statements visited, against maxStatements
	errs     []error
	stopped  bool // a limit was hit; the rest of the file is skipped
	// methods are the file's top-level functions by name; inlined counts
	// the source bytes their calls expanded, against maxInlineFactor.
	methods      map[string][]method
	constants    map[string]constant
	idleImages   map[int]bool // see idleImages
	inlined      int
	inlineCapped bool
}

// limit records that a bound cut the interpretation short, once.
func (b *builder) limit(n *cst.Node, message string) {
	if !b.stopped {
		b.errs = append(b.errs, &model.ParseError{Pos: b.pos.node(n), Message: message})
	}
	b.stopped = true
}

// comments collects every // and /* */ comment with its position.
func (b *builder) comments(green *cst.GreenNode) {
	eachToken(green, func(tok *token.Token) {
		for _, trivia := range [][]token.Trivia{tok.LeadingTrivia, tok.TrailingTrivia} {
			for _, t := range trivia {
				var text string
				switch t.Kind {
				case token.LineCommentTrivia:
					text = strings.TrimPrefix(t.Text, "//")
				case token.BlockCommentTrivia, token.GroovydocTrivia:
					text = strings.TrimSuffix(strings.TrimPrefix(t.Text, "/*"), "*/")
				default:
					continue
				}
				b.pipeline.Comments = append(b.pipeline.Comments, model.Comment{
					Text: text, Pos: b.pos.span(t.Offset, t.Offset+len(t.Text)),
				})
			}
		}
	})
}
