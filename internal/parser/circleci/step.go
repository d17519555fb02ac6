package circleci

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
	"gopkg.in/yaml.v3"
)

// stepsIn builds a job's steps and adds what they declare to the job:
// caches, kept paths and test reports.
func (p *parser) stepsIn(n *yaml.Node, sc scope, shellName string, depth int, job *model.Job) []model.Step {
	b := &stepBuilder{p: p, shell: shellName, job: job}
	b.add(syntax.SequenceItems(n), sc, depth)
	return b.out
}

// steps builds steps written outside the job's definition (a workflow
// entry's pre-steps and post-steps) and adds what they declare to the job.
func (p *parser) steps(list []*yaml.Node, sc scope, job *model.Job) []model.Step {
	b := &stepBuilder{p: p, shell: "bash", job: job}
	b.add(list, sc, 0)
	return b.out
}

type stepBuilder struct {
	p     *parser
	shell string
	job   *model.Job
	out   []model.Step
}

// builtinKeys are CircleCI's own steps, which no command may shadow.
var builtinKeys = map[string]bool{
	"run": true, "checkout": true, "save_cache": true, "restore_cache": true, "persist_to_workspace": true,
	"attach_workspace": true, "store_artifacts": true, "store_test_results": true, "add_ssh_keys": true,
	"setup_remote_docker": true, "deploy": true, "when": true, "unless": true,
}

func (b *stepBuilder) add(list []*yaml.Node, sc scope, depth int) {
	p := b.p
	for _, n := range list {
		if p.stepCount >= maxSteps {
			if p.stepCount == maxSteps { // reported once
				p.errorf(p.at(n), "the configuration expands to more than %d steps", maxSteps)
				p.stepCount++
			}
			return
		}
		var key, args *yaml.Node
		switch {
		case isScalar(n):
			key = n
		case isMap(n) && len(syntax.MappingPairs(n)) == 1:
			e := syntax.MappingPairs(n)[0]
			key, args = e.Key, e.Value
		default:
			p.errorf(p.at(n), "a step must be a step's name, or a mapping of the name to its settings")
			continue
		}
		name := key.Value
		// A steps parameter written as a step, `- << parameters.steps >>`
		// or `- steps: << parameters.steps >>`, and a list of steps
		// written as one.
		if name == "steps" && args != nil && args.Kind == yaml.SequenceNode {
			b.add(syntax.SequenceItems(args), sc, depth+1)
			continue
		}
		if name == "steps" && isScalar(args) {
			name = args.Value
		}
		if m := substitution.FindStringSubmatch(name); m != nil && m[0] == strings.TrimSpace(name) && strings.HasPrefix(m[1], "parameters.") {
			if v, ok := sc[strings.TrimPrefix(m[1], "parameters.")]; ok && depth < maxCallDepth {
				b.add(v.steps, v.stepsScope, depth+1)
			}
			continue
		}
		p.stepCount++
		pos := p.pos(n)
		switch name {
		case "run", "deploy":
			b.out = append(b.out, b.run(key, args, sc, pos))
		case "when", "unless":
			// A condition CircleCI decides when it compiles the
			// configuration: the steps are kept either way.
			b.add(syntax.SequenceItems(syntax.MappingGet(args, "steps")), sc, depth+1)
		default:
			b.other(key, args, sc, pos, depth)
		}
	}
}

// run builds a run step: `run: command` or `run: {command, name, shell,
// environment, when, working_directory}`.
func (b *stepBuilder) run(key, args *yaml.Node, sc scope, pos model.Pos) model.Step {
	p := b.p
	step := model.Step{Kind: model.StepRun, Pos: pos}
	command := args
	shellName := b.shell
	if isMap(args) {
		command = syntax.MappingGet(args, "command")
		step.Name, _, _ = p.value(syntax.MappingGet(args, "name"), sc)
		step.Env = p.envVars(syntax.MappingGet(args, "environment"), sc)
		if s := text(syntax.MappingGet(args, "shell")); s != "" {
			shellName = shellOf(s)
		}
		if w := syntax.MappingGet(args, "when"); isScalar(w) {
			step.Condition = p.str(w)
			step.When = map[string]string{"on_fail": "on_failure", "always": "always"}[w.Value]
		}
	}
	if !isScalar(command) {
		p.errorf(p.at(key), "run needs a command")
		return step
	}
	m := p.substitute(p.mapScalar(command), sc)
	script := &model.Script{
		Text:        model.String{Value: m.text, Pos: p.pos(command)},
		Shell:       shellName,
		Expressions: m.expressions,
		Commands:    shell.Split(m.text, shellName, m.locate()),
	}
	if isMap(args) {
		script.WorkingDirectory, _, _ = p.value(syntax.MappingGet(args, "working_directory"), sc)
	}
	step.Script = script
	return step
}

