package github

import (
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// steps converts a `steps:` sequence. The steps of a `parallel:` group are
// listed in place of the group.
// stepDefaults are the shell and working directory of a run step that
// declares neither (`defaults.run`).
type stepDefaults struct {
	shell string
	dir   model.String
}

func (c *converter) steps(seq *yaml.Node, defaults stepDefaults) []model.Step {
	if seq = resolve(seq); seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]model.Step, 0, len(seq.Content))
	for _, n := range seq.Content {
		if group := field(n, "parallel"); group != nil {
			out = append(out, c.steps(group, defaults)...)
			continue
		}
		out = append(out, c.step(n, defaults))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// step converts one element of a `steps:` sequence. Steps are read from the
// YAML nodes rather than from actionlint so that workflow jobs and
// composite actions (which actionlint has no syntax tree for) share this
// code; actionlint still reports the syntax errors of workflow steps.
func (c *converter) step(n *yaml.Node, defaults stepDefaults) model.Step {
	n = resolve(n)
	start, end := c.src.outer(n)
	out := model.Step{Kind: model.StepOther, Pos: c.src.pos(start, end)}
	if n.Kind != yaml.MappingNode {
		return out
	}
	var run, uses, control *yaml.Node
	shellName, dir := defaults.shell, defaults.dir
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], resolve(n.Content[i+1])
		switch key.Value {
		case "id":
			out.ID = c.scalar(value)
		case "name":
			out.Name = c.scalar(value)
		case "if":
			out.Condition = c.scalar(value)
			out.When = when(out.Condition.Value)
		case "env":
			out.Env = c.vars(value)
		case "with":
			out.With = c.vars(value)
		case "continue-on-error":
			out.ContinueOnError = value.Kind == yaml.ScalarNode && strings.EqualFold(value.Value, "true")
		case "shell":
			shellName = programName(value.Value)
		case "working-directory":
			dir = c.scalar(value)
		case "run":
			run = value
		case "uses":
			uses = value
		case "wait", "wait-all", "cancel":
			control = key
		}
	}
	switch {
	case run != nil && run.Kind == yaml.ScalarNode:
		out.Kind = model.StepRun
		text := c.src.string(run)
		locate := c.src.locate(run) // one layout of the text for both
		out.Script = &model.Script{
			Text:             text,
			Shell:            shellName,
			WorkingDirectory: dir,
			Expressions:      findExpressions(text.Value, locate),
			Commands:         shell.Split(text.Value, shellName, locate),
		}
	case uses != nil && uses.Kind == yaml.ScalarNode && strings.TrimSpace(uses.Value) != "": // empty is an error
		out.Kind = model.StepUses
		value := c.src.trimmed(uses)
		var ref model.Reference
		if strings.HasPrefix(value.Value, "docker://") {
			ref = c.reference(value, model.RefImage, "step")
		} else {
			ref = c.reference(value, model.RefAction, "")
		}
		out.Uses = &ref
	case control != nil: // a parallel-steps control step: `wait: build`
		out.Call = c.src.string(control)
		out.With = []model.Var{c.nodeVar(control, c.src.values[control])}
	}
	return out
}

// programName reduces a declared shell such as `bash -e {0}` or
// `/usr/bin/pwsh -command ". '{0}'"` to the program, bash or pwsh.
func programName(declared string) string {
	fields := strings.Fields(declared)
	if len(fields) == 0 || strings.Contains(declared, "${{") {
		return declared
	}
	return path.Base(fields[0])
}

// scalar is the string of a scalar node; other nodes have no string value.
func (c *converter) scalar(n *yaml.Node) model.String {
	if n = resolve(n); n == nil || n.Kind != yaml.ScalarNode {
		return model.String{}
	}
	return c.src.string(n)
}

// vars lists the entries of a `name: value` mapping (env, with,
// permissions) in source order.
func (c *converter) vars(m *yaml.Node) []model.Var {
	if m = resolve(m); m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]model.Var, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, c.nodeVar(m.Content[i], m.Content[i+1]))
	}
	return out
}

// nodeVar is one mapping entry. A value that is not a scalar (a matrix
// dimension's list) keeps its source text as written.
func (c *converter) nodeVar(key, value *yaml.Node) model.Var {
	v := model.Var{Name: c.src.string(key), Pos: c.src.entry(key)}
	switch value = resolve(value); {
	case value == nil:
	case value.Kind == yaml.ScalarNode:
		v.Value = c.src.string(value)
	default:
		start, end := c.src.outer(value)
		v.Value = model.String{Value: c.src.text(start, end), Pos: c.src.pos(start, end)}
	}
	v.Source = valueSource(v.Value.Value)
	v.Expressions = c.expressionsIn(value)
	return v
}

var (
	secretExpression = regexp.MustCompile(`(?i)^\$\{\{\s*(secrets\.[\w-]+|secrets\[\s*'[^']*'\s*\]|github\.token)\s*\}\}$`)
	variableRef      = regexp.MustCompile(`^\$(env:)?[A-Za-z_]\w*$|^\$\{[A-Za-z_]\w*\}$`)
)

// valueSource classifies a value (see model.Var.Source). Only a value that
// is exactly one secret or one variable reference counts as such; any
// other ${{ }} is an expression.
func valueSource(value string) string {
	value = strings.TrimSpace(value)
	switch {
	case secretExpression.MatchString(value):
		return "secret"
	case strings.Contains(value, "${{"):
		return "expression"
	case variableRef.MatchString(value):
		return "variable"
	}
	return "literal"
}
