// Package github turns GitHub Actions workflows and action metadata files
// (action.yml) into the common pipeline model.
//
// Workflows are parsed by actionlint, which knows their structure and
// reports their syntax errors; every value it returns is then traced back to
// the YAML node it came from, so that each model element carries its exact
// span (actionlint keeps start positions only). Steps, and action.yml files,
// which actionlint has no syntax tree for, are read from the YAML nodes
// directly, so workflow jobs and composite actions share one step
// conversion.
package github

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Parse parses a workflow, or an action metadata file when the base name of
// path is action.yml or action.yaml (outside .github/workflows, and unless
// the file turns out to be a workflow). path is relative to the scanned
// root, with forward slashes, and becomes the File of every position.
//
// The error is nil or one or more *model.ParseError joined with errors.Join.
// The pipeline is nil only when the file is not valid YAML; otherwise it
// holds everything that could be understood, even when err is not nil.
func Parse(path string, src []byte) (*model.Pipeline, error) {
	if isActionMetadata(path) {
		return parseAction(path, src)
	}
	return parseWorkflow(path, src)
}

// isActionMetadata tells action.yml apart from workflows, which are all the
// files of .github/workflows whatever their name.
func isActionMetadata(file string) bool {
	base, dir := path.Base(file), path.Dir(file)
	inWorkflows := dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")
	return (base == "action.yml" || base == "action.yaml") && !inWorkflows
}

// converter builds one pipeline from a source.
type converter struct {
	src        *source
	comments   []model.Comment
	commentAt  map[int]model.Comment // by line
	references []model.Reference
	errs       []*model.ParseError
	// emptyContainers holds the positions of a workflow's `container: ""`
	// values, which are not errors (see emptyContainers).
	emptyContainers map[point]bool
}

func newConverter(s *source) *converter {
	c := &converter{src: s, comments: s.comments(), commentAt: map[int]model.Comment{}}
	for _, comment := range c.comments {
		c.commentAt[comment.Pos.Line] = comment
	}
	return c
}

func (c *converter) pipeline(kind string) *model.Pipeline {
	return &model.Pipeline{
		System:   model.GitHub,
		Kind:     kind,
		File:     c.src.file,
		Comments: c.comments,
		Pos:      c.src.document(),
	}
}

// finish attaches the references in source order and joins the errors.
func (c *converter) finish(p *model.Pipeline) error {
	slices.SortStableFunc(c.references, func(a, b model.Reference) int { return model.ComparePos(a.Pos, b.Pos) })
	p.References = c.references
	return syntax.JoinErrors(c.errs)
}

func (c *converter) errorAt(p point, msg string) {
	end := p
	if n := c.src.scalars[p]; n != nil {
		_, end = c.src.outer(n)
	}
	c.errs = append(c.errs, &model.ParseError{Pos: c.src.pos(p, end), Message: msg})
}

// unmarshal reads the YAML node tree, reporting a syntax error where it is.
func unmarshal(file string, src []byte) (*yaml.Node, error) {
	if err := syntax.InvalidUTF8(file, src); err != nil {
		return nil, err
	}
	var root yaml.Node
	err := yaml.Unmarshal(src, &root)
	if err == nil {
		return &root, checkLimits(file, &root)
	}
	msg := err.Error()
	var syntax *yaml.ParserError
	if errors.As(err, &syntax) {
		msg = syntax.Message
	}
	line, column := locateSyntaxError(src, msg)
	return nil, &model.ParseError{
		Pos:     model.Pos{File: file, Line: line, Column: column, EndLine: line, EndColumn: column + 1},
		Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: "),
	}
}

