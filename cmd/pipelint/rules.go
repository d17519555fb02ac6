package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/config"
	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/runner"
	"github.com/pipelint/pipelint/rules"
)

func newRulesCommand() *cobra.Command {
	var opts policyFlags
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its severity and title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			policy, err := runner.LoadPolicy(cmd.Context(), ".", opts.PolicyOptions)
			if err != nil {
				return reportConfigError(cmd.ErrOrStderr(), err)
			}
			return printRuleTable(cmd.OutOrStdout(), policy.Engine.Rules())
		},
	}
	opts.register(cmd)
	return cmd
}

func printRuleTable(w io.Writer, rules []finding.Rule) error {
	table := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(table, "ID\tSEVERITY\tTITLE")
	for _, r := range rules {
		fmt.Fprintf(table, "%s\t%s\t%s\n", report.Escape(r.ID), r.Severity, report.Escape(r.Title)) // a policy's, maybe a repository's
	}
	return table.Flush()
}

func newConfigCommand() *cobra.Command {
	var opts policyFlags
	printCmd := &cobra.Command{
		Use:   "print",
		Short: "Print the effective configuration: every rule with its severity, state and options",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			policy, err := runner.LoadPolicy(cmd.Context(), ".", opts.PolicyOptions)
			if err != nil {
				return reportConfigError(cmd.ErrOrStderr(), err)
			}
			// The configuration is the repository's, keys and values: escaped
			// for terminals and CI logs as the reports are.
			var printed strings.Builder
			if err := config.Print(&printed, config.Effective(policy.Config, policy.Engine.Rules())); err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), report.EscapeLines(printed.String()))
			return err
		},
	}
	opts.register(printCmd)
	cmd := &cobra.Command{Use: "config", Short: "Inspect the configuration"}
	cmd.AddCommand(printCmd)
	return cmd
}

func newInitCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter .pipelint.yaml in the current directory",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			file, err := os.OpenFile(config.FileNames[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s already exists", config.FileNames[0])
			}
			if err != nil {
				return err
			}
			if _, err := io.WriteString(file, config.Starter); err != nil {
				file.Close()
				return err
			}
			if err := file.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", config.FileNames[0])
			return nil
		},
	}
}

func newPolicyCommand() *cobra.Command {
	test := &cobra.Command{
		Use:   "test DIR",
		Short: "Run the Rego unit tests (_test.rego) of a policy directory, under pipelint's sandbox",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyTests(cmd.Context(), cmd.OutOrStdout(), args[0])
		},
	}
	doc := &cobra.Command{
		Use:   "doc DIR",
		Short: "Print the rule table of a policy directory",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			eng, err := runner.NewEngine(cmd.Context(), args, nil, nil)
			if err != nil {
				return reportConfigError(cmd.ErrOrStderr(), err)
			}
			var custom []finding.Rule
			for _, r := range eng.Rules() {
				if r.Custom {
					custom = append(custom, r)
				}
			}
			return printRuleTable(cmd.OutOrStdout(), custom)
		},
	}
	cmd := &cobra.Command{Use: "policy", Short: "Work with custom policy directories"}
	cmd.AddCommand(test, doc)
	return cmd
}

// runPolicyTests runs a directory's Rego tests with the built-in rules and
// libraries loaded, as its rules see them, and reports only its own tests.
func runPolicyTests(ctx context.Context, w io.Writer, dir string) error {
	results, err := engine.RunPolicyTests(ctx, rules.FS, filepath.ToSlash(filepath.Clean(dir)), os.DirFS(dir))
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		status := "PASS"
		switch {
		case r.Error != nil:
			status, failed = "ERROR "+report.Escape(r.Error.Error()), failed+1
		case r.Fail:
			status, failed = "FAIL", failed+1
		case r.Skip:
			status = "SKIP"
		}
		fmt.Fprintf(w, "%s.%s: %s\n", report.Escape(r.Package), report.Escape(r.Name), status)
	}
	fmt.Fprintf(w, "%d tests, %d failed\n", len(results), failed)
	if failed > 0 || len(results) == 0 {
		return &exitCodeError{exitFindings}
	}
	return nil
}
