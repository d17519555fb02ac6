package jenkins

import (
	"slices"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/pipelint/pipelint/internal/model"
)

// postWhen normalises post conditions to Step.When: the failure family
// runs only after something failed, always/changed/cleanup whenever the
// build ends, success and fixed in the normal flow ("").
var postWhen = map[string]string{
	"failure": whenOnFailure, "unstable": whenOnFailure, "regression": whenOnFailure,
	"aborted": whenOnFailure, "unsuccessful": whenOnFailure, "notBuilt": whenOnFailure,
	"always": whenAlways, "changed": whenAlways, "cleanup": whenAlways,
	"success": "", "fixed": "",
}

// declarative interprets `pipeline { … }`. Every stage with steps is a job;
// the pipeline's post block is one more job, "post", that needs all of them.
func (b *builder) declarative(c *call, sc scope) {
	directives := directivesOf(c.body)
	sc.slot = &jobSlot{}
	first := len(b.jobs)
	if d := directives["agent"]; d != nil {
		sc.agent = b.agent(d)
	}
	if d := directives["environment"]; d != nil {
		b.pipeline.Env = append(b.pipeline.Env, b.environment(d)...)
	}
	if d := directives["parameters"]; d != nil {
		b.parameters(statements(d.body))
	}
	if d := directives["triggers"]; d != nil {
		b.triggers(statements(d.body))
	}
	if d := directives["libraries"]; d != nil {
		for _, stmt := range statements(d.body) {
			if lib, ok := asCall(stmt); ok && lib.name == "lib" && lib.positional(0) != nil {
				b.library(lib.positional(0))
			}
		}
	}
	if d := directives["stages"]; d != nil {
		b.stages(d, sc)
	}
	if d := directives["post"]; d != nil {
		sc.seq.last = b.jobIDs(b.jobs[first:])
		b.post(d, b.newJob(b.pos.str("post", d.nameNode), d.node, sc), sc)
	}
}

// jobIDs returns the ids of jobs, each once: what a post block runs after.
func (b *builder) jobIDs(jobs []*model.Job) []model.String {
	var ids []model.String
	for _, job := range jobs {
		ids = appendUnique(ids, job.ID)
	}
	return ids
}

// directivesOf returns the calls of a block by name (the first of each).
func directivesOf(body *cst.Node) map[string]*call {
	directives := map[string]*call{}
	for _, stmt := range statements(body) {
		for _, c := range calls(stmt) {
			if c.name != "" && directives[c.name] == nil {
				directives[c.name] = c
			}
		}
	}
	return directives
}

// stages walks `stages { stage(…) { … } … }`; the stages run one after
// the other.
func (b *builder) stages(d *call, sc scope) {
	for _, stmt := range statements(d.body) {
		if st, ok := asCall(stmt); ok && st.name == "stage" {
			b.stage(st, sc)
		}
	}
}

// stage interprets one declarative stage. Its agent, environment, when and
// input apply to every job inside it; a stage holds steps (then it is a
// job), nested stages, parallel stages or a matrix.
func (b *builder) stage(c *call, sc scope) {
	if sc.depth >= maxWalkDepth {
		b.limit(c.node, "stages nested too deeply are not analysed")
		return
	}
	sc.depth++
	name := b.nameArg(c)
	directives := directivesOf(c.body)
	sc = b.stageDirectives(directives, sc)
	nested := sc
	nested.stages = append(slices.Clone(sc.stages), name)
	if steps := directives["steps"]; steps != nil {
		job := b.newJob(name, c.node, sc)
		nested.slot = &jobSlot{job: job}
		b.block(statements(steps.body), nested)
		if d := directives["post"]; d != nil {
			b.post(d, job, nested)
		}
		return
	}
	first := len(b.jobs)
	switch {
	case directives["stages"] != nil:
		b.stages(directives["stages"], nested)
	case directives["parallel"] != nil:
		b.parallelStages(directives["parallel"], nested)
	case directives["matrix"] != nil:
		b.matrix(directives["matrix"], nested)
	}
	if d := directives["post"]; d != nil { // post of a stage that is no job itself
		sc.seq.last = b.jobIDs(b.jobs[first:])
		b.post(d, b.newJob(name, d.node, sc), nested)
	}
}

