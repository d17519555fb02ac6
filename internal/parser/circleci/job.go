package circleci

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

// scope is the parameters a job, command or executor sees, by name.
type scope map[string]param

// param is a parameter's value: text, or for a `steps` parameter the
// steps with the scope they were written in.
type param struct {
	value      *mapped
	steps      []*yaml.Node
	stepsScope scope
}

// defaults is the scope of a definition's `parameters:` before arguments:
// each default, substituted in the scope it is written in (a default may
// name pipeline values).
func (p *parser) defaults(decl *yaml.Node, outer scope) scope {
	sc := scope{}
	for _, e := range syntax.MappingPairs(decl) {
		def := syntax.MappingGet(e.Value, "default")
		switch {
		case text(syntax.MappingGet(e.Value, "type")) == "steps":
			sc[e.Key.Value] = param{steps: syntax.SequenceItems(def), stepsScope: outer}
		case isScalar(def):
			v := p.substitute(p.mapScalar(def), outer)
			sc[e.Key.Value] = param{value: &v}
		default:
			sc[e.Key.Value] = param{}
		}
	}
	return sc
}

// bind sets the arguments a call passes (keys of args not in skip) over
// the defaults, each substituted in the caller's scope.
func (p *parser) bind(sc scope, args *yaml.Node, caller scope, skip map[string]bool) scope {
	out := scope{}
	for k, v := range sc {
		out[k] = v
	}
	for _, e := range syntax.MappingPairs(args) {
		if skip[e.Key.Value] {
			continue
		}
		switch {
		case e.Value.Kind == yaml.SequenceNode:
			out[e.Key.Value] = param{steps: syntax.SequenceItems(e.Value), stepsScope: caller}
		case isScalar(e.Value):
			v := p.substitute(p.mapScalar(e.Value), caller)
			out[e.Key.Value] = param{value: &v}
		default:
			out[e.Key.Value] = param{}
		}
	}
	return out
}

// value is a scalar after substitution, positioned where it is written,
// with the pipeline values it reads; dynamic when a parameter had no
// value.
func (p *parser) value(n *yaml.Node, sc scope) (s model.String, exprs []model.Expression, dynamic bool) {
	if !isScalar(n) {
		return model.String{}, nil, false
	}
	m := p.substitute(p.mapScalar(n), sc)
	return model.String{Value: m.text, Pos: p.pos(n)}, m.expressions, m.unknown
}

// workflowKeys are the keys of a workflow entry that configure the
// invocation rather than pass a parameter.
var workflowKeys = map[string]bool{
	"requires": true, "filters": true, "context": true, "name": true, "type": true,
	"matrix": true, "pre-steps": true, "post-steps": true, "serial-group": true, "override-with": true,
}

