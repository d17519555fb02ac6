package fix

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// movedStep is what the MoveToEnv fixes of one step change, for the check
// of the fixed file: the script it runs and the variables added to its
// env, in order.
type movedStep struct {
	job, step int
	script    string
	added     []model.Var
}

// move is the plan for one MoveToEnv fix: the edits of its whole step
// (every expression of the step moved, and its env), shared by the step's
// fixes so that they are applied once, together; or why it cannot be.
type move struct {
	edits []udiff.Edit
	step  *movedStep
	err   error
}

var (
	posixShells = []string{"bash", "sh", "zsh", "dash", "ash", "ksh", "mksh"}
	pwshShells  = []string{"pwsh", "powershell"}
)

// planMoves plans the MoveToEnv fixes among fixes, step by step, keyed by
// the expression's position.
func (d *document) planMoves(p *model.Pipeline, fixes []finding.Finding) map[model.Pos]move {
	moves := map[model.Pos]move{}
	bySite := map[stepPlace][]model.Pos{}
	var sites []stepPlace
	for _, f := range fixes {
		if f.Fix.Kind != finding.MoveToEnv {
			continue
		}
		places := d.steps.byExpression[f.Fix.Pos]
		if len(places) == 0 {
			moves[f.Fix.Pos] = move{err: fmt.Errorf("no step's script holds an expression at %d:%d", f.Fix.Pos.Line, f.Fix.Pos.Column)}
			continue
		}
		at := places[0]
		if _, seen := bySite[at]; !seen {
			sites = append(sites, at)
		}
		bySite[at] = append(bySite[at], f.Fix.Pos)
	}
	for _, st := range sites {
		planned, errs := d.moveToEnv(p, st.job, st.step, bySite[st])
		for _, pos := range bySite[st] {
			if err := errs[pos]; err != nil {
				moves[pos] = move{err: err}
			} else {
				moves[pos] = planned
			}
		}
	}
	return moves
}

// moveToEnv moves the expressions at positions, all in the script of one
// step, into the step's env: each is replaced by a variable the shell
// reads, and the variable is set to the expression in `env:`. It returns
// the plan for the step and, by position, why an expression is left.
func (d *document) moveToEnv(p *model.Pipeline, j, s int, positions []model.Pos) (move, map[model.Pos]error) {
	job, step := &p.Jobs[j], &p.Jobs[j].Steps[s]
	errs := map[model.Pos]error{}
	fail := func(err error) (move, map[model.Pos]error) {
		for _, pos := range positions {
			errs[pos] = err
		}
		return move{}, errs
	}
	m := d.collections[[2]int{step.Pos.Line, step.Pos.Column}]
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return fail(errors.New("the step is not written as a block mapping"))
	}
	_, run := keyOf(m, "run")
	if run == nil || run.Kind != yaml.ScalarNode {
		return fail(errors.New("the step's run: is not a scalar"))
	}
	reference, err := d.variableSyntax(p, job, m, step.Script.Shell)
	if err != nil {
		return fail(err)
	}
	text := step.Script.Text.Value
	spans, written := d.expressionSpans(text, step.Script.Expressions)
	quoting := shell.QuotingAt(text, step.Script.Shell, spans)

	taken := map[string]bool{}
	for _, vars := range [][]model.Var{p.Env, job.Env, step.Env} {
		for _, v := range vars {
			taken[strings.ToUpper(v.Name.Value)] = true // Windows reads names in any case
		}
	}
	names := map[string]string{} // expression → variable
	for _, v := range step.Env {
		value := strings.TrimSpace(v.Value.Value)
		if len(v.Expressions) == 1 && strings.HasPrefix(value, "${{") && strings.HasSuffix(value, "}}") {
			if _, seen := names[v.Expressions[0].Value]; !seen {
				names[v.Expressions[0].Value] = v.Name.Value
			}
		}
	}
	planned := &movedStep{job: j, step: s}
	var edits []udiff.Edit
	type replacement struct {
		span [2]int
		text string
	}
	var replaced []replacement
	for i, e := range step.Script.Expressions {
		if !slices.Contains(positions, e.Pos) {
			continue
		}
		if written[i] == "" {
			errs[e.Pos] = errors.New("the expression is written across lines or with YAML escapes")
			continue
		}
		if quoting[i] == shell.Literal {
			errs[e.Pos] = errors.New("the expression is in single quotes (or a quoted here-document), where the shell expands no variable; close the quotes around it by hand")
			continue
		}
		if quoting[i] == shell.QuotingUnknown {
			errs[e.Pos] = fmt.Errorf("how the %s script reads the text at the expression is not known (a comment, arithmetic, a parameter expansion, or a script that does not parse)", step.Script.Shell)
			continue
		}
		name, ok := names[e.Value]
		if !ok {
			name = uniqueName(envName(e), taken)
			taken[name] = true
			names[e.Value] = name
			planned.added = append(planned.added, model.Var{Name: model.String{Value: name}, Value: model.String{Value: written[i]}})
		}
		ref := reference(name, quoting[i] == shell.DoubleQuoted)
		edit, err := d.replaceInRun(run, e.Pos, ref)
		if err != nil {
			errs[e.Pos] = err
			continue
		}
		edits = append(edits, edit)
		replaced = append(replaced, replacement{spans[i], ref})
	}
	if len(edits) == 0 {
		return move{}, errs
	}
	if len(planned.added) > 0 {
		edit, err := d.addEnv(m, step, planned.added)
		if err != nil {
			return fail(err)
		}
		edits = append(edits, edit)
	}
	var script strings.Builder
	last := 0
	for _, r := range replaced {
		script.WriteString(text[last:r.span[0]] + r.text)
		last = r.span[1]
	}
	script.WriteString(text[last:])
	planned.script = script.String()
	udiff.SortEdits(edits)
	return move{edits: edits, step: planned}, errs
}

