package gitlab

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// reservedKeys are the top-level keywords that are not jobs.
var reservedKeys = map[string]bool{
	"default": true, "include": true, "stages": true, "types": true, "variables": true,
	"workflow": true, "spec": true, "image": true, "services": true, "cache": true,
	"before_script": true, "after_script": true,
}

// defaultKeys are the keywords a job takes from `default:` when it lacks
// them (subject to `inherit: default:`).
var defaultKeys = []string{
	"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "identity",
	"image", "interruptible", "retry", "services", "tags", "timeout",
}

// deprecatedGlobals are top-level keywords that act as if written under
// `default:`.
var deprecatedGlobals = []string{"image", "services", "cache", "before_script", "after_script"}

// build fills the pipeline from the resolved configuration.
func (p *parser) build(pipeline *model.Pipeline, config *node) {
	defaults := defaultsOf(config)
	workflow := config.get("workflow")
	pipeline.Name = workflow.get("name").str()
	pipeline.Triggers = workflowTriggers(p.flatten(workflow.get("rules")))
	pipeline.Env = variables(config.get("variables"))
	p.globals = pipeline.Env
	p.workflowRules = p.flatten(workflow.get("rules"))
	// A small file can make a huge model through extends and default:.
	total := 0
	var explicitNeeds []bool
	for _, pr := range config.pairs {
		name := pr.key.value
		if reservedKeys[name] || strings.HasPrefix(name, ".") {
			continue
		}
		if !pr.value.isMap() {
			p.errorf(pr.key.pos, "job %q must be a mapping of keywords", name)
			continue
		}
		job := compose(pr.value, defaults)
		if total += job.size; total > maxJobValues {
			p.errorf(pr.key.pos, "jobs expand to more than %d values; the rest is not analysed", maxJobValues)
			break
		}
		pipeline.Jobs = append(pipeline.Jobs, p.job(pr.key, job))
		explicitNeeds = append(explicitNeeds, job.get("needs") != nil)
	}
	stageOrderNeeds(pipeline.Jobs, explicitNeeds, stageOrder(p.flatten(config.get("stages"))))
	pipeline.References = p.refs
}

// stageOrder numbers the pipeline's stages in running order: `.pre` first,
// the `stages:` list (or GitLab's default build, test, deploy), `.post` last.
func stageOrder(stages []*node) map[string]int {
	names := []string{"build", "test", "deploy"}
	if len(stages) > 0 {
		names = names[:0]
		for _, s := range stages {
			names = append(names, s.value)
		}
	}
	order := map[string]int{".pre": 0}
	for i, name := range names {
		order[name] = i + 1
	}
	order[".post"] = len(names) + 1
	return order
}

// stageOrderNeeds gives every job without `needs:` the dependency GitLab
// gives it: it waits for all jobs of earlier stages.
func stageOrderNeeds(jobs []model.Job, explicitNeeds []bool, order map[string]int) {
	for i := range jobs {
		if explicitNeeds[i] {
			continue
		}
		for _, other := range jobs {
			if order[other.Stage.Value] < order[jobs[i].Stage.Value] {
				jobs[i].Needs = append(jobs[i].Needs, other.ID)
			}
		}
	}
}

// defaultsOf returns the `default:` entries by keyword, completed by the
// deprecated top-level ones (`default:` wins).
func defaultsOf(config *node) map[string]pair {
	defaults := map[string]pair{}
	for _, key := range deprecatedGlobals {
		if k, v := config.entry(key); !v.isNull() {
			defaults[key] = pair{k, v}
		}
	}
	for _, pr := range config.get("default").pairsOrNil() {
		if !pr.value.isNull() {
			defaults[pr.key.value] = pr
		}
	}
	return defaults
}

// compose adds to job the default keywords it lacks and inherits. A key
// set to null (say by extends) counts as absent, as in GitLab.
func compose(job *node, defaults map[string]pair) *node {
	inherit := job.get("inherit").get("default")
	pairs := append([]pair(nil), job.pairs...)
	for _, key := range defaultKeys {
		def, ok := defaults[key]
		if !ok || !job.get(key).isNull() || !inherits(inherit, key) {
			continue
		}
		if old := lookup(pairs, key); old != nil {
			*old = def
		} else {
			pairs = append(pairs, def)
		}
	}
	return newMap(job.pos, pairs)
}

