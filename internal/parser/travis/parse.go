// Package travis parses Travis CI files (.travis.yml and the local files
// it imports) into the common pipeline model.
//
// The configuration is resolved as Travis resolves it: per file anchors,
// aliases and merge keys; then `import:` of files of the same repository,
// merged into the importing file by the import's `mode:` (deep_merge_append
// by default: mappings deep-merged, lists concatenated, the importing
// file's scalars winning); then the build matrix. Imports of other
// repositories (`owner/repo:file@ref`) are not fetched: they are
// References of Kind "include" with Usage "project".
//
// Every job of the build matrix is a Job: the product of the root's
// matrix keys (language versions such as rvm, node_js, python, jdk, os,
// dist, arch and the `env: jobs:` entries), less `jobs: exclude:`, and the
// `jobs: include:` entries, each merged onto the root. A job is positioned
// at the value that creates it: the include entry, or the first matrix
// value it takes. Its stage (`stage:`, sticky from one include entry to the
// next, "test" by default) orders it: a job needs every job of the stage
// before, as a later stage runs only when the earlier ones passed. The
// phases are its steps, in the order Travis runs them; after_failure is
// When "on_failure", after_script "always". Each `deploy:` provider is an
// other step whose Call is the provider and With its settings (a `secure:`
// value has Source "secret"), its `on:` the step's condition; the script
// provider is a run step.
//
// Travis runs a default install and script for a language when the file
// gives none. Only those that decide whether a job installs dependencies
// or runs tests are modelled, as run steps positioned at `language:`:
// node_js (`npm ci` with a lock file, else `npm install`; `npm test`),
// ruby (`bundle install`, with a Gemfile; `bundle exec rake`), python
// (`pip install -r requirements.txt`, only when the file exists), rust
// (`cargo build`, `cargo test`), go (`go get`; `make`, or `go test`
// without a Makefile), java (Gradle or Maven by build file) and php
// (`phpunit`). Travis caches npm for node_js unless `cache: npm: false`:
// such a job has that cache, positioned at `language:` too.
//
// Travis builds pushes and pull requests (from forks too, without the
// encrypted variables): the triggers are "push" (with the `branches:`
// filter) and "pull_request". Services (`services:`) are daemons of the
// build machine, not images, and are not modelled.
package travis

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/resolve"
	"gopkg.in/yaml.v3"
)

// Parser is Travis CI for the registry: the .travis.yml at the root of a
// repository and the local files it imports.
var Parser = syntax.Parser{
	System:   model.Travis,
	Files:    ".travis.yml",
	Detect:   func(slashPath string) bool { return path.Base(slashPath) == ".travis.yml" },
	NearMiss: nearMiss,
	Parse:    Parse,
}

func nearMiss(slashPath string) string {
	if path.Base(slashPath) == ".travis.yaml" {
		return "Travis CI reads .travis.yml, not .travis.yaml; check this one with --system travis"
	}
	return ""
}

// maxImports is how many files Travis imports in all.
const maxImports = 25

// Parse parses the Travis file at in.Path inside in.Repo, from which
// local imports are read. The error is nil or *model.ParseError values
// joined; the pipeline is returned as far as it could be built.
func Parse(in syntax.Input) syntax.Result {
	p := &parser{in: in, imported: map[string]bool{}}
	pipeline := p.parse()
	syntax.SortByPosition(p.errs)
	syntax.SortByPosition(p.warnings)
	// A value every job of the matrix shares is reported once.
	p.errs = slices.CompactFunc(p.errs, func(a, b *model.ParseError) bool { return *a == *b })
	return syntax.Result{Pipeline: pipeline, Err: syntax.JoinErrors(p.errs), Warnings: p.warnings}
}

type parser struct {
	in       syntax.Input
	files    []*syntax.YAMLFile
	sources  []model.SourceFile
	imported map[string]bool
	refs     []model.Reference
	errs     []*model.ParseError
	warnings []*model.ParseError
}