// variableSyntax returns how the step's shell reads a variable: "${NAME}"
// in POSIX shells (the braces keep it apart from the text after it, the
// quotes keep it one word), ${env:NAME} in PowerShell, each without the
// quotes inside double quotes. It refuses a shell whose syntax it does not
// write, and a shell the file leaves to a runner chosen at run time (the
// default shell is bash on Linux and macOS, pwsh on Windows).
func (d *document) variableSyntax(p *model.Pipeline, job *model.Job, step *yaml.Node, shellName string) (func(name string, quoted bool) string, error) {
	quote := func(ref string, quoted bool) string {
		if quoted {
			return ref
		}
		return `"` + ref + `"`
	}
	if !d.declaresShell(job, step) && slices.ContainsFunc(job.Runner.Labels, func(l model.String) bool { return strings.Contains(l.Value, "${{") }) {
		return nil, errors.New("the step's shell is the default of a runner chosen at run time (bash, or pwsh on Windows); declare shell: on the step to fix it")
	}
	switch {
	case slices.Contains(posixShells, shellName):
		return func(name string, quoted bool) string { return quote("${"+name+"}", quoted) }, nil
	case slices.Contains(pwshShells, shellName):
		return func(name string, quoted bool) string { return quote("${env:"+name+"}", quoted) }, nil
	}
	return nil, fmt.Errorf("the step runs %q, whose way of reading a variable the fix does not write", shellName)
}

// declaresShell reports whether the step's shell is written in the file:
// on the step, or in the job's or the workflow's defaults.run.
func (d *document) declaresShell(job *model.Job, step *yaml.Node) bool {
	if key, _ := keyOf(step, "shell"); key != nil {
		return true
	}
	runShell := func(m *yaml.Node) bool {
		if m == nil || m.Kind != yaml.MappingNode {
			return false
		}
		_, defaults := keyOf(m, "defaults")
		if defaults == nil || defaults.Kind != yaml.MappingNode {
			return false
		}
		_, run := keyOf(defaults, "run")
		if run == nil || run.Kind != yaml.MappingNode {
			return false
		}
		key, _ := keyOf(run, "shell")
		return key != nil
	}
	_, jobs := keyOf(d.root, "jobs")
	var jobNode *yaml.Node
	if jobs != nil && jobs.Kind == yaml.MappingNode {
		_, jobNode = keyOf(jobs, job.ID.Value)
	}
	return runShell(jobNode) || runShell(d.root)
}

// expressionSpans finds each expression in the script's text, in order:
// its byte span, and the text it is written as when that is the same in
// the file (one line, no YAML escapes), else "".
func (d *document) expressionSpans(text string, expressions []model.Expression) ([][2]int, []string) {
	spans := make([][2]int, len(expressions))
	written := make([]string, len(expressions))
	offset := 0
	for i, e := range expressions {
		start := strings.Index(text[offset:], "${{")
		if start < 0 {
			return spans[:i], written // cannot happen: the parser found them there
		}
		start += offset
		end := strings.Index(text[start:], "}}")
		if end < 0 {
			end = len(text)
		} else {
			end += start + len("}}")
		}
		if e.Pos.Line == e.Pos.EndLine {
			if from, err := d.offset(e.Pos.Line, e.Pos.Column); err == nil {
				if to, err := d.offset(e.Pos.EndLine, e.Pos.EndColumn); err == nil && from < to && strings.HasPrefix(text[start:], string(d.src[from:to])) {
					written[i] = string(d.src[from:to])
					end = start + to - from
				}
			}
		}
		spans[i] = [2]int{start, end}
		offset = end
	}
	return spans, written
}

