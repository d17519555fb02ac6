package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/runner"
)

// newInspectCommand prints the Rego input of files: what a policy author's
// rule sees (docs/model.md describes it).
func newInspectCommand() *cobra.Command {
	var system string
	var showSecrets bool
	var policy policyFlags
	cmd := &cobra.Command{
		Use:   "inspect PATH...",
		Short: "Print the Rego input document of CI files, as rules see it",
		Long: `Inspect prints the Rego input document of each CI file, as rules see it
(docs/model.md describes it). Secrets are masked as in every other output:
values the rules of the file's configuration and policies flag as secrets,
literals under secret names, tokens of a known shape (the policies' shapes
too) and passwords in URLs, wherever they occur, the source lines included.
--show-secrets prints them as written.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			inputs, errs, err := runner.Inspect(cmd.Context(), args, runner.Options{
				Policy:    policy.PolicyOptions,
				Discovery: parser.Options{System: model.System(system)},
			}, showSecrets)
			var configErr *runner.ConfigError
			if errors.As(err, &configErr) {
				return reportConfigError(cmd.ErrOrStderr(), configErr.Err)
			}
			if err != nil {
				return err
			}
			if err := report.WriteJSON(cmd.OutOrStdout(), inputs); err != nil { // the files' text, safe for a CI log
				return err
			}
			joined := make([]error, len(errs))
			for i, e := range errs {
				joined[i] = e
			}
			return errors.Join(joined...)
		},
	}
	cmd.Flags().StringVar(&system, "system", "", "treat every file as this system: "+parser.SystemNames())
	cmd.Flags().BoolVar(&showSecrets, "show-secrets", false, "print secrets as written instead of masking them")
	policy.register(cmd)
	return cmd
}
