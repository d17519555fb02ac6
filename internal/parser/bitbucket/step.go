package bitbucket

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// group is what a `stage:` gives the steps it holds.
type group struct {
	name       model.String
	deployment *yaml.Node
	manual     bool
}

// pipelineSteps adds the jobs of one pipeline: its list of steps,
// parallel groups and stages. Bitbucket runs the list in order, so each
// job needs the jobs of the item before it.
func (p *parser) pipelineSteps(pipeline *model.Pipeline, name string, condition model.String, list *yaml.Node) {
	seq := syntax.ResolveAlias(list)
	if k, v := syntax.MappingEntry(seq, "import"); k != nil {
		p.importedPipeline(v)
		return
	}
	if seq == nil || seq.Kind != yaml.SequenceNode {
		p.errorf(p.pos(list), "pipeline %q must be a list of steps", name)
		return
	}
	var before []model.String
	for _, it := range syntax.SequenceItems(seq) {
		entries := syntax.MappingPairs(it)
		if len(entries) == 0 {
			p.errorf(p.pos(it), "a pipeline item must be a step, parallel or stage")
			continue
		}
		key, value := entries[0].Key, entries[0].Value
		switch key.Value {
		case "step":
			if job, ok := p.job(pipeline, name, condition, key, value, before, group{}); ok {
				before = []model.String{job}
			}
		case "parallel":
			steps := syntax.SequenceItems(value)
			if isMap(value) {
				steps = syntax.SequenceItems(syntax.MappingGet(value, "steps"))
			}
			var ids []model.String
			for _, s := range steps {
				k, v := syntax.MappingEntry(s, "step")
				if k == nil {
					p.errorf(p.pos(s), "parallel: holds steps only")
					continue
				}
				if job, ok := p.job(pipeline, name, condition, k, v, before, group{}); ok {
					ids = append(ids, job)
				}
			}
			if len(ids) > 0 {
				before = ids
			}
		case "stage":
			before = p.stage(pipeline, name, condition, value, before)
		case "variables":
			// A custom pipeline's parameters (customVariables).
		default:
			p.errorf(p.str(key).Pos, "unknown pipeline item %q: expected step, parallel or stage", key.Value)
		}
	}
}

// importedPipeline records the pipeline a pipeline imports from another
// repository, which is not fetched: `import: <repo>:<branch or
// tag>:<pipeline>`, or `import: <pipeline>@<alias>` of a source that
// `definitions: imports:` declares (recorded there).
func (p *parser) importedPipeline(n *yaml.Node) {
	value := p.str(n)
	if strings.Count(value.Value, ":") == 2 {
		p.importReference(value)
	}
}

// importReference records an import source, `<repo>:<branch or
// tag>:<pipeline or file>`: another repository's configuration at a ref
// Bitbucket reads when the pipeline runs.
func (p *parser) importReference(value model.String) {
	ref := model.Reference{Kind: model.RefInclude, Usage: "project", Value: value, Pos: value.Pos, Dynamic: strings.Contains(value.Value, "$")}
	parts := strings.SplitN(value.Value, ":", 3)
	if len(parts) == 3 {
		ref.Repo, ref.Ref, ref.Path = parts[0], parts[1], parts[2]
	}
	p.addRef(ref)
}

// stage adds the steps of a `stage:`, which share its deployment and,
// for `trigger: manual`, wait for one approval before the first of them.
func (p *parser) stage(pipeline *model.Pipeline, name string, condition model.String, stage *yaml.Node, before []model.String) []model.String {
	g := group{name: p.str(syntax.MappingGet(stage, "name")), deployment: syntax.MappingGet(stage, "deployment")}
	g.manual = text(syntax.MappingGet(stage, "trigger")) == "manual"
	for i, s := range syntax.SequenceItems(syntax.MappingGet(stage, "steps")) {
		k, v := syntax.MappingEntry(s, "step")
		if k == nil {
			p.errorf(p.pos(s), "a stage holds steps only")
			continue
		}
		stepGroup := g
		stepGroup.manual = g.manual && i == 0
		if job, ok := p.job(pipeline, name, condition, k, v, before, stepGroup); ok {
			before = []model.String{job}
		}
	}
	return before
}

