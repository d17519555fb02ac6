// Package shell splits the shell scripts of CI steps into simple commands.
//
// Bash, sh, zsh and ksh scripts are parsed with mvdan.cc/sh, so commands
// inside pipelines, lists, groups, control structures, functions and command
// substitutions are all found. PowerShell and cmd scripts, and shell scripts
// that do not parse, are split line by line instead. Scripts for interpreters
// such as python have no commands.
//
// Every command comes back with its wrappers stripped (sudo, env, time, npx,
// uv run, python -m, ...; see wrappers.go), so that Name is the tool that
// really runs; the wrapper words themselves are dropped. A command given by
// path is named by its base name (./gradlew is gradlew, /usr/bin/npm is
// npm), and a package fetched by a package runner by its name without the
// version (npx @scope/tool@1 is @scope/tool). Rules map the names to tools
// (gradlew to gradle, ...) in their own tables.
//
// A shell run with -c (bash -lc "...", sudo sh -c '...') runs its string on
// the same machine; the commands of that string follow the shell's own
// command, placed where they are written in the string (see nested.go).
package shell

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"mvdan.cc/sh/v3/syntax"
)

// Locate maps a 1-based line and column (in code points) of a script's text
// to the position in the source file where that character was written.
// Parsers supply it, because only they know how a YAML block scalar, a
// quoted string or a Groovy string maps back to the file.
//
// Split also calls it with the column just after the last character of a
// word, to find where the word ends (positions end exclusively).
type Locate func(line, column int) model.Pos

// Split returns the simple commands of text, in source order. shellName is
// the step's shell (bash, sh, pwsh, cmd, ...; empty means bash). A GitHub
// custom shell such as "bash -e {0}" is read by its first word.
//
// A word with no expansion in it is given unquoted ('a b' gives a b); a word
// with an expansion ($VAR, $(cmd), ${{ expr }}, ...) is given as written.
// Command.Pos spans the whole command as written, from its first word
// (a leading VAR=value assignment or wrapper included) to its last; Name.Pos
// is the word of the real command.
func Split(text, shellName string, locate Locate) []model.Command {
	var commands []simpleCommand
	switch kind := shellKindOf(shellName); {
	case kind.interpreter:
		// No commands to find.
	case kind.lines != nil:
		commands = splitLines(text, *kind.lines)
	default:
		var parsed bool
		commands, parsed = parseScript(text, kind.lang)
		if !parsed {
			commands = splitLines(text, shLines)
		}
	}
	result := make([]model.Command, 0, len(commands))
	for _, command := range commands {
		result = append(result, command.model(locate))
	}
	return result
}

// shellKind says how a script of one shell is read.
type shellKind struct {
	lang        syntax.LangVariant // the dialect a parsed script is written in
	lines       *lineSyntax        // set when the script is split line by line
	interpreter bool               // not a shell at all: the script has no commands
}

var (
	// pythonName matches the Python interpreters, python3.12 and py included.
	pythonName = regexp.MustCompile(`^(python[0-9.]*|pypy[0-9.]*|py)$`)
	// otherInterpreters run a step's script in a language other than shell.
	otherInterpreters = []string{"node", "perl", "ruby", "rscript", "deno"}
)

func shellKindOf(shellName string) shellKind {
	name := ""
	if fields := strings.Fields(shellName); len(fields) > 0 {
		name = commandKey(fields[0])
	}
	switch {
	case name == "" || name == "bash":
		return shellKind{lang: syntax.LangBash}
	case name == "sh" || name == "dash" || name == "ash" || name == "busybox":
		return shellKind{lang: syntax.LangPOSIX}
	case name == "zsh":
		return shellKind{lang: syntax.LangZsh}
	case name == "ksh" || name == "mksh":
		return shellKind{lang: syntax.LangMirBSDKorn}
	case name == "pwsh" || name == "powershell":
		return shellKind{lines: &pwshLines}
	case name == "cmd":
		return shellKind{lines: &cmdLines}
	case pythonName.MatchString(name) || slices.Contains(otherInterpreters, name):
		return shellKind{interpreter: true}
	}
	// An unknown shell is most likely sh-like; a script that does not parse
	// falls back to line splitting anyway.
	return shellKind{lang: syntax.LangBash}
}