// checkLimits refuses a document that expands to more than
// syntax.MaxNodes nodes through its aliases, or nests deeper than syntax.MaxDepth,
// at the alias or the node where the limit is crossed.
func checkLimits(file string, root *yaml.Node) error {
	expanded := map[*yaml.Node]int{} // memoised size of an alias target
	var size func(n *yaml.Node) int
	size = func(n *yaml.Node) int {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if s, ok := expanded[n]; ok {
			return s
		}
		expanded[n] = syntax.MaxNodes + 1 // an alias inside its own anchor never ends
		total := 1
		for _, c := range n.Content {
			total = min(total+size(c), syntax.MaxNodes+1)
		}
		expanded[n] = total
		return total
	}
	total := 0
	var walk func(n *yaml.Node, depth int) *model.ParseError
	walk = func(n *yaml.Node, depth int) *model.ParseError {
		if depth > syntax.MaxDepth {
			return limitError(file, n, fmt.Sprintf("the document nests deeper than %d levels", syntax.MaxDepth))
		}
		if n.Kind == yaml.AliasNode {
			if total += size(n); total > syntax.MaxNodes {
				return limitError(file, n, fmt.Sprintf("aliases expand the document to more than %d values", syntax.MaxNodes))
			}
			return nil
		}
		total++
		for _, c := range n.Content {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return err
	}
	return nil
}

func limitError(file string, n *yaml.Node, msg string) *model.ParseError {
	return &model.ParseError{Pos: model.Pos{File: file, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + 1}, Message: msg}
}

var unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)

// locateSyntaxError finds where the source stops being YAML: the end of the
// shortest prefix that fails with the same message, found by bisecting
// first the lines, then the characters of the failing line. The parser's
// own position cannot be used: it gives the start of the enclosing
// construct instead of the problem when it knows one, and counts columns
// (and for some errors lines) from 0.
func locateSyntaxError(src []byte, msg string) (line, column int) {
	fails := func(prefix string) bool {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(prefix), &n)
		var syntax *yaml.ParserError
		if errors.As(err, &syntax) {
			return syntax.Message == msg
		}
		return err != nil && err.Error() == msg
	}
	lines := syntax.YAMLLines(string(src))
	k := sort.Search(len(lines), func(i int) bool { return fails(strings.Join(lines[:i+1], "")) })
	if k == len(lines) {
		return 1, 1
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		// Only the complete name fails; point at the alias's start.
		if i := strings.Index(lines[k], "*"+m[1]); i >= 0 {
			return k + 1, utf8.RuneCountInString(lines[k][:i]) + 1
		}
	}
	before, text := strings.Join(lines[:k], ""), []rune(lines[k])
	j := sort.Search(len(text), func(i int) bool { return fails(before + string(text[:i+1])) })
	return k + 1, max(min(j, len(text)-1), 0) + 1
}

// str converts an actionlint string, found again among the YAML nodes by
// its start, to a model string spanning exactly its text.
func (c *converter) str(s *actionlint.String) model.String {
	if s == nil || s.Pos == nil {
		return model.String{}
	}
	p := point{s.Pos.Line, s.Pos.Col}
	n := c.src.scalars[p]
	if n == nil { // actionlint's placeholder for a value of the wrong kind
		return model.String{Value: s.Value, Pos: c.src.pos(p, p)}
	}
	return c.src.string(n)
}

// node is the YAML scalar actionlint made s from, or nil.
func (c *converter) node(s *actionlint.String) *yaml.Node {
	if p := posOf(s); p != nil {
		return c.src.scalars[point{p.Line, p.Col}]
	}
	return nil
}

func posOf(s *actionlint.String) *actionlint.Pos {
	if s == nil {
		return nil
	}
	return s.Pos
}

// entryOf is the span of the `key: value` entry whose key actionlint
// reported at p, or of the node at p when it is not a key.
func (c *converter) entryOf(p *actionlint.Pos) model.Pos {
	if p == nil {
		return model.Pos{}
	}
	at := point{p.Line, p.Col}
	if n := c.src.scalars[at]; n != nil {
		return c.src.entry(n)
	}
	if n := c.src.collections[at]; n != nil {
		start, end := c.src.outer(n)
		return c.src.pos(start, end)
	}
	return c.src.pos(at, at)
}

// valueNode is the value of the mapping entry whose key is at p.
func (c *converter) valueNode(p *actionlint.Pos) *yaml.Node {
	if p == nil {
		return nil
	}
	return c.src.values[c.src.scalars[point{p.Line, p.Col}]]
}

// byPos lists the values of an actionlint map (keyed by lower-cased name)
// in source order.
func byPos[T any](m map[string]T, pos func(T) *actionlint.Pos) []T {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]T, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	slices.SortStableFunc(out, func(a, b T) int {
		pa, pb := pos(a), pos(b)
		if pa == nil || pb == nil {
			return 0
		}
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Col, pb.Col))
	})
	return out
}
