package circleci

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
	"gopkg.in/yaml.v3"
)

// mapped is text after CircleCI's `<< >>` substitution, with where each
// of its characters was written: a character of a substituted value is
// placed at the `<< >>` it replaced, so that commands found in the
// expanded text point into the definition that holds it.
type mapped struct {
	text string
	file string
	at   []span // one per rune of text
	// expressions are the `<< pipeline.* >>` values left in the text,
	// which CircleCI substitutes when the pipeline starts.
	expressions []model.Expression
	// unknown is true when a `<< parameters.x >>` had no value to
	// substitute.
	unknown bool
}

// span is where a character of the text was written: a single column, or
// the whole `<< >>` a substituted character replaced.
type span struct{ line, col, endLine, endCol int32 }

func spanOf(p model.Pos) span {
	return span{int32(p.Line), int32(p.Column), int32(p.EndLine), int32(p.EndColumn)}
}

func (m mapped) pos(s span) model.Pos {
	return model.Pos{File: m.file, Line: int(s.line), Column: int(s.col), EndLine: int(s.endLine), EndColumn: int(s.endCol)}
}

// mapScalar is a scalar's text as written, before substitution, mapped
// once however often it is used.
func (p *parser) mapScalar(n *yaml.Node) mapped {
	if m, ok := p.mappedScalars[n]; ok {
		return m
	}
	locate := p.scalar(n).Locate(n.Value)
	m := mapped{text: n.Value, file: p.file.Path, at: make([]span, 0, len(n.Value))}
	line, col := 1, 1
	for _, r := range n.Value {
		m.at = append(m.at, spanOf(locate(line, col)))
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	p.mappedScalars[n] = m
	return m
}

// span is the position of the whole text, or zero when empty.
func (m mapped) span() model.Pos {
	if len(m.at) == 0 {
		return model.Pos{}
	}
	return syntax.Join(m.pos(m.at[0]), m.pos(m.at[len(m.at)-1]))
}

// locate maps a line and column of the text (as shell.Split counts them)
// to where the character was written.
func (m mapped) locate() shell.Locate {
	var lineStarts []int // rune indexes
	return func(line, col int) model.Pos {
		if lineStarts == nil {
			lineStarts = []int{0}
			i := 0
			for _, r := range m.text {
				i++
				if r == '\n' {
					lineStarts = append(lineStarts, i)
				}
			}
		}
		if len(m.at) == 0 || line < 1 || line > len(lineStarts) {
			return m.span()
		}
		i := lineStarts[line-1] + max(col, 1) - 1
		lineEnd := len(m.at)
		if line < len(lineStarts) {
			lineEnd = lineStarts[line] - 1
		}
		if i < lineEnd {
			return m.pos(m.at[i])
		}
		p := m.pos(m.at[max(min(lineEnd, len(m.at))-1, 0)])
		p.Column, p.EndColumn = p.EndColumn, p.EndColumn+1
		return p
	}
}

// substitution is `<< name >>` in a value: a parameter, a pipeline value or
// a pipeline parameter.
var substitution = regexp.MustCompile(`<<\s*([^<>]*?)\s*>>`)

// substitute replaces `<< parameters.x >>` with the parameter's value in
// scope and keeps `<< pipeline.* >>` as expressions. Every character of
// a substituted value is placed at the `<< >>` it replaces, and so is
// every expression the value carried.
func (p *parser) substitute(m mapped, params scope) mapped {
	if !strings.Contains(m.text, "<<") {
		return m
	}
	if p.substituted > maxSubstituted {
		m.unknown = true
		return m
	}
	out := mapped{file: m.file, expressions: m.expressions, unknown: m.unknown, at: make([]span, 0, len(m.at))}
	var b strings.Builder
	last, runeAt := 0, 0 // byte offset and rune index copied up to
	copyTo := func(offset int) {
		for _, r := range m.text[last:offset] {
			b.WriteRune(r)
			out.at = append(out.at, m.at[runeAt])
			runeAt++
		}
		last = offset
	}
	for _, loc := range substitution.FindAllStringSubmatchIndex(m.text, -1) {
		copyTo(loc[0])
		startRune := runeAt
		width := utf8.RuneCountInString(m.text[loc[0]:loc[1]])
		site := syntax.Join(m.pos(m.at[startRune]), m.pos(m.at[startRune+width-1]))
		name := m.text[loc[2]:loc[3]]
		replacement := name
		switch {
		case strings.HasPrefix(name, "parameters."):
			v, ok := params[strings.TrimPrefix(name, "parameters.")]
			if !ok || v.value == nil {
				// A value the file does not give (a matrix's, an
				// orb's): a variable to the shell, so that nothing
				// takes the parameter's name for a word of the script.
				out.unknown = true
				replacement = unknownValue(name)
				break
			}
			replacement = v.value.text
			out.unknown = out.unknown || v.value.unknown
			for _, e := range v.value.expressions {
				e.Pos = site
				out.expressions = append(out.expressions, e)
			}
		case strings.HasPrefix(name, "pipeline."):
			path := strings.ToLower(name)
			out.expressions = append(out.expressions, model.Expression{Value: name, Reads: []string{path}, Flows: []string{path}, Pos: site})
		}
		b.WriteString(replacement)
		for range replacement {
			out.at = append(out.at, spanOf(site))
		}
		runeAt += width
		last = loc[1]
	}
	copyTo(len(m.text))
	out.text = b.String()
	if p.substituted += len(out.text); p.substituted > maxSubstituted {
		p.errorf(out.span(), "parameters expand to more than %d bytes of text", maxSubstituted)
	}
	return out
}

// unknownValue stands for a parameter whose value is not known: a shell
// variable named after it (`${PARAMETERS_NODE_VERSION}`).
func unknownValue(name string) string {
	return "${" + strings.ToUpper(nonIdentifier.ReplaceAllString(name, "_")) + "}"
}

var nonIdentifier = regexp.MustCompile(`[^A-Za-z0-9_]`)
