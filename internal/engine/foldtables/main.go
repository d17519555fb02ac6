// Command foldtables writes the folded tables of the built-in rules to the
// file it is given, for engine.New: go generate ./internal/engine
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/rules"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: foldtables FILE")
		os.Exit(2)
	}
	data, err := engine.FoldTables(context.Background(), rules.FS)
	if err == nil {
		err = os.WriteFile(os.Args[1], data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "foldtables:", err)
		os.Exit(1)
	}
}