func (p *parser) errorf(pos model.Pos, format string, args ...any) {
	p.errs = append(p.errs, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(pos model.Pos, format string, args ...any) {
	p.warnings = append(p.warnings, &model.ParseError{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) parse() *model.Pipeline {
	start := model.Pos{File: p.in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
	pipeline := &model.Pipeline{System: model.Travis, Kind: model.KindWorkflow, File: p.in.Display, Pos: start}
	p.imported[p.in.Path] = true
	config := p.load(p.in.Path, start)
	if len(p.files) > 0 {
		lines := p.files[0].Lines
		last := len(lines)
		for last > 1 && len(lines[last-1]) == 0 {
			last--
		}
		pipeline.Pos.EndLine, pipeline.Pos.EndColumn = last, len(lines[last-1])+1
	}
	if config != nil && !config.isMap() && !config.null {
		p.errorf(config.pos, "a Travis configuration must be a mapping of keys such as language and script")
		config = nil
	}
	if config != nil {
		b := &builder{p: p, root: config, scripts: map[*node]*model.Script{}}
		b.build(pipeline)
	}
	pipeline.References = p.refs
	pipeline.Sources = p.sources
	for _, f := range p.files {
		pipeline.Comments = append(pipeline.Comments, f.Comments()...)
	}
	return pipeline
}

// load reads a file and merges into it the files it imports; nil when it
// could not be read.
func (p *parser) load(file string, at model.Pos) *node {
	config := p.read(file, at)
	if !config.isMap() {
		return config
	}
	key, imports := config.entry("import")
	if key == nil {
		return config
	}
	rest := &node{kind: yaml.MappingNode, pos: config.pos, size: config.size}
	for _, pr := range config.pairs {
		if pr.key != key {
			rest.pairs = append(rest.pairs, pr)
		}
	}
	config = rest
	for _, item := range imports.list() {
		source, mode := item, "deep_merge_append"
		if item.isMap() {
			source = item.get("source")
			if m := item.get("mode").text(); m != "" {
				mode = m
			}
		}
		if !source.isScalar() {
			p.errorf(item.pos, "an import needs a source: a file of the repository or owner/repo:file@ref")
			continue
		}
		local := p.importRef(source, file)
		if local == "" {
			continue
		}
		if p.imported[local] {
			continue // Travis skips cyclic and repeated imports
		}
		if len(p.imported) > maxImports {
			p.warnf(source.pos, "more than %d imports: %q and the rest are not read", maxImports, source.value)
			continue
		}
		p.imported[local] = true
		imported := p.load(local, source.pos)
		if imported == nil || imported.null {
			continue
		}
		if !imported.isMap() {
			p.errorf(imported.pos, "an imported configuration must be a mapping")
			continue
		}
		config = merge(config, imported, mode)
	}
	return config
}

// importRef records an import as a Reference and returns the repository
// path of a local one, "" for another repository's.
func (p *parser) importRef(source *node, from string) string {
	value := source.value
	ref := model.Reference{Kind: model.RefInclude, Value: source.str(), Pos: source.pos}
	repo, file, remote := strings.Cut(value, ":")
	if remote && strings.Count(repo, "/") == 1 && !strings.HasPrefix(repo, ".") {
		ref.Usage, ref.Repo = "project", repo
		ref.Owner, _, _ = strings.Cut(repo, "/")
		ref.Path, ref.Ref, _ = strings.Cut(file, "@")
		ref.Pinned = resolve.IsCommitSHA(ref.Ref)
		ref.Dynamic = strings.Contains(value, "$")
		p.refs = append(p.refs, ref)
		return ""
	}
	file, _, _ = strings.Cut(value, "@")
	local := path.Clean(path.Join(path.Dir(from), file))
	if strings.HasPrefix(file, "/") {
		local = path.Clean(strings.TrimPrefix(file, "/"))
	}
	ref.Usage, ref.Local, ref.Path = "local", true, local
	p.refs = append(p.refs, ref)
	return local
}

// read loads one file; nil when it cannot be read (reported at at).
func (p *parser) read(file string, at model.Pos) *node {
	display := p.in.DisplayOf(file)
	src, err := syntax.Read(p.in.Repo, file)
	if err != nil {
		p.errorf(at, "file %q %s", display, err)
		return nil
	}
	text := syntax.NewYAMLFile(display, src)
	p.files = append(p.files, text)
	p.sources = append(p.sources, syntax.Source(display, src))
	if bad := syntax.InvalidUTF8(display, src); bad != nil {
		p.errs = append(p.errs, bad)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p.errs = append(p.errs, yamlError(text, err))
		return nil
	}
	c := &converter{file: text, done: map[*yaml.Node]*node{}}
	n := c.convert(&doc, 0)
	p.errs = append(p.errs, c.errs...)
	p.warnings = append(p.warnings, c.warnings...)
	if n == nil || doc.Kind == 0 {
		return nil
	}
	return n
}

var unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '([^']*)' referenced$`)

// yamlError is syntax.YAMLError, placing at its first use an unknown
// anchor, for which yaml.v3 gives no line.
func yamlError(text *syntax.YAMLFile, err error) *model.ParseError {
	e := syntax.YAMLError(text.Path, err)
	if m := unknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		alias := []rune("*" + m[1])
		for i, line := range text.Lines {
			if col := runeIndex(line, alias); col >= 0 {
				e.Pos = model.Pos{File: text.Path, Line: i + 1, Column: col + 1, EndLine: i + 1, EndColumn: col + 1 + len(alias)}
				break
			}
		}
	}
	return e
}

func runeIndex(line, sub []rune) int {
	for i := 0; i+len(sub) <= len(line); i++ {
		if string(line[i:i+len(sub)]) == string(sub) && (i+len(sub) == len(line) || !isAnchorRune(line[i+len(sub)])) {
			return i
		}
	}
	return -1
}

func isAnchorRune(r rune) bool {
	return r != ' ' && r != ',' && r != ']' && r != '}' && r != '\t'
}
