package engine

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gobwas/glob"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/builtins"
	"github.com/open-policy-agent/opa/v1/types"
)

// commandMatches is the builtin pipelint.command_matches(cmd, matcher): true
// when a shell command of the model meets the argument conditions of a
// command matcher (rules/lib/commands.rego describes them: args, any_arg,
// requires, no_positional, unless, unless_after). It does in one call what
// took a dozen Rego functions for every command and matcher pair, the
// largest share of the time rules spend matching commands. Globs are
// glob.match's with no delimiters.
var commandMatches = &ast.Builtin{
	Name:        "pipelint.command_matches",
	Description: "Reports whether a shell command (an element of script.commands) meets the argument conditions of a command matcher (see rules/lib/commands.rego).",
	Decl: types.NewFunction(
		types.Args(
			types.Named("cmd", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
			types.Named("matcher", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
		),
		types.Named("result", types.B),
	),
}

// commandsMatched is the builtin pipelint.commands_matched(jobs,
// by_command, by_subcommand): every [table, matcher, job, step, cmd] where
// a shell command of the jobs meets a matcher of the command tables'
// indexes (tables.by_command and tables.by_subcommand), by
// command_matches' conditions. It is the walk of commands.matched: in
// Rego, dispatching each command through the indexes cost a dozen
// expressions, most of the evaluation of a script of thousands of
// commands, though few commands match anything.
var commandsMatched = &ast.Builtin{
	Name:        "pipelint.commands_matched",
	Description: "Lists [table, matcher, job, step, command] for every shell command of the jobs that meets a matcher of the indexed command tables (see rules/lib/commands.rego).",
	Decl: types.NewFunction(
		types.Args(
			types.Named("jobs", types.NewArray(nil, types.A)),
			types.Named("by_command", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
			types.Named("by_subcommand", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
		),
		types.Named("result", types.NewArray(nil, types.NewArray(nil, types.A))),
	),
}

// commandDisplay is the builtin pipelint.command_display(cmd, n): a
// command's name and up to n of its first positional arguments, as long as
// each reads as a subcommand (a lower-case word: `npm run build`, `helm
// upgrade`), joined by spaces. It is commands.display, which every build,
// deploy and release site of a script names itself by: in Rego, listing
// the positional arguments and testing each cost a dozen expressions a
// command.
var commandDisplay = &ast.Builtin{
	Name:        "pipelint.command_display",
	Description: "Names a shell command for messages: its name and up to n of its first positional arguments that read as subcommands, joined by spaces.",
	Decl: types.NewFunction(
		types.Args(
			types.Named("cmd", types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))),
			types.Named("n", types.N),
		),
		types.Named("result", types.S),
	),
}

// subcommandWord is what a positional argument looks like when
// commandDisplay shows it: no value that may be a secret, a path or a URL.
var subcommandWord = regexp.MustCompile(`^[a-z][a-z0-9:_-]*$`)

// containsAny is the builtin pipelint.contains_any(text, words): true when
// text contains one of the strings of words (a set or an array). It is the
// cheap test that keeps a rule's regular expressions off a file that holds
// none of their keywords; strings.replace_n, the way to ask it in one call
// of a Rego builtin, builds a new replacer for every call.
var containsAny = &ast.Builtin{
	Name:        "pipelint.contains_any",
	Description: "Reports whether a text contains any of the given strings.",
	Decl: types.NewFunction(
		types.Args(
			types.Named("text", types.S),
			types.Named("words", types.NewAny(types.NewSet(types.S), types.NewArray(nil, types.S))),
		),
		types.Named("result", types.B),
	),
}

func init() {
	ast.RegisterBuiltin(containsAny)
	topdown.RegisterBuiltinFunc(containsAny.Name, func(_ topdown.BuiltinContext, operands []*ast.Term, iter func(*ast.Term) error) error {
		text, err := builtins.StringOperand(operands[0].Value, 1)
		if err != nil {
			return err
		}
		found := false
		contains := func(t *ast.Term) bool {
			word, ok := t.Value.(ast.String)
			found = ok && strings.Contains(string(text), string(word))
			return found
		}
		switch words := operands[1].Value.(type) {
		case ast.Set:
			words.Until(contains)
		case *ast.Array:
			words.Until(contains)
		default:
			return builtins.NewOperandTypeErr(2, operands[1].Value, "set", "array")
		}
		return iter(ast.InternedTerm(found))
	})
	ast.RegisterBuiltin(commandsMatched)
	topdown.RegisterBuiltinFunc(commandsMatched.Name, func(_ topdown.BuiltinContext, operands []*ast.Term, iter func(*ast.Term) error) error {
		jobs, err := builtins.ArrayOperand(operands[0].Value, 1)
		if err != nil {
			return err
		}
		byCommand, err := builtins.ObjectOperand(operands[1].Value, 2)
		if err != nil {
			return err
		}
		bySubcommand, err := builtins.ObjectOperand(operands[2].Value, 3)
		if err != nil {
			return err
		}
		var matches []*ast.Term
		err = eachShellCommand(jobs, func(job, step, cmd *ast.Term) error {
			name := commandName(cmd)
			if name == nil {
				return nil
			}
			args := commandArgs(cmd.Value.(ast.Object))
			var indexes []ast.Object // table → matchers, by name and by subcommand
			if tables, ok := termValue(byCommand.Get(name)).(ast.Object); ok {
				indexes = append(indexes, tables)
			}
			if words, ok := termValue(bySubcommand.Get(name)).(ast.Object); ok {
				if word, ok := firstPositional(args); ok {
					if tables, ok := field(words, word).(ast.Object); ok {
						indexes = append(indexes, tables)
					}
				}
			}
			for _, tables := range indexes {
				err := tables.Iter(func(table, matchers *ast.Term) error {
					set, ok := matchers.Value.(ast.Set)
					if !ok {
						return nil
					}
					return set.Iter(func(m *ast.Term) error {
						matcher, ok := m.Value.(ast.Object)
						if !ok {
							return nil
						}
						matched, err := matchCommand(args, matcher)
						if matched {
							matches = append(matches, ast.ArrayTerm(table, m, job, step, cmd))
						}
						return err
					})
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return iter(ast.ArrayTerm(matches...))
	})
	ast.RegisterBuiltin(commandDisplay)
	topdown.RegisterBuiltinFunc(commandDisplay.Name, func(_ topdown.BuiltinContext, operands []*ast.Term, iter func(*ast.Term) error) error {
		cmd, err := builtins.ObjectOperand(operands[0].Value, 1)
		if err != nil {
			return err
		}
		n, err := builtins.IntOperand(operands[1].Value, 2)
		if err != nil {
			return err
		}
		name, ok := termValue(commandName(ast.NewTerm(cmd))).(ast.String)
		if !ok {
			return nil // undefined, as cmd.name.value
		}
		words := []string{string(name)}
		for _, arg := range commandArgs(cmd) {
			if len(words) > n {
				break
			}
			if strings.HasPrefix(arg, "-") {
				continue
			}
			if !subcommandWord.MatchString(arg) {
				break
			}
			words = append(words, arg)
		}
		return iter(ast.StringTerm(strings.Join(words, " ")))
	})
	ast.RegisterBuiltin(commandMatches)
	topdown.RegisterBuiltinFunc(commandMatches.Name, func(_ topdown.BuiltinContext, operands []*ast.Term, iter func(*ast.Term) error) error {
		cmd, err := builtins.ObjectOperand(operands[0].Value, 1)
		if err != nil {
			return err
		}
		matcher, err := builtins.ObjectOperand(operands[1].Value, 2)
		if err != nil {
			return err
		}
		matches, err := matchCommand(commandArgs(cmd), matcher)
		if err != nil {
			return err
		}
		return iter(ast.InternedTerm(matches))
	})
}

// eachShellCommand calls f with every command of the jobs' scripts
// (job.steps[_].script.commands[_]) and the index terms of its job and
// step, in order.
func eachShellCommand(jobs *ast.Array, f func(job, step, cmd *ast.Term) error) error {
	for j := range jobs.Len() {
		job, _ := jobs.Elem(j).Value.(ast.Object)
		if job == nil {
			continue
		}
		steps, _ := field(job, "steps").(*ast.Array)
		if steps == nil {
			continue
		}
		for s := range steps.Len() {
			step, _ := steps.Elem(s).Value.(ast.Object)
			if step == nil {
				continue
			}
			script, _ := field(step, "script").(ast.Object)
			if script == nil {
				continue
			}
			commands, _ := field(script, "commands").(*ast.Array)
			if commands == nil {
				continue
			}
			for c := range commands.Len() {
				cmd := commands.Elem(c)
				if _, ok := cmd.Value.(ast.Object); !ok {
					continue
				}
				if err := f(ast.InternedTerm(j), ast.InternedTerm(s), cmd); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// commandName is the term of a command's name.value, nil when it has none.
func commandName(cmd *ast.Term) *ast.Term {
	name, _ := field(cmd.Value.(ast.Object), "name").(ast.Object)
	if name == nil {
		return nil
	}
	return name.Get(ast.InternedTerm("value"))
}

// firstPositional is the first argument that is not a flag.
func firstPositional(args []string) (string, bool) {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a, true
		}
	}
	return "", false
}

func termValue(t *ast.Term) ast.Value {
	if t == nil {
		return nil
	}
	return t.Value
}

// commandArgs are the values of a command's arguments, as written.
func commandArgs(cmd ast.Object) []string {
	list, _ := field(cmd, "args").(*ast.Array)
	if list == nil {
		return nil
	}
	args := make([]string, 0, list.Len())
	for i := range list.Len() {
		arg, _ := list.Elem(i).Value.(ast.Object)
		if arg == nil {
			continue
		}
		value, _ := field(arg, "value").(ast.String)
		args = append(args, string(value))
	}
	return args
}

func matchCommand(args []string, m ast.Object) (bool, error) {
	var positional []string // the arguments that are not flags
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			positional = append(positional, a)
		}
	}
	leading := stringList(m, "args")
	if len(positional) < len(leading) {
		return false, nil
	}
	for i, pattern := range leading {
		if ok, err := globMatch(pattern, positional[i]); !ok || err != nil {
			return false, err
		}
	}
	if pattern, _ := field(m, "any_arg").(ast.String); pattern != "" {
		if ok, err := anyMatches(string(pattern), positional); !ok || err != nil {
			return false, err
		}
	}
	if pattern, _ := field(m, "requires").(ast.String); pattern != "" {
		if ok, err := anyMatches(string(pattern), args); !ok || err != nil {
			return false, err
		}
	}
	if field(m, "no_positional") == ast.Boolean(true) && len(positional) > 0 {
		return false, nil
	}
	for _, pattern := range stringList(m, "unless") {
		if ok, err := anyMatches(pattern, args); ok || err != nil {
			return false, err
		}
	}
	if after, _ := field(m, "unless_after").(ast.Object); after != nil && after.Len() > 0 {
		for i, a := range args[:max(len(args)-1, 0)] {
			pattern, _ := field(after, a).(ast.String)
			if pattern == "" {
				continue
			}
			if ok, err := globMatch(string(pattern), args[i+1]); ok || err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

func anyMatches(pattern string, values []string) (bool, error) {
	for _, v := range values {
		if ok, err := globMatch(pattern, v); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// stringList is the strings of obj[key], an array or a set.
func stringList(obj ast.Object, key string) []string {
	var list []string
	collect := func(t *ast.Term) {
		if s, ok := t.Value.(ast.String); ok {
			list = append(list, string(s))
		}
	}
	switch v := field(obj, key).(type) {
	case *ast.Array:
		v.Foreach(collect)
	case ast.Set:
		v.Foreach(collect)
	}
	return list
}

// globs holds the compiled patterns, up to maxGlobs of them: the tables
// hold a few hundred.
var (
	globs     sync.Map // pattern → *glob.Pattern
	globCount atomic.Int64
)

const maxGlobs = 1 << 12

// globMatch is glob.match(pattern, null, value).
func globMatch(pattern, value string) (bool, error) {
	if g, ok := globs.Load(pattern); ok {
		return g.(*glob.Pattern).Match(value), nil
	}
	g, err := glob.Compile(pattern)
	if err != nil {
		return false, err
	}
	if globCount.Add(1) <= maxGlobs {
		globs.Store(pattern, g)
	}
	return g.Match(value), nil
}