// commandKey is the name a command word is recognised by: its base name,
// lower-cased, without a Windows executable extension.
func commandKey(value string) string {
	key := strings.ToLower(baseName(value))
	for _, extension := range []string{".exe", ".cmd", ".bat"} {
		if trimmed, found := strings.CutSuffix(key, extension); found && trimmed != "" {
			return trimmed
		}
	}
	return key
}

// baseName drops the directories of a command path: ./gradlew is gradlew,
// /usr/bin/npm is npm and C:\tools\x.exe is x.exe.
func baseName(value string) string {
	i := strings.LastIndexAny(value, `/\`)
	if i < 0 || i == len(value)-1 {
		return value
	}
	return value[i+1:]
}

// packageName drops the version from a package that a package runner
// fetches: @scope/tool@1.2 is @scope/tool, so that rules match it by name.
func packageName(spec string) string {
	if i := strings.LastIndexByte(spec, '@'); i > 0 {
		return spec[:i]
	}
	return spec
}

// point is a 1-based line and code-point column of the script text.
type point struct{ line, column int }

func (p point) before(q point) bool {
	return p.line < q.line || p.line == q.line && p.column < q.column
}

// word is one word of a command.
type word struct {
	value string // the unquoted text, or the text as written when not literal
	// literal is true when the word has no expansion in it, so value is
	// exactly what the command receives.
	literal    bool
	start, end point // end is exclusive
}

// isOption reports whether the word is a literal option such as -x or --x=y.
func (w word) isOption() bool {
	return w.literal && len(w.value) > 1 && w.value[0] == '-'
}

// simpleCommand is one command as written, wrappers and all.
type simpleCommand struct {
	start       point // the first word or leading assignment
	words       []word
	substituted bool // inside $(...), `...` or <(...)
	piped       bool // reads the output of the pipeline element before it
	writes      []word
}

// model strips the command's wrappers and converts it, mapping positions
// through locate.
func (c simpleCommand) model(locate Locate) model.Command {
	at, runsPackage := unwrap(c.words)
	name := c.words[at]
	switch {
	case !name.literal:
	case runsPackage:
		name.value = packageName(name.value)
	default:
		name.value = baseName(name.value)
	}
	args := make([]model.String, 0, len(c.words)-at-1)
	for _, arg := range c.words[at+1:] {
		args = append(args, arg.model(locate))
	}
	// The command spans its words. A word of a script run by sh -c whose
	// position is not known exactly stands for the whole script string,
	// which can reach past the command's other words.
	start, end := c.start, c.words[len(c.words)-1].end
	for _, w := range c.words {
		if w.start.before(start) {
			start = w.start
		}
		if end.before(w.end) {
			end = w.end
		}
	}
	return model.Command{
		Name:        name.model(locate),
		Args:        args,
		Substituted: c.substituted,
		Piped:       c.piped,
		Writes:      words(c.writes, locate),
		Pos:         locateSpan(locate, start, end),
	}
}

// words converts words, nil for none.
func words(in []word, locate Locate) []model.String {
	if len(in) == 0 {
		return nil
	}
	out := make([]model.String, 0, len(in))
	for _, w := range in {
		out = append(out, w.model(locate))
	}
	return out
}

func (w word) model(locate Locate) model.String {
	return model.String{Value: w.value, Pos: locateSpan(locate, w.start, w.end)}
}

func locateSpan(locate Locate, start, end point) model.Pos {
	pos := locate(start.line, start.column)
	last := locate(end.line, end.column)
	pos.EndLine, pos.EndColumn = last.Line, last.Column
	return pos
}