// other builds CircleCI's own steps (checkout, caches, workspaces,
// artifacts, ...) as other steps with their settings, expands the
// configuration's commands, and makes an orb's command a uses step.
func (b *stepBuilder) other(key, args *yaml.Node, sc scope, pos model.Pos, depth int) {
	p := b.p
	name := p.str(key)
	if cmd, ok := p.commands[name.Value]; ok && !builtinKeys[name.Value] {
		if depth >= maxCallDepth {
			p.errorf(name.Pos, "command %q calls commands more than %d deep", name.Value, maxCallDepth)
			return
		}
		cmdScope := p.bind(p.defaults(syntax.MappingGet(cmd, "parameters"), sc), args, sc, nil)
		b.add(syntax.SequenceItems(syntax.MappingGet(cmd, "steps")), cmdScope, depth+1)
		return
	}
	step := model.Step{Kind: model.StepOther, Call: name, Name: name, Pos: pos}
	step.With = p.with(args, sc, nil)
	if n := syntax.MappingGet(args, "name"); isScalar(n) {
		step.Name, _, _ = p.value(n, sc)
	}
	switch name.Value {
	case "save_cache", "restore_cache":
		b.cache(name.Value, args, sc, pos)
	case "persist_to_workspace":
		root, _, _ := p.value(syntax.MappingGet(args, "root"), sc)
		for _, path := range p.scalars(syntax.MappingGet(args, "paths")) {
			b.job.Artifacts = append(b.job.Artifacts, underRoot(root, path))
		}
	case "store_artifacts":
		if path, _, _ := p.value(syntax.MappingGet(args, "path"), sc); path.Value != "" {
			b.job.Artifacts = append(b.job.Artifacts, path)
		}
	case "store_test_results":
		if path, _, _ := p.value(syntax.MappingGet(args, "path"), sc); path.Value != "" {
			b.job.Reports = append(b.job.Reports, model.Report{Kind: model.String{Value: "junit", Pos: name.Pos}, Paths: []model.String{path}, Pos: pos})
		}
	default:
		if ref, ok := p.orbCall(name.Value); ok {
			step.Kind, step.Uses, step.With = model.StepUses, ref, orbArguments(step.With)
		} else if !builtinKeys[name.Value] && !strings.Contains(name.Value, "/") {
			// A name with a slash is of an orb the file does not declare,
			// injected by the orb development kit.
			p.errorf(name.Pos, "step %q is neither one of CircleCI's nor a command of the configuration", name.Value)
			return
		}
	}
	b.out = append(b.out, step)
}

// cache records a save_cache (Policy "push") or restore_cache ("pull")
// on the job.
func (b *stepBuilder) cache(call string, args *yaml.Node, sc scope, pos model.Pos) {
	p := b.p
	c := model.Cache{Policy: model.String{Value: "push", Pos: pos}, Pos: pos}
	if call == "restore_cache" {
		c.Policy.Value = "pull"
	}
	c.Key, _, _ = p.value(syntax.MappingGet(args, "key"), sc)
	if c.Key.Value == "" {
		if keys := p.scalars(syntax.MappingGet(args, "keys")); len(keys) > 0 {
			c.Key = keys[0]
		}
	}
	c.Paths = p.scalars(syntax.MappingGet(args, "paths"))
	b.job.Caches = append(b.job.Caches, c)
}

// underRoot is a workspace path as the job keeps it: under the root,
// positioned where the path is written.
func underRoot(root, path model.String) model.String {
	if root.Value == "" || root.Value == "." || strings.HasPrefix(path.Value, "/") {
		return path
	}
	return model.String{Value: strings.TrimSuffix(root.Value, "/") + "/" + path.Value, Pos: path.Pos}
}
