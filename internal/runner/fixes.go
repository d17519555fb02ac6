package runner

import (
	"context"
	"fmt"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/fix"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/secret"
)

// withEdits gives each finding of a checked file whose fix can be made
// without the network the edits `pipelint fix --unsafe` makes for it
// (finding.Finding.Edits), for the reports: SARIF fixes, the text
// report's marks. A file whose fixes cannot be applied (the fixed text
// would not parse to the same pipeline) gives none. No report may quote
// a secret, so a change whose text holds one, by the file's masker or
// among the values its sensitive findings flagged, is left out.
func withEdits(ctx context.Context, f parser.File, r fileResult) []finding.Finding {
	var fixes int
	for _, found := range r.findings {
		if found.Fix != nil && found.Fix.Kind != finding.PinReference && !found.Sensitive {
			fixes++
		}
	}
	if fixes == 0 {
		return r.findings
	}
	_, out, err := FixFile(ctx, f, r.findings, fix.Options{Unsafe: true})
	if err != nil {
		return r.findings
	}
	masker := r.masker
	if masker == nil {
		masker = secret.Default()
	}
	flagged := secret.NewValues(r.flagged)
	edits := map[*finding.Fix][]finding.TextEdit{}
	for _, fixed := range out.Fixed {
		if !fixed.Sensitive && !holdsSecret(fixed.Edits, masker, flagged) {
			edits[fixed.Fix] = fixed.Edits
		}
	}
	findings := make([]finding.Finding, len(r.findings))
	for i, found := range r.findings {
		found.Edits = edits[found.Fix]
		findings[i] = found
	}
	return findings
}

func holdsSecret(edits []finding.TextEdit, masker *secret.Masker, flagged *secret.Values) bool {
	for _, e := range edits {
		if len(masker.Spans(e.New)) > 0 || len(flagged.Spans(e.New)) > 0 {
			return true
		}
	}
	return false
}

// FixFile applies the fixes of a checked file's findings to its text, as
// read now, parsing the fixed text as the check parsed the file; it
// returns that text and the outcome (see fix.File).
func FixFile(ctx context.Context, f parser.File, findings []finding.Finding, opts fix.Options) ([]byte, *fix.Outcome, error) {
	src, err := parser.ReadSource(f, f.Display)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.Display, err)
	}
	parse := func(text []byte) (*model.Pipeline, error) {
		result := parser.ParseText(ctx, f, text)
		return result.Pipeline, result.Err
	}
	out, err := fix.File(ctx, fix.Source{Name: f.Display, Src: src, Parse: parse}, findings, opts)
	return src, out, err
}
