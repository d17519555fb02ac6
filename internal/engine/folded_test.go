package engine

import (
	"bytes"
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/pipelint/pipelint/rules"
)

// The folded tables of the built-in rules are generated; New folds them
// again, slower, when they are stale.
func TestFoldedTablesAreCurrent(t *testing.T) {
	data, err := FoldTables(context.Background(), rules.FS)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != foldedTablesJSON {
		t.Fatal("folded_tables.json is stale: run go generate ./internal/engine")
	}
}

// Each generated package reads back as the values evaluating it gives.
func TestFoldedTablesReadBack(t *testing.T) {
	modules, err := loadModules([]policyTree{{fsys: rules.FS}}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range tablePackages {
		parsed := map[string]module{}
		for name, mod := range modules {
			if mod.Package.Path.String() == pkg {
				parsed[name] = mod
			}
		}
		want, err := evaluateTables(context.Background(), pkg, parsed, defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := generatedTables(pkg, tablesKey(pkg, parsed))
		if err != nil || !ok {
			t.Fatalf("%s: not generated (%v)", pkg, err)
		}
		if got.Compare(want) != 0 {
			t.Errorf("%s: read back\n%v\nwant\n%v", pkg, got, want)
		}
	}
}

// Every kind of Rego value reads back as written, JSON or not.
func TestFoldedValuesReadBack(t *testing.T) {
	matcher := `{"names": ["npm", "yarn"], "args": ["{test,t}"], "no_positional": true}`
	tables := ast.MustParseTerm(`{
		"sets": {set(), {1, 2.5, -3e2}, {` + matcher + `}},
		"by_name": {"npm": {` + matcher + `}, "yarn": {` + matcher + `}},
		"keys": {1: "one", ["a"]: null, "$set": [], "": {}},
		"strings": ["quote \" backslash \\ tab \t", "\u2028 <&> é", "` + "`" + `raw` + "`" + `"],
		"flags": [true, false, null, []],
	}`).Value.(ast.Object)
	var buf bytes.Buffer
	if err := writeTables(&buf, tables); err != nil {
		t.Fatal(err)
	}
	got, err := readFolded(buf.String())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if got.Compare(tables) != 0 {
		t.Errorf("read back\n%v\nwant\n%v\nfrom\n%s", got, tables, buf.String())
	}
}
