package github

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
)

func parseWorkflow(file string, src []byte) (*model.Pipeline, error) {
	root, err := unmarshal(file, src)
	if err != nil {
		return nil, err
	}
	c := newConverter(newSource(file, src, root))
	p := c.pipeline(model.KindWorkflow)
	wf, syntaxErrs := actionlint.Parse(src)
	c.emptyContainers = emptyContainers(documentMapping(root))
	c.syntaxErrors(syntaxErrs)
	if wf == nil {
		return p, c.finish(p)
	}
	wf = c.recoverDuplicates(src, wf, syntaxErrs)
	top := documentMapping(root)
	p.Name = c.str(wf.Name)
	p.Triggers, p.Parameters = c.triggers(wf.On)
	p.Env = c.vars(field(top, "env"))
	p.Outputs = c.outputs(field(field(field(top, "on"), "workflow_call"), "outputs"))
	p.Permissions = c.permissions(wf.Permissions)
	p.PermissionsApply = true
	defaults := c.runDefaults(wf.Defaults, stepDefaults{})
	jobs := byPos(wf.Jobs, func(j *actionlint.Job) *actionlint.Pos { return j.Pos })
	if len(jobs) > 0 {
		p.Jobs = make([]model.Job, 0, len(jobs))
	}
	for _, j := range jobs {
		p.Jobs = append(p.Jobs, c.job(j, defaults))
	}
	return p, c.finish(p)
}

// documentMapping is the top-level mapping of a parsed file, or nil.
func documentMapping(root *yaml.Node) *yaml.Node {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		if top := resolve(root.Content[0]); top.Kind == yaml.MappingNode {
			return top
		}
	}
	return nil
}

// triggers lists the events of `on:` and the inputs of workflow_dispatch and
// workflow_call, which become the pipeline's parameters.
func (c *converter) triggers(events []actionlint.Event) (triggers []model.Trigger, params []model.Var) {
	for _, event := range events {
		var at *actionlint.Pos
		var branches, tags *actionlint.WebhookEventFilter
		var types []*actionlint.String
		switch e := event.(type) {
		case *actionlint.WebhookEvent:
			at, branches, tags, types = e.Pos, e.Branches, e.Tags, e.Types
		case *actionlint.ScheduledEvent:
			at = e.Pos
		case *actionlint.WorkflowDispatchEvent:
			at = e.Pos
			for _, in := range byPos(e.Inputs, func(in *actionlint.DispatchInput) *actionlint.Pos { return posOf(in.Name) }) {
				params = append(params, c.parameter(in.Name, in.Default, dispatchInputTypes[in.Type]))
			}
		case *actionlint.WorkflowCallEvent:
			at = e.Pos
			for _, in := range e.Inputs {
				params = append(params, c.parameter(in.Name, in.Default, callInputTypes[in.Type]))
			}
		case *actionlint.RepositoryDispatchEvent:
			at, types = e.Pos, e.Types
		case *actionlint.ImageVersionEvent:
			at = e.Pos
		}
		if at == nil {
			continue
		}
		name := c.src.scalars[point{at.Line, at.Col}]
		if name == nil {
			continue
		}
		t := model.Trigger{Event: c.src.string(name), Pos: c.src.entry(name)}
		if branches != nil {
			t.Branches = c.strs(branches.Values)
		}
		if tags != nil {
			t.Tags = c.strs(tags.Values)
		}
		if len(types) > 0 {
			t.Types = c.strs(types)
		}
		triggers = append(triggers, t)
	}
	return triggers, params
}

var (
	dispatchInputTypes = map[actionlint.WorkflowDispatchEventInputType]string{
		actionlint.WorkflowDispatchEventInputTypeString:      "string",
		actionlint.WorkflowDispatchEventInputTypeNumber:      "number",
		actionlint.WorkflowDispatchEventInputTypeBoolean:     "boolean",
		actionlint.WorkflowDispatchEventInputTypeChoice:      "choice",
		actionlint.WorkflowDispatchEventInputTypeEnvironment: "environment",
	}
	callInputTypes = map[actionlint.WorkflowCallEventInputType]string{
		actionlint.WorkflowCallEventInputTypeString:  "string",
		actionlint.WorkflowCallEventInputTypeNumber:  "number",
		actionlint.WorkflowCallEventInputTypeBoolean: "boolean",
	}
)

func (c *converter) parameter(name, defaultValue *actionlint.String, typ string) model.Var {
	v := model.Var{Name: c.str(name), Value: c.str(defaultValue), Type: typ, Pos: c.entryOf(posOf(name))}
	v.Source = valueSource(v.Value.Value)
	return v
}

func (c *converter) strs(in []*actionlint.String) []model.String {
	out := make([]model.String, 0, len(in))
	for _, s := range in {
		out = append(out, c.str(s))
	}
	return out
}

func (c *converter) permissions(p *actionlint.Permissions) *model.Permissions {
	if p == nil {
		return nil
	}
	return &model.Permissions{
		All:    c.str(p.All),
		Scopes: c.vars(c.valueNode(p.Pos)),
		Pos:    c.entryOf(p.Pos),
	}
}

