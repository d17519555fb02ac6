package gitlab

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

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
		v := model.Var{Name: pr.key.str(), Value: value.str(), Pos: syntax.Join(pr.key.pos, pr.value.pos)}
		v.Source = varSource(v.Value.Value)
		vars = append(vars, v)
	}
	return vars
}

// fixedVariables returns the variables job n sees whose value is written
// in the file: the global ones it inherits (`inherit: variables:`), then
// its own, each only when its value refers to no other variable. One that
// workflow or job rules or a parallel matrix may set has no single value
// and is left out, and so is one named like GitLab's predefined variables
// (CI_*, GITLAB_*), which GitLab sets for every pipeline.
func (p *parser) fixedVariables(n *node, own []model.Var) map[string]model.String {
	known := map[string]model.String{}
	add := func(v model.Var) {
		if v.Value.Value == "" || dynamic(v.Value.Value) || predefined(v.Name.Value) {
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

func predefined(name string) bool {
	return strings.HasPrefix(name, "CI_") || strings.HasPrefix(name, "GITLAB_")
}

// variableReference matches $NAME, ${NAME} and GitLab's escaped dollar $$.
var variableReference = regexp.MustCompile(`\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// expand replaces the $NAME and ${NAME} in s whose value is known (see
// fixedVariables) by that value, as GitLab does when it creates the job.
// Other references and $$ stay as written.
func expand(s string, known map[string]model.String) string {
	if !dynamic(s) {
		return s
	}
	return variableReference.ReplaceAllStringFunc(s, func(ref string) string {
		if value, ok := known[strings.Trim(ref, "${}")]; ok && ref != "$$" {
			return value.Value
		}
		return ref
	})
}

// trailingVariable returns the known variable whose reference ends s.
func trailingVariable(s string, known map[string]model.String) (model.String, bool) {
	refs := variableReference.FindAllStringIndex(s, -1)
	if len(refs) == 0 || refs[len(refs)-1][1] != len(s) {
		return model.String{}, false
	}
	ref := s[refs[len(refs)-1][0]:]
	value, ok := known[strings.Trim(ref, "${}")]
	return value, ok && ref != "$$"
}

// secrets reads `secrets:`: NAME: {vault|gcp_secret_manager|...: ...}.
// Value is the provider's value when it is a string (`path/field@engine`),
// otherwise the provider's name.
func secrets(n *node) []model.Var {
	var vars []model.Var
	for _, pr := range n.pairsOrNil() {
		v := model.Var{Name: pr.key.str(), Source: "secret", Pos: syntax.Join(pr.key.pos, pr.value.pos)}
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

// idTokens reads `id_tokens:`: NAME: {aud: audience or [audiences]}.
func idTokens(n *node) []model.Var {
	var vars []model.Var
	for _, pr := range n.pairsOrNil() {
		v := model.Var{Name: pr.key.str(), Source: "secret", Pos: syntax.Join(pr.key.pos, pr.value.pos)}
		if aud := pr.value.get("aud"); !aud.isNull() {
			v.Value = render(aud)
		}
		vars = append(vars, v)
	}
	return vars
}

// strategy reads `parallel: matrix:`, one Var per dimension of each matrix
// entry, Value the values as written ("a" or "[a, b]").
func strategy(n *node) *model.Strategy {
	k, matrix := n.entry("matrix")
	if !matrix.isSeq() {
		return nil
	}
	s := &model.Strategy{Pos: syntax.Join(k.pos, matrix.pos)}
	for _, entry := range matrix.items {
		for _, dim := range entry.pairsOrNil() {
			s.Matrix = append(s.Matrix, model.Var{Name: dim.key.str(), Value: render(dim.value), Source: "literal", Pos: syntax.Join(dim.key.pos, dim.value.pos)})
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