// inherits evaluates an `inherit:` setting (true, false or a list of
// names) for one name; absent means true.
func inherits(setting *node, name string) bool {
	switch {
	case setting.isNull():
		return true
	case setting.kind == seqNode:
		for _, it := range setting.items {
			if it.value == name {
				return true
			}
		}
		return false
	}
	return setting.value != "false"
}

func (p *parser) job(key, n *node) model.Job {
	name := key.str()
	own := variables(n.get("variables"))
	known := p.fixedVariables(n, own)
	job := model.Job{
		ID:        name,
		Name:      name,
		Stage:     n.get("stage").str(),
		Env:       append(own, secrets(n.get("secrets"))...),
		Needs:     needs(n.get("needs")),
		Caches:    caches(n.get("cache")),
		Reports:   reports(n),
		Strategy:  strategy(n.get("parallel")),
		Pos:       join(key.pos, n.pos),
		Container: p.image(n.get("image"), "container", known),
	}
	if job.Stage.Value == "" {
		job.Stage.Value = "test"
	}
	tagsKey, tags := n.entry("tags")
	for _, t := range p.flatten(tags) {
		job.Runner.Labels = append(job.Runner.Labels, t.str())
	}
	job.Runner.Ephemeral = len(job.Runner.Labels) == 0
	if tagsKey != nil {
		job.Runner.Pos = join(tagsKey.pos, tags.pos)
	}
	if services := n.get("services"); services != nil {
		for _, s := range p.flatten(services) {
			if img := p.image(s, "service", known); img != nil {
				job.Services = append(job.Services, *img)
			}
		}
	}
	job.Environment = environment(n.get("environment"))
	rules := p.flatten(n.get("rules"))
	job.Condition = condition(rules, n)
	job.When = jobWhen(n.get("when"), rules)
	job.Uses, job.With = p.trigger(n.get("trigger"))
	for _, section := range []string{"before_script", "script", "after_script"} {
		if k, v := n.entry(section); k != nil {
			if step := p.scriptStep(k, v); step != nil {
				job.Steps = append(job.Steps, *step)
			}
		}
	}
	return job
}

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

// locator maps the scalar's text to the file for shell.Split.
func (n *node) locator() shell.Locate {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	return n.src.locate(n.value)
}

