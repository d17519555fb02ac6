package shell

import (
	"slices"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// A shell run with -c (bash -lc "…", sudo sh -c '…', timeout 60 bash -c …)
// runs its argument as a script on the same machine, so the commands of that
// script are commands of the step. The shell is recognised after the
// wrappers that unwrap strips (env, sudo, exec, nohup, timeout, xargs, npx,
// uv run, ...), which all run it on that machine too. The argument is
// unquoted as the calling shell would, parsed in the dialect of the shell
// that runs it, and its commands follow the shell's own command, placed
// where each of their characters is written. They carry no mark of where
// they came from: to every rule they are commands of the step like any
// other, as those inside $(...) are.
//
// Shells started somewhere else (docker run img sh -c, docker exec, kubectl
// exec, ssh host cmd) are not followed: their commands do not run on the
// runner, where caches and the step's environment are, and the command's
// name is the tool that starts them, not a shell.
//
// In a script split by lines (PowerShell, cmd) only a literal string is
// read, since the expansions of those shells are not known here.

// maxNesting bounds how many scripts deep sh -c is followed: sh -c "sh -c
// 'make'" is two.
const maxNesting = 3

// nestingShells are the shells whose -c option runs a script; shellKindOf
// gives the dialect of each.
var nestingShells = []string{"sh", "dash", "ash", "bash", "zsh", "ksh", "mksh"}

// shellValueOptions are the long options of those shells that take the next
// word as their value; -o and -O do too, also in a cluster (-eo pipefail).
var shellValueOptions = []string{"--rcfile", "--init-file", "--emulate"}

// scriptArgument returns the index in words of the script that the command
// runs with a shell's -c option, once its wrappers are stripped, and the
// script's dialect. The script is the first word after the options (bash
// -c -e 'x' and bash -ec 'x' both run x).
func scriptArgument(words []word) (int, syntax.LangVariant, bool) {
	at, _ := unwrap(words)
	if !words[at].literal || !slices.Contains(nestingShells, commandKey(words[at].value)) {
		return 0, 0, false
	}
	command := false
	i := at + 1
	for ; i < len(words) && words[i].literal; i++ {
		option := words[i].value
		if option == "--" || option == "-" {
			i++
			break
		}
		if len(option) < 2 || option[0] != '-' && option[0] != '+' {
			break
		}
		if strings.HasPrefix(option, "--") {
			if slices.Contains(shellValueOptions, option) {
				i++
			}
			continue
		}
		for _, flag := range option[1:] {
			switch flag {
			case 'c':
				command = command || option[0] == '-'
			case 'o', 'O':
				i++ // -o pipefail, +O extglob
			}
		}
	}
	if !command || i >= len(words) {
		return 0, 0, false
	}
	return i, shellKindOf(words[at].value).lang, true
}

// nestedCommands returns the commands of the script that call runs with
// sh -c, if it does; command is call's simple command.
func (s *script) nestedCommands(call *syntax.CallExpr, command simpleCommand) []simpleCommand {
	i, lang, ok := scriptArgument(command.words)
	if !ok || s.depth >= maxNesting {
		return nil
	}
	// The words may start with the bash time keyword, which is no argument.
	inner, ok := s.nested(call.Args[i-(len(command.words)-len(call.Args))])
	if !ok {
		return nil
	}
	return inner.splitNested(lang)
}

// nestedCommands returns the commands of the script that a command split
// by lines runs with sh -c, if it does. Only a literal script is read: the
// expansions of PowerShell and cmd are not known here.
func (s *lineScanner) nestedCommands(command simpleCommand) []simpleCommand {
	i, lang, ok := scriptArgument(command.words)
	if !ok || !command.words[i].literal {
		return nil
	}
	// A script split by lines may be long; one parsed is within the limit,
	// and so is every string in it.
	from, to := s.spans[i][0], s.spans[i][1]
	if to-from > maxParsedBytes {
		return nil
	}
	if s.root == nil {
		s.root = newScript(s.text, nil)
	}
	// The word is read again, this time noting where each byte was written.
	d := &decoder{from: s.root}
	again := lineScanner{syntax: s.syntax, text: s.text[:to], offset: from, record: d}
	again.scan()
	return d.script(from, to).splitNested(lang)
}

// splitNested returns the commands of a script run by sh -c, in the given
// dialect.
func (s *script) splitNested(lang syntax.LangVariant) []simpleCommand {
	commands, ok := s.commands(lang)
	// A script that is one expansion ("$SCRIPT", "$@", "$(cat x.sh)") is
	// not known here: the word that stands for it is no command.
	if !ok || len(commands) == 1 && len(commands[0].words) == 1 && !commands[0].words[0].literal {
		return nil
	}
	return commands
}

// origin is where the text of a script run by sh -c was written in the
// script that runs it.
type origin struct {
	outer *script
	// starts and ends give, for every byte of the text, the span of the
	// calling script's bytes it was written as (an escaped character takes
	// two), or -1 when that is not known exactly.
	starts, ends []int
	whole        [2]int // the span of the whole script string
}

// span maps the bytes [start, end) of the script's text to the step's
// script. A span whose first or last byte has no exact origin is given as
// the whole script string, rather than at a wrong column.
func (o *origin) span(start, end int) (point, point) {
	if start < end && o.starts[start] >= 0 && o.ends[end-1] >= 0 {
		return o.outer.span(o.starts[start], o.ends[end-1])
	}
	return o.outer.span(o.whole[0], o.whole[1])
}

// nested returns the script that the word w gives to a shell's -c: its
// quotes and escapes removed as the calling shell removes them, and the
// calling shell's expansions ($VAR, $(cmd), which that shell runs) kept as
// written, as expressions that make the words holding them opaque.
func (s *script) nested(w *syntax.Word) (*script, bool) {
	d := decoder{from: s}
	at := int(w.Pos().Offset())
	for _, part := range w.Parts {
		start, end := int(part.Pos().Offset()), int(part.End().Offset())
		switch part := part.(type) {
		case *syntax.Lit:
			// Read with what surrounds it: a line continuation between two
			// parts belongs to neither.
			continue
		case *syntax.SglQuoted:
			d.read(at, start, unquoted)
			switch {
			case !part.Dollar:
				d.read(start+1, end-1, singleQuoted)
			case !strings.Contains(part.Value, `\`):
				d.read(start+2, end-1, singleQuoted)
			default:
				// $'a\tb': the library knows ANSI-C escapes, but not where
				// each decoded byte was written.
				decoded, err := expand.Literal(nil, &syntax.Word{Parts: []syntax.WordPart{part}})
				if err != nil {
					return nil, false
				}
				d.inexact(decoded)
			}
		case *syntax.DblQuoted:
			d.read(at, start, unquoted)
			inner := start + 1
			if part.Dollar {
				inner++
			}
			for _, q := range part.Parts {
				if _, ok := q.(*syntax.Lit); ok {
					continue
				}
				d.read(inner, int(q.Pos().Offset()), doubleQuoted)
				d.expansion(int(q.Pos().Offset()), int(q.End().Offset()))
				inner = int(q.End().Offset())
			}
			d.read(inner, end-1, doubleQuoted)
		default:
			d.read(at, start, unquoted)
			d.expansion(start, end)
		}
		at = end
	}
	d.read(at, int(w.End().Offset()), unquoted)
	return d.script(int(w.Pos().Offset()), int(w.End().Offset())), true
}

// quoting is the context a calling script's bytes are read in.
type quoting int

const (
	unquoted     quoting = iota // a backslash escapes any character
	doubleQuoted                // a backslash escapes only $ ` " \ and a newline
	singleQuoted                // no escapes
)

func (q quoting) escapes(c byte) bool {
	switch q {
	case unquoted:
		return true
	case doubleQuoted:
		return strings.IndexByte("$`\"\\\n", c) >= 0
	}
	return false
}

// decoder builds the text of a script run by sh -c, with the origin of
// every byte.
type decoder struct {
	from         *script
	text         []byte
	starts, ends []int
	opaque       [][]int // spans of text that are expansions, in order
}

// read appends the calling script's bytes [from, to) as the calling shell
// reads them in quoting q. A CI expression in them is copied as written.
func (d *decoder) read(from, to int, q quoting) {
	src := d.from.text
	for i := from; i < to; {
		if end, ok := d.from.expressionAt(i); ok {
			end = min(end, to)
			d.expansion(i, end)
			i = end
			continue
		}
		if src[i] == '\\' && i+1 < to && q.escapes(src[i+1]) {
			if src[i+1] != '\n' { // an escaped newline continues the line
				d.add(src[i+1], i, i+2)
			}
			i += 2
			continue
		}
		d.add(src[i], i, i+1)
		i++
	}
}

// expansion appends the calling script's bytes [from, to) as written, as an
// opaque span.
func (d *decoder) expansion(from, to int) {
	start := len(d.text)
	for i := from; i < to; i++ {
		d.add(d.from.text[i], i, i+1)
	}
	if n := len(d.opaque); n > 0 && d.opaque[n-1][1] == start {
		d.opaque[n-1][1] = len(d.text)
		return
	}
	if len(d.text) > start {
		d.opaque = append(d.opaque, []int{start, len(d.text)})
	}
}

// inexact appends decoded text whose bytes have no exact origin.
func (d *decoder) inexact(decoded string) {
	for i := range len(decoded) {
		d.add(decoded[i], -1, -1)
	}
}

// script is the script decoded from the calling script's string [from, to).
func (d *decoder) script(from, to int) *script {
	return &script{
		text:        string(d.text),
		expressions: d.opaque,
		origin:      &origin{outer: d.from, starts: d.starts, ends: d.ends, whole: [2]int{from, to}},
		depth:       d.from.depth + 1,
	}
}

func (d *decoder) add(c byte, start, end int) {
	d.text = append(d.text, c)
	d.starts = append(d.starts, start)
	d.ends = append(d.ends, end)
}

// expressionAt returns the end of the expression that holds the byte at
// offset, if one does.
func (s *script) expressionAt(offset int) (int, bool) {
	i := sort.Search(len(s.expressions), func(i int) bool { return s.expressions[i][1] > offset })
	if i < len(s.expressions) && s.expressions[i][0] <= offset {
		return s.expressions[i][1], true
	}
	return 0, false
}
