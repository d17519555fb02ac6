// Package circleci parses CircleCI configurations (.circleci/config.yml)
// into the common pipeline model.
//
// The model's jobs are the workflow's job invocations, not the job
// definitions: CircleCI runs a job once per entry of a workflow's `jobs:`,
// and what a run does depends on the entry as much as on the definition:
// its parameters are substituted into the steps, its `requires:` are what
// it waits for (Needs), its `filters:` when it runs (Condition), its
// `context:` which secrets it gets (Env entries of Source "secret"), and
// an entry of `type: approval` is a manual gate (When "manual") that is no
// definition at all. Each invocation is a Job positioned at its entry in
// the workflow, Stage the workflow's name; its steps are the definition's,
// positioned where they are written in the definition (a definition run
// by several entries gives several jobs whose steps share positions).
// Jobs no workflow runs are left out, except in a configuration with no
// workflows, where every definition is a job (version 2.0 runs `build`).
//
// Reusable `commands:` and `<< parameters.x >>` are expanded where they
// are used, CircleCI's way: the text of a value is substituted and every
// character of it is placed at the `<< >>` it replaced, in the definition.
// `<< pipeline.* >>` values are left as model.Expression values of the
// scripts (Reads `pipeline.git.branch`), which CircleCI substitutes before
// the shell reads the script.
//
// The steps of `when:` and `unless:` steps are kept whatever their
// condition, which CircleCI decides when it compiles the configuration.
//
// Orbs are not fetched. Each orb of `orbs:` is a Reference of Kind
// "action", Usage "orb", Owner its namespace, Repo its name, Ref its
// version, Pinned for a full x.y.z version (published orb versions are
// immutable). A step or workflow entry that calls an orb's command or job
// is a uses step or a job whose Uses is that reference with Path the
// command or job (`circleci/node/install-packages`), and Call the name as
// written. Inline orbs' commands, jobs and executors are expanded like
// the configuration's own. `setup: true` configurations and the
// continuation orb are read like any other: the configuration they
// continue with is not followed.
package circleci

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

// Parser is CircleCI for the registry: the .circleci/config.yml of a
// project.
var Parser = syntax.Parser{
	System: model.CircleCI,
	Files:  ".circleci/config.yml",
	Detect: func(slashPath string) bool {
		return slashPath == ".circleci/config.yml" || slashPath == ".circleci/config.yaml" ||
			strings.HasSuffix(slashPath, "/.circleci/config.yml") || strings.HasSuffix(slashPath, "/.circleci/config.yaml")
	},
	// Another file of .circleci is a configuration a setup workflow
	// continues with, or a project configured to read another path.
	Named: func(slashPath string) bool {
		ext := path.Ext(slashPath)
		return path.Base(path.Dir(slashPath)) == ".circleci" && (ext == ".yml" || ext == ".yaml")
	},
	Parse: Parse,
}

// Parse parses the CircleCI configuration at in.Path. The error is nil or
// *model.ParseError values joined with errors.Join; the pipeline is
// returned as far as it could be built.
func Parse(in syntax.Input) syntax.Result {
	src, err := syntax.ReadInput(in)
	if err != nil {
		return syntax.Result{Err: err}
	}
	p := &parser{file: syntax.NewYAMLFile(in.Display, src), mappedScalars: map[*yaml.Node]mapped{}, refSeen: map[refKey]bool{}}
	pipeline := p.parse(src)
	pipeline.Sources = []model.SourceFile{syntax.Source(in.Display, src)}
	return syntax.Result{Pipeline: pipeline, Err: syntax.JoinErrors(p.errs)}
}