// stageDirectives applies the directives a stage or matrix passes down.
func (b *builder) stageDirectives(directives map[string]*call, sc scope) scope {
	if d := directives["agent"]; d != nil {
		sc.agent = b.agent(d)
	}
	if d := directives["environment"]; d != nil {
		sc.jobEnv = append(slices.Clone(sc.jobEnv), b.environment(d)...)
	}
	if d := directives["when"]; d != nil {
		sc.when = b.blockText(d.body)
	}
	if d := directives["input"]; d != nil {
		sc.manual = true
		sc.input = b.inputStep(d)
	}
	return sc
}

// inputStep is the step a stage's `input { message '…'; submitter '…' }`
// directive stands for: Jenkins runs the input step with these settings
// before the stage's steps. With holds the settings, each named by its
// directive (`parameters { … }` is not read).
func (b *builder) inputStep(d *call) *model.Step {
	step := &model.Step{Kind: model.StepOther, Call: b.callName(d), When: whenManual, Pos: b.headPos(d)}
	for _, stmt := range statements(d.body) {
		for _, c := range calls(stmt) {
			if c.name == "" || c.body != nil || len(c.args) != 1 || c.args[0].nameNode != nil {
				continue
			}
			v := b.argVar(c.args[0])
			v.Name = b.pos.str(c.name, c.nameNode)
			start, _ := textSpan(c.nameNode)
			_, end := textSpan(c.args[0].value)
			v.Pos = b.pos.span(start, end)
			step.With = append(step.With, v)
		}
	}
	return step
}

// parallelStages walks `parallel { stage … }`: every branch needs what the
// parallel stage needs, and the next stage needs every branch.
func (b *builder) parallelStages(d *call, sc scope) {
	var after []model.String
	for _, stmt := range statements(d.body) {
		st, ok := asCall(stmt)
		if !ok || st.name != "stage" {
			continue
		}
		branch := sc
		branch.seq = &sequence{last: slices.Clone(sc.seq.last)}
		b.stage(st, branch)
		after = appendUnique(after, branch.seq.last...)
	}
	if after != nil {
		sc.seq.last = after
	}
}

// matrix interprets `matrix { axes { axis { name 'X'; values 'a', 'b' } } stages { … } }`:
// its stages are jobs with the axes as their strategy.
func (b *builder) matrix(d *call, sc scope) {
	directives := directivesOf(d.body)
	sc = b.stageDirectives(directives, sc)
	strategy := &model.Strategy{Pos: b.pos.node(d.node)}
	if axes := directives["axes"]; axes != nil {
		for _, stmt := range statements(axes.body) {
			axis, ok := asCall(stmt)
			if !ok || axis.name != "axis" {
				continue
			}
			settings := directivesOf(axis.body)
			nameCall, valuesCall := settings["name"], settings["values"]
			if nameCall == nil || valuesCall == nil || nameCall.positional(0) == nil {
				continue
			}
			name, _ := b.value(nameCall.positional(0))
			strategy.Matrix = append(strategy.Matrix, model.Var{
				Name: name, Value: b.argsText(valuesCall), Source: sourceLiteral, Pos: b.pos.node(axis.node),
			})
		}
	}
	sc.strategy = strategy
	if d := directives["stages"]; d != nil {
		b.stages(d, sc)
	}
}

// post walks `post { failure { … } always { … } }` into job.
func (b *builder) post(d *call, job *model.Job, sc scope) {
	sc.slot = &jobSlot{job: job}
	for _, stmt := range statements(d.body) {
		cond, ok := asCall(stmt)
		if !ok {
			continue
		}
		inner := sc
		inner.stepWhen = postWhen[cond.name]
		inner.stepCondition = b.pos.str(cond.name, cond.nameNode)
		b.block(statements(cond.body), inner)
	}
}

