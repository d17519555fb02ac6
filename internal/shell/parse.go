package shell

import (
	"bytes"
	"errors"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// maxParsedBytes bounds the scripts given to the parser, whose recursion
// grows with nesting; longer scripts (far beyond any real CI step) are split
// line by line, which takes linear time and constant stack.
const maxParsedBytes = 64 << 10

// ciExpression matches the CI system's own expressions, GitHub ${{ }} and
// GitLab $[[ ]], which the CI system substitutes before the shell runs and
// which are not valid shell syntax everywhere.
var ciExpression = regexp.MustCompile(`(?s)\$\{\{.*?\}\}|\$\[\[.*?\]\]`)

// parseScript parses text in the given dialect (or, failing that, in bash)
// and returns its simple commands sorted by where they start, those of the
// scripts it runs with sh -c included. It reports false when text is not a
// valid script.
func parseScript(text string, lang syntax.LangVariant) ([]simpleCommand, bool) {
	if len(text) > maxParsedBytes {
		return nil, false
	}
	return newScript(text, ciExpression.FindAllStringIndex(text, -1)).commands(lang)
}

// commands parses the script and returns its simple commands in source
// order.
func (s *script) commands(lang syntax.LangVariant) ([]simpleCommand, bool) {
	// Each expression becomes a run of '_' of the same byte length, a plain
	// word to the parser, so every offset still points into text.
	masked := []byte(s.text)
	for _, span := range s.expressions {
		for i := span[0]; i < span[1]; i++ {
			masked[i] = '_'
		}
	}
	file, err := parse(masked, lang)
	if err != nil && lang != syntax.LangBash {
		// Scripts run by sh often use bash syntax all the same (the sh of
		// many images is bash), and bash reads nearly all of sh.
		file, err = parse(masked, syntax.LangBash)
	}
	if err != nil {
		return nil, false
	}
	var commands []simpleCommand
	// The bash `time` keyword is not a word of the command it times; it is
	// put back so that it is stripped like the other wrappers.
	timed := map[*syntax.CallExpr]syntax.Pos{}
	// piped holds the commands that are an element of a pipeline after its
	// first: the walk meets the pipeline before its elements.
	piped := map[*syntax.CallExpr]bool{}
	// open holds the byte spans of the $(...), `...` and <(...) around the
	// node being walked, outermost first: the walk meets a substitution
	// before what is inside it, and is done with it at the first node
	// outside it, so each span is pushed and popped once.
	var open [][2]uint
	inSubstitution := func(node syntax.Node) bool {
		offset := node.Pos().Offset()
		for len(open) > 0 && (offset <= open[len(open)-1][0] || offset >= open[len(open)-1][1]) {
			open = open[:len(open)-1]
		}
		return len(open) > 0
	}
	syntax.Walk(file, func(node syntax.Node) bool {
		switch node := node.(type) {
		case *syntax.Stmt:
			s.enterStatement(node)
		case *syntax.CmdSubst, *syntax.ProcSubst:
			inSubstitution(node)
			open = append(open, [2]uint{node.Pos().Offset(), node.End().Offset()})
		case *syntax.TimeClause:
			if node.Stmt != nil {
				if call, ok := node.Stmt.Cmd.(*syntax.CallExpr); ok {
					timed[call] = node.Time
				}
			}
		case *syntax.BinaryCmd:
			if call := pipedCall(node); call != nil {
				piped[call] = true
			}
		case *syntax.CallExpr:
			if command, ok := s.callCommand(node, timed); ok {
				command.substituted = inSubstitution(node)
				command.piped = piped[node]
				command.writes = s.writes(node)
				commands = append(commands, command)
				commands = append(commands, s.nestedCommands(node, command)...)
			}
		case *syntax.DeclClause:
			command := s.declCommand(node)
			command.substituted = inSubstitution(node)
			command.writes = s.writes(node)
			commands = append(commands, command)
		}
		return true
	})
	// The walk meets a heredoc body with the command it is fed to, before
	// the commands that follow on that command's line; sorting restores
	// source order.
	sort.SliceStable(commands, func(i, j int) bool {
		return commands[i].start.before(commands[j].start)
	})
	return commands, true
}

// pipedCall returns the simple command that reads the output of the left
// side of a pipe: the first element of its right side, when that element
// is a simple command (timed or not). The parser nests `a | b | c` either
// way round, so the right side may be a pipeline itself.
func pipedCall(pipe *syntax.BinaryCmd) *syntax.CallExpr {
	if pipe.Op != syntax.Pipe && pipe.Op != syntax.PipeAll {
		return nil
	}
	stmt := pipe.Y
	for {
		switch cmd := stmt.Cmd.(type) {
		case *syntax.BinaryCmd:
			if cmd.Op != syntax.Pipe && cmd.Op != syntax.PipeAll {
				return nil
			}
			stmt = cmd.X
		case *syntax.TimeClause:
			if cmd.Stmt == nil {
				return nil
			}
			stmt = cmd.Stmt
		case *syntax.CallExpr:
			return cmd
		default:
			return nil
		}
	}
}

// redirection is a statement, by its byte span, that redirects the output
// of the commands in it to files.
type redirection struct {
	start, end uint
	files      []word
}

// enterStatement is called by the walk for each statement: it leaves the
// statements the walk is done with and, if this one redirects its
// output, enters it.
func (s *script) enterStatement(stmt *syntax.Stmt) {
	s.leaveStatements(stmt)
	if files := s.outputFiles(stmt.Redirs); len(files) > 0 {
		s.redirected = append(s.redirected, redirection{stmt.Pos().Offset(), stmt.End().Offset(), files})
	}
}

// leaveStatements drops from s.redirected the statements node is not in:
// the walk meets a statement before what is inside it, and is done with it
// at the first node outside it.
func (s *script) leaveStatements(node syntax.Node) {
	offset := node.Pos().Offset()
	for n := len(s.redirected); n > 0 && (offset < s.redirected[n-1].start || offset >= s.redirected[n-1].end); n-- {
		s.redirected = s.redirected[:n-1]
	}
}

// writes are the files the output of a command (node) is redirected to,
// its own statement's first.
func (s *script) writes(node syntax.Node) []word {
	s.leaveStatements(node)
	var files []word
	for i := len(s.redirected) - 1; i >= 0; i-- {
		files = append(files, s.redirected[i].files...)
	}
	return files
}

// outputFiles are the files a statement's redirections send its output
// to, as written.
func (s *script) outputFiles(redirs []*syntax.Redirect) []word {
	var files []word
	for _, r := range redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrAll, syntax.AppAll, syntax.RdrClob, syntax.AppClob:
			if r.Word != nil && (r.N == nil || r.N.Value == "1") {
				w := s.word(r.Word)
				files = append(files, w)
			}
		}
	}
	return files
}

