// Command pipelint checks CI/CD pipeline definitions (GitHub Actions,
// GitLab CI, Jenkins) against security and reliability policies written in
// Rego.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Exit codes. They are decided here and nowhere else.
const (
	exitClean    = 0 // no findings at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // bad usage, or a file that could not be read or parsed
)

// memoryLimit is when the garbage collector runs: a scan of thousands of
// files keeps only findings, so the live heap stays far below it, and
// collecting only near this size instead of every time the heap doubles
// takes a quarter off the time of a large scan while keeping its footprint
// bounded (docs/performance.md). GOGC and GOMEMLIMIT, when set, win.
const memoryLimit = 100 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(memoryLimit)
		if _, set := os.LookupEnv("GOGC"); !set {
			debug.SetGCPercent(-1)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// exitCodeError carries an exit code out of a command without printing.
type exitCodeError struct{ code int }

func (e *exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run executes the command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "pipelint",
		Short:         "Check CI/CD pipelines (GitHub Actions, GitLab CI, Jenkins) for security and reliability problems",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCheckCommand(), newRulesCommand(), newConfigCommand(), newInitCommand(), newPolicyCommand(), newInspectCommand(), newVersionCommand())
	err := root.Execute()
	var exit *exitCodeError
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &exit):
		return exit.code
	default:
		fmt.Fprintf(stderr, "pipelint: %v\n", err)
		return exitError
	}
}

// version is the module version when built with `go install`, else "dev".
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the pipelint version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "pipelint %s\n", version())
			return nil
		},
	}
}