// runDefaults is what `defaults.run` gives the run steps: d's shell and
// working directory over outer's (the workflow's, for a job).
func (c *converter) runDefaults(d *actionlint.Defaults, outer stepDefaults) stepDefaults {
	if d == nil || d.Run == nil {
		return outer
	}
	if d.Run.Shell != nil {
		outer.shell = d.Run.Shell.Value
	}
	if d.Run.WorkingDirectory != nil {
		outer.dir = c.str(d.Run.WorkingDirectory)
	}
	return outer
}

func (c *converter) job(j *actionlint.Job, workflow stepDefaults) model.Job {
	body := c.valueNode(j.Pos)
	out := model.Job{
		ID:          c.str(j.ID),
		Name:        c.str(j.Name),
		Needs:       c.strs(j.Needs),
		Condition:   c.str(j.If),
		Env:         c.vars(field(body, "env")),
		Outputs:     c.vars(field(body, "outputs")),
		Permissions: c.permissions(j.Permissions),
		Pos:         c.entryOf(j.Pos),
	}
	out.When = when(out.Condition.Value)
	out.Runner = c.runner(j.RunsOn, body)
	// An empty value is one actionlint reported (or stands for a value of
	// the wrong kind): it pulls in nothing.
	if ct := j.Container; ct != nil && ct.Image != nil && ct.Image.Value != "" {
		key, value := fieldKey(body, "container")
		image := c.image(ct, "container", model.String{}, key, value)
		out.Container = &image
	}
	if j.Services != nil {
		for _, svc := range byPos(j.Services.Value, func(s *actionlint.Service) *actionlint.Pos { return posOf(s.Name) }) {
			if svc.Container == nil || svc.Container.Image == nil || svc.Container.Image.Value == "" {
				continue
			}
			key := c.node(svc.Name)
			out.Services = append(out.Services, c.image(svc.Container, "service", c.str(svc.Name), key, c.src.values[key]))
		}
	}
	if e := j.Environment; e != nil {
		out.Environment = &model.Environment{Name: c.str(e.Name), URL: c.str(e.URL), Pos: c.entryOf(e.Pos)}
	}
	if s := j.Strategy; s != nil {
		out.Strategy = &model.Strategy{Pos: c.entryOf(s.Pos)}
		if s.Matrix != nil {
			for _, row := range byPos(s.Matrix.Rows, func(r *actionlint.MatrixRow) *actionlint.Pos { return posOf(r.Name) }) {
				key := c.node(row.Name)
				if key != nil {
					out.Strategy.Matrix = append(out.Strategy.Matrix, c.nodeVar(key, c.src.values[key]))
				}
			}
		}
		out.Strategy.Values = c.matrixValues(field(field(body, "strategy"), "matrix"))
		out.Strategy.Expressions = c.expressionsIn(field(body, "strategy"))
	}
	if call := j.WorkflowCall; call != nil && call.Uses != nil {
		if call.Uses.Value != "" {
			uses := c.str(call.Uses)
			if n := c.node(call.Uses); n != nil {
				uses = c.src.trimmed(n)
			}
			ref := c.reference(uses, model.RefReusableWorkflow, "")
			out.Uses = &ref
		}
		out.With = c.vars(field(body, "with"))
		out.SecretsInherit = call.InheritSecrets
	}
	defaults := c.runDefaults(j.Defaults, workflow)
	if defaults.shell == "" {
		defaults.shell = "bash"
		for _, label := range out.Runner.Labels {
			if strings.Contains(strings.ToLower(label.Value), "windows") {
				defaults.shell = "pwsh"
			}
		}
	}
	out.Steps = c.steps(field(body, "steps"), defaults)
	return out
}

// matrixValues lists the scalar values a matrix gives its variables: the
// elements of each dimension's list and the entries of each `include:`
// item, named by the variable, with a dotted path for a value inside a
// mapping (`config.image` for ${{ matrix.config.image }}). A dimension
// written as an expression has no values; `exclude:` adds none.
func (c *converter) matrixValues(matrix *yaml.Node) []model.Var {
	if matrix = resolve(matrix); matrix == nil || matrix.Kind != yaml.MappingNode {
		return nil
	}
	var out []model.Var
	for i := 0; i+1 < len(matrix.Content); i += 2 {
		key, value := matrix.Content[i], resolve(matrix.Content[i+1])
		if key.Value == "exclude" || value.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range value.Content {
			if key.Value == "include" {
				out = c.flatten(out, "", item)
			} else {
				out = c.flattenValue(out, key.Value, key, item)
			}
		}
	}
	return out
}

// flatten adds the scalar entries of mapping m, under prefix, to out.
func (c *converter) flatten(out []model.Var, prefix string, m *yaml.Node) []model.Var {
	if m = resolve(m); m.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = c.flattenValue(out, prefix+m.Content[i].Value, m.Content[i], m.Content[i+1])
	}
	return out
}

