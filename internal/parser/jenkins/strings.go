package jenkins

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// groovyString is a Groovy string literal of any of the six forms, decoded
// to the text the step receives. Interpolations stay in the text as written
// ("${X}", "$X.y") because their values are only known at run time.
type groovyString struct {
	quote string // ', ''', ", """, / or $/
	value string
	// sourceOffsets[i] is the source byte offset of value byte i; the extra
	// last entry is where the closing quote starts.
	sourceOffsets  []int
	interpolations []interpolation
}

// interpolation is one `${expr}` or `$name.path` that Groovy evaluates
// before the step runs.
type interpolation struct {
	expr       string // the expression, without $ and braces
	start, end int    // source bytes, from the $ to the end of the expression
}

// interpolated reports whether Groovy computes part of the string.
func (s *groovyString) interpolated() bool { return len(s.interpolations) > 0 }

// contentSpan returns the source byte range of the text between the quotes.
func (s *groovyString) contentSpan() (start, end int) {
	return s.sourceOffsets[0], s.sourceOffsets[len(s.sourceOffsets)-1]
}

// stringLiteral decodes n when it is a string literal or GString, and
// reports false for any other expression.
func stringLiteral(n *cst.Node, src []byte) (*groovyString, bool) {
	switch n.Kind() {
	case cst.LiteralExpr:
		tok := n.FirstToken()
		if tok == nil {
			return nil, false
		}
		return tokenString(tok.Token(), src)
	case cst.GStringExpr:
		return gString(n, src), true
	}
	return nil, false
}

func tokenString(tok token.Token, src []byte) (*groovyString, bool) {
	text := tok.Text
	switch tok.Kind {
	case token.StringLiteral:
		s := decodeQuoted(text, tok.Offset, "'")
		return s, true
	case token.GStringFull:
		return decodeQuoted(text, tok.Offset, `"`), true
	case token.SlashyStringLit, token.DollarSlashyStringLit:
		s := decodeSlashy(text, tok.Offset)
		s.interpolations = scanInterpolations(src, tok.Offset+len(s.quote), tok.Offset+len(text)-len(closingQuote(s.quote)))
		return s, true
	}
	return nil, false
}

// decodeQuoted decodes a single- or double-quoted literal (single or
// triple quotes) without interpolations.
func decodeQuoted(text string, offset int, q string) *groovyString {
	quote := q
	if strings.HasPrefix(text, q+q+q) && len(text) >= 6 {
		quote = q + q + q
	}
	s := &groovyString{quote: quote}
	body := trimQuotes(text, quote, quote)
	var b strings.Builder
	s.appendEscaped(&b, body, offset+len(quote))
	s.finish(&b, offset+len(quote)+len(body))
	return s
}

func decodeSlashy(text string, offset int) *groovyString {
	quote := "/"
	if strings.HasPrefix(text, "$/") {
		quote = "$/"
	}
	s := &groovyString{quote: quote}
	body := trimQuotes(text, quote, closingQuote(quote))
	start := offset + len(quote)
	var b strings.Builder
	for i := 0; i < len(body); {
		switch {
		case quote == "/" && strings.HasPrefix(body[i:], `\/`):
			s.emit(&b, "/", start+i)
			i += 2
		case quote == "$/" && (strings.HasPrefix(body[i:], "$$") || strings.HasPrefix(body[i:], "$/")):
			s.emit(&b, body[i+1:i+2], start+i)
			i += 2
		default:
			s.emit(&b, body[i:i+1], start+i)
			i++
		}
	}
	s.finish(&b, start+len(body))
	return s
}

// gString decodes a GStringExpr: literal parts (GStringBegin, GStringPart,
// GStringEnd) are unescaped, interpolations are copied verbatim.
func gString(n *cst.Node, src []byte) *groovyString {
	s := &groovyString{quote: `"`}
	var b strings.Builder
	children := n.Children()
	end := 0
	for i, child := range children {
		if !child.IsToken() {
			continue
		}
		tok := child.Token()
		text, offset := tok.Text, tok.Offset
		switch tok.Kind {
		case token.GStringBegin:
			if strings.HasPrefix(text, `"""`) {
				s.quote = `"""`
			}
			text, offset = text[len(s.quote):], offset+len(s.quote)
		case token.GStringEnd:
			text = strings.TrimSuffix(text, s.quote)
		case token.GStringPart:
		default:
			continue
		}
		// A literal part ends with the "$" that opens the next interpolation.
		if tok.Kind != token.GStringEnd && opensInterpolation(children[i+1:]) && strings.HasSuffix(text, "$") {
			text = text[:len(text)-1]
			dollar := offset + len(text)
			exprEnd := interpolationEnd(children[i+1:])
			s.appendEscaped(&b, text, offset)
			s.interpolations = append(s.interpolations, interpolation{
				expr:  strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(string(src[dollar+1:exprEnd]), "{"), "}")),
				start: dollar, end: exprEnd,
			})
			for j := dollar; j < exprEnd; j++ {
				s.emit(&b, string(src[j]), j)
			}
			end = exprEnd
			continue
		}
		s.appendEscaped(&b, text, offset)
		end = offset + len(text)
	}
	s.finish(&b, end)
	return s
}

// opensInterpolation reports whether the siblings after a literal part
// start with an interpolation.
func opensInterpolation(siblings []*cst.Node) bool {
	if len(siblings) == 0 {
		return false
	}
	next := siblings[0]
	return next.Kind() == cst.GStringPath || next.IsToken() && next.Token().Kind == token.LBrace
}

