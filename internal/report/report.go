// Package report prints the result of a pipelint run as text for people,
// SARIF 2.1.0 for GitHub code scanning, JSON for scripts, GitHub workflow
// commands for annotations, a GitLab Code Quality report, or a Markdown
// summary for job summaries and merge request comments.
//
// Reporters only format: they never filter, sort or choose exit codes. Source
// text appears only in the text format, and a secret in it is masked; SARIF
// and JSON carry positions, never source.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/secret"
)

// Run is what one pipelint run produced, in the order the reporters print it.
type Run struct {
	ToolVersion string
	// Rules is every rule that exists, sorted by ID (SARIF lists all of them,
	// so that a result's ruleIndex is stable across runs).
	Rules []finding.Rule
	// Findings are already sorted by file, line, column and rule.
	Findings []finding.Finding
	// Suppressed are the findings an inline ignore silenced. Only the
	// summaries count them, and SARIF lists them when asked to.
	Suppressed []Suppressed
	// Errors are the files that could not be read or parsed.
	Errors       []*model.ParseError
	FilesChecked int
	// Notices end the summary: what another report of the run leaves out,
	// such as a SARIF report over GitHub's limits.
	Notices []string
	// Source returns a checked file by display path, for snippets; it may
	// be nil, or return a Source without lines.
	Source func(file string) Source
}

// Source is a checked file as the text report shows it: its lines, and
// what masks the secrets they hold.
type Source struct {
	// Lines are the file's lines as the model holds them
	// (model.SourceFile), which positions count.
	Lines []string
	// Masker finds secrets in any text: the token shapes of the built-in
	// tables and of the policies of the file's check. nil stands for
	// secret.Default().
	Masker *secret.Masker
	// Flagged finds the values the sensitive findings of the checks that
	// read the file flagged: a snippet masks them wherever they occur, as
	// the engine masks them in messages. nil finds nothing.
	Flagged *secret.Values
}

// Suppressed is a finding silenced by an inline ignore, and the reason given.
type Suppressed struct {
	Finding finding.Finding
	Reason  string
}

// Reporter writes a Run in one format.
type Reporter interface {
	Report(w io.Writer, run *Run) error
}

// ShowsFixes reports whether r shows what `pipelint fix` would change
// (finding.Finding.Edits): SARIF's fixes, the marks and counts of the
// text and Markdown reports. Working the edits out parses each file with
// a fix again, a tenth of a check, which the other formats need not pay.
func ShowsFixes(r Reporter) bool {
	switch r.(type) {
	case *Text, *SARIF, *Markdown:
		return true
	}
	return false
}

// Options tune the reporters; each format reads only what applies to it.
type Options struct {
	// Color turns on ANSI colours in the text format. The caller decides,
	// from isatty and NO_COLOR; reporters never look at the terminal.
	Color bool
	// SARIFCategory names the analysis in GitHub code scanning
	// (automationDetails.id "<category>/"), so that the alerts of separate
	// analyses of one commit stay apart. Empty leaves it to the uploader.
	SARIFCategory string
	// IncludeSuppressed makes SARIF list suppressed findings as results
	// with suppressions (GitHub shows them as open alerts, so it is off by
	// default).
	IncludeSuppressed bool
}

// Formats lists the names New accepts.
var Formats = []string{"text", "sarif", "json", "github", "gitlab", "markdown"}

// New returns the reporter for a format name.
func New(format string, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return &Text{Color: opts.Color}, nil
	case "sarif":
		return &SARIF{Category: opts.SARIFCategory, IncludeSuppressed: opts.IncludeSuppressed}, nil
	case "json":
		return &JSON{}, nil
	case "github":
		return &GitHub{}, nil
	case "gitlab":
		return &GitLab{}, nil
	case "markdown":
		return &Markdown{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// region is a finding's span made safe to print: every field is at least 1,
// the end is never before the start, and a one-line span is never empty.
type region struct {
	StartLine, StartColumn, EndLine, EndColumn int
}

// regionOf normalises a position. An unset end (EndLine 0) means the span
// stays on the start line; an unset or inverted end column covers one
// character, so that a caret and a SARIF region always show something.
func regionOf(pos model.Pos) region {
	r := region{
		StartLine:   max(pos.Line, 1),
		StartColumn: max(pos.Column, 1),
		EndLine:     pos.EndLine,
		EndColumn:   pos.EndColumn,
	}
	if r.EndLine <= r.StartLine {
		r.EndLine = r.StartLine
		if r.EndColumn <= r.StartColumn {
			r.EndColumn = r.StartColumn + 1
		}
	}
	r.EndColumn = max(r.EndColumn, 1)
	return r
}