// parse runs the parser and turns a panic in it into an error: one odd
// script must not stop a scan of a whole repository.
func parse(src []byte, lang syntax.LangVariant) (file *syntax.File, err error) {
	pool := parsers[lang]
	if pool == nil {
		pool = &sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(lang)) }}
	}
	parser := pool.Get().(*syntax.Parser)
	defer func() {
		if recovered := recover(); recovered != nil {
			file, err = nil, errParserPanic
			return // a parser that panicked is not reused
		}
		pool.Put(parser)
	}()
	return parser.Parse(bytes.NewReader(src), "")
}

// parsers keeps parsers of each dialect for reuse (Parse starts afresh): a
// new one takes kilobytes, which add up over the thousands of one-line
// scripts of a large file.
var parsers = map[syntax.LangVariant]*sync.Pool{}

func init() {
	for _, lang := range []syntax.LangVariant{syntax.LangBash, syntax.LangPOSIX, syntax.LangZsh, syntax.LangMirBSDKorn} {
		parsers[lang] = &sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(lang)) }}
	}
}

var errParserPanic = errors.New("shell parser panicked")

// script is a parsed script's text, for positions and words as written.
type script struct {
	text string
	// expressions are the byte spans, in order and apart, of the text that
	// is no shell syntax to this script: the CI system's ${{ }} and $[[ ]]
	// expressions, and in a script run by sh -c also the expansions that
	// the calling shell makes before running it.
	expressions [][]int
	// origin is where a script run by sh -c was written in the script that
	// runs it, depth how many such scripts deep it is; nil and 0 for the
	// step's own script.
	origin *origin
	depth  int
	// The step's own script maps offsets to points itself: lineStarts is
	// the byte offset of each line's first byte, columns the column of
	// every byte offset when the text is not all ASCII (where the column is
	// the byte distance to the line start).
	lineStarts []int
	columns    []int
	// redirected holds the statements around the node being walked that
	// redirect their output, outermost first.
	redirected []redirection
}

func newScript(text string, expressions [][]int) *script {
	s := &script{text: text, lineStarts: []int{0}, expressions: expressions}
	ascii := true
	for i := range len(text) {
		switch {
		case text[i] == '\n':
			s.lineStarts = append(s.lineStarts, i+1)
		case text[i] >= utf8.RuneSelf:
			ascii = false
		}
	}
	if !ascii {
		s.columns = make([]int, len(text)+1)
		column := 1
		for offset := 0; offset < len(text); {
			r, size := utf8.DecodeRuneInString(text[offset:])
			for i := range size {
				s.columns[offset+i] = column
			}
			offset += size
			column++
			if r == '\n' {
				column = 1
			}
		}
		s.columns[len(text)] = column
	}
	return s
}

// span returns where the bytes [start, end) of the text were written, as
// points of the step's script.
func (s *script) span(start, end int) (point, point) {
	if s.origin != nil {
		return s.origin.span(start, end)
	}
	return s.point(start), s.point(end)
}

