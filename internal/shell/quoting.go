package shell

import (
	"mvdan.cc/sh/v3/syntax"
)

// Quoting is how a shell reads the text at one place of a script: whether
// a variable written there would be expanded, and whether its value
// would be split into words.
type Quoting int

const (
	// QuotingUnknown is a place whose reading is not known: the script does
	// not parse, the shell is not one read here, or the place is in a
	// comment, an arithmetic expression or a parameter expansion.
	QuotingUnknown Quoting = iota
	// Unquoted text is expanded and split into words: a variable must be
	// quoted to stay one word.
	Unquoted
	// DoubleQuoted text (in "...", or in a here-document whose delimiter
	// is not quoted) is expanded but not split.
	DoubleQuoted
	// Literal text (in '...', $'...', or a here-document with a quoted
	// delimiter) is never expanded: no variable can be read there.
	Literal
)

// QuotingAt says how a script of the given shell reads each span
// ([start, end) byte offsets, in order and apart) of text. The spans are
// the CI system's expressions, which the shell never sees: each is read
// as a plain word. Bash, sh, zsh and ksh scripts are parsed; PowerShell's
// quotes and comments are scanned; any other shell gives QuotingUnknown.
func QuotingAt(text, shellName string, spans [][2]int) []Quoting {
	out := make([]Quoting, len(spans))
	if len(spans) == 0 || len(text) > maxParsedBytes {
		return out
	}
	masked := []byte(text)
	for _, span := range spans {
		for i := span[0]; i < span[1] && i < len(masked); i++ {
			masked[i] = '_'
		}
	}
	switch kind := shellKindOf(shellName); {
	case kind.interpreter:
	case kind.lines == &pwshLines:
		pwshQuoting(string(masked), spans, out)
	case kind.lines == nil:
		file, err := parse(masked, kind.lang)
		if err != nil {
			return out
		}
		for i, span := range spans {
			out[i] = posixQuoting(file, span)
		}
	}
	return out
}

// posixQuoting finds the innermost quoting around span in a parsed
// script: the tree is walked from the outside in, so the last node that
// holds the span and decides its quoting wins.
func posixQuoting(file *syntax.File, span [2]int) Quoting {
	quoting, inWord := QuotingUnknown, false
	holds := func(n syntax.Node) bool {
		return int(n.Pos().Offset()) <= span[0] && span[1] <= int(n.End().Offset())
	}
	syntax.Walk(file, func(n syntax.Node) bool {
		if n == nil {
			return false
		}
		// A here-document's body lies outside the span of its redirection.
		if r, ok := n.(*syntax.Redirect); ok && r.Hdoc != nil && holds(r.Hdoc) {
			quoting, inWord = DoubleQuoted, true
			if quotedDelimiter(r.Word) {
				quoting = Literal
			}
			return false
		}
		if !holds(n) {
			return int(n.Pos().Offset()) <= span[0] // what starts before may hold a here-document's body
		}
		switch n.(type) {
		case *syntax.Lit:
			inWord = true
		case *syntax.SglQuoted:
			quoting, inWord = Literal, true
		case *syntax.DblQuoted:
			quoting = DoubleQuoted
		case *syntax.CmdSubst, *syntax.ProcSubst:
			quoting = Unquoted // a new command, whatever quotes are around it
		case *syntax.ArithmExp, *syntax.ArithmCmd, *syntax.ParamExp, *syntax.LetClause:
			quoting, inWord = QuotingUnknown, true
			return false
		case *syntax.File, *syntax.Stmt:
			if quoting == QuotingUnknown {
				quoting = Unquoted
			}
		}
		return true
	})
	if !inWord {
		return QuotingUnknown // in a comment, or between words
	}
	return quoting
}

// quotedDelimiter reports whether a here-document's delimiter is quoted
// in any way (<<'EOF', <<"EOF", <<\EOF), which leaves its body unexpanded.
func quotedDelimiter(w *syntax.Word) bool {
	if w == nil {
		return false
	}
	for _, part := range w.Parts {
		lit, ok := part.(*syntax.Lit)
		if !ok {
			return true
		}
		for _, c := range lit.Value {
			if c == '\\' {
				return true
			}
		}
	}
	return false
}

// pwshQuoting scans a PowerShell script's quotes: '...' (a quote doubled inside)
// and its here-string @'...'@ are literal, "..." and @"..."@ expand, and
// comments (# to the end of the line, <# ... #>) are left unknown. The
// backtick escapes the next character outside single quotes.
func pwshQuoting(text string, spans [][2]int, out []Quoting) {
	const (
		code = iota
		single
		double
		lineComment
		blockComment
	)
	state, next := code, 0
	for i := 0; i < len(text) && next < len(spans); i++ {
		if i == spans[next][0] {
			out[next] = map[int]Quoting{code: Unquoted, single: Literal, double: DoubleQuoted}[state]
			i = spans[next][1] - 1
			next++
			continue
		}
		c := text[i]
		switch state {
		case code:
			switch {
			case c == '`':
				i++
			case c == '\'':
				state = single
			case c == '"':
				state = double
			case c == '<' && i+1 < len(text) && text[i+1] == '#':
				state = blockComment
				i++
			case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n' || text[i-1] == ';'):
				state = lineComment
			}
		case single:
			if c == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					i++
				} else {
					state = code
				}
			}
		case double:
			switch c {
			case '`':
				i++
			case '"':
				if i+1 < len(text) && text[i+1] == '"' {
					i++
				} else {
					state = code
				}
			}
		case lineComment:
			if c == '\n' {
				state = code
			}
		case blockComment:
			if c == '#' && i+1 < len(text) && text[i+1] == '>' {
				state = code
				i++
			}
		}
	}
}
