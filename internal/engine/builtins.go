package engine

import (
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
