package gitlab

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// inputExpression is a GitLab `$[[ inputs.name ]]` interpolation, with
// the functions it may pass the value through (`| expand_vars`).
var inputExpression = regexp.MustCompile(`\$\[\[\s*(.*?)\s*\]\]`)

// inputPath is the input an interpolation reads.
var inputPath = regexp.MustCompile(`^inputs\.[\w-]+`)

// inputExpressions lists the interpolations of a script line, which GitLab
// substitutes into the text before the shell reads it (the file's own
// when it is not included with inputs, whose values are then unknown).
func inputExpressions(line *node) []model.Expression {
	if !strings.Contains(line.value, "$[[") {
		return nil
	}
	text := newScalarText(line)
	var out []model.Expression
	for _, m := range inputExpression.FindAllStringSubmatchIndex(line.value, -1) {
		e := model.Expression{Value: line.value[m[2]:m[3]], Pos: text.Substring(m[0], m[1]).Pos}
		if path := inputPath.FindString(e.Value); path != "" {
			e.Reads, e.Flows = []string{path}, []string{path}
		}
		out = append(out, e)
	}
	return out
}

// scriptStep turns a script section into one run step in the given shell,
// nil when it has no lines (`before_script: []` switches the default off).
// Every line keeps its own position (lines may come from different files
// through !reference), and commands are split line by line.
func (p *parser) scriptStep(key, value *node, shellName string) *model.Step {
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
	script := &model.Script{Shell: shellName}
	texts := make([]string, len(lines))
	for i, line := range lines {
		texts[i] = line.value
		script.Commands = append(script.Commands, shell.Split(line.value, shellName, line.locator())...)
		script.Expressions = append(script.Expressions, inputExpressions(line)...)
	}
	script.Text = model.String{Value: strings.Join(texts, "\n"), Pos: join(lines[0].pos, lines[len(lines)-1].pos)}
	step.Script = script
	return step
}

// scriptShell is the shell GitLab Runner runs a job's scripts in, as far
// as the file tells. The runner's configuration chooses it, not the file,
// but a job chooses its runner by tags. On Windows the Runner's default
// shell is PowerShell (pwsh for runners registered since Runner 14, Windows
// PowerShell before; both split alike), so a job with a tag naming Windows
// or PowerShell gets pwsh and every other job bash. Windows Batch (cmd),
// deprecated since Runner 11.11, is never guessed.
func scriptShell(tags []model.String) string {
	for _, tag := range tags {
		for _, word := range tagWord.FindAllString(strings.ToLower(tag.Value), -1) {
			if windowsWord.MatchString(word) {
				return "pwsh"
			}
		}
	}
	return "bash"
}

// A tag's words are its runs of letters and digits. windowsWord matches
// those that name Windows or PowerShell: windows (windows-1809,
// saas-windows-medium-amd64, shared-windows), win and win32, win64, win11,
// win2022, ... (win32-ps), pwsh and powershell; not darwin, wine or winrm.
var (
	tagWord     = regexp.MustCompile(`[a-z0-9]+`)
	windowsWord = regexp.MustCompile(`^(windows|win[0-9]*|pwsh|powershell)$`)
)
