// Package finding is the vocabulary every part of pipelint shares: rules,
// their findings, severities, the order reports print findings in and the
// one fingerprint that identifies a finding across runs. The engine
// produces findings; configuration, ignores, the baseline and the reporters
// read them, and none of them needs the engine for it.
package finding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/secret"
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

// HelpURIBase is where the built-in rules' pages are published; a rule's
// page is HelpURIBase + id + ".md".
const HelpURIBase = "https://github.com/pipelint/pipelint/blob/main/docs/rules/"

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

var ruleIDPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// ValidRuleID reports whether id is a well-formed rule id: kebab-case, such
// as unpinned-action. Rules, configuration files and ignore comments all
// use it.
func ValidRuleID(id string) bool { return ruleIDPattern.MatchString(id) }

// Finding is one problem a rule found at one place.
type Finding struct {
	RuleID   string
	Severity Severity
	Message  string // specific to this finding; never contains a secret in full
	Pos      model.Pos
	// Fingerprint identifies the finding across runs: it survives edits that
	// move lines and is never computed from a secret value. Every output and
	// the baseline use this one value.
	Fingerprint string
	// Sensitive is true when the span Column..EndColumn on the start line
	// holds a secret value: reporters must mask it wherever they show source.
	Sensitive bool
	// SecretDigest identifies the secret of a Sensitive finding without
	// holding it (secret.Digest: a slow, keyed hash of the value, salted
	// with the rule and the file), so that two secrets of one kind have
	// different fingerprints. Empty when the engine could not read the
	// span. It is never printed.
	SecretDigest string
	// Fix is what would make the finding go away, when its rule knows;
	// nil otherwise.
	Fix *Fix
	// Edits are the text edits `pipelint fix` makes for Fix (with the
	// other fixes applied together with it, such as every expression of
	// a step moved at once), as the check computes them without the
	// network; empty when Fix is nil, needs the network (PinReference),
	// or cannot be applied to the file as written.
	Edits []TextEdit
}

// TextEdit replaces the text at Pos (an empty span inserts) with New.
type TextEdit struct {
	Pos model.Pos
	New string
}

// Fixable reports whether `pipelint fix` changes the file for the
// finding, and whether only with --unsafe: when its edits are known, or
// when its fix pins a reference, which is done once the reference
// resolves.
func (f Finding) Fixable() (fixable, unsafe bool) {
	if f.Fix == nil || len(f.Edits) == 0 && f.Fix.Kind != PinReference {
		return false, false
	}
	return true, f.Fix.Unsafe
}

// Compare orders findings by position, then rule and message: the order
// every report prints them in.
func Compare(a, b Finding) int {
	return cmp.Or(model.ComparePos(a.Pos, b.Pos), strings.Compare(a.RuleID, b.RuleID), strings.Compare(a.Message, b.Message))
}

// Sort orders findings with Compare.
func Sort(findings []Finding) { slices.SortStableFunc(findings, Compare) }

// Fingerprint sets the fingerprint of every finding: a hash of its rule,
// its file, an anchor and its occurrence among findings with the same
// rule, file and anchor. The anchor of a Sensitive finding is the digest of
// its secret (SecretDigest), so that a new secret never takes the
// fingerprint of an old one, or its message when there is no digest; the
// anchor of any other finding is the text of the line it starts on, blanks
// collapsed and every secret on it masked (see secret.Masker). The line
// number is left out, so the fingerprint survives edits that move lines.
// linesOf returns a file's lines (nil when unknown). Pass every finding of
// a file, before any is suppressed, since occurrences are counted among
// them, and the spans of Sensitive findings are masked in the lines of the
// others.
func Fingerprint(findings []Finding, linesOf func(file string) []string) {
	order := make([]int, len(findings))
	for i := range order {
		order[i] = i
	}
	// Occurrences are counted in source order, whatever the input order.
	slices.SortStableFunc(order, func(a, b int) int { return Compare(findings[a], findings[b]) })
	lines := map[string][]string{}
	seen := map[string]int{}
	secrets := sensitiveSpans(findings)
	for _, i := range order {
		f := &findings[i]
		if _, read := lines[f.Pos.File]; !read {
			lines[f.Pos.File] = linesOf(f.Pos.File)
		}
		key := f.RuleID + "\x00" + f.Pos.File + "\x00" + anchorText(*f, lines[f.Pos.File], secrets[lineOf{f.Pos.File, f.Pos.Line}])
		seen[key]++
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", key, seen[key]))
		f.Fingerprint = hex.EncodeToString(sum[:16])
	}
}

// anchorText is what ties a finding to its place without a line number:
// the digest of its secret, the text of its line with blanks collapsed and
// secrets masked, or its message when the line cannot be read. A line
// that holds no secret is used as it is, so fingerprints recorded before
// masking existed stay valid.
func anchorText(f Finding, lines []string, secrets []secret.Span) string {
	switch {
	case f.Sensitive && f.SecretDigest != "":
		return "secret\x00" + f.SecretDigest
	case f.Sensitive || f.Pos.Line < 1 || f.Pos.Line > len(lines):
		return "message\x00" + f.Message
	}
	line := lines[f.Pos.Line-1]
	spans := secret.Default().Spans(line, secrets...)
	for i := range spans {
		spans[i].Replacement = secret.Mark // not even a preview's first characters
	}
	line = secret.Apply(line, spans)
	return "line\x00" + strings.Join(strings.Fields(line), " ")
}

// lineOf is a line of a file.
type lineOf struct {
	file string
	line int
}

// sensitiveSpans returns the spans of the Sensitive findings by line.
func sensitiveSpans(findings []Finding) map[lineOf][]secret.Span {
	spans := map[lineOf][]secret.Span{}
	for _, f := range findings {
		if f.Sensitive {
			key := lineOf{f.Pos.File, f.Pos.Line}
			spans[key] = append(spans[key], SecretSpan(f.Pos))
		}
	}
	return spans
}

// SecretSpan is the span of the start line a Sensitive finding's secret
// covers, in the form secret.Masker takes: to the end of the line when it
// goes on to the next.
func SecretSpan(pos model.Pos) secret.Span {
	end := math.MaxInt
	if pos.EndLine == pos.Line {
		end = pos.EndColumn - 1
	}
	return secret.Span{Start: pos.Column - 1, End: end}
}
