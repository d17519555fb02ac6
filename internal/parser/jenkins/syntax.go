package jenkins

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/parser"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// The parser's errors carry only an offset and a message naming its token
// kinds ("expected RBrace, got EOF"), and its lexer accepts unterminated
// strings silently. The tree it builds knows more: an expected closer it
// had to invent is an empty token next to its opener, and every string
// token keeps its quotes. syntaxErrors rewrites the errors from the tree.

// maxExcerpt is how much of the source a message quotes, in runes.
const maxExcerpt = 20

// syntaxErrors reports each syntax mistake once, in Groovy's words, at the
// bracket or quote that explains it. Recovery reports one error per token
// it skips and one per block left open, so an error on the same line or
// in the same statement as the one before is dropped, and nothing the
// parser says after an unterminated string is trusted.
func syntaxErrors(green *cst.GreenNode, found []parser.Error, pos *positions) []error {
	strs := unterminatedStrings(green)
	var t *syntaxTree // the errors the parser found are explained on the tree
	if len(found) > 0 {
		t = newSyntaxTree(cst.NewTree(green), pos)
	}
	var errs []*model.ParseError
	for _, s := range strs {
		errs = append(errs, &model.ParseError{Pos: pos.span(s.offset, s.offset+len(s.quote)),
			Message: fmt.Sprintf("unterminated string: the %s started here is never closed", s.quote)})
	}
	slices.SortStableFunc(found, func(a, b parser.Error) int { return cmp.Compare(a.Offset, b.Offset) })
	var causes []parser.Error
	for _, e := range found {
		if len(strs) > 0 && e.Offset >= strs[0].offset {
			break
		}
		if len(causes) == 0 || !t.fallout(e, causes[len(causes)-1]) {
			causes = append(causes, e)
		}
	}
	// Explaining an error can search the whole tree, so only those that
	// can be shown are explained; the rest are counted. An explanation
	// only ever moves an error up, to its opening bracket.
	explained := min(len(causes), maxSyntaxErrors+1)
	for _, e := range causes[:explained] {
		errs = append(errs, t.explain(e))
	}
	slices.SortStableFunc(errs, func(a, b *model.ParseError) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
	errs = slices.CompactFunc(errs, func(a, b *model.ParseError) bool { return a.Pos.Line == b.Pos.Line })
	more := len(causes) - explained + max(len(errs)-maxSyntaxErrors, 0)
	switch {
	case len(errs) > maxSyntaxErrors:
		first := errs[maxSyntaxErrors]
		errs = append(errs[:maxSyntaxErrors], &model.ParseError{Pos: first.Pos, Message: fmt.Sprintf("%d more syntax errors", more)})
	case more > 0: // explained errors fell on one line, leaving room
		next := causes[explained].Offset
		errs = append(errs, &model.ParseError{Pos: pos.span(next, next), Message: fmt.Sprintf("%d more syntax errors", more)})
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return out
}

// fallout reports whether e is the parser recovering from prev, the last
// error reported: it is on the same line or in the same statement, or it
// is a bracket still open at the end of the file.
func (t *syntaxTree) fallout(e, prev parser.Error) bool {
	if cur := t.current(e); cur != nil && cur.Token().Kind == token.EOF {
		return true
	}
	return t.line(e.Offset) == t.line(prev.Offset) || t.sameStatement(e.Offset, prev.Offset)
}

// syntaxTree indexes a parsed file's tokens by offset.
type syntaxTree struct {
	pos    *positions
	tokens []*cst.Node // token leaves by offset; an invented token comes before the real one at its offset
}

func newSyntaxTree(root *cst.Node, pos *positions) *syntaxTree {
	t := &syntaxTree{pos: pos}
	var collect func(n *cst.Node)
	collect = func(n *cst.Node) {
		if n.IsToken() {
			t.tokens = append(t.tokens, n)
			return
		}
		for _, child := range n.Children() {
			collect(child)
		}
	}
	collect(root)
	slices.SortStableFunc(t.tokens, func(a, b *cst.Node) int { return cmp.Compare(a.Token().Offset, b.Token().Offset) })
	return t
}

// at returns the tokens at offset, invented ones first.
func (t *syntaxTree) at(offset int) []*cst.Node {
	i, _ := slices.BinarySearchFunc(t.tokens, offset, func(n *cst.Node, offset int) int { return cmp.Compare(n.Token().Offset, offset) })
	j := i
	for j < len(t.tokens) && t.tokens[j].Token().Offset == offset {
		j++
	}
	return t.tokens[i:j]
}

// current returns the token the parser stood on when it reported e: the
// one it names, the one it skipped, or else the first real token there.
func (t *syntaxTree) current(e parser.Error) *cst.Node {
	_, got, named := strings.Cut(e.Message, ", got ")
	var first *cst.Node
	for _, n := range t.at(e.Offset) {
		switch {
		case invented(n):
		case named && n.Token().Kind.String() == got, !named && n.Parent().Kind() == cst.ErrorNode:
			return n
		case first == nil:
			first = n
		}
	}
	return first
}

// invented reports whether the parser made up tok where it expected one.
// End of file and the separators standing for line breaks are empty too.
func invented(n *cst.Node) bool {
	k := n.Token().Kind
	return n.Token().Text == "" && k != token.EOF && k != token.Semicolon
}

func (t *syntaxTree) line(offset int) int {
	line, _ := t.pos.point(offset)
	return line
}

// statement returns the innermost statement or declaration holding n.
func statement(n *cst.Node) *cst.Node {
	for ; n != nil; n = n.Parent() {
		if k := n.Kind(); k.IsStatement() || k.IsDeclaration() {
			return n
		}
	}
	return nil
}

func (t *syntaxTree) sameStatement(a, b int) bool {
	na, nb := t.at(a), t.at(b)
	if len(na) == 0 || len(nb) == 0 {
		return false
	}
	sa := statement(na[0])
	return sa != nil && sa == statement(nb[0])
}

// tokenText spells the tokens the parser demands by kind.
var tokenText = map[token.Kind]string{
	token.LParen: "(", token.RParen: ")", token.LBrace: "{", token.RBrace: "}",
	token.LBrack: "[", token.RBrack: "]", token.Colon: ":", token.Semi: ";",
	token.Assign: "=", token.Arrow: "->", token.KwIn: "in", token.KwWhile: "while",
}

// openerOf pairs each closing bracket with its opening one.
var openerOf = map[token.Kind]token.Kind{token.RParen: token.LParen, token.RBrace: token.LBrace, token.RBrack: token.LBrack}

// explain turns one parser error into a message about the source.
func (t *syntaxTree) explain(e parser.Error) *model.ParseError {
	cur := t.current(e)
	if cur == nil {
		return &model.ParseError{Pos: t.pos.span(e.Offset, e.Offset), Message: "syntax error"}
	}
	at := t.pos.node(cur)
	unexpected := "unexpected " + describe(cur.Token())
	// expect() failed: "expected <Kind>, got <Kind>", with the token it
	// invented at the offset.
	if rest, ok := strings.CutPrefix(e.Message, "expected "); ok && strings.Contains(rest, ", got ") {
		want, _, _ := strings.Cut(rest, ", got ")
		for _, n := range t.at(e.Offset) {
			if !invented(n) || n.Token().Kind.String() != want {
				continue
			}
			if _, ok := openerOf[n.Token().Kind]; ok {
				return t.missingCloser(n)
			}
			if text, ok := tokenText[n.Token().Kind]; ok {
				return &model.ParseError{Pos: at, Message: fmt.Sprintf("%s, expected '%s'", unexpected, text)}
			}
		}
		return &model.ParseError{Pos: at, Message: unexpected}
	}
	if e.Message != "expected expression" {
		return &model.ParseError{Pos: at, Message: unexpected + ", " + e.Message}
	}
	stmt := statement(cur)
	switch {
	case stmt == nil: // end of file
		return &model.ParseError{Pos: at, Message: unexpected}
	case stmt.FirstToken().Token().Offset != cur.Token().Offset:
		return &model.ParseError{Pos: at, Message: unexpected + " where an expression was expected"}
	case cur.Token().Kind == token.RBrace && stmt.Parent() != nil && stmt.Parent().Kind() == cst.FileNode:
		return &model.ParseError{Pos: t.pos.node(t.extraBrace(stmt.Parent(), cur)), Message: unexpected}
	case openerOf[cur.Token().Kind] != 0:
		return &model.ParseError{Pos: at, Message: unexpected}
	}
	return &model.ParseError{Pos: at, Message: unexpected + " where a statement was expected"}
}

// missingCloser reports a closing bracket the parser had to invent, at
// the bracket it should have closed.
func (t *syntaxTree) missingCloser(closer *cst.Node) *model.ParseError {
	kind := closer.Token().Kind
	var opener *cst.Node
	for n := closer.PrevSibling(); n != nil; n = n.PrevSibling() {
		if n.IsToken() && n.Token().Kind == openerOf[kind] {
			opener = n
			break
		}
	}
	if opener == nil {
		return &model.ParseError{Pos: t.pos.node(closer), Message: fmt.Sprintf("missing '%s'", tokenText[kind])}
	}
	what := "'" + tokenText[openerOf[kind]] + "'"
	switch parent := closer.Parent().Kind(); {
	case kind == token.RBrace:
		what = "block"
		opener = t.unclosedBlock(closer.Parent(), opener)
	case kind == token.RParen && parent == cst.CallExpr:
		what = "call"
	case kind == token.RParen && (parent == cst.IfStmt || parent == cst.WhileStmt):
		what = "condition"
	case kind == token.RParen && parent == cst.MethodDecl:
		what = "parameter list"
	case kind == token.RBrack && parent == cst.ListExpr:
		what = "list"
	case kind == token.RBrack && parent == cst.MapExpr:
		what = "map"
	case kind == token.RBrack && parent == cst.IndexExpr:
		what = "index"
	}
	at := t.pos.node(opener)
	return &model.ParseError{Pos: at, Message: fmt.Sprintf("missing '%s' to close the %s opened at %d:%d", tokenText[kind], what, at.Line, at.Column)}
}

// unclosedBlock finds the '{' that lost its '}' inside block, whose own
// '}' is missing. Brace matching blames the outermost block: a '}'
// forgotten in a stage shifts every later '}' out by one block, so each
// block from there outwards ends at a '}' indented less than the line
// of its '{'. The innermost such block is where the '}' went missing.
func (t *syntaxTree) unclosedBlock(block, opener *cst.Node) *cst.Node {
	for block != nil {
		inner := t.innerBlocks(block)
		block = nil
		if i := slices.IndexFunc(inner, func(b *cst.Node) bool { return t.closerIndent(b) < 0 }); i >= 0 {
			block = inner[i]
			opener = block.Children()[0]
		}
	}
	return opener
}

// extraBrace finds the '}' that has nothing to close, given the one the
// parser stopped at in file. A stray '}' closes its block early and shifts
// every later '}' in by one block, so each block from the outermost one
// inwards ends at a '}' indented more than the line of its '{'. The
// innermost such block ends at the stray '}'.
func (t *syntaxTree) extraBrace(file, stopped *cst.Node) *cst.Node {
	found := stopped
	for block := file; block != nil; {
		inner := t.innerBlocks(block)
		block = nil
		for _, b := range slices.Backward(inner) {
			if _, end := textSpan(b); end <= stopped.Token().Offset && t.closerIndent(b) > 0 {
				block = b
				found = b.Children()[len(b.Children())-1]
				break
			}
		}
	}
	return found
}

// innerBlocks returns the brace blocks nested directly in n, in order.
func (t *syntaxTree) innerBlocks(n *cst.Node) []*cst.Node {
	var out []*cst.Node
	for _, child := range n.Children() {
		switch {
		case child.IsToken():
		case isBlock(child):
			out = append(out, child)
		default:
			out = append(out, t.innerBlocks(child)...)
		}
	}
	return out
}

// isBlock reports whether n is a closure or block written between '{'
// and a '}' of its own.
func isBlock(n *cst.Node) bool {
	children := n.Children()
	if len(children) < 2 {
		return false
	}
	first, last := children[0], children[len(children)-1]
	return first.IsToken() && first.Token().Kind == token.LBrace &&
		last.IsToken() && last.Token().Kind == token.RBrace && last.Token().Text != ""
}

// closerIndent compares the indentation of a block's '}' with that of the
// line of its '{': positive when deeper, negative when shallower, zero
// when they match or the '}' does not start its line.
func (t *syntaxTree) closerIndent(block *cst.Node) int {
	children := block.Children()
	open, close := children[0].Token().Offset, children[len(children)-1].Token().Offset
	openLine, closeLine := t.line(open), t.line(close)
	closeStart := t.pos.lineStarts[closeLine-1]
	if openLine == closeLine || len(bytes.TrimLeft(t.pos.src[closeStart:close], " \t")) != 0 {
		return 0
	}
	return cmp.Compare(close-closeStart, t.indent(openLine))
}

// indent returns the width of the leading blanks of a 1-based line.
func (t *syntaxTree) indent(line int) int {
	rest := t.pos.src[t.pos.lineStarts[line-1]:]
	return len(rest) - len(bytes.TrimLeft(rest, " \t"))
}

// describe names a token as it is written, quoting source text briefly.
func describe(tok token.Token) string {
	switch {
	case tok.Kind == token.EOF:
		return "end of file"
	case tok.Text == "":
		return "end of line"
	case tok.Kind == token.Error:
		return "character " + excerpt(tok.Text)
	case tok.Kind.IsLiteral() || tok.Kind == token.Identifier || tok.Kind == token.CapitalizedIdentifier:
		return excerpt(tok.Text)
	}
	return "'" + tok.Text + "'"
}

// excerpt quotes the start of s: its first line, at most maxExcerpt runes.
func excerpt(s string) string {
	line, _, cut := strings.Cut(s, "\n")
	if utf8.RuneCountInString(line) > maxExcerpt {
		line, cut = string([]rune(line)[:maxExcerpt]), true
	}
	if cut {
		line += "..."
	}
	return fmt.Sprintf("%q", line)
}

// openString is a string literal that never ends: the lexer ends a
// single-line string at the line break and a multi-line one at the end of
// the file, without complaint.
type openString struct {
	offset int
	quote  string // the opening quote as written: ', ''', ", """, / or $/
}

// unterminatedStrings finds the string literals whose closing quote is
// missing, in order. An interpolated string is several tokens: its first
// token holds the opening quote and its last the closing one.
func unterminatedStrings(green *cst.GreenNode) []openString {
	var strs []token.Token
	eachToken(green, func(tok *token.Token) {
		switch tok.Kind {
		case token.StringLiteral, token.GStringFull, token.GStringBegin, token.SlashyStringLit, token.DollarSlashyStringLit, token.GStringEnd:
			strs = append(strs, *tok)
		}
	})
	// An invented token comes before the real one at its offset.
	slices.SortStableFunc(strs, func(a, b token.Token) int { return cmp.Compare(a.Offset, b.Offset) })
	var found, open []openString
	for _, tok := range strs {
		switch tok.Kind {
		case token.StringLiteral, token.GStringFull, token.GStringBegin, token.SlashyStringLit, token.DollarSlashyStringLit:
			s := openString{offset: tok.Offset, quote: openingQuote(tok)}
			if s.quote == "" {
				continue
			}
			if tok.Kind == token.GStringBegin {
				open = append(open, s)
			} else if !closed(tok.Text[len(s.quote):], s.quote) {
				found = append(found, s)
			}
		case token.GStringEnd:
			if len(open) == 0 {
				continue
			}
			s := open[len(open)-1]
			open = open[:len(open)-1]
			if !closed(tok.Text, s.quote) {
				found = append(found, s)
			}
		}
	}
	found = append(found, open...)
	slices.SortFunc(found, func(a, b openString) int { return cmp.Compare(a.offset, b.offset) })
	return found
}

// eachToken calls fn for every token of a tree in document order. It
// walks the tree's green nodes, which unlike cst.Node.Children allocates
// nothing.
func eachToken(g *cst.GreenNode, fn func(*token.Token)) {
	for i := range g.Children {
		if child := &g.Children[i]; child.IsToken {
			fn(&child.Token)
		} else if child.Node != nil {
			eachToken(child.Node, fn)
		}
	}
}

func openingQuote(tok token.Token) string {
	for _, q := range []string{"'''", `"""`, "'", `"`, "$/", "/"} {
		if strings.HasPrefix(tok.Text, q) {
			return q
		}
	}
	return ""
}

// closed reports whether the text after a string's opening quote (or after
// its last interpolation) ends with the closing quote, not an escaped one.
func closed(rest, quote string) bool {
	end, escape := quote, byte('\\')
	if quote == "$/" {
		end, escape = "/$", '$'
	}
	body, ok := strings.CutSuffix(rest, end)
	if !ok {
		return false
	}
	escapes := len(body) - len(strings.TrimRight(body, string(escape)))
	return escapes%2 == 0
}
