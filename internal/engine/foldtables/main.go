// Command foldtables writes the folded tables of the built-in rules to the
// first file it is given, for engine.New, and their secret tables to the
// second, for package secret: go generate ./internal/engine
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/rules"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: foldtables FOLDED_FILE SECRET_TABLES_FILE")
		os.Exit(2)
	}
	if err := write(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "foldtables:", err)
		os.Exit(1)
	}
}

func write(foldedFile, secretFile string) error {
	data, err := engine.FoldTables(context.Background(), rules.FS)
	if err != nil {
		return err
	}
	if err := os.WriteFile(foldedFile, data, 0o644); err != nil {
		return err
	}
	tables, err := engine.SecretTables(data)
	if err != nil {
		return err
	}
	secretData, err := json.MarshalIndent(tables, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(secretFile, append(secretData, '\n'), 0o644)
}
