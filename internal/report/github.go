package report

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
)

var _ Reporter = (*GitHub)(nil)

// GitHub is GitHub Actions workflow commands, which the runner turns into
// annotations on the run and on the changed lines of a pull request. One
// line per parse error, then one per finding:
//
//	::error file=docs/ci.yml,line=3,col=5,title=pipelint could not check this file::mapping values are not allowed in this context
//	::error file=.github/workflows/ci.yml,line=9,col=15,endLine=9,endColumn=34,title=pipelint unpinned-action::"actions/checkout@v4" is not pinned to a commit
//
// Critical and high findings are errors, medium ones warnings, low and info
// notices. Columns are only given for a span on one line, because GitHub
// rejects col and endColumn on an annotation over several lines. endColumn
// is exclusive, as in SARIF. It carries no source text.
type GitHub struct{}

func (*GitHub) Report(w io.Writer, run *Run) error {
	var out bytes.Buffer
	for _, e := range run.Errors {
		properties := []commandProperty{{"file", e.Pos.File}}
		if e.Pos.Line > 0 {
			properties = append(properties,
				commandProperty{"line", strconv.Itoa(e.Pos.Line)},
				commandProperty{"col", strconv.Itoa(max(e.Pos.Column, 1))})
		}
		properties = append(properties, commandProperty{"title", "pipelint could not check this file"})
		writeWorkflowCommand(&out, "error", properties, e.Message)
	}
	for _, f := range run.Findings {
		r := regionOf(f.Pos)
		properties := []commandProperty{{"file", f.Pos.File}, {"line", strconv.Itoa(r.StartLine)}}
		if r.EndLine == r.StartLine {
			properties = append(properties,
				commandProperty{"col", strconv.Itoa(r.StartColumn)},
				commandProperty{"endLine", strconv.Itoa(r.EndLine)},
				commandProperty{"endColumn", strconv.Itoa(r.EndColumn)})
		} else {
			properties = append(properties, commandProperty{"endLine", strconv.Itoa(r.EndLine)})
		}
		properties = append(properties, commandProperty{"title", "pipelint " + f.RuleID})
		writeWorkflowCommand(&out, annotationLevel(f.Severity), properties, f.Message)
	}
	_, err := w.Write(out.Bytes())
	return err
}

type commandProperty struct{ name, value string }

// The runner reads a command up to the end of the line, its properties up
// to "," and each name up to "=", so data must not hold a line break and a
// property value no "," or ":" either; "%" is escaped so that the runner's
// unescaping gives back the original text. These are the escapes of
// actions/toolkit's core.issueCommand (toCommandValue, escapeData,
// escapeProperty) and of the runner's ActionCommand. Before them, other
// control characters are written as Go escapes (escape), since the runner
// prints the annotation into the log, which renders ANSI sequences, and
// log commands are neutralised as everywhere else.
var (
	escapeCommandData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	escapeCommandProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// writeWorkflowCommand writes "::name key=value,…::data", leaving out
// empty properties as the toolkit does.
func writeWorkflowCommand(out *bytes.Buffer, name string, properties []commandProperty, data string) {
	out.WriteString("::" + name)
	separator := " "
	for _, p := range properties {
		if p.value == "" {
			continue
		}
		out.WriteString(separator + p.name + "=" + escapeCommandProperty.Replace(escape(p.value, true)))
		separator = ","
	}
	out.WriteString("::" + escapeCommandData.Replace(escape(data, true)) + "\n")
}

func annotationLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Low, finding.Info:
		return "notice"
	}
	return "warning"
}
