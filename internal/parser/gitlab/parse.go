// Package gitlab parses GitLab CI files (.gitlab-ci.yml and the files they
// include) into the common pipeline model.
//
// The configuration is resolved in GitLab's own order: per file anchors,
// aliases and merge keys; then local includes, deep-merged with the main
// file last; then extends; then !reference tags; then job composition from
// default:, inherit: and global variables. Every value keeps the position
// where it was written, so a value inherited from a template, an anchor or
// an included file points into that file (Pos.File is then the included
// file's path inside the repository).
//
// Includes of other projects, remote URLs, templates and components are not
// fetched: they are recorded as References of Kind "include" and their
// absence is not an error, so the result is partial for such pipelines.
package gitlab

import (
	"fmt"
	"path"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

// Parser is GitLab CI for the registry: the .gitlab-ci.yml at the root of
// a project, the files it includes and the child pipelines it starts.
var Parser = syntax.Parser{
	System:   model.GitLab,
	Files:    ".gitlab-ci.yml",
	Detect:   func(slashPath string) bool { return path.Base(slashPath) == ".gitlab-ci.yml" },
	Named:    func(slashPath string) bool { return strings.HasSuffix(slashPath, ".gitlab-ci.yml") },
	NearMiss: nearMiss,
	Includer: ".gitlab-ci.yml",
	Parse:    Parse,
}

func nearMiss(slashPath string) string {
	switch base := path.Base(slashPath); base {
	case ".gitlab-ci.yaml", "gitlab-ci.yml", "gitlab-ci.yaml":
		return "GitLab reads .gitlab-ci.yml unless the project names another file; check this one with --system gitlab"
	}
	return ""
}

// Parse parses the GitLab CI file at in.Path inside in.Repo, the directory
// against which local includes are resolved. The error is nil or
// *model.ParseError values joined with errors.Join; the pipeline is
// returned as far as it could be built. The warnings are what GitLab
// accepts but is likely a mistake: duplicate mapping keys, where the last
// one silently wins, and, once per include that is not fetched, the jobs
// that use keys it may define.
//
// Child pipelines (`trigger: include:` of a local file) are not merged into
// the result: each is another pipeline, listed in Result.Children.
func Parse(in syntax.Input) syntax.Result {
	p := &parser{in: in}
	pipeline := p.parse()
	syntax.SortByPosition(p.warnings)
	return syntax.Result{Pipeline: pipeline, Err: syntax.JoinErrors(p.errs), Warnings: p.warnings, Children: childPipelines(pipeline)}
}

// childPipelines returns the local child pipeline files that p's trigger
// jobs start, each positioned at its trigger's include, in job order
// without duplicates.
func childPipelines(p *model.Pipeline) []model.String {
	var children []model.String
	seen := map[string]bool{}
	for _, job := range p.Jobs {
		u := job.Uses
		if u == nil || u.Kind != model.RefInclude || !u.Local || u.Dynamic || seen[u.Path] {
			continue
		}
		seen[u.Path] = true
		children = append(children, model.String{Value: u.Path, Pos: u.Pos})
	}
	return children
}

type parser struct {
	in       syntax.Input
	files    []*syntax.YAMLFile
	sources  []model.SourceFile
	includes int
	refs     []model.Reference
	refSeen  map[refKey]bool // what addRef has recorded
	// unfetched are the includes that are not read (another project, a
	// URL, a template, a component, a path built from variables): keys
	// they define are unknown, so a use of a missing key is only a
	// warning, and missing collects those uses for it.
	unfetched []model.Reference
	missing   []missingKey
	// globals are the global variables and workflowRules the workflow
	// rules, which may set variables, for resolving images named by a
	// variable.
	globals       []model.Var
	workflowRules []*node
	errs          []*model.ParseError
	warnings      []*model.ParseError
}

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	p.errs = append(p.errs, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) parse() *model.Pipeline {
	pipeline := &model.Pipeline{
		System: model.GitLab,
		Kind:   model.KindWorkflow,
		File:   p.in.Display,
		Pos:    model.Pos{File: p.in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1},
	}
	config, spec := p.load(p.in.Path, []string{p.in.Path}, pipeline.Pos)
	if len(p.files) > 0 {
		lines := p.files[0].Lines
		last := len(lines)
		for last > 1 && len(lines[last-1]) == 0 {
			last--
		}
		pipeline.Pos.EndLine, pipeline.Pos.EndColumn = last, len(lines[last-1])+1
	}
	pipeline.Parameters = specInputs(spec)
	if config != nil {
		config = p.resolveExtends(config)
		config = p.resolveReferences(config)
		p.warnUnfetched()
		p.build(pipeline, config)
	}
	for _, f := range p.files {
		pipeline.Comments = append(pipeline.Comments, f.Comments()...)
	}
	pipeline.Sources = p.sources
	return pipeline
}

// read loads and converts one file. It returns the config document and,
// for a component or template, the `spec:` header document. Both are nil
// when the file could not be read.
func (p *parser) read(path string, at model.Pos) (config, spec *node) {
	display := p.in.DisplayOf(path)
	src, err := syntax.Read(p.in.Repo, path)
	if err != nil {
		p.errorf(at, "file %q %s", display, err)
		return nil, nil
	}
	file := syntax.NewYAMLFile(display, src)
	p.files = append(p.files, file)
	p.sources = append(p.sources, syntax.Source(display, src))
	var docs []*yaml.Node
	if bad := syntax.InvalidUTF8(display, src); bad != nil {
		p.errs = append(p.errs, bad)
	} else if docs, err = syntax.DecodeYAML(src); err != nil {
		p.errs = append(p.errs, syntax.YAMLError(display, err))
	}
	c := &converter{file: file, done: map[*yaml.Node]*node{}}
	var converted []*node
	for _, d := range docs {
		n := c.convert(d, 0)
		if n == nil {
			break // a limit was hit: the rest would be as costly
		}
		converted = append(converted, n)
	}
	p.errs = append(p.errs, c.errs...)
	p.warnings = append(p.warnings, c.warnings...)
	if len(converted) > 1 && converted[0].get("spec") != nil {
		spec, converted = converted[0].get("spec"), converted[1:]
	}
	// GitLab reads one configuration document (after the header); any
	// later documents are ignored.
	if len(converted) == 0 || converted[0].isNull() {
		return newMap(model.Pos{File: display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, nil), spec
	}
	if !converted[0].isMap() {
		p.errorf(converted[0].pos, "the configuration must be a mapping of keywords and jobs")
		return nil, spec
	}
	return converted[0], spec
}

// specInputs turns a `spec: inputs:` header into pipeline parameters, the
// default value (if any) as Value.
func specInputs(spec *node) []model.Var {
	var params []model.Var
	for _, in := range spec.get("inputs").pairsOrNil() {
		v := model.Var{Name: in.key.str(), Source: "literal", Pos: syntax.Join(in.key.pos, in.value.pos)}
		if def := in.value.get("default"); def != nil {
			v.Value = render(def)
			v.Source = varSource(v.Value.Value)
		}
		if t := in.value.get("type"); t != nil && t.kind == scalarNode {
			v.Type = t.value
		}
		if in.value.get("options") != nil {
			v.Type = "choice"
		}
		params = append(params, v)
	}
	return params
}

func (n *node) pairsOrNil() []pair {
	if !n.isMap() {
		return nil
	}
	return n.pairs
}
