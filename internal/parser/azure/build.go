package azure

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// context is what a job inherits from the pipeline and its stage.
type context struct {
	stage      model.String
	needs      []model.String // the jobs of the stages the stage waits for
	pool       *node
	env        []model.Var      // the stage's variables
	containers map[string]*node // resources.containers by alias
}

func (p *parser) build(root *node) *model.Pipeline {
	display := p.in.Display
	pipeline := &model.Pipeline{System: model.Azure, Kind: model.KindWorkflow, File: display, Pos: p.filePos()}
	top := &expansion{file: p.in.Path, stack: []string{p.in.Path}, runtime: map[string]bool{}}
	params := root.get("parameters")
	top.scope.parameters = p.bind(params, nil, top)
	for _, pr := range top.scope.parameters.pairs {
		top.runtime[strings.ToLower(pr.key.value)] = true
	}
	pipeline.Parameters = parameters(params)
	resources := p.expand(root.get("resources"), top, "resources")
	for _, repo := range resources.get("repositories").list() {
		if alias := repo.get("repository"); alias.isScalar() {
			p.repositories[alias.value] = repo
		}
	}
	config := p.expand(root, top, "")
	if ext := config.get("extends"); ext.isMap() {
		config = p.extend(config, ext, top)
	}
	pipeline.Name = config.get("name").str()
	pipeline.Triggers = p.triggers(config, pipeline.Pos)
	ctx := context{pool: config.get("pool"), containers: map[string]*node{}}
	for _, c := range resources.get("containers").list() {
		if alias, image := c.get("container"), c.get("image"); alias.isScalar() && image.isScalar() {
			ctx.containers[alias.value] = image
			p.image(image, "container")
		}
	}
	for _, r := range resources.get("pipelines").list() {
		if src := r.get("source"); src.isScalar() {
			p.addRef(model.Reference{Kind: model.RefPipeline, Value: src.str(), Repo: r.get("project").text(), Path: src.value, Pos: src.pos})
		}
	}
	pipeline.Env = p.variables(config.get("variables"))
	// Pipeline variables stay in pipeline.Env: rules read them there.
	switch {
	case config.get("stages") != nil:
		stageJobs := map[string][]string{}
		previous := ""
		for _, stage := range config.get("stages").list() {
			name := stage.get("stage").text()
			first := len(pipeline.Jobs)
			p.stage(pipeline, stage, ctx, stageNeeds(stage, previous, stageJobs))
			for _, job := range pipeline.Jobs[first:] {
				stageJobs[name] = append(stageJobs[name], job.ID.Value)
			}
			previous = name
		}
	case config.get("jobs") != nil:
		for _, job := range config.get("jobs").list() {
			p.job(pipeline, job, ctx)
		}
	case config.get("steps") != nil:
		// The steps-only shorthand: one job named Job.
		key := config.entry("steps").key
		job := &node{kind: mapNode, pos: config.pos, pairs: []pair{
			{&node{kind: scalarNode, value: "job", pos: key.pos}, &node{kind: scalarNode, value: "Job", pos: key.pos}},
		}}
		for _, k := range []string{"steps", "container", "services", "strategy", "workspace", "condition", "timeoutInMinutes"} {
			if e := config.entry(k); e != nil {
				job.pairs = append(job.pairs, *e)
			}
		}
		p.job(pipeline, job, ctx)
	}
	return pipeline
}

