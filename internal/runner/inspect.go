package runner

import (
	"context"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/secret"
)

// Inspect returns the rule input of each CI file under paths, as its rules
// see it (pipelint inspect), and the errors of the files that could not be
// parsed in full. Files are found, governed by their repository's
// configuration and parsed as Check does it, each within its budget; the
// child pipelines they start are not followed. Unless showSecrets, every
// string is masked as the reports are: the values the sensitive findings of
// the file's policies flag, wherever they occur, literals under secret
// names, and whatever the masker of those policies finds. The error is a
// *ConfigError, or a discovery error, and then nothing is inspected.
func Inspect(ctx context.Context, paths []string, opts Options, showSecrets bool) ([]any, []*model.ParseError, error) {
	limits := newBudget(opts)
	discovery := opts.Discovery
	discovery.ParseIncluder = func(f parser.File) (syntax.Result, error) { return limits.parseIncluder(ctx, f) }
	files, _, err := parser.Discover(paths, discovery)
	if err != nil {
		return nil, nil, err
	}
	governing := newPolicies(ctx, opts.Policy)
	var inputs []any
	var errs []*model.ParseError
	for _, f := range files {
		pol, err := governing.of(f)
		if err != nil {
			return nil, nil, &ConfigError{err}
		}
		input, fileErrs := inspectFile(ctx, limits, pol, f, showSecrets)
		if input != nil {
			inputs = append(inputs, input)
		}
		errs = append(errs, fileErrs...)
	}
	return inputs, errs, nil
}

func inspectFile(ctx context.Context, limits *budget, pol *Policy, f parser.File, showSecrets bool) (any, []*model.ParseError) {
	if err := limits.acquire(); err != nil {
		return nil, flattenErrors(f.Display, err)
	}
	ctx, cancel := context.WithTimeout(ctx, limits.timeout)
	defer cancel()
	parsed, ok := limits.parse(ctx, f)
	if !ok {
		return nil, flattenErrors(f.Display, limits.timedOut())
	}
	errs := flattenErrors(f.Display, parsed.Err)
	p := parsed.Pipeline
	if p != nil {
		if err := limits.tooLarge(p); err != nil {
			return nil, append(errs, flattenErrors(f.Display, err)...)
		}
	}
	if showSecrets {
		return inputOf(p, nil)
	}
	var flagged *secret.Values
	if p != nil {
		// Should the rules fail, the masker still masks what it can.
		findings, _ := pol.Engine.Evaluate(ctx, p)
		flagged = secret.NewValues(flaggedValues(p, findings))
	}
	masker := pol.Engine.Masker()
	input, inputErrs := inputOf(p, func(text string) string {
		return secret.Apply(text, masker.Spans(text, flagged.Spans(text)...))
	})
	if input != nil {
		maskLiteralSecrets(input, masker)
	}
	return input, masker.MaskErrors(append(errs, inputErrs...), flagged)
}

// inputOf is the rule input of p, each of its strings passed through mask
// when it is set; nil for no pipeline.
func inputOf(p *model.Pipeline, mask func(string) string) (any, []*model.ParseError) {
	if p == nil {
		return nil, nil
	}
	input, err := engine.Input(p)
	if err != nil {
		return nil, flattenErrors(p.File, err)
	}
	if mask != nil {
		input = mapStrings(input, mask)
	}
	return input, nil
}

// mapStrings replaces every string of a JSON value by mask of it.
func mapStrings(v any, mask func(string) string) any {
	switch v := v.(type) {
	case string:
		return mask(v)
	case []any:
		for i := range v {
			v[i] = mapStrings(v[i], mask)
		}
	case map[string]any:
		for key := range v {
			v[key] = mapStrings(v[key], mask)
		}
	}
	return v
}

// maskLiteralSecrets replaces the value of every literal variable whose
// name says it holds a secret by its preview, as the plaintext-secret rule
// would report it.
func maskLiteralSecrets(v any, masker *secret.Masker) {
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			maskLiteralSecrets(item, masker)
		}
	case map[string]any:
		if name, value, ok := literalVar(v); ok && masker.IsSecretName(name) && masker.IsLiteral(value["value"].(string)) {
			value["value"] = secret.Preview(value["value"].(string))
		}
		for _, item := range v {
			maskLiteralSecrets(item, masker)
		}
	}
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