// job adds the job of one step and returns its id, positioned where the
// step is used; false when the step is not a mapping.
func (p *parser) job(pipeline *model.Pipeline, pipelineName string, condition model.String, key, step *yaml.Node, needs []model.String, g group) (model.String, bool) {
	if !isMap(step) {
		p.errorf(p.pos(step), "a step must be a mapping with a script:")
		return model.String{}, false
	}
	id := p.jobID(pipelineName, p.str(key).Pos)
	job := model.Job{
		ID:        id,
		Name:      p.str(syntax.MappingGet(step, "name")),
		Stage:     g.name,
		Condition: condition,
		Needs:     needs,
		Runner:    p.runner(syntax.MappingGet(step, "runs-on")),
		Pos:       p.pos(step),
	}
	if job.Name.Value == "" {
		job.Name = id
	}
	if text(syntax.MappingGet(step, "trigger")) == "manual" || g.manual {
		job.When = "manual" // an approval gate: someone starts it
	}
	image := syntax.MappingGet(step, "image")
	if image == nil {
		image = p.global.image
	}
	job.Container = p.image(image, "container")
	for _, name := range syntax.SequenceItems(syntax.MappingGet(step, "services")) {
		job.Services = append(job.Services, p.service(name))
	}
	for _, name := range syntax.SequenceItems(syntax.MappingGet(step, "caches")) {
		job.Caches = append(job.Caches, p.cache(name))
	}
	job.Artifacts = p.artifacts(syntax.MappingGet(step, "artifacts"))
	deployment := syntax.MappingGet(step, "deployment")
	if deployment == nil {
		deployment = g.deployment
	}
	if name := p.str(deployment); name.Value != "" {
		job.Environment = &model.Environment{Name: name, Pos: name.Pos}
	}
	if k, v := syntax.MappingEntry(step, "oidc"); k != nil && text(v) == "true" {
		// Bitbucket mints the token into BITBUCKET_STEP_OIDC_TOKEN.
		job.IDTokens = append(job.IDTokens, model.Var{
			Name:   model.String{Value: "BITBUCKET_STEP_OIDC_TOKEN", Pos: p.str(k).Pos},
			Source: "secret",
			Pos:    syntax.Join(p.str(k).Pos, p.pos(v)),
		})
	}
	if clone := p.clone(syntax.MappingEntry(step, "clone")); clone != nil {
		job.Steps = append(job.Steps, *clone)
	}
	scriptKey, script := syntax.MappingEntry(step, "script")
	if scriptKey == nil {
		p.errorf(p.pos(step), "step has no script:")
	}
	job.Steps = append(job.Steps, p.script(scriptKey, script, "")...)
	afterKey, after := syntax.MappingEntry(step, "after-script")
	job.Steps = append(job.Steps, p.script(afterKey, after, "always")...)
	pipeline.Jobs = append(pipeline.Jobs, job)
	return id, true
}

// jobID names a step by its pipeline and its place there
// (`branches.main.2`), unique in the file.
func (p *parser) jobID(pipelineName string, at model.Pos) model.String {
	p.jobIDs[pipelineName]++
	id := fmt.Sprintf("%s.%d", pipelineName, p.jobIDs[pipelineName])
	for p.jobIDs[id] > 0 { // a pipeline named like another's step
		id += "'"
	}
	p.jobIDs[id]++
	return model.String{Value: id, Pos: at}
}

// runner reads `runs-on:`, the labels of a self-hosted runner; a step
// without it runs on Bitbucket Cloud, fresh for every step.
func (p *parser) runner(runsOn *yaml.Node) model.Runner {
	r := model.Runner{Ephemeral: true}
	if runsOn == nil {
		return r
	}
	labels := syntax.SequenceItems(runsOn)
	if syntax.ResolveAlias(runsOn).Kind == yaml.ScalarNode {
		labels = []*yaml.Node{syntax.ResolveAlias(runsOn)}
	}
	for _, l := range labels {
		label := p.str(l)
		r.Labels = append(r.Labels, label)
		if label.Value == "self.hosted" {
			r.Ephemeral = false
		}
	}
	r.Pos = p.pos(runsOn)
	return r
}

