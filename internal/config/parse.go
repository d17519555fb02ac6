package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// Parse parses the text of a config file. file names it in errors and
// locates relative paths; every problem found is returned, as
// *model.ParseError values joined with errors.Join.
func Parse(file string, src []byte) (*Config, error) {
	dir, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	decoder := yaml.NewDecoder(bytes.NewReader(src))
	if err := decoder.Decode(&doc); err != nil && err != io.EOF {
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	if err := decoder.Decode(&extra); err == nil {
		return nil, errorAt(file, positionOf(&extra), "a config file holds one YAML document; remove the second one")
	}
	p := &parser{file: file}
	c := p.document(&doc)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	c.File, c.Dir = file, dir
	return c, nil
}

// yamlLine finds the line in a yaml.v3 syntax error ("yaml: line 3: ...").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxError(file string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return errorAt(file, position{line: line, column: 1, endColumn: 2}, m[2])
	}
	return errorAt(file, position{line: 1, column: 1, endColumn: 2}, strings.TrimPrefix(err.Error(), "yaml: "))
}

// parser walks the YAML nodes and collects every problem.
type parser struct {
	file string
	errs []error
}

func (p *parser) fail(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, errorAt(p.file, positionOf(n), fmt.Sprintf(format, args...)))
}

func (p *parser) document(doc *yaml.Node) *Config {
	c := &Config{}
	if doc.Kind == 0 { // an empty file
		return c
	}
	root := doc.Content[0]
	if isNull(root) {
		return c
	}
	p.mapping(root, "the config", func(key string, keyNode, value *yaml.Node) {
		switch key {
		case "rules":
			c.Rules = p.rules(value)
		case "ignore-paths":
			c.IgnorePaths = p.globs(value, "ignore-paths")
		case "policies":
			for _, item := range p.stringItems(value, "policies") {
				c.Policies = append(c.Policies, item.Value)
				c.policyPos = append(c.policyPos, positionOf(item))
			}
		default:
			p.fail(keyNode, "unknown key %q (want rules, ignore-paths or policies)", key)
		}
	})
	return c
}

func (p *parser) rules(n *yaml.Node) []Rule {
	var rules []Rule
	p.mapping(n, "rules", func(id string, keyNode, value *yaml.Node) {
		if !finding.ValidRuleID(id) {
			p.fail(keyNode, "rule id %q is not kebab-case (e.g. unpinned-action)", id)
			return
		}
		r := Rule{ID: id, idPos: positionOf(keyNode)}
		p.mapping(value, "rule "+id, func(key string, keyNode, value *yaml.Node) {
			switch key {
			case "severity":
				r.Severity = p.severity(value)
			case "enabled":
				r.Enabled = p.boolean(value, "enabled")
			case "ignore-paths":
				r.IgnorePaths = p.globs(value, "ignore-paths")
			case "options":
				r.Options = p.options(value)
			default:
				p.fail(keyNode, "unknown key %q in rule %s (want severity, enabled, ignore-paths or options)", key, id)
			}
		})
		rules = append(rules, r)
	})
	sortRules(rules)
	return rules
}

// mapping calls each for every key of a mapping node in order. A null node
// is an empty mapping; duplicate keys and non-string keys are errors.
func (p *parser) mapping(n *yaml.Node, what string, each func(key string, keyNode, value *yaml.Node)) {
	if isNull(n) || !p.supported(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.fail(n, "%s must be a mapping, not %s", what, describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		keyNode, value := n.Content[i], n.Content[i+1]
		if !p.supported(keyNode) {
			continue
		}
		if keyNode.Kind != yaml.ScalarNode || keyNode.ShortTag() != "!!str" {
			p.fail(keyNode, "keys of %s must be strings, not %s", what, describe(keyNode))
			continue
		}
		if seen[keyNode.Value] {
			p.fail(keyNode, "%q is set twice in %s", keyNode.Value, what)
			continue
		}
		seen[keyNode.Value] = true
		if p.supported(value) {
			each(keyNode.Value, keyNode, value)
		}
	}
}

// supported rejects anchors' aliases and merge keys: they would let one
// line stand for another and make error positions ambiguous.
func (p *parser) supported(n *yaml.Node) bool {
	switch {
	case n.Kind == yaml.AliasNode:
		p.fail(n, "aliases (*%s) are not supported in a config file; write the value out", n.Value)
		return false
	case n.ShortTag() == "!!merge":
		p.fail(n, "merge keys (<<) are not supported in a config file; write the keys out")
		return false
	}
	return true
}

func (p *parser) severity(n *yaml.Node) finding.Severity {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.fail(n, "severity must be critical, high, medium, low or info, not %s", describe(n))
		return ""
	}
	severity, err := finding.ParseSeverity(n.Value)
	if err != nil {
		p.fail(n, "%v", err)
		return ""
	}
	return severity
}

