package engine

import (
	"fmt"

	"github.com/pipelint/pipelint/internal/model"
)

// Severity is how much a finding matters, from Info up to Critical.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Severities lists every severity from the most to the least severe.
var Severities = []Severity{Critical, High, Medium, Low, Info}

// Rank orders severities: Critical is 5, Info is 1, anything unknown 0.
func (s Severity) Rank() int {
	for i, known := range Severities {
		if s == known {
			return len(Severities) - i
		}
	}
	return 0
}

// ParseSeverity checks that text names a severity.
func ParseSeverity(text string) (Severity, error) {
	s := Severity(text)
	if s.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", text)
	}
	return s, nil
}

// Rule is a policy rule as described by its METADATA block.
type Rule struct {
	ID          string   // kebab-case, e.g. unpinned-action
	Title       string   // one line
	Severity    Severity // default severity of its findings
	Description string
	Remediation string
	// Precision is how often a finding of this rule is a true positive:
	// very-high, high, medium or low (SARIF properties.precision).
	Precision string
	Tags      []string
	// Help is the rule's documentation page in Markdown (docs/rules/<id>.md),
	// empty when the rule has none.
	Help    string
	HelpURI string
	// Custom is true for a rule from a user's policy directory.
	Custom bool
}

// Finding is one problem a rule found at one place.
type Finding struct {
	RuleID   string
	Severity Severity
	Message  string // specific to this finding; never contains a secret in full
	Pos      model.Pos
	// Fingerprint identifies the finding across runs: it survives edits that
	// move lines and is never computed from a secret value.
	Fingerprint string
	// Sensitive is true when the span Column..EndColumn on the start line
	// holds a secret value: reporters must mask it wherever they show source.
	Sensitive bool
}