// script reads a script: or after-script: list. Its command lines make run
// steps, in bash (Bitbucket's images run scripts with bash when they have
// it), their lines split as one script; each `- pipe:` between them is a
// uses step. An after-script runs
// whatever the script did ("always"), or only after a failure when it
// checks BITBUCKET_EXIT_CODE.
func (p *parser) script(key, list *yaml.Node, when string) []model.Step {
	if key == nil {
		return nil
	}
	lines := syntax.SequenceItems(list)
	if syntax.ResolveAlias(list) != nil && syntax.ResolveAlias(list).Kind == yaml.ScalarNode {
		lines = []*yaml.Node{syntax.ResolveAlias(list)}
	}
	keyStr := p.str(key)
	var steps []model.Step
	var run []*yaml.Node
	flush := func() {
		if len(run) > 0 {
			steps = append(steps, p.runStep(keyStr, run, when))
			run = nil
		}
	}
	for _, line := range lines {
		switch {
		case isNull(line): // `- ` with only a comment after it
		case line.Kind == yaml.ScalarNode:
			run = append(run, line)
		case isMap(line) && syntax.MappingGet(line, "pipe") != nil:
			flush()
			steps = append(steps, p.pipe(line, when))
		default:
			p.errorf(p.pos(line), "%s lines must be commands or pipes", key.Value)
		}
	}
	flush()
	return steps
}

var exitCodeCheck = regexp.MustCompile(`BITBUCKET_EXIT_CODE\}?"?\s*(!=|-ne|-gt)\s*"?0\b`)

func (p *parser) runStep(key model.String, lines []*yaml.Node, when string) model.Step {
	script := &model.Script{Shell: "bash"}
	texts := make([]string, len(lines))
	for i, line := range lines {
		texts[i] = line.Value
	}
	text := strings.Join(texts, "\n")
	script.Commands = shell.Split(text, "bash", p.linesLocator(lines))
	first, last := p.str(lines[0]), p.str(lines[len(lines)-1])
	script.Text = model.String{Value: text, Pos: syntax.Join(first.Pos, last.Pos)}
	if when == "always" && exitCodeCheck.MatchString(script.Text.Value) {
		when = "on_failure"
	}
	return model.Step{Kind: model.StepRun, ID: key, Name: key, Script: script, When: when, Pos: script.Text.Pos}
}

// linesLocator maps the text of script lines joined by line breaks to
// where each line is written. Bitbucket runs a script's lines in one
// shell, so a construct may span them (`- if [ ... ]; then`, `- fi`).
func (p *parser) linesLocator(lines []*yaml.Node) shell.Locate {
	starts := make([]int, len(lines)) // the first joined line of each
	locates := make([]func(line, col int) model.Pos, len(lines))
	next := 1
	for i, line := range lines {
		starts[i] = next
		next += strings.Count(line.Value, "\n") + 1
		locates[i] = p.scalar(line).Locate(line.Value)
	}
	return func(line, col int) model.Pos {
		i := max(sort.SearchInts(starts, line+1)-1, 0)
		return locates[i](line-starts[i]+1, col)
	}
}

// pipe reads a `- pipe:` item: a Docker image Bitbucket runs with the
// item's variables.
func (p *parser) pipe(item *yaml.Node, when string) model.Step {
	name := p.str(syntax.MappingGet(item, "pipe"))
	ref := pipeReference(name)
	p.addRef(ref)
	step := model.Step{Kind: model.StepUses, Name: name, Uses: &ref, When: when, Pos: p.pos(item)}
	step.With = p.variables(syntax.MappingGet(item, "variables"))
	return step
}

// pipeReference is the image a pipe runs: `docker://name:tag` names it;
// `atlassian/name:tag` is bitbucketpipelines/name on Docker Hub; any
// other `owner/name:tag` is that Docker Hub image.
func pipeReference(name model.String) model.Reference {
	ref := model.Reference{Kind: model.RefImage, Usage: "step", Value: name, Pos: name.Pos}
	image := strings.TrimPrefix(name.Value, "docker://")
	ref.Registry, ref.Repo, ref.Ref, ref.Digest = syntax.ParseImage(image)
	if rest, ok := strings.CutPrefix(ref.Repo, "atlassian/"); ok && image == name.Value && ref.Registry == "" {
		ref.Repo = "bitbucketpipelines/" + rest
	}
	ref.Pinned = ref.Digest != ""
	ref.Dynamic = strings.Contains(name.Value, "$")
	return ref
}

// variables reads a mapping of names to values (a pipe's or a service's
// variables:). A value that is a list (a pipe's EXTRA_ARGS) keeps no text.
func (p *parser) variables(n *yaml.Node) []model.Var {
	var vars []model.Var
	for _, e := range syntax.MappingPairs(n) {
		v := model.Var{Name: p.str(e.Key), Value: p.str(e.Value), Pos: syntax.Join(p.str(e.Key).Pos, p.pos(e.Value))}
		v.Source = "literal"
		if plainVariable.MatchString(v.Value.Value) {
			v.Source = "variable"
		}
		vars = append(vars, v)
	}
	return vars
}

