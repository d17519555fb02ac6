package shell

import (
	"strings"
	"unicode/utf8"
)

// lineSyntax is what line splitting knows of a shell: enough to find
// commands and words, not a grammar.
type lineSyntax struct {
	// escape quotes the next character; before a newline it continues the
	// line: \ in sh, ` in PowerShell, ^ in cmd.
	escape rune
	quotes string // quote characters; the escape works inside " except in cmd
	// comment starts a comment that runs to the end of the line, where a
	// word may start; 0 for cmd, whose comments are REM and :: commands.
	comment rune
	// separators end a command outside quotes, longest first. A single &
	// next to a redirection (2>&1, >&2) does not.
	separators []string
	// expansions start a variable or command expansion that makes a word
	// opaque when it appears outside single quotes.
	expansions string
	// blockComments is PowerShell's <# ... #>.
	blockComments bool
	// windows is cmd: REM and :: lines are comments and a leading @ (which
	// only silences the echo) is not part of the command.
	windows bool
}

var (
	shLines   = lineSyntax{escape: '\\', quotes: `'"`, comment: '#', separators: []string{"&&", "||", ";", "|", "&"}, expansions: "$`"}
	pwshLines = lineSyntax{escape: '`', quotes: `'"`, comment: '#', separators: []string{"&&", "||", ";", "|"}, expansions: "$", blockComments: true}
	cmdLines  = lineSyntax{escape: '^', quotes: `"`, separators: []string{"&&", "||", "&", "|"}, expansions: "%!", windows: true}
)

// splitLines splits text into commands at newlines and separators outside
// quotes, and commands into words at blanks. It never fails and takes time
// linear in the text.
func splitLines(text string, syntax lineSyntax) []simpleCommand {
	s := lineScanner{syntax: syntax, text: text, at: point{line: 1, column: 1}}
	s.scan()
	return s.commands
}

type lineScanner struct {
	syntax   lineSyntax
	text     string
	offset   int   // byte offset of the next character
	at       point // line and column of the next character
	commands []simpleCommand
	words    []word
	spans    [][2]int // the byte span of each of words
	// piped is set by a pipe: the next command reads the output of the
	// one before it, even when a line break comes between.
	piped bool

	// root is text as a parsed script, made when a command runs a script
	// with sh -c, to place that script's commands.
	root *script
	// record, when set, receives every byte of the words read with where it
	// was written, to read a script run by sh -c.
	record *decoder

	// The word being read.
	inWord             bool
	value              strings.Builder
	opaque             bool
	wordStart, wordEnd int
	wordAt, wordEndAt  point
}

func (s *lineScanner) scan() {
	var quote rune
	for s.offset < len(s.text) {
		r := s.peek(0)
		switch {
		case quote != 0:
			s.startWord()
			switch {
			case r == quote:
				quote = 0
				s.advanceInWord()
			case r == s.syntax.escape && quote != '\'' && !s.syntax.windows && s.offset+1 < len(s.text):
				s.advance()
				s.takeEscaped()
			default:
				if quote != '\'' && strings.ContainsRune(s.syntax.expansions, r) {
					s.opaque = true
				}
				s.write(s.offset)
			}
		case r == s.syntax.escape && s.offset+1 < len(s.text):
			s.advance()
			if s.peek(0) == '\n' {
				s.advance() // a line continuation joins the lines
				continue
			}
			s.startWord()
			s.takeEscaped()
		case strings.ContainsRune(s.syntax.quotes, r):
			s.startWord()
			quote = r
			s.advanceInWord()
		case r == '\n':
			s.endCommand()
			s.advance()
		case r == ' ' || r == '\t' || r == '\r':
			s.endWord()
			s.advance()
		case s.separator() != "":
			separator := s.separator()
			s.endCommand()
			s.piped = separator == "|"
			for range separator {
				s.advance() // separators are ASCII
			}
		case !s.inWord && s.startsComment():
			s.skipComment()
		default:
			s.startWord()
			if strings.ContainsRune(s.syntax.expansions, r) {
				s.opaque = true
			}
			s.write(s.offset)
		}
	}
	s.endCommand()
}

// peek returns the rune n bytes ahead of the offset, or 0 at the end.
func (s *lineScanner) peek(n int) rune {
	if s.offset+n >= len(s.text) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s.text[s.offset+n:])
	return r
}

