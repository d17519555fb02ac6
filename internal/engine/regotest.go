package engine

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// RunRegoTests runs the test_ rules of every _test.rego file in the trees,
// compiled with the same capabilities as production rules.
func RunRegoTests(ctx context.Context, trees ...fs.FS) ([]*tester.Result, error) {
	var policyTrees []policyTree
	for _, fsys := range trees {
		policyTrees = append(policyTrees, policyTree{fsys: fsys})
	}
	return runTests(ctx, policyTrees)
}

// RunPolicyTests runs the Rego tests of a user's policy directory with the
// built-in policies loaded beside it, as its rules see them, and returns
// only the directory's own results, sorted.
func RunPolicyTests(ctx context.Context, builtIn fs.FS, name string, dir fs.FS) ([]*tester.Result, error) {
	all, err := runTests(ctx, []policyTree{{fsys: builtIn}, {name: name, fsys: dir, custom: true}})
	if err != nil {
		return nil, err
	}
	var own []*tester.Result
	for _, r := range all {
		if r.Location != nil && strings.HasPrefix(r.Location.File, name+"/") {
			own = append(own, r)
		}
	}
	slices.SortFunc(own, func(a, b *tester.Result) int {
		return cmp.Or(strings.Compare(a.Package, b.Package), strings.Compare(a.Name, b.Name))
	})
	return own, nil
}

func runTests(ctx context.Context, policyTrees []policyTree) ([]*tester.Result, error) {
	loaded, err := loadModules(policyTrees, true)
	if err != nil {
		return nil, err
	}
	if err := checkSandbox(loaded); err != nil {
		return nil, err
	}
	modules := map[string]*ast.Module{}
	for name, mod := range loaded {
		modules[name] = mod.Module
	}
	compiler := ast.NewCompiler().WithCapabilities(Capabilities()).WithEnablePrintStatements(true)
	runner := tester.NewRunner().SetCompiler(compiler).SetModules(modules)
	results, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	var all []*tester.Result
	for r := range results {
		all = append(all, r)
	}
	return all, nil
}
