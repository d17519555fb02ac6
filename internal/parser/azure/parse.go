package azure

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"gopkg.in/yaml.v3"
)

// Limits of template expansion, Azure's own: a pipeline may pull in at
// most 100 template files, nested at most 20 deep. maxExpandedValues
// bounds the values expansion produces (`each` multiplies them) beyond
// those of the files read: the largest corpus pipeline expands to a few
// thousand in all.
const (
	maxTemplates      = 100
	maxTemplateDepth  = 20
	maxExpandedValues = 50_000
)

type parser struct {
	in      syntax.Input
	files   map[string]*node // converted files by path, nil for one that could not be read
	sources []model.SourceFile
	main    *syntax.YAMLFile
	// templates counts the template files included, loaded the values
	// of the files read, expanded the values expansion produced.
	templates, loaded, expanded int
	limited                     bool // a limit was hit and reported
	// repositories are the `resources.repositories` entries by alias.
	repositories map[string]*node
	refs         []model.Reference
	errs         []*model.ParseError
	warnings     []*model.ParseError
}

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	p.errs = append(p.errs, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(pos model.Pos, format string, args ...any) {
	p.warnings = append(p.warnings, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Parse parses the Azure Pipelines file at in.Path inside in.Repo, with
// the local templates it includes. A file under .azure-pipelines/ or
// .pipelines/ that declares none of the keys only a pipeline has is a
// template: the result is empty, neither pipeline nor error.
func Parse(in syntax.Input) syntax.Result {
	p := &parser{in: in, files: map[string]*node{}, repositories: map[string]*node{}}
	src, err := syntax.ReadInput(in)
	if err != nil {
		return syntax.Result{Err: err}
	}
	root := p.load(in.Path, src)
	if len(p.errs) == 0 && (isTemplate(in.Path, root) || includedAbove(in)) {
		return syntax.Result{}
	}
	pipeline := p.build(root)
	pipeline.Sources = p.sources
	pipeline.Comments = p.main.Comments()
	pipeline.References = p.refs
	syntax.SortByPosition(p.warnings)
	return syntax.Result{Pipeline: pipeline, Err: syntax.JoinErrors(p.errs), Warnings: p.warnings}
}

// isTemplate reports whether a file is a template that pipelines include
// rather than a pipeline: it declares none of the keys only a pipeline has,
// and is either kept under .azure-pipelines/ or .pipelines/ by another
// name than azure-pipelines.yml, or declares a parameter without a
// default, which only an including file can give.
func isTemplate(path string, root *node) bool {
	if slices.ContainsFunc(pipelineKeys, func(k string) bool { return root.entry(k) != nil }) {
		return false
	}
	if inPipelineDir(path) && !isMainFile(path) {
		return true
	}
	return slices.ContainsFunc(root.get("parameters").list(), func(d *node) bool { return d.get("name").isScalar() && d.entry("default") == nil })
}

// includedAbove reports whether a pipeline of a directory above the
// file's, by the name azure-pipelines.yml, includes it as a template
// (`template: windows/azure-pipelines.yml`): then the file is a template
// kept by the main name, read through that pipeline.
func includedAbove(in syntax.Input) bool {
	dir := path.Dir(in.Path)
	for dir != "." && dir != "/" {
		dir = path.Dir(dir)
		for _, name := range []string{"azure-pipelines.yml", "azure-pipelines.yaml"} {
			includer := path.Join(dir, name)
			src, err := syntax.Read(in.Repo, includer)
			if err != nil {
				continue
			}
			rel := strings.TrimPrefix(in.Path, strings.TrimPrefix(dir+"/", "./"))
			for _, line := range strings.Split(string(src), "\n") {
				if name, ok := strings.CutPrefix(strings.TrimLeft(line, " \t-"), "template:"); ok && strings.Trim(strings.TrimSpace(name), `"'`) == rel {
					return true
				}
			}
		}
	}
	return false
}

// load converts the text of a file of the repository; the result is an
// empty mapping when the file holds nothing usable (the error reported).
func (p *parser) load(path string, src []byte) *node {
	display := p.in.DisplayOf(path)
	file := syntax.NewYAMLFile(display, src)
	if p.main == nil {
		p.main = file
	}
	p.sources = append(p.sources, syntax.Source(display, src))
	empty := &node{kind: mapNode, pos: model.Pos{File: display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}}
	if bad := syntax.InvalidUTF8(display, src); bad != nil {
		p.errs = append(p.errs, bad)
		return empty
	}
	doc, err := decode(src)
	if err != nil {
		p.errs = append(p.errs, syntax.YAMLError(display, err))
		return empty
	}
	if doc == nil {
		return empty
	}
	c := &converter{file: file}
	root := c.convert(doc, 0)
	p.loaded += c.count
	p.errs = append(p.errs, c.errs...)
	switch {
	case root == nil || root.isNull():
		return empty
	case !root.isMap():
		p.errorf(root.pos, "a pipeline or template must be a mapping of keys")
		return empty
	}
	return root
}

// decode returns the first YAML document of src, nil for none.
func decode(src []byte) (doc *yaml.Node, err error) {
	// yaml.v3 has panicked on malformed input in the past.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	var d yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(string(src))).Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	return &d, nil
}