// invocation builds the job a workflow entry runs: a job of the
// configuration, an orb's job, or an approval.
func (p *parser) invocation(workflow model.String, entry *yaml.Node, outer scope) (model.Job, bool) {
	var key, args *yaml.Node
	switch {
	case isScalar(entry):
		key = entry
	case isMap(entry) && len(syntax.MappingPairs(entry)) == 1:
		e := syntax.MappingPairs(entry)[0]
		key, args = e.Key, e.Value
	default:
		p.errorf(p.at(entry), "a workflow's job must be a job's name, or a mapping of the name to its settings")
		return model.Job{}, false
	}
	name := p.str(key)
	job := model.Job{ID: name, Name: name, Stage: workflow, Pos: p.pos(entry)}
	if n := syntax.MappingGet(args, "name"); isScalar(n) {
		v, _, _ := p.value(n, outer)
		job.ID, job.Name = v, v
	}
	for _, r := range syntax.SequenceItems(syntax.MappingGet(args, "requires")) {
		if isScalar(r) {
			job.Needs = append(job.Needs, p.str(r))
		} else if isMap(r) { // `- build: [success, failed]`
			for _, e := range syntax.MappingPairs(r) {
				job.Needs = append(job.Needs, p.str(e.Key))
			}
		}
	}
	if filters := syntax.MappingGet(args, "filters"); filters != nil {
		job.Condition = model.String{Value: render(filters), Pos: p.pos(filters)}
	}
	contexts := p.contexts(syntax.MappingGet(args, "context"))
	if text(syntax.MappingGet(args, "type")) == "approval" {
		job.When = "manual"
		job.Env = contexts
		return job, true
	}
	if def, ok := p.jobs[name.Value]; ok {
		sc := p.bind(p.defaults(syntax.MappingGet(def, "parameters"), outer), args, outer, workflowKeys)
		// A matrix gives its parameters one value per run: none is known.
		for _, e := range syntax.MappingPairs(syntax.MappingGet(syntax.MappingGet(args, "matrix"), "parameters")) {
			sc[e.Key.Value] = param{}
		}
		built := p.job(job.ID, def, sc, 0)
		built.Name, built.Stage, built.Needs, built.Condition, built.Pos = job.Name, job.Stage, job.Needs, job.Condition, job.Pos
		built.Env = append(contexts, built.Env...)
		built.Strategy = p.matrix(syntax.MappingGet(args, "matrix"))
		pre := p.steps(syntax.SequenceItems(syntax.MappingGet(args, "pre-steps")), outer, &built)
		post := p.steps(syntax.SequenceItems(syntax.MappingGet(args, "post-steps")), outer, &built)
		built.Steps = append(append(pre, built.Steps...), post...)
		return built, true
	}
	ref, ok := p.orbCall(name.Value)
	if !ok && !strings.Contains(name.Value, "/") {
		p.errorf(name.Pos, "job %q is not defined in jobs: or by an orb", name.Value)
		return model.Job{}, false
	}
	// An orb the file does not declare is one the orb development kit
	// injects (the orb under test): a job of unknown content.
	job.Uses = ref
	job.Env = contexts
	job.With = orbArguments(p.with(args, outer, workflowKeys))
	job.Strategy = p.matrix(syntax.MappingGet(args, "matrix"))
	return job, true
}

// contexts are the contexts a job is given: secrets the organisation
// keeps, which the job's steps get as environment variables.
func (p *parser) contexts(n *yaml.Node) []model.Var {
	var out []model.Var
	for _, c := range p.scalars(n) {
		out = append(out, model.Var{Name: model.String{Value: "context", Pos: c.Pos}, Value: c, Source: "secret", Pos: c.Pos})
	}
	return out
}

// matrix is a workflow entry's `matrix: parameters:`, each value where it
// is written.
func (p *parser) matrix(n *yaml.Node) *model.Strategy {
	params := syntax.MappingGet(n, "parameters")
	if params == nil {
		return nil
	}
	s := &model.Strategy{Pos: p.pos(n)}
	for _, e := range syntax.MappingPairs(params) {
		s.Matrix = append(s.Matrix, model.Var{Name: p.str(e.Key), Value: model.String{Value: render(e.Value), Pos: p.pos(e.Value)}, Source: "literal", Pos: p.entryPos(e)})
		for _, v := range p.scalars(e.Value) {
			s.Values = append(s.Values, model.Var{Name: p.str(e.Key), Value: v, Source: "literal", Pos: v.Pos})
		}
	}
	return s
}

// with are a call's arguments as Vars, substituted in the caller's scope.
func (p *parser) with(args *yaml.Node, caller scope, skip map[string]bool) []model.Var {
	var out []model.Var
	for _, e := range syntax.MappingPairs(args) {
		if skip[e.Key.Value] {
			continue
		}
		v := model.Var{Name: p.str(e.Key), Source: "literal", Pos: p.entryPos(e)}
		if isScalar(e.Value) {
			v.Value, v.Expressions, _ = p.value(e.Value, caller)
			v.Source = source(v.Value.Value, v.Expressions)
		} else {
			v.Value = model.String{Value: render(e.Value), Pos: p.pos(e.Value)}
		}
		out = append(out, v)
	}
	return out
}

