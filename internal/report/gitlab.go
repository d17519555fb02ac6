package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
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
	fingerprints := fingerprinter{}
	for _, e := range run.Errors {
		issues = append(issues, codeQualityIssue{
			Description: e.Message,
			CheckName:   codeQualityErrorCheck,
			Fingerprint: fingerprints.next(codeQualityErrorCheck, e.Pos.File, e.Message),
			Severity:    "major",
			Location:    codeQualityLocation{Path: e.Pos.File, Lines: codeQualityLines{Begin: max(e.Pos.Line, 1)}},
		})
	}
	for _, f := range run.Findings {
		checkName := "pipelint/" + f.RuleID
		fingerprint := f.Fingerprint
		if fingerprint == "" {
			fingerprint = fingerprints.next(checkName, f.Pos.File, f.Message)
		}
		severity, ok := codeQualitySeverity[f.Severity]
		if !ok {
			severity = "major"
		}
		issues = append(issues, codeQualityIssue{
			Description: f.Message,
			CheckName:   checkName,
			Fingerprint: fingerprint,
			Severity:    severity,
			Location:    codeQualityLocation{Path: f.Pos.File, Lines: codeQualityLines{Begin: regionOf(f.Pos).StartLine}},
		})
	}
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	encoder.SetEscapeHTML(false)
	return encoder.Encode(issues)
}

// fingerprinter makes a fingerprint for an issue that has none, from what
// and where it is but not its line, so that it survives edits elsewhere in
// the file; identical issues are told apart by how many came before.
type fingerprinter map[string]int

func (seen fingerprinter) next(checkName, file, message string) string {
	key := strings.Join([]string{checkName, file, message}, "\x00")
	seen[key]++
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(seen[key])))
	return hex.EncodeToString(sum[:16])
}
