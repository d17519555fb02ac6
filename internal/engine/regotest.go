package engine

import (
	"context"
	"fmt"
	"io/fs"

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
