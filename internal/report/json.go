package report

import (
	"io"

	"github.com/pipelint/pipelint/internal/finding"
)

var _ Reporter = (*JSON)(nil)

// JSON is the format for scripts. Its shape is stable: a field is only ever
// added, and "version" changes when anything else does. Lists are [] when
// empty, never null, and there is no source text in it.
//
//	{
//	  "version": 1,
//	  "tool": {"name": "pipelint", "version": "0.1.0"},
//	  "summary": {
//	    "files": 4,       // files checked
//	    "findings": 3,
//	    "suppressed": 2,  // findings silenced by inline ignores (not listed)
//	    "errors": 1,      // files that could not be read or parsed
//	    "by_severity": {"critical": 0, "high": 1, "medium": 2, "low": 0, "info": 0}
//	  },
//	  "findings": [{
//	    "rule_id": "unpinned-action",
//	    "severity": "high",              // critical, high, medium, low or info
//	    "message": "\"actions/checkout@v4\" is not pinned to a commit",
//	    "file": ".github/workflows/ci.yml",  // relative to the scanned root, forward slashes
//	    "line": 12, "column": 15,        // 1-based; columns count Unicode code points
//	    "end_line": 12, "end_column": 34, // end_column is exclusive
//	    "fingerprint": "…"               // stable across runs; "" when the engine has none
//	  }],
//	  "errors": [{"file": ".gitlab-ci.yml", "line": 3, "column": 1, "message": "…"}]
//	}
//
// An error's line and column are 0 when the file could not be read at all.
// Findings and errors keep the order of the Run.
type JSON struct{}

// JSONVersion is the "version" of the document JSON writes.
const JSONVersion = 1

type jsonDocument struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Summary  jsonSummary   `json:"summary"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Findings   int            `json:"findings"`
	Suppressed int            `json:"suppressed"`
	Errors     int            `json:"errors"`
	BySeverity jsonBySeverity `json:"by_severity"`
}

// jsonBySeverity is a struct, not a map, so that every severity is always
// present and in order from the most severe.
type jsonBySeverity struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

type jsonFinding struct {
	RuleID      string `json:"rule_id"`
	Severity    string `json:"severity"`
	Message     string `json:"message"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
	Fingerprint string `json:"fingerprint"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func (*JSON) Report(w io.Writer, run *Run) error {
	document := jsonDocument{
		Version: JSONVersion,
		Tool:    jsonTool{Name: "pipelint", Version: run.ToolVersion},
		Summary: jsonSummary{
			Files:      run.FilesChecked,
			Findings:   len(run.Findings),
			Suppressed: len(run.Suppressed),
			Errors:     len(run.Errors),
		},
		Findings: make([]jsonFinding, 0, len(run.Findings)),
		Errors:   make([]jsonError, 0, len(run.Errors)),
	}
	counts := map[finding.Severity]*int{
		finding.Critical: &document.Summary.BySeverity.Critical,
		finding.High:     &document.Summary.BySeverity.High,
		finding.Medium:   &document.Summary.BySeverity.Medium,
		finding.Low:      &document.Summary.BySeverity.Low,
		finding.Info:     &document.Summary.BySeverity.Info,
	}
	for _, f := range run.Findings {
		if count, ok := counts[f.Severity]; ok {
			*count++
		}
		r := regionOf(f.Pos)
		document.Findings = append(document.Findings, jsonFinding{
			RuleID:      f.RuleID,
			Severity:    string(f.Severity),
			Message:     f.Message,
			File:        f.Pos.File,
			Line:        r.StartLine,
			Column:      r.StartColumn,
			EndLine:     r.EndLine,
			EndColumn:   r.EndColumn,
			Fingerprint: f.Fingerprint,
		})
	}
	for _, e := range run.Errors {
		document.Errors = append(document.Errors, jsonError{
			File:    e.Pos.File,
			Line:    e.Pos.Line,
			Column:  e.Pos.Column,
			Message: e.Message,
		})
	}
	return WriteJSON(w, document)
}