// point converts a byte offset of the step's script into a line and
// code-point column.
func (s *script) point(offset int) point {
	line := sort.SearchInts(s.lineStarts, offset+1) - 1
	if s.columns != nil {
		return point{line: line + 1, column: s.columns[offset]}
	}
	return point{line: line + 1, column: offset - s.lineStarts[line] + 1}
}

func (s *script) callCommand(call *syntax.CallExpr, timed map[*syntax.CallExpr]syntax.Pos) (simpleCommand, bool) {
	if len(call.Args) == 0 {
		return simpleCommand{}, false // only assignments: FOO=bar
	}
	start := call.Pos()
	words := make([]word, 0, len(call.Args)+1)
	if keyword, ok := timed[call]; ok {
		start = keyword
		words = append(words, s.literalWord("time", keyword))
	}
	for _, arg := range call.Args {
		words = append(words, s.word(arg))
	}
	// The first byte stands for where the command starts.
	first, _ := s.span(int(start.Offset()), int(start.Offset())+1)
	return simpleCommand{start: first, words: words}, true
}

// declCommand turns export, local, declare, readonly, typeset and nameref,
// which the parser keeps apart, into commands like any other.
func (s *script) declCommand(decl *syntax.DeclClause) simpleCommand {
	words := []word{s.literalWord(decl.Variant.Value, decl.Variant.Pos())}
	for _, assign := range decl.Args {
		words = append(words, s.assignWord(assign))
	}
	return simpleCommand{start: words[0].start, words: words}
}

func (s *script) literalWord(value string, pos syntax.Pos) word {
	start, end := s.span(int(pos.Offset()), int(pos.Offset())+len(value))
	return word{value: value, literal: true, start: start, end: end}
}

func (s *script) word(w *syntax.Word) word {
	value, literal := literalValue(w)
	return s.spanWord(w, value, literal)
}

// assignWord is an argument of a declaration: NAME=value, or a bare NAME.
func (s *script) assignWord(assign *syntax.Assign) word {
	value, literal := "", assign.Index == nil && assign.Array == nil
	if literal && assign.Value != nil {
		value, literal = literalValue(assign.Value)
	}
	if literal && assign.Name != nil {
		switch {
		case assign.Naked:
			value = assign.Name.Value
		case assign.Append:
			value = assign.Name.Value + "+=" + value
		default:
			value = assign.Name.Value + "=" + value
		}
	}
	return s.spanWord(assign, value, literal)
}

// spanWord makes the word of a node; one that is not literal, or that holds
// one of the script's expressions, is given as written.
func (s *script) spanWord(node syntax.Node, value string, literal bool) word {
	start, end := int(node.Pos().Offset()), int(node.End().Offset())
	if literal && s.holdsExpression(start, end) {
		literal = false
	}
	if !literal {
		value = s.text[start:end]
	}
	from, to := s.span(start, end)
	return word{value: value, literal: literal, start: from, end: to}
}

// holdsExpression reports whether one of the script's expressions overlaps
// the bytes [start, end). The expressions are in order and apart, so the first one
// ending after start is the only candidate.
func (s *script) holdsExpression(start, end int) bool {
	i := sort.Search(len(s.expressions), func(i int) bool { return s.expressions[i][1] > start })
	return i < len(s.expressions) && s.expressions[i][0] < end
}

// literalValue returns the text a word stands for, unquoted as the shell
// would, when the word has no expansion in it.
func literalValue(w *syntax.Word) (string, bool) {
	var value strings.Builder
	for _, part := range w.Parts {
		switch part := part.(type) {
		case *syntax.Lit:
			value.WriteString(unescape(part.Value, allEscapable))
		case *syntax.SglQuoted:
			if !part.Dollar {
				value.WriteString(part.Value)
				continue
			}
			// $'a\tb': the library knows ANSI-C escapes.
			decoded, err := expand.Literal(nil, &syntax.Word{Parts: []syntax.WordPart{part}})
			if err != nil {
				return "", false
			}
			value.WriteString(decoded)
		case *syntax.DblQuoted:
			for _, inner := range part.Parts {
				lit, ok := inner.(*syntax.Lit)
				if !ok {
					return "", false
				}
				value.WriteString(unescape(lit.Value, "$`\"\\\n"))
			}
		default:
			return "", false
		}
	}
	return value.String(), true
}

// allEscapable stands for "a backslash escapes any character", as outside
// quotes.
const allEscapable = ""

// unescape removes the backslashes that escape a character of escapable (any
// character when escapable is allEscapable); an escaped newline is a line
// continuation and disappears with its backslash.
func unescape(s, escapable string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (escapable == allEscapable || strings.IndexByte(escapable, s[i+1]) >= 0) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		out.WriteByte(s[i])
	}
	return out.String()
}
