package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/secret"
	"github.com/pipelint/pipelint/rules"
)

// newInspectCommand prints the Rego input of files: what a policy author's
// rule sees (docs/model.md describes it).
func newInspectCommand() *cobra.Command {
	var system string
	var showSecrets bool
	cmd := &cobra.Command{
		Use:   "inspect PATH...",
		Short: "Print the Rego input document of CI files, as rules see it",
		Long: `Inspect prints the Rego input document of each CI file, as rules see it
(docs/model.md describes it). Secrets are masked as in every other output:
values the plaintext-secret rule reports, literals under secret names,
tokens of a known shape and passwords in URLs, wherever they occur, the
source lines included. --show-secrets prints them as written.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, _, err := parser.Discover(args, parser.Options{System: model.System(system)})
			if err != nil {
				return err
			}
			masker := &inputMasker{ctx: cmd.Context()}
			var errs []error
			var inputs []any
			for _, f := range files {
				result := parser.Parse(f)
				if result.Err != nil {
					if !showSecrets {
						result.Err = errors.New(secret.Default().Mask(result.Err.Error()))
					}
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
				if !showSecrets {
					input = masker.mask(p, input)
				}
				inputs = append(inputs, input)
			}
			if err := report.WriteJSON(cmd.OutOrStdout(), inputs); err != nil { // the files' text, safe for a CI log
				return err
			}
			return errors.Join(errs...)
		},
	}
	cmd.Flags().StringVar(&system, "system", "", "treat every file as this system: "+parser.SystemNames())
	cmd.Flags().BoolVar(&showSecrets, "show-secrets", false, "print secrets as written instead of masking them")
	return cmd
}

// inputMasker masks the secrets of input documents. The secrets the
// built-in rules report (a password after docker login -p, a literal under
// a secret name) are masked wherever their value occurs; the masker of
// package secret then masks what it finds in every string.
type inputMasker struct {
	ctx    context.Context
	engine *engine.Engine // built on first use; nil when it cannot be
	built  bool
}

func (m *inputMasker) mask(p *model.Pipeline, input any) any {
	return maskStrings(input, m.secretValues(p))
}

// secretValues are the values at the spans of the sensitive findings of
// the built-in rules, as written and without quotes.
func (m *inputMasker) secretValues(p *model.Pipeline) []string {
	if !m.built {
		m.built = true
		m.engine, _ = engine.New(m.ctx, engine.WithPolicies(rules.FS))
	}
	if m.engine == nil {
		return nil
	}
	findings, err := m.engine.Evaluate(m.ctx, p)
	if err != nil { // the masker of package secret still masks what it can
		return nil
	}
	var values []string
	for _, f := range findings {
		if !f.Sensitive {
			continue
		}
		if value, ok := secret.ValueAt(p.Lines(f.Pos.File), f.Pos); ok {
			values = append(values, value, strings.Trim(value, `"'`))
		}
	}
	return values
}

// maskStrings masks the secrets in every string of a JSON value and the
// value of every literal Var whose name says it is a secret.
func maskStrings(v any, values []string) any {
	switch v := v.(type) {
	case string:
		return secret.Default().Mask(secret.MaskValues(v, values))
	case []any:
		for i := range v {
			v[i] = maskStrings(v[i], values)
		}
	case map[string]any:
		if name, value, ok := literalVar(v); ok && secret.Default().IsSecretName(name) && secret.Default().IsLiteral(value["value"].(string)) {
			value["value"] = secret.Preview(value["value"].(string))
		}
		for key := range v {
			v[key] = maskStrings(v[key], values)
		}
	}
	return v
}

// literalVar tells whether obj is a model.Var holding a literal, and
// returns its name and its value object.
func literalVar(obj map[string]any) (name string, value map[string]any, ok bool) {
	if obj["source"] != "literal" {
		return "", nil, false
	}
	nameObj, _ := obj["name"].(map[string]any)
	value, _ = obj["value"].(map[string]any)
	if nameObj == nil || value == nil {
		return "", nil, false
	}
	name, _ = nameObj["value"].(string)
	_, isString := value["value"].(string)
	return name, value, isString
}