var plainVariable = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$`)

func varSource(value string) string {
	if plainVariable.MatchString(value) {
		return "variable"
	}
	return "literal"
}

// variables reads a `variables:` mapping: NAME: value or NAME: {value,
// description, expand, options}.
func variables(n *node) []model.Var {
	var vars []model.Var
	for _, pr := range n.pairsOrNil() {
		value := pr.value
		if value.isMap() {
			value = value.get("value")
		}
		v := model.Var{Name: pr.key.str(), Value: value.str(), Pos: join(pr.key.pos, pr.value.pos)}
		v.Source = varSource(v.Value.Value)
		vars = append(vars, v)
	}
	return vars
}

// fixedVariables returns the variables job n sees whose value is written
// in the file: the global ones it inherits (`inherit: variables:`), then
// its own, each only when its value refers to no other variable. One that
// workflow or job rules or a parallel matrix may set has no single value
// and is left out.
func (p *parser) fixedVariables(n *node, own []model.Var) map[string]model.String {
	known := map[string]model.String{}
	add := func(v model.Var) {
		if v.Value.Value == "" || dynamic(v.Value.Value) {
			delete(known, v.Name.Value)
		} else {
			known[v.Name.Value] = v.Value
		}
	}
	inherit := n.get("inherit").get("variables")
	for _, v := range p.globals {
		if inherits(inherit, v.Name.Value) {
			add(v)
		}
	}
	for _, v := range own {
		add(v)
	}
	var setters []*node
	for _, rule := range append(p.flatten(n.get("rules")), p.workflowRules...) {
		setters = append(setters, rule.get("variables"))
	}
	setters = append(setters, n.get("parallel").get("matrix").itemsOrNil()...)
	for _, s := range setters {
		for _, pr := range s.pairsOrNil() {
			delete(known, pr.key.value)
		}
	}
	return known
}

// secrets reads `secrets:`: NAME: {vault|gcp_secret_manager|...: ...}.
// Value is the provider's value when it is a string (`path/field@engine`),
// otherwise the provider's name.
func secrets(n *node) []model.Var {
	var vars []model.Var
	for _, pr := range n.pairsOrNil() {
		v := model.Var{Name: pr.key.str(), Source: "secret", Pos: join(pr.key.pos, pr.value.pos)}
		for _, provider := range pr.value.pairsOrNil() {
			if provider.key.value == "file" || provider.key.value == "token" {
				continue
			}
			v.Value = provider.value.str()
			if v.Value.Value == "" {
				v.Value = provider.key.str()
			}
			break
		}
		vars = append(vars, v)
	}
	return vars
}

// needs keeps the jobs of this pipeline that a job waits for; needs on
// other pipelines or projects are not edges of this one.
func needs(n *node) []model.String {
	var out []model.String
	if !n.isSeq() {
		return nil
	}
	for _, it := range n.items {
		switch {
		case it.kind == scalarNode:
			out = append(out, it.str())
		case it.isMap() && it.get("project") == nil && it.get("pipeline") == nil && it.get("job") != nil:
			out = append(out, it.get("job").str())
		}
	}
	return out
}

func caches(n *node) []model.Cache {
	var out []model.Cache
	items := []*node{n}
	if n.isSeq() {
		items = n.items
	}
	for _, c := range items {
		if !c.isMap() {
			continue
		}
		cache := model.Cache{Policy: c.get("policy").str(), Pos: c.pos}
		switch key := c.get("key"); {
		case key.isMap():
			files := key.get("files")
			var names []string
			for _, f := range scalars(files) {
				names = append(names, f.value)
			}
			cache.Key.Value = strings.Join(names, ",")
			if list := scalars(files); len(list) > 0 {
				cache.Key.Pos = join(list[0].pos, list[len(list)-1].pos)
			}
		default:
			cache.Key = key.str()
		}
		for _, path := range scalars(c.get("paths")) {
			cache.Paths = append(cache.Paths, path.str())
		}
		if len(cache.Paths) == 0 && c.get("untracked").text() != "true" {
			continue // caches nothing
		}
		out = append(out, cache)
	}
	return out
}

// scalars returns a list's scalar items, or a lone scalar as a list.
func scalars(n *node) []*node {
	switch {
	case n.isNull():
		return nil
	case n.kind == scalarNode:
		return []*node{n}
	case n.kind != seqNode:
		return nil
	}
	var out []*node
	for _, it := range n.items {
		if it.kind == scalarNode && !it.null {
			out = append(out, it)
		}
	}
	return out
}

// reports lists `artifacts:reports` entries (coverage_report as
// "coverage") and the `coverage:` log regex (Kind "coverage", no paths).
func reports(job *node) []model.Report {
	var out []model.Report
	for _, pr := range job.get("artifacts").get("reports").pairsOrNil() {
		kind := pr.key.str()
		paths := pr.value
		if kind.Value == "coverage_report" {
			kind.Value = "coverage"
			paths = pr.value.get("path")
		}
		r := model.Report{Kind: kind, Pos: join(pr.key.pos, pr.value.pos)}
		for _, path := range scalars(paths) {
			r.Paths = append(r.Paths, path.str())
		}
		out = append(out, r)
	}
	if k, v := job.entry("coverage"); k != nil && !v.isNull() {
		out = append(out, model.Report{Kind: model.String{Value: "coverage", Pos: k.pos}, Pos: join(k.pos, v.pos)})
	}
	return out
}

// strategy reads `parallel: matrix:`, one Var per dimension of each matrix
// entry, Value the values as written ("a" or "[a, b]").
func strategy(n *node) *model.Strategy {
	k, matrix := n.entry("matrix")
	if !matrix.isSeq() {
		return nil
	}
	s := &model.Strategy{Pos: join(k.pos, matrix.pos)}
	for _, entry := range matrix.items {
		for _, dim := range entry.pairsOrNil() {
			s.Matrix = append(s.Matrix, model.Var{Name: dim.key.str(), Value: render(dim.value), Source: "literal", Pos: join(dim.key.pos, dim.value.pos)})
		}
	}
	return s
}

// render writes a value back as flow YAML, positioned where it was
// written: a scalar as itself, a list as "[a, b]".
func render(n *node) model.String {
	var b strings.Builder
	var write func(n *node)
	write = func(n *node) {
		switch n.kind {
		case scalarNode:
			b.WriteString(n.text())
		case seqNode, refNode:
			b.WriteString("[")
			for i, it := range n.items {
				if i > 0 {
					b.WriteString(", ")
				}
				write(it)
			}
			b.WriteString("]")
		case mapNode:
			b.WriteString("{")
			for i, pr := range n.pairs {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(pr.key.value + ": ")
				write(pr.value)
			}
			b.WriteString("}")
		}
	}
	if n.size > 10_000 { // no parameter or matrix anyone writes; keep the model small
		return model.String{Value: "...", Pos: n.pos}
	}
	write(n)
	return model.String{Value: b.String(), Pos: n.pos}
}

func environment(n *node) *model.Environment {
	if n.isNull() {
		return nil
	}
	env := &model.Environment{Pos: n.pos}
	if n.kind == scalarNode {
		env.Name = n.str()
	} else {
		env.Name = n.get("name").str()
		env.URL = n.get("url").str()
		env.Action = n.get("action").str()
		env.Tier = n.get("deployment_tier").str()
		env.OnStop = n.get("on_stop").str()
	}
	if env.Action.Value == "" {
		env.Action.Value = "start"
	}
	return env
}

// condition is the first `rules: if:` as written, else the `only:` /
// `except:` filter rendered as "only: a, b".
func condition(rules []*node, job *node) model.String {
	for _, r := range rules {
		if cond := r.get("if"); cond != nil {
			return cond.str()
		}
	}
	for _, key := range []string{"only", "except"} {
		if k, v := job.entry(key); k != nil && !v.isNull() {
			var parts []string
			var walk func(n *node)
			walk = func(n *node) {
				switch n.kind {
				case scalarNode:
					parts = append(parts, n.text())
				case seqNode:
					for _, it := range n.items {
						walk(it)
					}
				case mapNode:
					for _, pr := range n.pairs {
						walk(pr.value)
					}
				}
			}
			walk(v)
			return model.String{Value: key + ": " + strings.Join(parts, ", "), Pos: join(k.pos, v.pos)}
		}
	}
	return model.String{}
}

var normalWhen = map[string]string{"manual": "manual", "on_failure": "on_failure", "always": "always"}

// jobWhen normalises `when:`. Without a job-level `when`, rules decide:
// when every rule that can run the job says the same manual, on_failure or
// always, that is the job's.
func jobWhen(when *node, rules []*node) string {
	if w := when.text(); w != "" {
		return normalWhen[w]
	}
	result := ""
	for i, r := range rules {
		w := r.get("when").text()
		if w == "never" {
			continue
		}
		if i > 0 && normalWhen[w] != result || normalWhen[w] == "" {
			return ""
		}
		result = normalWhen[w]
	}
	return result
}

// image reads an image or service (a string or {name, alias, ...}) and
// records it as a Reference. An image named by a variable alone ($NAME,
// ${NAME}) whose value is known is referenced where that value is written.
func (p *parser) image(n *node, usage string, known map[string]model.String) *model.Image {
	if n.isNull() {
		return nil
	}
	img := &model.Image{Pos: n.pos}
	if n.kind == scalarNode {
		img.Name = n.str()
	} else {
		img.Name = n.get("name").str()
		img.Alias = n.get("alias").str()
	}
	if img.Name.Value == "" {
		return img
	}
	name := img.Name
	if m := plainVariable.FindStringSubmatch(name.Value); m != nil {
		if value, ok := known[strings.Trim(m[1], "{}")]; ok {
			name = value
		}
	}
	ref := model.Reference{Kind: model.RefImage, Usage: usage, Value: name, Pos: name.Pos, Dynamic: dynamic(name.Value)}
	ref.Registry, ref.Repo, ref.Ref, ref.Digest = parseImage(name.Value)
	ref.Pinned = ref.Digest != ""
	p.addRef(ref)
	return img
}

// parseImage splits `[registry/]repository[:tag][@digest]`. The registry
// is the first path component when it looks like a host (has a dot or a
// port, or is localhost); an implicit Docker Hub stays empty.
func parseImage(s string) (registry, repo, tag, digest string) {
	name, digest, _ := strings.Cut(s, "@")
	if slash := strings.LastIndex(name, "/"); strings.LastIndex(name, ":") > slash {
		colon := strings.LastIndex(name, ":")
		name, tag = name[:colon], name[colon+1:]
	}
	if first, rest, ok := strings.Cut(name, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first, rest, tag, digest
	}
	return "", name, tag, digest
}

// trigger reads a trigger job: a child pipeline (`include:` local,
// template, project or artifact; the first is Uses, all are References)
// or a multi-project pipeline (`project` + `branch`, or the string form).
// With are the downstream `inputs`.
//
// A multi-project pipeline runs the other project's own configuration at
// a branch (GitLab takes no commit there); it pulls nothing into this
// one, so it is the job's Uses, with Usage "trigger", and no Reference.
func (p *parser) trigger(n *node) (*model.Reference, []model.Var) {
	if n.isNull() {
		return nil, nil
	}
	if n.kind == scalarNode {
		return downstream(n.str(), model.String{}), nil
	}
	with := variables(n.get("inputs"))
	if project := n.get("project"); project != nil {
		return downstream(project.str(), n.get("branch").str()), with
	}
	include := n.get("include")
	items := []*node{include}
	if include.isSeq() {
		items = include.items
	}
	var uses *model.Reference
	for _, it := range items {
		var ref model.Reference
		switch {
		case it.isNull():
			continue
		case it.kind == scalarNode:
			ref = childRef(it.str())
		case it.get("local") != nil:
			ref = childRef(it.get("local").str())
		case it.get("template") != nil:
			t := it.get("template").str()
			ref = model.Reference{Kind: model.RefInclude, Usage: "template", Value: t, Path: t.Value, Dynamic: dynamic(t.Value), Pos: t.Pos}
		case it.get("artifact") != nil:
			a := it.get("artifact").str()
			// Generated by a job at run time: nothing to check statically.
			ref = model.Reference{Kind: model.RefInclude, Usage: "artifact", Value: a, Path: a.Value, Dynamic: true, Pos: a.Pos}
		case it.get("project") != nil:
			ref = projectRef(it.get("project").str(), it.get("ref").str(), it.get("file").str())
		case it.get("component") != nil:
			ref = componentRef(it.get("component").str())
		default:
			continue
		}
		p.addRef(ref)
		if uses == nil {
			uses = &ref
		}
	}
	return uses, with
}

// downstream is the multi-project pipeline of project at branch.
func downstream(project, branch model.String) *model.Reference {
	return &model.Reference{Kind: model.RefPipeline, Usage: "trigger", Value: project, Repo: project.Value, Ref: branch.Value,
		Dynamic: dynamic(project.Value) || dynamic(branch.Value), Pos: project.Pos}
}

// childRef is a local child pipeline file, written with or without a
// leading slash.
func childRef(s model.String) model.Reference {
	return model.Reference{Kind: model.RefInclude, Usage: "local", Value: s, Path: strings.TrimPrefix(s.Value, "/"), Local: true, Dynamic: dynamic(s.Value), Pos: s.Pos}
}

var (
	pipelineSource = regexp.MustCompile(`\$CI_PIPELINE_SOURCE\s*==\s*["']([^"']+)["']`)
	branchCompare  = regexp.MustCompile(`\$(?:CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME)\s*==\s*["']([^"']+)["']`)
)

// workflowTriggers reads the pipeline sources named in `workflow: rules:`
// (`$CI_PIPELINE_SOURCE == "x"`), with the branches compared in the same
// rule; a rule naming only a branch means push. Rules with `when: never`
// exclude and are skipped. Best effort: other expressions are ignored.
func workflowTriggers(rules []*node) []model.Trigger {
	var out []model.Trigger
	for _, r := range rules {
		cond := r.get("if")
		if cond.text() == "" || r.get("when").text() == "never" {
			continue
		}
		var branches []model.String
		for _, m := range branchCompare.FindAllStringSubmatchIndex(cond.value, -1) {
			branches = append(branches, substring(cond, m[2], m[3]))
		}
		events := pipelineSource.FindAllStringSubmatchIndex(cond.value, -1)
		for _, m := range events {
			out = append(out, model.Trigger{Event: substring(cond, m[2], m[3]), Branches: branches, Pos: cond.pos})
		}
		if len(events) == 0 && len(branches) > 0 {
			out = append(out, model.Trigger{Event: model.String{Value: "push", Pos: cond.pos}, Branches: branches, Pos: cond.pos})
		}
	}
	return out
}

// substring returns the bytes [from, to) of a scalar, positioned within
// it.
func substring(n *node, from, to int) model.String {
	locate := n.locator()
	start := locate(textPoint(n.value, from))
	end := locate(textPoint(n.value, to))
	start.EndLine, start.EndColumn = end.Line, end.Column
	return model.String{Value: n.value[from:to], Pos: start}
}

// textPoint converts a byte offset in text to a 1-based line and column.
func textPoint(text string, offset int) (line, col int) {
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	return line, len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
}