// flattenValue adds value, named name (written at key), to out: a scalar
// as one Var, a mapping entry by entry.
func (c *converter) flattenValue(out []model.Var, name string, key, value *yaml.Node) []model.Var {
	switch value = resolve(value); value.Kind {
	case yaml.ScalarNode:
		v := model.Var{Name: model.String{Value: name, Pos: c.src.string(key).Pos}, Value: c.src.string(value)}
		v.Source, v.Pos = valueSource(v.Value.Value), v.Value.Pos
		v.Expressions = c.expressionsIn(value)
		return append(out, v)
	case yaml.MappingNode:
		return c.flatten(out, name+".", value)
	}
	return out
}

// syntaxErrors reports actionlint's errors, but for syntax newer than it
// and for the empty `container:` GitHub accepts. actionlint leaves out only
// the node in error, so the model is still built from the rest of its tree.
func (c *converter) syntaxErrors(errs []*actionlint.Error) {
	for _, e := range errs {
		p := point{max(e.Line, 1), max(e.Column, 1)}
		if c.emptyContainers[p] && strings.HasPrefix(e.Message, "string should not be empty") {
			continue
		}
		if !c.isNewerSyntaxError(e) {
			c.errorAt(p, e.Message)
		}
	}
}

// emptyContainers are the positions of the jobs' `container: ""` values.
// GitHub runs such a job on the runner itself (actions/runner#265, the
// idiom of a matrix where some jobs have no container); an empty
// `image:` is still an error to GitHub, and to actionlint.
func emptyContainers(top *yaml.Node) map[point]bool {
	jobs := resolve(field(top, "jobs"))
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return nil
	}
	out := map[point]bool{}
	for i := 1; i < len(jobs.Content); i += 2 {
		if v := field(jobs.Content[i], "container"); v != nil && v.Kind == yaml.ScalarNode && v.Value == "" && v.Tag != "!!null" {
			out[point{v.Line, v.Column}] = true
		}
	}
	return out
}

// parallelStepKeys are the step keywords of GitHub's parallel steps (June
// 2026).
var parallelStepKeys = []string{"parallel", "background", "wait", "wait-all", "cancel"}

// isNewerSyntaxError tells the errors actionlint v1.7.12 reports for syntax
// GitHub added after it: parallel steps and `concurrency.queue` (May 2026).
func (c *converter) isNewerSyntaxError(e *actionlint.Error) bool {
	if strings.HasPrefix(e.Message, `unexpected key "queue" for "concurrency" section`) {
		return true
	}
	step := c.src.collections[point{e.Line, e.Column}]
	for _, key := range parallelStepKeys {
		if strings.HasPrefix(e.Message, fmt.Sprintf("unexpected key %q for step", key)) {
			return true
		}
		if k, _ := fieldKey(step, key); k != nil && strings.HasPrefix(e.Message, "step must run script") {
			return true
		}
	}
	return false
}

// runner reads `runs-on:`. Only self-hosted machines and runner groups
// (which hold self-hosted or larger runners an organisation keeps) are
// taken as not ephemeral.
func (c *converter) runner(r *actionlint.Runner, body *yaml.Node) model.Runner {
	if r == nil {
		return model.Runner{}
	}
	out := model.Runner{Labels: c.strs(r.Labels), Ephemeral: r.Group == nil}
	if r.LabelsExpr != nil {
		out.Labels = append(out.Labels, c.str(r.LabelsExpr))
	}
	for _, label := range out.Labels {
		if strings.EqualFold(label.Value, "self-hosted") {
			out.Ephemeral = false
		}
	}
	if key, _ := fieldKey(body, "runs-on"); key != nil {
		out.Pos = c.src.entry(key)
	}
	return out
}

// image is a job container or service; key is the key of its entry and
// value its value, a mapping unless only the image is named.
func (c *converter) image(ct *actionlint.Container, usage string, alias model.String, key, value *yaml.Node) model.Image {
	image := model.Image{Name: c.str(ct.Image), Alias: alias, Env: c.vars(field(value, "env")), Options: c.str(ct.Options), Credentials: c.vars(field(value, "credentials"))}
	// Read from the YAML: actionlint 1.7 files `volumes:` under Ports.
	if volumes := field(value, "volumes"); volumes != nil && volumes.Kind == yaml.SequenceNode {
		for _, v := range volumes.Content {
			if v.Kind == yaml.ScalarNode {
				image.Volumes = append(image.Volumes, c.src.string(v))
			}
		}
	}
	if key != nil {
		image.Pos = c.src.entry(key)
	}
	c.reference(image.Name, model.RefImage, usage)
	return image
}

// field is the value of the entry `name:` of mapping m, or nil.
func field(m *yaml.Node, name string) *yaml.Node {
	_, value := fieldKey(m, name)
	return value
}

// fieldKey finds the entry `name:` of mapping m: its key and its value,
// with aliases resolved.
func fieldKey(m *yaml.Node, name string) (key, value *yaml.Node) {
	if m = resolve(m); m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], resolve(m.Content[i+1])
		}
	}
	return nil, nil
}

func resolve(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}
