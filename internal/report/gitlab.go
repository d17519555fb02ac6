package report

import (
	"io"
	"slices"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

var _ Reporter = (*GitLab)(nil)

// GitLab is a GitLab Code Quality report (artifacts:reports:codequality),
// which GitLab shows in the merge request widget. It is a JSON array with
// one issue per parse error and per finding, in the order of the Run, and
// [] when there is nothing to report:
//
//	[{
//	  "description": "\"actions/checkout@v4\" is not pinned to a commit",
//	  "check_name": "pipelint/unpinned-action",
//	  "fingerprint": "…",   // the finding's; GitLab merges issues that share one
//	  "severity": "critical", // info, minor, major, critical or blocker
//	  "location": {"path": ".github/workflows/ci.yml", "lines": {"begin": 9}}
//	}]
//
// Parse errors have the check name "pipelint/error" and severity major. It
// carries no source text.
type GitLab struct{}

type codeQualityIssue struct {
	Description string              `json:"description"`
	CheckName   string              `json:"check_name"`
	Fingerprint string              `json:"fingerprint"`
	Severity    string              `json:"severity"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

var codeQualitySeverity = map[finding.Severity]string{
	finding.Critical: "blocker",
	finding.High:     "critical",
	finding.Medium:   "major",
	finding.Low:      "minor",
	finding.Info:     "info",
}

// codeQualityErrorCheck is the check name of a file pipelint could not check.
const codeQualityErrorCheck = "pipelint/error"

func (*GitLab) Report(w io.Writer, run *Run) error {
	issues := make([]codeQualityIssue, 0, len(run.Errors)+len(run.Findings))
	errorFingerprints := errorFingerprints(run.Errors)
	findings := withFingerprints(run.Findings)
	for i, e := range run.Errors {
		issues = append(issues, codeQualityIssue{
			Description: e.Message,
			CheckName:   codeQualityErrorCheck,
			Fingerprint: errorFingerprints[i],
			Severity:    "major",
			Location:    codeQualityLocation{Path: e.Pos.File, Lines: codeQualityLines{Begin: max(e.Pos.Line, 1)}},
		})
	}
	for _, f := range findings {
		severity, ok := codeQualitySeverity[f.Severity]
		if !ok {
			severity = "major"
		}
		issues = append(issues, codeQualityIssue{
			Description: f.Message,
			CheckName:   "pipelint/" + f.RuleID,
			Fingerprint: f.Fingerprint,
			Severity:    severity,
			Location:    codeQualityLocation{Path: f.Pos.File, Lines: codeQualityLines{Begin: regionOf(f.Pos).StartLine}},
		})
	}
	return WriteJSON(w, issues)
}

// withFingerprints returns the findings, those that come without a
// fingerprint (GitLab requires one on every issue) fingerprinted by their
// message as the engine does when it cannot read a line.
func withFingerprints(findings []finding.Finding) []finding.Finding {
	var missing []finding.Finding
	for _, f := range findings {
		if f.Fingerprint == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) == 0 {
		return findings
	}
	finding.Fingerprint(missing, func(string) []string { return nil })
	findings = slices.Clone(findings)
	for i := range findings {
		if findings[i].Fingerprint == "" {
			findings[i].Fingerprint, missing = missing[0].Fingerprint, missing[1:]
		}
	}
	return findings
}

// errorFingerprints fingerprints the files pipelint could not check the
// way findings are fingerprinted, by their message (an error's line may
// quote anything from the file).
func errorFingerprints(errs []*model.ParseError) []string {
	asFindings := make([]finding.Finding, len(errs))
	for i, e := range errs {
		asFindings[i] = finding.Finding{RuleID: codeQualityErrorCheck, Message: e.Message, Pos: e.Pos, Sensitive: true}
	}
	finding.Fingerprint(asFindings, func(string) []string { return nil })
	fingerprints := make([]string, len(errs))
	for i, f := range asFindings {
		fingerprints[i] = f.Fingerprint
	}
	return fingerprints
}