func (p *parser) boolean(n *yaml.Node, key string) *bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.fail(n, "%s must be true or false, not %s", key, describe(n))
		return nil
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		p.fail(n, "%s: %v", key, err)
		return nil
	}
	return &b
}

// stringItems returns the items of a list of non-empty strings; a single
// string is not accepted, so that a forgotten dash is caught.
func (p *parser) stringItems(n *yaml.Node, key string) []*yaml.Node {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "%s must be a list of strings, not %s", key, describe(n))
		return nil
	}
	var items []*yaml.Node
	for _, item := range n.Content {
		if !p.supported(item) {
			continue
		}
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!str" || item.Value == "" {
			p.fail(item, "%s must be a list of non-empty strings, not %s", key, describe(item))
			continue
		}
		items = append(items, item)
	}
	return items
}

// globs reads a list of doublestar patterns relative to the config's
// directory, cleaned so that `./legacy/**` and `legacy/**` are the same.
func (p *parser) globs(n *yaml.Node, key string) []string {
	var out []string
	for _, item := range p.stringItems(n, key) {
		pattern := item.Value
		cleaned := path.Clean(pattern)
		switch {
		case strings.HasPrefix(pattern, "/") || filepath.IsAbs(pattern):
			p.fail(item, "%s pattern %q must be relative to the config file's directory", key, pattern)
		case cleaned == ".." || strings.HasPrefix(cleaned, "../"):
			p.fail(item, "%s pattern %q points outside the config file's directory", key, pattern)
		case !doublestar.ValidatePattern(cleaned):
			p.fail(item, "%s pattern %q is not a valid glob (unclosed [ or {?)", key, pattern)
		default:
			out = append(out, cleaned)
		}
	}
	return out
}

// options converts a rule's options mapping to JSON-compatible values.
func (p *parser) options(n *yaml.Node) map[string]any {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.fail(n, "options must be a mapping, not %s", describe(n))
		return nil
	}
	out, _ := p.value(n).(map[string]any)
	return out
}

func (p *parser) value(n *yaml.Node) any {
	if !p.supported(n) {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		p.mapping(n, "options", func(key string, _, value *yaml.Node) { m[key] = p.value(value) })
		return m
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			list = append(list, p.value(item))
		}
		return list
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value // strings, and timestamps or binary as written
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names the kind of a node for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!bool", "!!int", "!!float":
		return n.Value
	}
	return strconv.Quote(n.Value)
}

// positionOf spans a node's first line: a scalar's text (with its quotes),
// or one column for anything else.
func positionOf(n *yaml.Node) position {
	pos := position{line: max(n.Line, 1), column: max(n.Column, 1)}
	pos.endColumn = pos.column + 1
	if n.Kind == yaml.ScalarNode && !strings.Contains(n.Value, "\n") {
		width := utf8.RuneCountInString(n.Value)
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			width += 2
		}
		pos.endColumn = pos.column + max(width, 1)
	}
	return pos
}

func errorAt(file string, pos position, message string) *model.ParseError {
	return &model.ParseError{
		Pos:     model.Pos{File: file, Line: pos.line, Column: pos.column, EndLine: pos.line, EndColumn: pos.endColumn},
		Message: message,
	}
}