// replaceInRun replaces the expression at pos, in the run: scalar, with a
// variable reference, escaped for the scalar's YAML style.
func (d *document) replaceInRun(run *yaml.Node, pos model.Pos, ref string) (udiff.Edit, error) {
	switch {
	case run.Style&yaml.DoubleQuotedStyle != 0:
		ref = strings.ReplaceAll(ref, `"`, `\"`)
	case run.Style&(yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 && pos.Line == run.Line && pos.Column == run.Column && strings.HasPrefix(ref, `"`):
		return udiff.Edit{}, errors.New("the run: value would start with a quote, which YAML reads as a quoted scalar; write the script as a block (run: |) to fix it")
	}
	start, err := d.offset(pos.Line, pos.Column)
	if err != nil {
		return udiff.Edit{}, err
	}
	end, err := d.offset(pos.EndLine, pos.EndColumn)
	if err != nil {
		return udiff.Edit{}, err
	}
	return udiff.Edit{Start: start, End: end, New: ref}, nil
}

// addEnv adds variables to the step's env: after its last entry, or in a
// new env: block after the step's last line.
func (d *document) addEnv(m *yaml.Node, step *model.Step, vars []model.Var) (udiff.Edit, error) {
	entries := func(indent string) string {
		lines := make([]string, len(vars))
		for i, v := range vars {
			lines[i] = indent + v.Name.Value + ": " + scalar(v.Value.Value)
		}
		return strings.Join(lines, d.lineBreak)
	}
	envKey, env := keyOf(m, "env")
	if envKey == nil {
		at, prefix := d.nextLine(lastLine(step.Pos))
		indent := strings.Repeat(" ", m.Content[0].Column-1)
		text := indent + "env:" + d.lineBreak + entries(indent+strings.Repeat(" ", d.indent))
		return udiff.Edit{Start: at, End: at, New: endLines(prefix, text, d.lineBreak)}, nil
	}
	if env.Kind != yaml.MappingNode || env.Style&yaml.FlowStyle != 0 || len(env.Content) == 0 || len(step.Env) == 0 {
		return udiff.Edit{}, errors.New("the step's env: is not a block mapping")
	}
	last := step.Env[0].Pos
	for _, v := range step.Env {
		if comparePos(v.Pos, last) > 0 {
			last = v.Pos
		}
	}
	at, prefix := d.nextLine(lastLine(last))
	return udiff.Edit{Start: at, End: at, New: endLines(prefix, entries(strings.Repeat(" ", env.Content[0].Column-1)), d.lineBreak)}, nil
}

var (
	// contextPath is an expression that only reads a property.
	contextPath = regexp.MustCompile(`^[A-Za-z_][\w-]*(\.[A-Za-z_*][\w-]*|\[\d+\])*$`)
	notNameChar = regexp.MustCompile(`[^A-Z0-9]+`)
)

// envName derives a variable's name from the expression it holds: the
// property path it reads (the first written when it reads several), without a
// leading `github.`, upper-cased, with underscores: EVENT_ISSUE_TITLE for
// github.event.issue.title. GitHub keeps names starting GITHUB_ and
// RUNNER_ for its own variables, which a step cannot set.
func envName(e model.Expression) string {
	path := e.Value
	if !contextPath.MatchString(path) {
		path = "value"
		first := len(e.Value)
		for _, flow := range e.Flows {
			if at := strings.Index(strings.ToLower(e.Value), flow); at >= 0 && at < first {
				path, first = flow, at
			}
		}
	}
	if len(path) > len("github.") && strings.EqualFold(path[:len("github.")], "github.") {
		path = path[len("github."):]
	}
	name := strings.Trim(notNameChar.ReplaceAllString(strings.ToUpper(path), "_"), "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' || strings.HasPrefix(name, "GITHUB_") || strings.HasPrefix(name, "RUNNER_") {
		name = "VALUE_" + name
	}
	return strings.TrimSuffix(name, "_")
}

// uniqueName is name, or name_2, name_3, ... when taken (in any case).
func uniqueName(name string, taken map[string]bool) string {
	candidate := name
	for n := 2; taken[strings.ToUpper(candidate)]; n++ {
		candidate = name + "_" + strconv.Itoa(n)
	}
	return candidate
}