// envVarName is the value of an orb parameter of type env_var_name: the
// name of an environment variable (a context's secret, usually).
var envVarName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// orbArguments are the arguments of a call to an orb's command or job,
// whose parameter types are in the orb: a value shaped like a variable's
// name is taken as one (Source "variable"), the way `token: CODECOV_TOKEN`
// names the variable that holds a token.
func orbArguments(with []model.Var) []model.Var {
	for i, v := range with {
		if v.Source == "literal" && envVarName.MatchString(v.Value.Value) {
			with[i].Source = "variable"
		}
	}
	return with
}

// source tells where a value comes from: a pipeline value substituted,
// an environment variable the shell or CircleCI expands, or the text.
func source(value string, exprs []model.Expression) string {
	switch {
	case len(exprs) > 0:
		return "expression"
	case strings.HasPrefix(value, "$") && !strings.ContainsAny(value, " \t"):
		return "variable"
	}
	return "literal"
}

// job builds a job from its definition in the scope of its parameters.
func (p *parser) job(id model.String, def *yaml.Node, sc scope, depth int) model.Job {
	job := model.Job{ID: id, Name: id, Pos: p.pos(def)}
	if !isMap(def) {
		p.errorf(p.at(def), "job %q must be a mapping", id.Value)
		return job
	}
	shellName := "bash"
	p.environment(def, sc, &job)
	if ex := syntax.MappingGet(def, "executor"); ex != nil {
		p.executor(ex, sc, &job, &shellName)
	}
	if s := text(syntax.MappingGet(def, "shell")); s != "" {
		shellName = shellOf(s)
	}
	p.runsOn(def, sc, &job)
	job.Steps = p.stepsIn(syntax.MappingGet(def, "steps"), sc, shellName, depth, &job)
	return job
}

// environment adds a definition's `environment:` to the job's.
func (p *parser) environment(def *yaml.Node, sc scope, job *model.Job) {
	job.Env = append(job.Env, p.envVars(syntax.MappingGet(def, "environment"), sc)...)
}

// envVars reads an `environment:` mapping (or list of one-entry
// mappings, which CircleCI also accepts).
func (p *parser) envVars(n *yaml.Node, sc scope) []model.Var {
	entries := syntax.MappingPairs(n)
	for _, it := range syntax.SequenceItems(n) {
		entries = append(entries, syntax.MappingPairs(it)...)
	}
	var out []model.Var
	for _, e := range entries {
		v := model.Var{Name: p.str(e.Key), Pos: p.entryPos(e)}
		v.Value, v.Expressions, _ = p.value(e.Value, sc)
		v.Source = source(v.Value.Value, v.Expressions)
		out = append(out, v)
	}
	return out
}

// executor applies a job's `executor:` (a name, or a mapping of the name
// and its parameters): a reusable executor of the configuration or an
// inline orb, whose environment, images and shell the job gets. An orb's
// executor is not fetched.
func (p *parser) executor(n *yaml.Node, sc scope, job *model.Job, shellName *string) {
	nameNode, args := n, (*yaml.Node)(nil)
	if isMap(n) {
		nameNode, args = syntax.MappingGet(n, "name"), n
	}
	name, _, _ := p.value(nameNode, sc)
	def, ok := p.executors[name.Value]
	if !ok {
		return
	}
	exScope := p.bind(p.defaults(syntax.MappingGet(def, "parameters"), sc), args, sc, map[string]bool{"name": true})
	p.environment(def, exScope, job)
	if s := text(syntax.MappingGet(def, "shell")); s != "" {
		*shellName = shellOf(s)
	}
	p.runsOn(def, exScope, job)
}

