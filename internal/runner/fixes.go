package runner

import (
	"context"
	"fmt"
	"slices"

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
// among the values its sensitive findings flagged, is left out. before,
// when not nil, is the file's model as the check parsed it, which the
// fixes then change, and no one may read after.
func withEdits(ctx context.Context, f parser.File, r fileResult, before *model.Pipeline) []finding.Finding {
	if !slices.ContainsFunc(r.findings, fixedOffline) {
		return r.findings
	}
	_, out, err := fixFile(ctx, f, before, r.findings, fix.Options{Unsafe: true})
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

// fixedOffline says whether withEdits works out the edits of a finding's
// fix.
func fixedOffline(found finding.Finding) bool {
	return found.Fix != nil && found.Fix.Kind != finding.PinReference && !found.Sensitive
}

// withEditsInBudget gives the findings of a file evaluated their edits
// (withEdits) in what is left of the file's time budget: the fixes parse
// the fixed text, which on a large file may cost as much as its check.
// Edits not worked out in time are left out, with a warning; the findings
// stay.
func (pf *parsedFile) withEditsInBudget(ctx context.Context, limits *budget, r fileResult) fileResult {
	if !slices.ContainsFunc(r.findings, fixedOffline) {
		return r
	}
	left := func(why string) fileResult {
		r.warnings = append(r.warnings, &model.ParseError{Pos: model.Pos{File: pf.file.Display, Line: 1, Column: 1}, Message: "the edits of the fixes are left out: " + why})
		return r
	}
	if err := limits.acquire(); err != nil {
		return left("earlier files are still being parsed past their time limit")
	}
	// The fixes read the model the check parsed instead of parsing the
	// file again; they change none of it (a pipeline in the repository
	// view is read by the checks of the repository's other files), and
	// this copy leaves out what the parse does not give.
	var before *model.Pipeline
	if pf.pipeline != nil {
		lent := *pf.pipeline
		lent.Repository, lent.Resolved = nil, nil
		before = &lent
	}
	ctx, cancel := context.WithTimeout(ctx, limits.timeout-pf.parsing-pf.evaluating)
	defer cancel()
	// Abandoned at the deadline, the work goes on with copies of its own.
	file, checked := pf.file, r
	findings, ok := inBackground(ctx, limits, func() []finding.Finding { return withEdits(ctx, file, checked, before) })
	if !ok {
		return left(fmt.Sprintf("working them out took longer than was left of the file's time limit of %s", limits.timeout))
	}
	r.findings = findings
	return r
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
	return fixFile(ctx, f, nil, findings, opts)
}

// fixFile is FixFile given, when before is not nil, the model of the file
// as the check parsed it (see fix.Source.Before).
func fixFile(ctx context.Context, f parser.File, before *model.Pipeline, findings []finding.Finding, opts fix.Options) ([]byte, *fix.Outcome, error) {
	src, err := parser.ReadSource(f, f.Display)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", f.Display, err)
	}
	parse := func(text []byte) (*model.Pipeline, error) {
		result := parser.ParseText(ctx, f, text)
		return result.Pipeline, result.Err
	}
	out, err := fix.File(ctx, fix.Source{Name: f.Display, Src: src, Parse: parse, Before: before}, findings, opts)
	return src, out, err
}