type parser struct {
	file *syntax.YAMLFile
	errs []*model.ParseError
	refs []model.Reference
	// orbs are the references of the orbs by their alias; inline orbs
	// have none.
	orbs map[string]model.Reference
	// commands, jobs and executors are the definitions by the name they
	// are called by: the configuration's own, and `alias/name` for those
	// of inline orbs.
	commands, jobs, executors map[string]*yaml.Node
	jobOrder                  []syntax.YAMLPair
	// stepCount counts the steps built, against configurations whose commands
	// expand to very many.
	stepCount int
	// substituted counts the bytes of parameter values substituted,
	// against a long value used many times over.
	substituted   int
	mappedScalars map[*yaml.Node]mapped
	refSeen       map[refKey]bool // what addRef has recorded
}

// Limits on expansion, which real configurations stay far below.
const (
	// maxCallDepth bounds commands calling commands (and steps
	// parameters passed on).
	maxCallDepth = 32
	// maxSteps bounds the steps of the whole pipeline once commands are
	// expanded. The largest corpus configuration has about 600.
	maxSteps = 20_000
	// maxSubstituted bounds the text parameters substitute in all.
	maxSubstituted = syntax.MaxFileSize
)

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	p.errs = append(p.errs, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) parse(src []byte) *model.Pipeline {
	pl := &model.Pipeline{
		System: model.CircleCI,
		Kind:   model.KindWorkflow,
		File:   p.file.Path,
		Pos:    model.Pos{File: p.file.Path, Line: 1, Column: 1, EndLine: 1, EndColumn: 1},
	}
	root := p.decode(src)
	if root != nil {
		pl.Pos = p.pos(root)
		if !isMap(root) {
			p.errorf(p.at(root), "the configuration must be a mapping")
		} else {
			p.build(pl, root)
		}
	}
	pl.References = p.refs
	pl.Comments = p.file.Comments()
	return pl
}

func (p *parser) build(pl *model.Pipeline, root *yaml.Node) {
	p.orbs = map[string]model.Reference{}
	p.commands, p.jobs, p.executors = map[string]*yaml.Node{}, map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for _, e := range syntax.MappingPairs(syntax.MappingGet(root, "orbs")) {
		p.orb(e)
	}
	p.define(root, "")
	pl.Parameters = p.parameters(syntax.MappingGet(root, "parameters"))
	pipelineScope := scope{}
	workflows := syntax.MappingPairs(syntax.MappingGet(root, "workflows"))
	ran := false
	for _, w := range workflows {
		if w.Key.Value == "version" || !isMap(w.Value) {
			continue
		}
		ran = true
		pl.Triggers = append(pl.Triggers, p.triggers(w.Value)...)
		for _, entry := range syntax.SequenceItems(syntax.MappingGet(w.Value, "jobs")) {
			if job, ok := p.invocation(p.str(w.Key), entry, pipelineScope); ok {
				pl.Jobs = append(pl.Jobs, job)
			}
		}
	}
	nameSharedJobs(pl.Jobs)
	if !ran {
		for _, def := range p.jobOrder {
			job := p.job(p.str(def.Key), def.Value, p.defaults(syntax.MappingGet(def.Value, "parameters"), pipelineScope), 0)
			job.Pos = p.entryPos(def)
			pl.Jobs = append(pl.Jobs, job)
		}
	}
}

// define records the commands, jobs and executors of a configuration or
// an inline orb, prefix being the orb's alias and a slash.
func (p *parser) define(config *yaml.Node, prefix string) {
	for _, e := range syntax.MappingPairs(syntax.MappingGet(config, "commands")) {
		p.commands[prefix+e.Key.Value] = e.Value
	}
	for _, e := range syntax.MappingPairs(syntax.MappingGet(config, "executors")) {
		p.executors[prefix+e.Key.Value] = e.Value
	}
	for _, e := range syntax.MappingPairs(syntax.MappingGet(config, "jobs")) {
		if _, seen := p.jobs[prefix+e.Key.Value]; !seen && prefix == "" {
			p.jobOrder = append(p.jobOrder, e)
		}
		p.jobs[prefix+e.Key.Value] = e.Value
	}
}

// orbVersion is a full published version: immutable once published.
var orbVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)

