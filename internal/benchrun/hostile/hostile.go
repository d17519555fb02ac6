// Package hostile writes the large inputs that hostile repositories hold,
// for the tests that check pipelint copes with them (cmd/pipelint
// hostile_test.go) and for make bench, which times them.
package hostile

import (
	"fmt"
	"strings"
)

// LongRunWorkflow is a GitHub workflow of about size bytes whose one step
// runs a single `run:` line of short commands (`echo a; echo a; …`): each
// command becomes a node of the model, with its words and positions.
func LongRunWorkflow(size int) []byte {
	const head = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "
	const command = "echo a; "
	n := max(size-len(head)-1, 0) / len(command)
	return []byte(head + strings.Repeat(command, n) + "\n")
}

// DeployJobs is a GitHub workflow of n jobs, each deploying to production
// with kubectl: rules that compare jobs pairwise take n² steps.
func DeployJobs(n int) []byte {
	var b strings.Builder
	b.WriteString("on: push\njobs:\n")
	for i := range n {
		fmt.Fprintf(&b, "  deploy%d:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - uses: actions/checkout@v4\n      - run: kubectl apply -f k8s/%d.yaml\n", i, i)
	}
	return []byte(b.String())
}
