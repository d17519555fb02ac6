package travis

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// phases are the job's script sections in the order Travis runs them,
// with when each runs (Step.When). before_cache runs after script when
// caching; the deploy phase sits between before_deploy and after_deploy.
var phases = []struct{ key, when string }{
	{"before_install", ""},
	{"install", ""},
	{"before_script", ""},
	{"script", ""},
	{"before_cache", ""},
	{"after_success", ""},
	{"after_failure", "on_failure"},
	{"before_deploy", ""},
	{"deploy", ""},
	{"after_deploy", ""},
	{"after_script", "always"},
}

type builder struct {
	p    *parser
	root *node
	// scripts holds the script of each phase value once split: jobs of
	// the matrix share the root's phases, and a long script split for
	// every one of hundreds of jobs would cost as much again each time.
	scripts map[*node]*model.Script
}

func (b *builder) build(pipeline *model.Pipeline) {
	pipeline.Triggers = b.triggers()
	if env := b.root.get("env"); env.isMap() && env.get("secure") == nil {
		if sectioned(env) {
			pipeline.Env = b.vars(env.get("global").list())
		} else {
			pipeline.Env = b.vars([]*node{env}) // NAME: value for every job
		}
	}
	if cond := b.root.get("if"); cond.isScalar() {
		pipeline.Rules = []model.Rule{{If: cond.str(), Pos: cond.pos}}
	}
	stages := b.stages()
	seen := map[string]bool{}
	for i, c := range b.expand() {
		job := b.job(c, i+1, seen)
		if cond, ok := stages[c.stage.Value]; ok && job.Condition.Value == "" {
			job.Condition = cond
		}
		pipeline.Jobs = append(pipeline.Jobs, job)
	}
	orderStages(pipeline.Jobs, b.root.get("stages").list())
}