// orb records an entry of `orbs:`: a reference `namespace/name@version`,
// or an inline orb, whose definitions are called as the configuration's.
func (p *parser) orb(e syntax.YAMLPair) {
	if isMap(e.Value) {
		p.define(e.Value, e.Key.Value+"/")
		return
	}
	value := p.str(e.Value)
	if value.Value == "" {
		p.errorf(p.at(e.Value), "orb %q must be a reference such as circleci/node@5.1.0, or an inline orb", e.Key.Value)
		return
	}
	ref := model.Reference{Kind: model.RefAction, Usage: "orb", Value: value, Pos: value.Pos}
	name, version, _ := strings.Cut(value.Value, "@")
	ref.Owner, ref.Repo, _ = strings.Cut(name, "/")
	ref.Ref = version
	ref.Dynamic = strings.Contains(value.Value, "<<")
	ref.Pinned = orbVersion.MatchString(version)
	p.refs = append(p.refs, ref)
	p.orbs[e.Key.Value] = ref
}

// orbCall is the reference of the orb whose command, job or executor a
// name calls (`node/install-packages`), with Path the name within it.
func (p *parser) orbCall(name string) (*model.Reference, bool) {
	alias, rest, ok := strings.Cut(name, "/")
	if !ok {
		return nil, false
	}
	ref, ok := p.orbs[alias]
	if !ok {
		return nil, false
	}
	ref.Path = rest
	return &ref, true
}

// parameters turns a `parameters:` declaration into Vars, the default as
// Value.
func (p *parser) parameters(n *yaml.Node) []model.Var {
	var out []model.Var
	for _, e := range syntax.MappingPairs(n) {
		v := model.Var{Name: p.str(e.Key), Source: "literal", Pos: p.entryPos(e)}
		v.Type = text(syntax.MappingGet(e.Value, "type"))
		if def := syntax.MappingGet(e.Value, "default"); isScalar(def) {
			v.Value = p.str(def)
		}
		out = append(out, v)
	}
	return out
}

// triggers are a workflow's scheduled triggers (version 2.0 `triggers:
// - schedule:`); what else starts a pipeline is the project's settings.
func (p *parser) triggers(w *yaml.Node) []model.Trigger {
	var out []model.Trigger
	for _, t := range syntax.SequenceItems(syntax.MappingGet(w, "triggers")) {
		for _, e := range syntax.MappingPairs(t) {
			if e.Key.Value != "schedule" {
				continue
			}
			trigger := model.Trigger{Event: model.String{Value: "schedule", Pos: p.pos(e.Key)}, Pos: p.entryPos(e)}
			trigger.Branches = p.scalars(syntax.MappingGet(syntax.MappingGet(syntax.MappingGet(e.Value, "filters"), "branches"), "only"))
			out = append(out, trigger)
		}
	}
	return out
}

// scalars returns a list's scalar items, or a lone scalar as a list.
func (p *parser) scalars(n *yaml.Node) []model.String {
	if isScalar(n) {
		return []model.String{p.str(n)}
	}
	var out []model.String
	for _, it := range syntax.SequenceItems(n) {
		if isScalar(it) {
			out = append(out, p.str(it))
		}
	}
	return out
}

// nameSharedJobs gives every job an ID of its own when workflows share
// job names (a `build` in both the commit and the nightly workflow):
// then each job is `workflow.job`, and the jobs it requires, which are
// those of its own workflow, are named the same way.
func nameSharedJobs(jobs []model.Job) {
	seen := map[string]bool{}
	shared := false
	for _, job := range jobs {
		shared = shared || seen[job.ID.Value]
		seen[job.ID.Value] = true
	}
	if !shared {
		return
	}
	for i := range jobs {
		workflow := jobs[i].Stage.Value
		jobs[i].ID.Value = workflow + "." + jobs[i].ID.Value
		for n := range jobs[i].Needs {
			jobs[i].Needs[n].Value = workflow + "." + jobs[i].Needs[n].Value
		}
	}
}
