package gitlab

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// scriptStep turns a script section into one run step, nil when it has no
// lines (`before_script: []` switches the default off). Every line keeps
// its own position (lines may come from different files through
// !reference), and commands are split line by line.
func (p *parser) scriptStep(key, value *node) *model.Step {
	var lines []*node
	for _, line := range p.flatten(value) {
		switch {
		case line.isNull(): // an unresolved !reference, already reported
		case line.kind != scalarNode:
			p.errorf(line.pos, "%s lines must be strings", key.value)
		default:
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	id := key.str()
	step := &model.Step{Kind: model.StepRun, ID: id, Name: id, Pos: join(key.pos, value.pos)}
	if key.value == "after_script" {
		step.When = "always"
	}
	script := &model.Script{Shell: "bash"}
	texts := make([]string, len(lines))
	for i, line := range lines {
		texts[i] = line.value
		script.Commands = append(script.Commands, shell.Split(line.value, "bash", line.locator())...)
	}
	script.Text = model.String{Value: strings.Join(texts, "\n"), Pos: join(lines[0].pos, lines[len(lines)-1].pos)}
	step.Script = script
	return step
}