// shellOf names the shell of a `shell:` command line (`/bin/bash -eo
// pipefail`, `powershell.exe`).
func shellOf(command string) string {
	fields := strings.Fields(command)
	if len(fields) == 0 {
		return "bash"
	}
	base := strings.ToLower(fields[0][strings.LastIndexAny(fields[0], `/\`)+1:])
	base = strings.TrimSuffix(base, ".exe")
	switch base {
	case "powershell", "pwsh", "cmd", "sh", "bash", "python", "python3":
		return base
	}
	return "bash"
}

// runsOn reads where a definition (a job or an executor) runs: its
// `docker:` images (the first is the job's container, the others its
// services), `machine:` image, `macos:` and `resource_class:`. A resource
// class `namespace/name` is a self-hosted runner.
func (p *parser) runsOn(def *yaml.Node, sc scope, job *model.Job) {
	for i, d := range syntax.SequenceItems(syntax.MappingGet(def, "docker")) {
		usage := "container"
		if i > 0 {
			usage = "service"
		}
		img := p.image(syntax.MappingGet(d, "image"), usage, sc)
		if img == nil {
			continue
		}
		img.Alias = p.str(syntax.MappingGet(d, "name"))
		img.Env = p.envVars(syntax.MappingGet(d, "environment"), sc)
		img.Pos = p.pos(d)
		if i == 0 {
			job.Container = img
		} else {
			job.Services = append(job.Services, *img)
		}
	}
	if m := syntax.MappingGet(def, "machine"); m != nil {
		job.Runner.Labels = append(job.Runner.Labels, model.String{Value: "machine", Pos: p.pos(m)})
		job.Runner.Ephemeral, job.Runner.Pos = true, p.pos(m)
		if img := syntax.MappingGet(m, "image"); img != nil {
			p.image(img, "machine", sc)
		}
	}
	if m := syntax.MappingGet(def, "macos"); m != nil {
		job.Runner.Labels = append(job.Runner.Labels, model.String{Value: "macos", Pos: p.pos(m)})
		job.Runner.Ephemeral, job.Runner.Pos = true, p.pos(m)
	}
	if rc := syntax.MappingGet(def, "resource_class"); isScalar(rc) {
		v, _, _ := p.value(rc, sc)
		// The job's own resource class replaces its executor's.
		job.Runner.Labels = slices.DeleteFunc(job.Runner.Labels, func(l model.String) bool { return l.Value != "machine" && l.Value != "macos" })
		job.Runner.Labels = append(job.Runner.Labels, v)
		job.Runner.Pos = v.Pos
		job.Runner.Ephemeral = !strings.Contains(v.Value, "/")
	} else if job.Runner.Pos.IsZero() && job.Container != nil {
		job.Runner.Ephemeral = true
	}
}

// machineFloating are the tags of CircleCI's machine images that follow
// the newest release.
var machineFloating = map[string]bool{"": true, "current": true, "edge": true, "default": true, "previous": true}

// image records an image as a Reference. A machine image (Usage "machine")
// is a virtual machine image CircleCI keeps: it has no digest, and a
// dated tag (`ubuntu-2204:2024.01.1`) is a fixed release, so pinned.
func (p *parser) image(n *yaml.Node, usage string, sc scope) *model.Image {
	name, _, dynamic := p.value(n, sc)
	if name.Value == "" {
		return nil
	}
	ref := model.Reference{Kind: model.RefImage, Usage: usage, Value: name, Pos: name.Pos}
	ref.Dynamic = dynamic || strings.Contains(name.Value, "$")
	ref.Registry, ref.Repo, ref.Ref, ref.Digest = syntax.ParseImage(name.Value)
	ref.Pinned = ref.Digest != "" || usage == "machine" && !machineFloating[ref.Ref]
	p.addRef(ref)
	return &model.Image{Name: name}
}

// addRef records a reference once per position: a definition run by
// several workflow entries names its images once.
func (p *parser) addRef(ref model.Reference) {
	key := refKey{ref.Pos, ref.Value.Value}
	if p.refSeen[key] {
		return
	}
	p.refSeen[key] = true
	p.refs = append(p.refs, ref)
}

type refKey struct {
	pos   model.Pos
	value string
}

// render writes a small YAML value on one line, for a condition or a
// list as written.
func render(n *yaml.Node) string {
	n = syntax.ResolveAlias(n)
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode:
		return n.Value
	case n.Kind == yaml.SequenceNode:
		var parts []string
		for _, it := range syntax.SequenceItems(n) {
			parts = append(parts, render(it))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case n.Kind == yaml.MappingNode:
		var parts []string
		for _, e := range syntax.MappingPairs(n) {
			parts = append(parts, e.Key.Value+": "+render(e.Value))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}
