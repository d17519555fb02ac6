package azure

import (
	"slices"
	"testing"
)

func TestEvaluate(t *testing.T) {
	params := &node{kind: mapNode, pairs: []pair{
		{&node{kind: scalarNode, value: "name"}, &node{kind: scalarNode, value: "app"}},
		{&node{kind: scalarNode, value: "debug"}, &node{kind: scalarNode, value: "false"}},
		{&node{kind: scalarNode, value: "list"}, &node{kind: seqNode, items: []*node{{kind: scalarNode, value: "a"}, {kind: scalarNode, value: "b"}}}},
	}}
	s := scope{parameters: params}
	for text, want := range map[string]string{
		"parameters.name":                          "app",
		"parameters['name']":                       "app",
		"eq(parameters.name, 'APP')":               "True",
		"ne(parameters.name, 'app')":               "False",
		"not(parameters.debug)":                    "True",
		"and(parameters.debug, variables.x)":       "False", // a known false decides
		"or(parameters.name, variables.x)":         "True",  // a known true decides
		"format('{0}-{1}', parameters.name, 'x')":  "app-x",
		"replace(parameters.name, 'a', 'A')":       "App",
		"join(',', parameters.list)":               "a,b",
		"in(parameters.name, 'x', 'app')":          "True",
		"coalesce(parameters.missing, 'fallback')": "fallback",
		"iif(parameters.debug, 'yes', 'no')":       "no",
		"length(parameters.list)":                  "2",
		"startsWith(parameters.name, 'ap')":        "True",
		"parameters.list[1]":                       "b",
		"upper(parameters.name)":                   "APP",
		"containsValue(parameters.list, 'b')":      "True",
		"lower('It''s')":                           "it's",
		"parameters.missing":                       "",
	} {
		e, err := parseExpr(text)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		v, ok := s.eval(e)
		got, _ := stringOf(v)
		if !ok || got != want {
			t.Errorf("%s = %q (known %v), want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{"variables.x", "eq(variables['Build.Reason'], 'PullRequest')", "and(variables.x, true)", "unknownFunction(1)", "join()", "join(',')", "length()", "not()", "eq(1)"} {
		e, err := parseExpr(text)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if v, ok := s.eval(e); ok {
			t.Errorf("%s = %v, want unknown", text, v)
		}
	}
}

func TestParseExprErrors(t *testing.T) {
	for _, text := range []string{"", "eq(a,", "'open", "a.", "a[1", "f(a b)", deep(60)} {
		if _, err := parseExpr(text); err == nil {
			t.Errorf("%q: no error", text)
		}
	}
}

func deep(n int) string {
	s := "x"
	for range n {
		s = "not(" + s + ")"
	}
	return s
}

func TestReads(t *testing.T) {
	for text, want := range map[string][2][]string{
		"parameters.tag": {{"parameters.tag"}, {"parameters.tag"}},
		"eq(variables['Build.SourceBranch'], 'x')":      {{"variables.build.sourcebranch"}, nil},
		"format('{0}', dependencies.a.outputs['s.v'])":  {{"dependencies.a.outputs.s.v"}, {"dependencies.a.outputs.s.v"}},
		"iif(eq(parameters.a, 'x'), parameters.b, 'c')": {{"parameters.a", "parameters.b"}, {"parameters.b"}},
		"variables[parameters.name]":                    {{"parameters.name", "variables.*"}, {"variables.*"}},
	} {
		e, err := parseExpr(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		reads, flows := e.reads()
		if !slices.Equal(reads, want[0]) || !slices.Equal(flows, want[1]) {
			t.Errorf("%s: reads %v flows %v, want %v %v", text, reads, flows, want[0], want[1])
		}
	}
}
