// Package bitbucket parses Bitbucket Pipelines files
// (bitbucket-pipelines.yml) into the common pipeline model.
//
// Each step of each pipeline is a Job: Bitbucket runs every step in its
// own container. A pipeline (`default`, `branches.<glob>`, `tags.<glob>`,
// `pull-requests.<glob>`, `custom.<name>`) gives the Triggers that start
// it and the Condition of its jobs; the steps of `parallel:` and `stage:`
// groups are jobs too, each needing the steps before its group, so that
// a step after a `trigger: manual` one is gated by it. Anchors, aliases
// and merge keys are followed, and what a step reused from `definitions`
// holds is positioned where the definition writes it.
package bitbucket

import (
	"path"

	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// FileName is the file Bitbucket reads, at the repository's root.
const FileName = "bitbucket-pipelines.yml"

// Parser is Bitbucket Pipelines for the registry. Bitbucket reads the
// file at the repository's root; discovery sees paths from where the scan
// began, which may hold many repositories, so the name is recognised in
// any directory, as GitLab's is.
var Parser = syntax.Parser{
	System: model.Bitbucket,
	Files:  FileName,
	Detect: func(slashPath string) bool { return path.Base(slashPath) == FileName },
	NearMiss: func(slashPath string) string {
		if path.Base(slashPath) == "bitbucket-pipelines.yaml" {
			return "Bitbucket reads bitbucket-pipelines.yml, not .yaml; check this one with --system bitbucket"
		}
		return ""
	},
	Parse: syntax.OneFile(Parse),
}

// Parse parses one bitbucket-pipelines.yml. The error is nil or
// *model.ParseError values joined with errors.Join; the pipeline is
// returned as far as it could be built.
func Parse(file string, src []byte) (*model.Pipeline, error) {
	f := syntax.NewYAMLFile(file, src)
	p := &parser{tree: tree{file: f}, jobIDs: map[string]int{}, refSeen: map[model.Pos]bool{}}
	pipeline := &model.Pipeline{
		System: model.Bitbucket,
		Kind:   model.KindWorkflow,
		File:   file,
		Pos:    model.Pos{File: file, Line: 1, Column: 1, EndLine: 1, EndColumn: 1},
	}
	if last := len(f.Lines); last > 0 {
		for last > 1 && len(f.Lines[last-1]) == 0 {
			last--
		}
		pipeline.Pos.EndLine, pipeline.Pos.EndColumn = last, len(f.Lines[last-1])+1
	}
	if bad := syntax.InvalidUTF8(file, src); bad != nil {
		return pipeline, syntax.JoinErrors([]*model.ParseError{bad})
	}
	docs, err := syntax.DecodeYAML(src)
	if err != nil {
		p.errs = append(p.errs, syntax.YAMLError(file, err))
	}
	if len(docs) > 0 && p.checkLimits(docs[0]) {
		p.build(pipeline, docs[0])
	}
	pipeline.Comments = f.Comments()
	pipeline.References = p.refs
	return pipeline, syntax.JoinErrors(p.errs)
}

type parser struct {
	tree
	refs    []model.Reference
	refSeen map[model.Pos]bool // the positions of refs
	// global are the file's top-level settings every step starts from.
	global struct {
		image    *yaml.Node
		clone    syntax.YAMLPair
		services *yaml.Node // definitions.services
		caches   *yaml.Node // definitions.caches
	}
	// jobIDs counts the ids given, for making each unique.
	jobIDs map[string]int
}

func (p *parser) build(pipeline *model.Pipeline, doc *yaml.Node) {
	root := syntax.ResolveAlias(doc)
	if len(doc.Content) > 0 {
		root = syntax.ResolveAlias(doc.Content[0])
	}
	if isNull(root) {
		return
	}
	if !isMap(root) {
		p.errorf(p.pos(root), "the configuration must be a mapping with a pipelines: key")
		return
	}
	p.global.image = syntax.MappingGet(root, "image")
	p.global.clone.Key, p.global.clone.Value = syntax.MappingEntry(root, "clone")
	definitions := syntax.MappingGet(root, "definitions")
	p.global.services = syntax.MappingGet(definitions, "services")
	p.global.caches = syntax.MappingGet(definitions, "caches")
	for _, source := range syntax.MappingPairs(syntax.MappingGet(definitions, "imports")) {
		p.importReference(p.str(source.Value))
	}
	pipelinesKey, pipelines := syntax.MappingEntry(root, "pipelines")
	if pipelinesKey == nil {
		p.errorf(p.pos(root), "no pipelines: key; Bitbucket runs nothing from this file")
		return
	}
	if !isMap(pipelines) {
		p.errorf(p.pos(pipelines), "pipelines: must be a mapping of default, branches, tags, pull-requests or custom")
		return
	}
	for _, sel := range syntax.MappingPairs(pipelines) {
		switch sel.Key.Value {
		case "default":
			trigger := model.Trigger{Event: model.String{Value: "push", Pos: p.str(sel.Key).Pos}, Pos: p.pos(sel.Key)}
			trigger.Pos = syntax.Join(trigger.Pos, p.pos(sel.Value))
			pipeline.Triggers = append(pipeline.Triggers, trigger)
			p.pipelineSteps(pipeline, "default", p.str(sel.Key), sel.Value)
		case "branches", "bookmarks", "tags", "pull-requests", "custom":
			if !isMap(sel.Value) {
				p.errorf(p.pos(sel.Value), "%s: must be a mapping of patterns (or names) to steps", sel.Key.Value)
				continue
			}
			for _, named := range syntax.MappingPairs(sel.Value) {
				name := p.str(named.Key)
				pipeline.Triggers = append(pipeline.Triggers, p.trigger(sel.Key.Value, name, named))
				if sel.Key.Value == "custom" {
					pipeline.Parameters = append(pipeline.Parameters, p.customVariables(named.Value)...)
				}
				condition := model.String{Value: sel.Key.Value + ": " + name.Value, Pos: syntax.Join(p.str(sel.Key).Pos, name.Pos)}
				p.pipelineSteps(pipeline, sel.Key.Value+"."+name.Value, condition, named.Value)
			}
		default:
			p.errorf(p.str(sel.Key).Pos, "unknown pipeline kind %q: expected default, branches, tags, pull-requests or custom", sel.Key.Value)
		}
	}
}

// trigger is the event that starts a named pipeline: a push of a branch
// or tag matching the pattern, a pull request from a matching source
// branch of the repository (internal_pull_request), or a run started by
// hand (or a schedule) for a custom one.
func (p *parser) trigger(kind string, name model.String, named syntax.YAMLPair) model.Trigger {
	t := model.Trigger{Pos: syntax.Join(name.Pos, p.pos(named.Value))}
	switch kind {
	case "branches", "bookmarks":
		t.Event = model.String{Value: "push", Pos: name.Pos}
		t.Branches = []model.String{name}
	case "tags":
		t.Event = model.String{Value: "push", Pos: name.Pos}
		t.Tags = []model.String{name}
	case "pull-requests":
		// Bitbucket builds only pull requests from the repository's own
		// branches, never a fork's: people who can push start them.
		t.Event = model.String{Value: "internal_pull_request", Pos: name.Pos}
		t.Branches = []model.String{name}
	case "custom":
		t.Event = model.String{Value: "workflow_dispatch", Pos: name.Pos}
	}
	return t
}

// customVariables reads the `- variables:` item a custom pipeline may
// start with: the values asked for when it is run by hand.
func (p *parser) customVariables(list *yaml.Node) []model.Var {
	var vars []model.Var
	for _, it := range syntax.SequenceItems(list) {
		for _, v := range syntax.SequenceItems(syntax.MappingGet(it, "variables")) {
			name := p.str(syntax.MappingGet(v, "name"))
			if name.Value == "" {
				continue
			}
			param := model.Var{Name: name, Value: p.str(syntax.MappingGet(v, "default")), Source: "literal", Pos: p.pos(v)}
			if syntax.MappingGet(v, "allowed-values") != nil {
				param.Type = "choice"
			}
			vars = append(vars, param)
		}
	}
	return vars
}