var plainVariable = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$`)

// image reads an image (a name, or {name, username, password, aws, ...},
// the login its credentials) and records its reference.
func (p *parser) image(n *yaml.Node, usage string) *model.Image {
	if isNull(n) {
		return nil
	}
	img := &model.Image{Pos: p.pos(n)}
	if isMap(n) {
		img.Name = p.str(syntax.MappingGet(n, "name"))
		for _, key := range []string{"username", "password"} {
			if k, v := syntax.MappingEntry(n, key); k != nil {
				img.Credentials = append(img.Credentials, p.variables(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, v}})...)
			}
		}
		img.Credentials = append(img.Credentials, p.variables(syntax.MappingGet(n, "aws"))...)
	} else {
		img.Name = p.str(n)
	}
	if img.Name.Value == "" {
		return img
	}
	ref := model.Reference{Kind: model.RefImage, Usage: usage, Value: img.Name, Pos: img.Name.Pos, Dynamic: strings.Contains(img.Name.Value, "$")}
	ref.Registry, ref.Repo, ref.Ref, ref.Digest = syntax.ParseImage(img.Name.Value)
	ref.Pinned = ref.Digest != ""
	p.addRef(ref)
	return img
}

// service is the container a step's `services:` names, as
// `definitions: services:` declares it. The docker service without an
// image of its own is Bitbucket's Docker daemon.
func (p *parser) service(name *yaml.Node) model.Image {
	alias := p.str(name)
	def := syntax.MappingGet(p.global.services, alias.Value)
	img := model.Image{Alias: alias, Pos: alias.Pos}
	if def == nil {
		if alias.Value != "docker" {
			p.errorf(alias.Pos, "service %q is not defined under definitions: services:", alias.Value)
		}
		return img
	}
	if defined := p.image(syntax.MappingGet(def, "image"), "service"); defined != nil {
		img.Name = defined.Name
	}
	img.Env = p.variables(syntax.MappingGet(def, "variables"))
	return img
}

// cache is a cache a step names: a predefined one (node, pip, maven,
// ...) is its name alone; one of `definitions: caches:` has its path.
func (p *parser) cache(name *yaml.Node) model.Cache {
	key := p.str(name)
	c := model.Cache{Key: key, Pos: key.Pos}
	def := syntax.MappingGet(p.global.caches, key.Value)
	if isMap(def) {
		def = syntax.MappingGet(def, "path")
	}
	if path := p.str(def); path.Value != "" {
		c.Paths = []model.String{path}
	}
	return c
}

// artifacts reads `artifacts:`, a list of globs or {download, paths}.
func (p *parser) artifacts(n *yaml.Node) []model.String {
	if isMap(n) {
		n = syntax.MappingGet(n, "paths")
	}
	var out []model.String
	for _, it := range syntax.SequenceItems(n) {
		if s := p.str(it); s.Value != "" {
			out = append(out, s)
		}
	}
	return out
}

// clone is the checkout Bitbucket makes before a step's script, when the
// file sets how: a step of Kind "other" calling "clone", With its
// settings (lfs, depth, enabled, skip-ssl-verify, ...), the step's own
// over the file's. The call is positioned at the `clone:` key that set
// it last.
func (p *parser) clone(stepKey, stepClone *yaml.Node) *model.Step {
	var with []model.Var
	at := map[string]int{}
	var call model.String
	for _, settings := range []syntax.YAMLPair{p.global.clone, {Key: stepKey, Value: stepClone}} {
		if !isMap(settings.Value) {
			continue
		}
		call = p.str(settings.Key)
		for _, e := range syntax.MappingPairs(settings.Value) {
			v := model.Var{Name: p.str(e.Key), Value: p.str(e.Value), Source: "literal", Pos: syntax.Join(p.str(e.Key).Pos, p.pos(e.Value))}
			if i, ok := at[e.Key.Value]; ok {
				with[i] = v
				continue
			}
			at[e.Key.Value] = len(with)
			with = append(with, v)
		}
	}
	if call.Value == "" {
		return nil
	}
	return &model.Step{Kind: model.StepOther, Name: call, Call: call, With: with, Pos: syntax.Join(call.Pos, with[len(with)-1].Pos)}
}

// addRef records a reference once, however many steps reuse it.
func (p *parser) addRef(ref model.Reference) {
	if p.refSeen[ref.Pos] {
		return
	}
	p.refSeen[ref.Pos] = true
	p.refs = append(p.refs, ref)
}
