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
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"gopkg.in/yaml.v3"
)

// maxFileSize bounds every file read, included ones too.
const maxFileSize = 5 << 20

// Parse parses the GitLab CI file at path (slash-separated) inside repo,
// the repository root against which local includes are resolved. The error
// is nil or *model.ParseError values joined with errors.Join; the pipeline
// is returned as far as it could be built.
//
// Child pipelines (`trigger: include:` of a local file) are not merged into
// the result: each is another pipeline. ChildPipelines lists them so the
// caller parses them too.
func Parse(repo fs.FS, path string) (*model.Pipeline, error) {
	p, _, err := ParseWithWarnings(repo, path)
	return p, err
}

// ParseWithWarnings is Parse that also returns what GitLab accepts but is
// likely a mistake: duplicate mapping keys, where the last one silently
// wins.
func ParseWithWarnings(repo fs.FS, path string) (*model.Pipeline, []*model.ParseError, error) {
	p := &parser{repo: repo, root: path}
	pipeline := p.parse()
	byPosition := func(a, b *model.ParseError) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	}
	slices.SortStableFunc(p.errs, byPosition)
	slices.SortStableFunc(p.warnings, byPosition)
	var errs []error
	for _, e := range p.errs {
		errs = append(errs, e)
	}
	return pipeline, p.warnings, errors.Join(errs...)
}

// ChildPipelines returns the repository paths of the local child pipeline
// files that p's trigger jobs start, in job order without duplicates.
func ChildPipelines(p *model.Pipeline) []string {
	var paths []string
	seen := map[string]bool{}
	for _, job := range p.Jobs {
		u := job.Uses
		if u == nil || u.Kind != model.RefInclude || !u.Local || u.Dynamic || seen[u.Path] {
			continue
		}
		seen[u.Path] = true
		paths = append(paths, u.Path)
	}
	return paths
}

type parser struct {
	repo     fs.FS
	root     string // the main file
	files    []*sourceFile
	includes int
	refs     []model.Reference
	// unfetched is set when an include is not read (another project, a
	// URL, a template, a component, a path built from variables): keys it
	// defines are then unknown, and a reference to a missing key is only
	// a warning.
	unfetched bool
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

// missingf reports a reference to a key that is not defined: an error when
// the whole configuration was read, a warning when an include that was not
// fetched may define it.
func (p *parser) missingf(pos model.Pos, format string, args ...any) {
	if !p.unfetched {
		p.errorf(pos, format, args...)
		return
	}
	msg := fmt.Sprintf(format, args...) + " in the files read (an include that is not fetched may define it)"
	p.warnings = append(p.warnings, &model.ParseError{Pos: pos, Message: msg})
}

func (p *parser) parse() *model.Pipeline {
	pipeline := &model.Pipeline{
		System: model.GitLab,
		Kind:   model.KindWorkflow,
		File:   p.root,
		Pos:    model.Pos{File: p.root, Line: 1, Column: 1, EndLine: 1, EndColumn: 1},
	}
	config, spec := p.load(p.root, []string{p.root}, pipeline.Pos)
	if len(p.files) > 0 {
		lines := p.files[0].lines
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
		p.build(pipeline, config)
	}
	for _, f := range p.files {
		pipeline.Comments = append(pipeline.Comments, f.comments()...)
	}
	return pipeline
}

// read loads and converts one file. It returns the config document and,
// for a component or template, the `spec:` header document. Both are nil
// when the file could not be read.
func (p *parser) read(path string, at model.Pos) (config, spec *node) {
	src, err := readFile(p.repo, path)
	if err != nil {
		p.errorf(at, "%s", err)
		return nil, nil
	}
	file := newSourceFile(path, src)
	p.files = append(p.files, file)
	docs, err := decodeAll(src)
	if err != nil {
		p.errs = append(p.errs, yamlError(path, err))
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
		return newMap(model.Pos{File: path, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, nil), spec
	}
	if !converted[0].isMap() {
		p.errorf(converted[0].pos, "the configuration must be a mapping of keywords and jobs")
		return nil, spec
	}
	return converted[0], spec
}

func readFile(repo fs.FS, path string) ([]byte, error) {
	f, err := repo.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("file %q does not exist", path)
		}
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", path, err)
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("file %q is over the %d-byte limit for CI files", path, maxFileSize)
	}
	return src, nil
}

// decodeAll returns the YAML documents of src, up to the first syntax
// error.
func decodeAll(src []byte) (docs []*yaml.Node, err error) {
	// yaml.v3 has panicked on malformed input in the past; a parser must
	// not take the program down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(string(src)))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return docs, err
		}
		docs = append(docs, &doc)
	}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns a yaml.v3 error ("yaml: line 3: did not find ...") into
// a ParseError at that line.
func yamlError(path string, err error) *model.ParseError {
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(msg, m[0])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return &model.ParseError{Pos: model.Pos{File: path, Line: line, Column: 1, EndLine: line, EndColumn: 1}, Message: "invalid YAML: " + msg}
}

// specInputs turns a `spec: inputs:` header into pipeline parameters, the
// default value (if any) as Value.
func specInputs(spec *node) []model.Var {
	var params []model.Var
	for _, in := range spec.get("inputs").pairsOrNil() {
		v := model.Var{Name: in.key.str(), Source: "literal", Pos: join(in.key.pos, in.value.pos)}
		if def := in.value.get("default"); def != nil {
			v.Value = render(def)
			v.Source = varSource(v.Value.Value)
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
