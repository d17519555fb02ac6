package main

import (
	"encoding/json"
	"errors"

	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
)

// newInspectCommand prints the Rego input of files: what a policy author's
// rule sees (docs/model.md describes it).
func newInspectCommand() *cobra.Command {
	var system string
	cmd := &cobra.Command{
		Use:   "inspect PATH...",
		Short: "Print the Rego input document of CI files, as rules see it",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, _, err := parser.Discover(args, parser.Options{System: model.System(system)})
			if err != nil {
				return err
			}
			var errs []error
			var inputs []any
			for _, f := range files {
				result := parser.Parse(f)
				if result.Err != nil {
					errs = append(errs, result.Err)
				}
				p := result.Pipeline
				if p == nil {
					continue
				}
				input, err := engine.Input(p)
				if err != nil {
					return err
				}
				inputs = append(inputs, input)
			}
			encoder := json.NewEncoder(cmd.OutOrStdout())
			encoder.SetIndent("", "  ")
			encoder.SetEscapeHTML(false)
			if err := encoder.Encode(inputs); err != nil {
				return err
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().StringVar(&system, "system", "", "treat every file as this system: "+parser.SystemNames())
	return cmd
}
