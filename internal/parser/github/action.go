package github

import (
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
)

// parseAction reads an action metadata file. Its inputs become the
// pipeline's parameters; a composite action's `runs.steps` become the steps
// of one job with the ID "runs"; a docker action's `runs.image` is a
// reference unless it names a Dockerfile built from the action's own files.
// JavaScript actions run no steps of their own.
func parseAction(file string, src []byte) (*model.Pipeline, error) {
	root, err := unmarshal(file, src)
	if err != nil {
		return nil, err
	}
	c := newConverter(newSource(file, src, root))
	p := c.pipeline(model.KindAction)
	top := documentMapping(root)
	if top == nil {
		c.errorAt(point{1, 1}, "action metadata must be a mapping")
		return p, c.finish(p)
	}
	if field(top, "runs") == nil && field(top, "jobs") != nil {
		// A workflow named action.yml, seen outside .github/workflows.
		return parseWorkflow(file, src)
	}
	p.Name = c.scalar(field(top, "name"))
	p.Parameters = c.actionInputs(field(top, "inputs"))
	p.Outputs = c.outputs(field(top, "outputs"))

	runsKey, runs := fieldKey(top, "runs")
	if runs == nil {
		c.errorAt(point{top.Line, top.Column}, `"runs" section is missing in action metadata`)
		return p, c.finish(p)
	}
	using := field(runs, "using")
	if using == nil {
		c.errorAt(point{runsKey.Line, runsKey.Column}, `"using" is missing in "runs" section`)
		return p, c.finish(p)
	}
	switch strings.ToLower(using.Value) {
	case "composite":
		p.Jobs = []model.Job{c.compositeJob(runsKey, runs)}
	case "docker":
		if image := field(runs, "image"); image != nil && image.Kind == yaml.ScalarNode &&
			strings.HasPrefix(image.Value, "docker://") {
			c.reference(c.src.string(image), model.RefImage, "action")
		}
	}
	return p, c.finish(p)
}

func (c *converter) actionInputs(inputs *yaml.Node) []model.Var {
	if inputs == nil || inputs.Kind != yaml.MappingNode {
		return nil
	}
	var out []model.Var
	for i := 0; i+1 < len(inputs.Content); i += 2 {
		key := inputs.Content[i]
		v := model.Var{Name: c.src.string(key), Pos: c.src.entry(key)}
		v.Value = c.scalar(field(inputs.Content[i+1], "default"))
		v.Source = valueSource(v.Value.Value)
		out = append(out, v)
	}
	return out
}

// outputs lists the outputs of a reusable workflow or an action: the
// entries of a mapping whose values are mappings with a `value:`, which
// becomes the output's value (an action that is not composite sets its
// outputs from its code and declares only a description).
func (c *converter) outputs(m *yaml.Node) []model.Var {
	if m = resolve(m); m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]model.Var, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		key := m.Content[i]
		v := model.Var{Name: c.src.string(key), Source: valueSource(""), Pos: c.src.entry(key)}
		if value := field(m.Content[i+1], "value"); value != nil {
			v = c.nodeVar(key, value)
			v.Pos = c.src.entry(key)
		}
		out = append(out, v)
	}
	return out
}

// compositeJob is the job a composite action's steps run in. Its steps
// must declare their shell; bash stands in when one does not.
func (c *converter) compositeJob(runsKey, runs *yaml.Node) model.Job {
	id := c.src.string(runsKey)
	job := model.Job{ID: id, Pos: c.src.entry(runsKey)}
	steps := field(runs, "steps")
	if steps == nil || steps.Kind != yaml.SequenceNode {
		c.errorAt(point{runsKey.Line, runsKey.Column}, `"steps" must be a sequence in a composite action`)
		return job
	}
	job.Steps = c.steps(steps, stepDefaults{shell: "bash"})
	for _, step := range job.Steps {
		if step.Kind == model.StepOther && step.Call.Value == "" {
			c.errs = append(c.errs, &model.ParseError{
				Pos:     step.Pos,
				Message: `step must run a script with "run" or an action with "uses"`,
			})
		}
	}
	return job
}