// triggers are the builds Travis starts: every push (of the branches
// `branches:` lets through) and every pull request.
func (b *builder) triggers() []model.Trigger {
	start := model.Pos{File: b.p.in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
	push := model.Trigger{Event: model.String{Value: "push", Pos: start}, Pos: start}
	if key, branches := b.root.entry("branches"); key != nil {
		push.Pos = syntax.Join(key.pos, branches.pos)
		only := branches.get("only")
		if !branches.isMap() {
			only = branches
		}
		for _, branch := range only.list() {
			if branch.isScalar() {
				push.Branches = append(push.Branches, branch.str())
			}
		}
	}
	return []model.Trigger{push, {Event: model.String{Value: "pull_request", Pos: start}, Pos: start}}
}

// stages maps each stage declared with an `if:` to that condition.
func (b *builder) stages() map[string]model.String {
	conds := map[string]model.String{}
	for _, s := range b.root.get("stages").list() {
		if name, cond := s.get("name"), s.get("if"); name.isScalar() && cond.isScalar() {
			conds[strings.ToLower(name.value)] = cond.str()
		}
	}
	return conds
}

// orderStages makes each job need the jobs of the stage before its own:
// stages run in the order `stages:` lists them, then those it does not
// list in the order the jobs name them.
func orderStages(jobs []model.Job, declared []*node) {
	var order []string
	index := map[string]int{}
	add := func(name string) {
		if _, ok := index[name]; !ok {
			index[name] = len(order)
			order = append(order, name)
		}
	}
	for _, s := range declared {
		if s.isMap() {
			s = s.get("name")
		}
		if s.isScalar() {
			add(strings.ToLower(s.value))
		}
	}
	byStage := map[string][]model.String{}
	for _, job := range jobs {
		name := strings.ToLower(job.Stage.Value)
		add(name)
		byStage[name] = append(byStage[name], job.ID)
	}
	for i := range jobs {
		for k := index[strings.ToLower(jobs[i].Stage.Value)] - 1; k >= 0; k-- {
			if before := byStage[order[k]]; len(before) > 0 {
				jobs[i].Needs = before
				break
			}
		}
	}
}

// lookup finds a key for a job: in its include entry, then among the
// matrix values it takes, then at the root.
func (b *builder) lookup(c jobConfig, key string) (k, v *node) {
	if k, v := c.entry.entry(key); k != nil {
		return k, v
	}
	if v, ok := c.chosen[key]; ok {
		return nil, v
	}
	if isMatrixKey[key] {
		return nil, nil // not written, or a list the job took one value of
	}
	return b.root.entry(key)
}

func (b *builder) value(c jobConfig, key string) *node {
	_, v := b.lookup(c, key)
	return v
}

func (b *builder) job(c jobConfig, number int, seen map[string]bool) model.Job {
	job := model.Job{ID: jobID(c, number, seen), Stage: c.stage, Pos: c.pos}
	if name := c.entry.get("name"); name.isScalar() {
		job.Name = name.str()
	}
	job.Runner = model.Runner{Ephemeral: true, Pos: c.pos}
	for _, key := range []string{"os", "dist", "arch", "osx_image"} {
		if v := b.value(c, key); v.isScalar() {
			job.Runner.Labels = append(job.Runner.Labels, v.str())
		}
	}
	job.Env = b.vars(c.env)
	if cond := c.entry.get("if"); cond.isScalar() {
		job.Condition = cond.str()
	}
	language := b.value(c, "language")
	job.Caches = b.caches(b.value(c, "cache"), language)
	job.Steps = addons(b.value(c, "addons"))
	for _, phase := range phases {
		key, value := b.lookup(c, phase.key)
		switch {
		case phase.key == "deploy" && value != nil:
			job.Steps = append(job.Steps, b.deploys(key, value)...)
		case skipped(value): // `install: skip` runs neither the file's nor the default
		case value == nil:
			if phase.key == "install" || phase.key == "script" {
				job.Steps = append(job.Steps, b.defaults(phase.key, language)...)
			}
		case value != nil:
			if step := b.scriptStep(key, value, phase.when); step != nil {
				job.Steps = append(job.Steps, *step)
			}
		}
	}
	return job
}

// skipped is a phase switched off: `install: skip` or `install: true`.
func skipped(value *node) bool {
	switch value.text() {
	case "skip", "true":
		return true
	}
	return false
}

// scriptStep turns a phase's lines into one run step in bash.
func (b *builder) scriptStep(key, value *node, when string) *model.Step {
	if skipped(value) {
		return nil
	}
	var lines []*node
	for _, line := range value.list() {
		if line.isScalar() {
			lines = append(lines, line)
		} else if !line.null {
			b.p.errorf(line.pos, "script lines must be strings")
		}
	}
	if len(lines) == 0 {
		return nil
	}
	id := model.String{Value: lines[0].value, Pos: lines[0].pos}
	pos := syntax.Join(lines[0].pos, lines[len(lines)-1].pos)
	if key != nil {
		id, pos = key.str(), syntax.Join(key.pos, value.pos)
	}
	step := &model.Step{Kind: model.StepRun, ID: id, Name: id, When: when, Pos: pos}
	if script, ok := b.scripts[value]; ok {
		step.Script = script
		return step
	}
	script := &model.Script{Shell: "bash"}
	texts := make([]string, len(lines))
	for i, line := range lines {
		texts[i] = line.value
		script.Commands = append(script.Commands, shell.Split(line.value, "bash", line.locator())...)
	}
	script.Text = model.String{Value: strings.Join(texts, "\n"), Pos: syntax.Join(lines[0].pos, lines[len(lines)-1].pos)}
	b.scripts[value] = script
	step.Script = script
	return step
}

// assignment is one NAME=value of an `env:` entry, the value possibly
// quoted.
var assignment = regexp.MustCompile(`(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)`)

var plainVariable = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$`)

// vars reads `env:` entries: `NAME=value NAME2=value` strings, or
// `secure:` encrypted ones, whose names only Travis knows.
func (b *builder) vars(entries []*node) []model.Var {
	var vars []model.Var
	for _, entry := range entries {
		if entry.isMap() {
			if key, secure := entry.entry("secure"); key != nil {
				vars = append(vars, model.Var{Name: key.str(), Value: secure.str(), Source: "secret", Pos: syntax.Join(key.pos, secure.pos)})
				continue
			}
			// NAME: value, as the newer configuration format allows.
			for _, pr := range entry.pairs {
				vars = append(vars, setting(pr)...)
			}
			continue
		}
		if !entry.isScalar() {
			continue
		}
		for _, m := range assignment.FindAllStringSubmatchIndex(entry.value, -1) {
			name := entry.substring(m[2], m[3])
			from, to := m[4], m[5]
			if q := entry.value[from:to]; len(q) >= 2 && (q[0] == '"' || q[0] == '\'') && q[len(q)-1] == q[0] {
				from, to = from+1, to-1
			}
			value := entry.substring(from, to)
			source := "literal"
			if plainVariable.MatchString(value.Value) {
				source = "variable"
			}
			vars = append(vars, model.Var{Name: name, Value: value, Source: source, Pos: syntax.Join(name.Pos, value.Pos)})
		}
	}
	return vars
}
