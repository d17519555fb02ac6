package azure

import (
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// macro is a runtime macro, `$(name)`, which the agent replaces with the
// variable's value in a task's inputs and a script's text before they
// run. The name is a variable's: letters, digits, `_`, `.` and `-`.
var macro = regexp.MustCompile(`\$\(([A-Za-z_][\w.\-]*)\)`)

// runtimeExpression is `$[ ... ]`, evaluated when the run starts.
var runtimeExpression = regexp.MustCompile(`\$\[(.*?)\]`)

// predefinedNamespaces are the prefixes of Azure's predefined variables,
// read as the paths they are (`build.sourcebranchname`); any other macro
// names a variable of the pipeline, read as `variables.<name>`.
var predefinedNamespaces = map[string]bool{
	"agent": true, "build": true, "system": true, "release": true, "pipeline": true,
	"environment": true, "resources": true, "strategy": true, "checks": true,
}

// expressions lists what Azure substitutes into a scalar before it is
// used: template expressions left unevaluated, runtime macros and runtime
// expressions, in the order written.
func expressions(n *node) []model.Expression {
	out := slices.Clone(n.exprs)
	if strings.Contains(n.value, "$(") {
		at := positions(n)
		for _, m := range macro.FindAllStringSubmatchIndex(n.value, -1) {
			name := n.value[m[2]:m[3]]
			path := strings.ToLower(name)
			if root, _, _ := strings.Cut(path, "."); !predefinedNamespaces[root] {
				path = "variables." + path
			}
			out = append(out, model.Expression{Value: name, Reads: []string{path}, Flows: []string{path}, Pos: at(m[0], m[1])})
		}
	}
	if strings.Contains(n.value, "$[") {
		at := positions(n)
		for _, m := range runtimeExpression.FindAllStringSubmatchIndex(n.value, -1) {
			text := strings.TrimSpace(n.value[m[2]:m[3]])
			e := model.Expression{Value: text, Pos: at(m[0], m[1])}
			if parsed, err := parseExpr(text); err == nil {
				e.Reads, e.Flows = parsed.reads()
			}
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b model.Expression) int { return model.ComparePos(a.Pos, b.Pos) })
	return out
}