func (s *lineScanner) advance() {
	r, size := utf8.DecodeRuneInString(s.text[s.offset:])
	s.offset += size
	if r == '\n' {
		s.at = point{line: s.at.line + 1, column: 1}
	} else {
		s.at.column++
	}
}

// advanceInWord moves past a character of the current word.
func (s *lineScanner) advanceInWord() {
	s.advance()
	s.wordEnd, s.wordEndAt = s.offset, s.at
}

// takeEscaped adds the character after an escape to the word as it is.
func (s *lineScanner) takeEscaped() {
	s.write(s.offset - 1) // escapes are ASCII
}

// write adds the character at the offset to the word and moves past it;
// it was written from the byte at start (its escape, if any).
func (s *lineScanner) write(start int) {
	r, size := utf8.DecodeRuneInString(s.text[s.offset:])
	s.value.WriteRune(r)
	if s.record != nil {
		for i := range size {
			s.record.add(s.text[s.offset+i], start, s.offset+i+1)
			start = s.offset + i + 1
		}
	}
	s.advanceInWord()
}

func (s *lineScanner) separator() string {
	rest := s.text[s.offset:]
	for _, separator := range s.syntax.separators {
		if !strings.HasPrefix(rest, separator) {
			continue
		}
		if separator == "&" && s.isRedirection() {
			return ""
		}
		return separator
	}
	return ""
}

// isRedirection reports whether the & at the offset belongs to a
// redirection such as 2>&1 or &>file.
func (s *lineScanner) isRedirection() bool {
	before := s.text[:s.offset]
	return strings.HasSuffix(before, ">") || strings.HasSuffix(before, "<") || s.peek(1) == '>'
}

func (s *lineScanner) startsComment() bool {
	rest := s.text[s.offset:]
	switch {
	case s.syntax.windows:
		return len(s.words) == 0 && isRemark(rest)
	case s.syntax.blockComments && strings.HasPrefix(rest, "<#"):
		return true
	}
	return s.syntax.comment != 0 && s.peek(0) == s.syntax.comment
}

func (s *lineScanner) skipComment() {
	end := "\n"
	if strings.HasPrefix(s.text[s.offset:], "<#") {
		end = "#>"
	}
	for s.offset < len(s.text) && !strings.HasPrefix(s.text[s.offset:], end) {
		s.advance()
	}
	if end == "#>" {
		for range end {
			if s.offset < len(s.text) {
				s.advance()
			}
		}
	}
}

func (s *lineScanner) startWord() {
	if s.inWord {
		return
	}
	s.inWord, s.opaque = true, false
	s.value.Reset()
	s.wordStart, s.wordAt = s.offset, s.at
	s.wordEnd, s.wordEndAt = s.offset, s.at
}

func (s *lineScanner) endWord() {
	if !s.inWord {
		return
	}
	s.inWord = false
	w := word{value: s.value.String(), literal: !s.opaque, start: s.wordAt, end: s.wordEndAt}
	if s.opaque {
		w.value = s.text[s.wordStart:s.wordEnd]
	}
	s.words = append(s.words, w)
	s.spans = append(s.spans, [2]int{s.wordStart, s.wordEnd})
}

func (s *lineScanner) endCommand() {
	s.endWord()
	if len(s.words) == 0 {
		return
	}
	start := s.words[0].start
	if first := &s.words[0]; s.syntax.windows && len(first.value) > 1 && first.value[0] == '@' {
		first.value = first.value[1:]
		first.start.column++
	}
	command := simpleCommand{start: start, words: s.words, piped: s.piped}
	s.piped = false
	s.commands = append(s.commands, command)
	if s.record == nil {
		s.commands = append(s.commands, s.nestedCommands(command)...)
	}
	s.words, s.spans = nil, s.spans[:0]
}

// isRemark reports whether a cmd command starting the text is a comment:
// REM, @REM or ::.
func isRemark(text string) bool {
	text = strings.TrimPrefix(text, "@")
	if strings.HasPrefix(text, "::") {
		return true
	}
	return len(text) >= 3 && strings.EqualFold(text[:3], "rem") &&
		(len(text) == 3 || strings.IndexByte(" \t\r\n", text[3]) >= 0)
}