// environment returns the assignments of `environment { X = … }`;
// credentials('id') values have Source "secret".
func (b *builder) environment(d *call) []model.Var {
	var vars []model.Var
	for _, stmt := range statements(d.body) {
		assign := firstNode(stmt)
		if assign == nil || assign.Kind() != cst.AssignExpr {
			continue
		}
		target, value := firstNode(assign), afterAssign(assign)
		if name := identText(target); name != "" && value != nil {
			v := model.Var{Name: b.pos.str(name, target), Pos: b.pos.node(assign)}
			v.Value, v.Source = b.value(value)
			v.Expressions = b.expressions(value)
			vars = append(vars, v)
		}
	}
	return vars
}

// agent interprets `agent any|none|{ label|node|docker|dockerfile|kubernetes }`.
// It returns nil for `agent none`.
func (b *builder) agent(d *call) *agent {
	if identText(d.positional(0)) == "none" {
		return nil
	}
	ag := &agent{runner: model.Runner{Pos: b.pos.node(d.node)}}
	if label := d.named("label"); label != nil { // agent label: 'x'
		b.addLabel(ag, label)
	}
	for _, stmt := range statements(d.body) {
		kind, ok := asCall(stmt)
		if !ok {
			continue
		}
		switch kind.name {
		case "label":
			b.addLabel(ag, kind.positional(0))
		case "node":
			b.addLabel(ag, option(kind, "label"))
		case "docker":
			ag.runner.Ephemeral = true
			b.addLabel(ag, option(kind, "label"))
			image := option(kind, "image")
			if image == nil {
				image = kind.positional(0)
			}
			if image != nil {
				img := b.imageOf(image, "agent")
				ag.container = &img
			}
			if options, args, ok := b.stringValue(option(kind, "args")); ok {
				ag.caches = append(ag.caches, b.volumeCaches(args)...)
				if ag.container != nil {
					ag.container.Options = options
				}
			}
		case "dockerfile":
			ag.runner.Ephemeral = true
			b.addLabel(ag, option(kind, "label"))
			if _, args, ok := b.stringValue(option(kind, "args")); ok {
				ag.caches = append(ag.caches, b.volumeCaches(args)...)
			}
		case "kubernetes":
			ag.runner.Ephemeral = true
			b.addLabel(ag, option(kind, "label"))
			var images []model.Image
			if _, pod, ok := b.stringValue(option(kind, "yaml")); ok {
				images = b.podYAMLImages(pod)
			}
			if image := option(directivesOf(kind.body)["containerTemplate"], "image"); image != nil {
				images = append(images, b.imageOf(image, "agent"))
			}
			if len(images) > 0 {
				ag.container = &images[0]
				ag.services = images[1:]
			}
		}
	}
	return ag
}

func (b *builder) addLabel(ag *agent, n *cst.Node) {
	if n != nil {
		label, _ := b.value(n)
		ag.runner.Labels = append(ag.runner.Labels, label)
	}
}

// option returns a setting of an agent-like block, written either as a
// named argument (docker image: 'x') or as a call in its body (image 'x').
func option(c *call, key string) *cst.Node {
	if c == nil {
		return nil
	}
	if n := c.named(key); n != nil {
		return n
	}
	if d := directivesOf(c.body)[key]; d != nil {
		return d.positional(0)
	}
	return nil
}

// blockText returns the statements of a block as written, e.g. a when
// condition.
func (b *builder) blockText(body *cst.Node) model.String {
	stmts := statements(body)
	if len(stmts) == 0 {
		return model.String{}
	}
	start, _ := textSpan(stmts[0])
	_, end := textSpan(stmts[len(stmts)-1])
	return model.String{Value: string(b.src[start:end]), Pos: b.pos.span(start, end)}
}

// argsText returns a call's arguments as written ('a', 'b').
func (b *builder) argsText(c *call) model.String {
	if len(c.args) == 0 {
		return model.String{}
	}
	start, _ := textSpan(c.args[0].value)
	if c.args[0].nameNode != nil {
		start, _ = textSpan(c.args[0].nameNode)
	}
	_, end := textSpan(c.args[len(c.args)-1].value)
	return model.String{Value: string(b.src[start:end]), Pos: b.pos.span(start, end)}
}