// filePos spans the main file.
func (p *parser) filePos() model.Pos {
	pos := model.Pos{File: p.in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
	if p.main == nil {
		return pos
	}
	lines := p.main.Lines
	last := len(lines)
	for last > 1 && len(lines[last-1]) == 0 {
		last--
	}
	if last >= 1 {
		pos.EndLine, pos.EndColumn = last, len(lines[last-1])+1
	}
	return pos
}

// extend applies an `extends:` template: the pipeline's stages, jobs or
// steps are the template's, expanded with the parameters given.
func (p *parser) extend(config, ext *node, x *expansion) *node {
	tmpl := ext.get("template")
	if !tmpl.isScalar() {
		return config
	}
	target, ok := p.templateFile(tmpl, x)
	if !ok {
		return config
	}
	troot, tx := p.enter(target, tmpl, ext.get("parameters"), x)
	if troot == nil {
		return config
	}
	expanded := p.expand(troot, tx, "")
	out := &node{kind: mapNode, pos: config.pos, pairs: slices.Clone(config.pairs)}
	for _, pr := range expanded.pairs {
		if pr.key.value != "parameters" && out.get(pr.key.value) == nil {
			out.pairs = append(out.pairs, pr)
		}
	}
	return out
}

// parameters turns a pipeline's runtime parameters into the model's.
func parameters(n *node) []model.Var {
	var out []model.Var
	for _, d := range n.list() {
		name := d.get("name")
		if !name.isScalar() {
			continue
		}
		v := model.Var{Name: name.str(), Source: "literal", Pos: d.pos, Type: strings.ToLower(d.get("type").text())}
		if v.Type == "" {
			v.Type = "string"
		}
		if d.get("values").isSeq() {
			v.Type = "choice"
		}
		if def := d.get("default"); def.isScalar() {
			v.Value = def.str()
		}
		out = append(out, v)
	}
	for _, pr := range n.entries() { // the old form, name: default
		out = append(out, model.Var{Name: pr.key.str(), Value: pr.value.str(), Source: "literal", Type: "string", Pos: syntax.Join(pr.key.pos, pr.value.pos)})
	}
	return out
}

// triggers reads `trigger:`, `pr:` and `schedules:`. Without `trigger:`
// every push runs the pipeline and without `pr:` every pull request of a
// GitHub or Bitbucket repository does: those defaults are placed at the
// start of the file.
func (p *parser) triggers(config *node, at model.Pos) []model.Trigger {
	start := model.Pos{File: at.File, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
	var out []model.Trigger
	for _, t := range []struct{ key, event string }{{"trigger", "push"}, {"pr", "pull_request"}} {
		e := config.entry(t.key)
		if e == nil {
			out = append(out, model.Trigger{Event: model.String{Value: t.event, Pos: start}, Pos: start})
			continue
		}
		v := e.value
		if v.isScalar() && (strings.EqualFold(v.value, "none") || strings.EqualFold(v.value, "false")) {
			continue
		}
		tr := model.Trigger{Event: model.String{Value: t.event, Pos: e.key.pos}, Pos: syntax.Join(e.key.pos, v.pos)}
		switch {
		case v.isSeq():
			tr.Branches = strs(v)
		case v.isMap():
			tr.Branches = strs(v.get("branches").get("include"))
			if v.get("branches").isSeq() {
				tr.Branches = strs(v.get("branches"))
			}
			tr.Tags = strs(v.get("tags").get("include"))
		}
		out = append(out, tr)
	}
	for _, s := range config.get("schedules").list() {
		cron := s.get("cron")
		if cron.isScalar() {
			out = append(out, model.Trigger{Event: model.String{Value: "schedule", Pos: cron.pos}, Branches: strs(s.get("branches").get("include")), Pos: s.pos})
		}
	}
	return out
}

// strs returns a list's scalars, or a lone scalar as a list.
func strs(n *node) []model.String {
	if n.isScalar() {
		return []model.String{n.str()}
	}
	var out []model.String
	for _, it := range n.list() {
		if it.isScalar() {
			out = append(out, it.str())
		}
	}
	return out
}

// variables reads a `variables:` mapping or list: name/value entries,
// variable groups (a secret store, named by the group), and the items
// templates included.
func (p *parser) variables(n *node) []model.Var {
	var out []model.Var
	for _, pr := range n.entries() {
		out = append(out, variable(pr.key, pr.value, syntax.Join(pr.key.pos, pr.value.pos)))
	}
	for _, item := range n.list() {
		switch {
		case item.get("group") != nil:
			g := item.get("group")
			out = append(out, model.Var{Name: g.str(), Value: g.str(), Source: "secret", Pos: item.pos})
		case item.get("name") != nil:
			out = append(out, variable(item.get("name"), item.get("value"), item.pos))
		case item.isMap() && item.get("template") == nil: // a mapping a template included
			out = append(out, p.variables(item)...)
		}
	}
	return out
}

func variable(name, value *node, pos model.Pos) model.Var {
	v := model.Var{Name: name.str(), Value: value.str(), Pos: pos, Source: "literal"}
	if value.isScalar() {
		v.Expressions = expressions(value)
	}
	switch {
	case len(v.Expressions) == 0:
	case strings.HasPrefix(strings.TrimSpace(value.value), "$(") && len(v.Expressions) == 1 && secretMacro(v.Expressions[0]):
		v.Source = "secret"
	case wholeMacro.MatchString(strings.TrimSpace(value.value)):
		v.Source = "variable"
	default:
		v.Source = "expression"
	}
	return v
}

// wholeMacro is a value that is one macro, a reference to another variable.
var wholeMacro = regexp.MustCompile(`^\$\([\w.]+\)$`)

// secretMacro reports whether a macro reads the job's access token.
func secretMacro(e model.Expression) bool {
	return len(e.Reads) == 1 && e.Reads[0] == "system.accesstoken"
}

// stageNeeds are the jobs the jobs of a stage wait for: those of the
// stages its `dependsOn:` names, or of the stage before it when it names
// none (`dependsOn: []` waits for nothing). Each is placed where the
// dependency is written, or at the stage's name for the implicit one.
func stageNeeds(stage *node, previous string, stageJobs map[string][]string) []model.String {
	at := stage.pos
	if name := stage.get("stage"); name != nil {
		at = name.pos
	}
	var stages []string
	if deps := stage.get("dependsOn"); deps != nil {
		at = deps.pos
		for _, d := range strs(deps) {
			stages = append(stages, d.Value)
		}
	} else if previous != "" {
		stages = []string{previous}
	}
	var needs []model.String
	for _, s := range stages {
		for _, id := range stageJobs[s] {
			needs = append(needs, model.String{Value: id, Pos: at})
		}
	}
	return needs
}

// stage reads one stage and its jobs, which wait for the jobs of needs.
func (p *parser) stage(pipeline *model.Pipeline, stage *node, ctx context, needs []model.String) {
	if !stage.isMap() {
		return
	}
	ctx.stage = stage.get("stage").str()
	ctx.needs = needs
	if pool := stage.get("pool"); pool != nil {
		ctx.pool = pool
	}
	ctx.env = append(slices.Clone(ctx.env), p.variables(stage.get("variables"))...)
	for _, job := range stage.get("jobs").list() {
		p.job(pipeline, job, ctx)
	}
}

// inStage names a job of a stage as Azure tells jobs apart: jobs of
// different stages may share a name (a `Deploy` job in every environment's
// stage), so a job in a stage is `Stage.Job`, as dependency expressions
// (`dependencies.Stage.Job`) name it, and every job's ID is its own.
func inStage(stage model.String, job string) string {
	if stage.Value == "" {
		return job
	}
	return stage.Value + "." + job
}

// job reads a job or a deployment job.
func (p *parser) job(pipeline *model.Pipeline, n *node, ctx context) {
	if !n.isMap() {
		return
	}
	id := n.get("job")
	deployment := n.get("deployment")
	if deployment != nil {
		id = deployment
	}
	job := model.Job{ID: id.str(), Name: n.get("displayName").str(), Stage: ctx.stage, Pos: n.pos}
	if job.ID.Value == "" {
		job.ID = model.String{Value: "Job", Pos: n.pos}
	}
	job.ID.Value = inStage(ctx.stage, job.ID.Value)
	pool := ctx.pool
	if n.get("pool") != nil {
		pool = n.get("pool")
	}
	job.Runner = runner(pool, pipeline.Pos)
	windows := isWindows(job.Runner)
	job.Env = append(slices.Clone(ctx.env), p.variables(n.get("variables"))...)
	job.Needs = slices.Clone(ctx.needs)
	for _, need := range strs(n.get("dependsOn")) {
		need.Value = inStage(ctx.stage, need.Value)
		job.Needs = append(job.Needs, need)
	}
	job.Condition = n.get("condition").str()
	job.When = when(job.Condition.Value)
	job.Container = p.container(n.get("container"), ctx)
	for _, s := range n.get("services").entries() {
		if img := p.container(s.value, ctx); img != nil {
			img.Alias = s.key.str()
			job.Services = append(job.Services, *img)
		}
	}
	if deployment != nil {
		job.Environment = environment(n.get("environment"))
		strategy := n.get("strategy")
		for _, kind := range []string{"runOnce", "rolling", "canary"} {
			s := strategy.get(kind)
			if s == nil {
				continue
			}
			for _, hook := range []string{"preDeploy", "deploy", "routeTraffic", "postRouteTraffic"} {
				job.Steps = append(job.Steps, p.steps(s.get(hook).get("steps"), windows, "", &job)...)
			}
			job.Steps = append(job.Steps, p.steps(s.get("on").get("failure").get("steps"), windows, "on_failure", &job)...)
			job.Steps = append(job.Steps, p.steps(s.get("on").get("success").get("steps"), windows, "", &job)...)
		}
	} else {
		if m := n.get("strategy").get("matrix"); m.isMap() {
			strategy := &model.Strategy{Pos: n.get("strategy").pos}
			for _, pr := range m.entries() {
				strategy.Matrix = append(strategy.Matrix, model.Var{Name: pr.key.str(), Source: "literal", Pos: syntax.Join(pr.key.pos, pr.value.pos)})
				for _, v := range pr.value.entries() {
					strategy.Values = append(strategy.Values, model.Var{Name: model.String{Value: pr.key.value + "." + v.key.value, Pos: v.key.pos}, Value: v.value.str(), Source: "literal", Pos: syntax.Join(v.key.pos, v.value.pos)})
				}
			}
			job.Strategy = strategy
		}
		job.Steps = p.steps(n.get("steps"), windows, "", &job)
	}
	pipeline.Jobs = append(pipeline.Jobs, job)
}

// runner reads a pool: a Microsoft-hosted pool (`vmImage:`, or no pool at
// all) gives a fresh machine to every job; a named pool is self-hosted.
func runner(pool *node, at model.Pos) model.Runner {
	switch {
	case pool == nil || pool.isNull():
		return model.Runner{Ephemeral: true, Pos: model.Pos{File: at.File, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}}
	case pool.isScalar(): // a pool name
		return model.Runner{Labels: []model.String{pool.str()}, Ephemeral: hostedPool(pool.value), Pos: pool.pos}
	}
	r := model.Runner{Pos: pool.pos}
	name, image := pool.get("name"), pool.get("vmImage")
	if image.isScalar() {
		r.Labels = append(r.Labels, image.str())
	}
	if name.isScalar() {
		r.Labels = append(r.Labels, name.str())
	}
	r.Labels = append(r.Labels, strs(pool.get("demands"))...)
	r.Ephemeral = !name.isScalar() || hostedPool(name.value)
	return r
}

// hostedPool reports whether a pool name is Microsoft's hosted pool.
func hostedPool(name string) bool {
	return strings.EqualFold(name, "Azure Pipelines") || strings.EqualFold(name, "Hosted Ubuntu 1604") || strings.HasPrefix(strings.ToLower(name), "hosted")
}

// isWindows reports whether a job's pool names a Windows machine, where
// `script:` runs in cmd.
func isWindows(r model.Runner) bool {
	for _, l := range r.Labels {
		v := strings.ToLower(l.Value)
		if strings.Contains(v, "windows") || strings.HasPrefix(v, "vs20") || strings.HasPrefix(v, "win") {
			return true
		}
	}
	return false
}

// container reads a job's `container:`: a resources.containers alias, an
// image name, or a mapping with `image:`.
func (p *parser) container(n *node, ctx context) *model.Image {
	switch {
	case n.isScalar():
		if image, ok := ctx.containers[n.value]; ok {
			return &model.Image{Name: image.str(), Pos: n.pos}
		}
		p.image(n, "container")
		return &model.Image{Name: n.str(), Pos: n.pos}
	case n.isMap() && n.get("image").isScalar():
		image := n.get("image")
		p.image(image, "container")
		img := &model.Image{Name: image.str(), Options: n.get("options").str(), Pos: n.pos}
		img.Env = p.variables(n.get("env"))
		return img
	}
	return nil
}

// image records an image reference.
func (p *parser) image(n *node, usage string) {
	ref := syntax.ImageReference(n.value)
	ref.Kind, ref.Usage, ref.Value, ref.Pos = model.RefImage, usage, n.str(), n.pos
	ref.Dynamic = strings.Contains(n.value, "$(") || strings.Contains(n.value, "${{") || strings.Contains(n.value, "$[")
	p.addRef(ref)
}

// environment reads a deployment job's `environment:`: `name`,
// `name.resource` or a mapping with `name:`.
func environment(n *node) *model.Environment {
	switch {
	case n.isScalar():
		// `name.resource` targets one resource of the environment.
		name := n.str()
		if env, _, ok := strings.Cut(name.Value, "."); ok && n.src != nil && name.Pos.Line == name.Pos.EndLine {
			name.Value = env
			name.Pos.EndColumn = name.Pos.Column + len([]rune(env))
		}
		return &model.Environment{Name: name, Pos: n.pos}
	case n.isMap():
		return &model.Environment{Name: n.get("name").str(), Pos: n.pos}
	}
	return nil
}

// when normalises a condition: failed() runs only after a failure,
// always() and succeededOrFailed() whatever happened before.
func when(condition string) string {
	c := strings.ToLower(strings.ReplaceAll(condition, " ", ""))
	switch {
	case c == "":
		return ""
	case c == "failed()":
		return "on_failure"
	case c == "always()" || c == "succeededorfailed()":
		return "always"
	}
	return ""
}

// steps reads a list of steps; hookWhen is the When of a deployment hook's
// steps.
func (p *parser) steps(n *node, windows bool, hookWhen string, job *model.Job) []model.Step {
	var out []model.Step
	for _, item := range n.list() {
		if s, ok := p.step(item, windows, job); ok {
			if s.When == "" {
				s.When = hookWhen
			}
			out = append(out, s)
		}
	}
	return out
}

// scriptKeys are the step keys whose value is a script, and its shell;
// `script:` runs in cmd on Windows.
var scriptKeys = map[string]string{"script": "", "bash": "bash", "pwsh": "pwsh", "powershell": "powershell"}

// stepKeys are the keys every step may have besides its own.
var stepKeys = map[string]bool{"name": true, "displayName": true, "condition": true, "continueOnError": true, "enabled": true, "env": true, "timeoutInMinutes": true, "retryCountOnTaskFailure": true, "target": true, "workingDirectory": true, "failOnStderr": true, "errorActionPreference": true, "ignoreLASTEXITCODE": true}

func (p *parser) step(n *node, windows bool, job *model.Job) (model.Step, bool) {
	if !n.isMap() || len(n.pairs) == 0 {
		return model.Step{}, false
	}
	first := n.pairs[0]
	s := model.Step{
		ID: n.get("name").str(), Name: n.get("displayName").str(), Pos: n.pos,
		Condition: n.get("condition").str(), Env: p.variables(n.get("env")),
		ContinueOnError: strings.EqualFold(n.get("continueOnError").text(), "true"),
	}
	s.When = when(s.Condition.Value)
	if sh, ok := scriptKeys[first.key.value]; ok {
		if sh == "" {
			sh = "bash"
			if windows {
				sh = "cmd"
			}
		}
		s.Kind = model.StepRun
		s.Script = script(first.value, sh)
		s.Script.WorkingDirectory = n.get("workingDirectory").str()
		return s, true
	}
	switch first.key.value {
	case "task":
		s.Kind = model.StepOther
		s.Call = first.value.str()
		inputs := n.get("inputs")
		for _, pr := range inputs.entries() {
			s.With = append(s.With, variable(pr.key, pr.value, syntax.Join(pr.key.pos, pr.value.pos)))
		}
		if text, sh := taskScript(first.value.value, inputs, windows); text != nil {
			s.Kind = model.StepRun
			s.Script = script(text, sh)
			s.Script.WorkingDirectory = inputs.get("workingDirectory").str()
		}
		job.Artifacts = append(job.Artifacts, published(first.value.value, inputs)...)
		if name, _, _ := strings.Cut(strings.ToLower(first.value.value), "@"); name == "cache" {
			job.Caches = append(job.Caches, model.Cache{Key: inputs.get("key").str(), Paths: strs(inputs.get("path")), Pos: n.pos})
		}
		return s, true
	case "template": // another repository's steps, recorded as a reference
		return model.Step{}, false
	}
	s.Kind = model.StepOther
	s.Call = model.String{Value: first.key.value, Pos: first.key.pos}
	for _, pr := range n.entries() {
		if !stepKeys[pr.key.value] {
			s.With = append(s.With, variable(pr.key, pr.value, syntax.Join(pr.key.pos, pr.value.pos)))
		}
	}
	if first.key.value == "publish" && first.value.isScalar() {
		job.Artifacts = append(job.Artifacts, first.value.str())
	}
	return s, true
}

// taskScript returns the inline script of a task that runs one, and its
// shell; nil for any other task or a script read from a file.
func taskScript(task string, inputs *node, windows bool) (*node, string) {
	name, _, _ := strings.Cut(strings.ToLower(task), "@")
	inline := func(key string) bool {
		return strings.EqualFold(inputs.get("targetType").text(), "inline") || inputs.get("targetType") == nil && inputs.get("filePath") == nil && inputs.get(key) != nil
	}
	switch name {
	case "bash":
		if inline("script") {
			return inputs.get("script"), "bash"
		}
	case "powershell":
		if inline("script") {
			if strings.EqualFold(inputs.get("pwsh").text(), "true") {
				return inputs.get("script"), "pwsh"
			}
			return inputs.get("script"), "powershell"
		}
	case "cmdline":
		if windows {
			return inputs.get("script"), "cmd"
		}
		return inputs.get("script"), "bash"
	case "azurecli", "azurepowershell":
		script := inputs.get("inlineScript")
		if script == nil {
			script = inputs.get("Inline")
		}
		if script == nil {
			return nil, ""
		}
		switch strings.ToLower(inputs.get("scriptType").text()) {
		case "ps", "pscore":
			return script, "pwsh"
		case "batch":
			return script, "cmd"
		}
		if name == "azurepowershell" {
			return script, "pwsh"
		}
		return script, "bash"
	}
	return nil, ""
}

// published returns the paths a publishing task keeps as artifacts.
func published(task string, inputs *node) []model.String {
	name, _, _ := strings.Cut(strings.ToLower(task), "@")
	var keys []string
	switch name {
	case "publishpipelineartifact":
		keys = []string{"targetPath", "path"}
	case "publishbuildartifacts":
		keys = []string{"PathtoPublish", "pathToPublish"}
	default:
		return nil
	}
	for _, k := range keys {
		if v := inputs.get(k); v.isScalar() {
			return []model.String{v.str()}
		}
	}
	return nil
}

// script builds a run step's script from its scalar.
func script(n *node, sh string) *model.Script {
	if !n.isScalar() {
		return &model.Script{Shell: sh}
	}
	return &model.Script{Text: n.str(), Shell: sh, Commands: shell.Split(shellText(n.value), sh, n.locate()), Expressions: expressions(n)}
}

// shellText is a script's text as the shell reads it, for splitting: each
// macro `$(name)`, which Azure replaces before the shell runs (it is no
// command substitution), becomes the variable expansion `${name}` of the
// same length, dots and hyphens turned to underscores, so that every
// character keeps its column.
//
// A template expression left in the text is made one word, its blanks
// turned to underscores, for the shells split line by line (cmd, pwsh),
// which do not know it.
func shellText(text string) string {
	if strings.Contains(text, "${{") {
		text = templateExpression.ReplaceAllStringFunc(text, func(m string) string {
			return strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' {
					return '_'
				}
				return r
			}, m)
		})
	}
	if !strings.Contains(text, "$(") {
		return text
	}
	return macro.ReplaceAllStringFunc(text, func(m string) string {
		name := strings.NewReplacer(".", "_", "-", "_").Replace(m[2 : len(m)-1])
		return "${" + name + "}"
	})
}