// interpolationEnd returns where the interpolation that starts the given
// siblings ends: after its closing brace or after its property path.
func interpolationEnd(siblings []*cst.Node) int {
	end := 0
	for _, sib := range siblings {
		if sib.IsToken() {
			switch sib.Token().Kind {
			case token.GStringPart, token.GStringEnd:
				return end
			}
		}
		if _, e := textSpan(sib); e > end {
			end = e
		}
		if sib.IsToken() && sib.Token().Kind == token.RBrace || sib.Kind() == cst.GStringPath {
			return end
		}
	}
	return end
}

// appendEscaped decodes backslash escapes of a quoted literal part.
func (s *groovyString) appendEscaped(b *strings.Builder, text string, offset int) {
	for i := 0; i < len(text); {
		if text[i] != '\\' || i+1 >= len(text) {
			s.emit(b, text[i:i+1], offset+i)
			i++
			continue
		}
		decoded, width := unescape(text[i:])
		s.emit(b, decoded, offset+i)
		i += width
	}
}

// unescape decodes the escape sequence at the start of text (which begins
// with a backslash) and returns the decoded text and the bytes consumed.
func unescape(text string) (string, int) {
	switch c := text[1]; c {
	case 'n':
		return "\n", 2
	case 't':
		return "\t", 2
	case 'r':
		return "\r", 2
	case 'b':
		return "\b", 2
	case 'f':
		return "\f", 2
	case '\n': // a line continuation inside a string
		return "", 2
	case 'u':
		if len(text) >= 6 {
			if r, err := strconv.ParseUint(text[2:6], 16, 32); err == nil {
				return string(rune(r)), 6
			}
		}
	}
	_, size := utf8.DecodeRuneInString(text[1:])
	return text[1 : 1+size], 1 + size
}

// emit appends decoded text whose every byte was written at offset.
func (s *groovyString) emit(b *strings.Builder, text string, offset int) {
	b.WriteString(text)
	for range len(text) {
		s.sourceOffsets = append(s.sourceOffsets, offset)
	}
}

func (s *groovyString) finish(b *strings.Builder, end int) {
	s.value = b.String()
	s.sourceOffsets = append(s.sourceOffsets, end)
}

func trimQuotes(text, open, close string) string {
	if len(text) < len(open)+len(close) || !strings.HasPrefix(text, open) || !strings.HasSuffix(text, close) {
		return strings.TrimPrefix(text, open) // unterminated: the parser already reported it
	}
	return text[len(open) : len(text)-len(close)]
}

func closingQuote(quote string) string {
	if quote == "$/" {
		return "/$"
	}
	return quote
}

// scanInterpolations finds `$name.path` and `${...}` in the source of a
// slashy string, which the parser keeps as a single token.
func scanInterpolations(src []byte, start, end int) []interpolation {
	var found []interpolation
	for i := start; i < end-1; i++ {
		if src[i] != '$' {
			continue
		}
		if src[i+1] == '$' { // $$ is an escaped dollar in a dollar-slashy string
			i++
			continue
		}
		if src[i+1] == '{' {
			close := bytes.IndexByte(src[i:end], '}')
			if close < 0 {
				break
			}
			found = append(found, interpolation{expr: strings.TrimSpace(string(src[i+2 : i+close])), start: i, end: i + close + 1})
			i += close
			continue
		}
		j := i + 1
		for j < end && (isIdentByte(src[j]) || src[j] == '.' && j+1 < end && isIdentByte(src[j+1])) {
			j++
		}
		if j > i+1 && !isDigit(src[i+1]) {
			found = append(found, interpolation{expr: string(src[i+1 : j]), start: i, end: j})
			i = j - 1
		}
	}
	return found
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// locator maps a line and code-point column of the decoded value back to
// the file, as shell.Split needs for command positions. Each call takes
// constant time: the value is indexed once.
func (s *groovyString) locator(p *positions) shell.Locate {
	lineStarts := []int{0}
	ascii := true
	for i := range len(s.value) {
		switch {
		case s.value[i] == '\n':
			lineStarts = append(lineStarts, i+1)
		case s.value[i] >= utf8.RuneSelf:
			ascii = false
		}
	}
	// runeStarts holds the byte offset of every code point, and
	// lineRunes the index in it of each line's first one, when the value
	// is not all ASCII (where the two are the same).
	var runeStarts, lineRunes []int
	if !ascii {
		lineRunes = []int{0}
		for i, r := range s.value {
			runeStarts = append(runeStarts, i)
			if r == '\n' {
				lineRunes = append(lineRunes, len(runeStarts))
			}
		}
		runeStarts = append(runeStarts, len(s.value))
	}
	return func(line, column int) model.Pos {
		line = min(max(line, 1), len(lineStarts))
		skip := max(column-1, 0)
		var at int
		if ascii {
			lineEnd := len(s.value) // the line's '\n', or the end of the value
			if line < len(lineStarts) {
				lineEnd = lineStarts[line] - 1
			}
			at = min(lineStarts[line-1]+skip, lineEnd)
		} else {
			lineEnd := len(runeStarts) - 1
			if line < len(lineRunes) {
				lineEnd = lineRunes[line] - 1
			}
			at = runeStarts[min(lineRunes[line-1]+skip, lineEnd)]
		}
		offset := s.sourceOffsets[at]
		return p.span(offset, offset)
	}
}
