// Package ignore reads inline ignore directives from a pipeline's comments
// and matches findings against them:
//
//	steps:
//	  - uses: actions/checkout@v4 # pipelint: ignore[unpinned-action] vendored copy, reviewed
//
//	sh 'make' // pipelint: ignore[missing-tests, missing-cache] smoke job
//
// A directive covers findings of the rules it names that start on its own
// line or, for a comment on a line of its own, on the line just below it,
// and every finding inside a job or step whose key line holds it
// (`build: # pipelint: ignore[...] reason`). A directive must give a reason
// after the brackets; one without a reason or with a malformed rule list
// suppresses nothing, and unknown rule ids in it are skipped. Each such
// problem is reported as a finding of InvalidRule.
package ignore

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// InvalidRule is the rule of the findings Problems returns.
var InvalidRule = finding.Rule{
	ID:       "invalid-ignore",
	Title:    "Inline ignore directive that suppresses nothing",
	Severity: finding.Info,
	Description: "A `pipelint: ignore[...]` comment has no reason, a malformed rule list or names a rule " +
		"that does not exist, so it does not suppress what it was written for.",
	Remediation: "Write it as `pipelint: ignore[rule-id, other-id] reason`, with existing rule ids " +
		"(`pipelint rules` lists them) and a reason after the brackets.",
	Precision: "very-high",
}

// UnusedRule is the rule of the findings UnusedFindings returns.
var UnusedRule = finding.Rule{
	ID:          "unused-ignore",
	Title:       "Inline ignore directive that matches no finding",
	Severity:    finding.Info,
	Description: "A `pipelint: ignore[...]` comment names a rule that reports nothing where the comment applies, so it can be removed.",
	Remediation: "Remove the rule id from the directive, or the whole comment when no rule id is left.",
	Precision:   "very-high",
}

// Directive is one valid ignore comment.
type Directive struct {
	// Rules are the rule ids it suppresses, as written.
	Rules  []string
	Reason string
	// Pos spans the comment; for a directive on a later line of a block
	// comment, that line's text.
	Pos model.Pos
}

// Set holds the directives of one pipeline and records which of their rules
// matched a finding. It is not safe for concurrent use.
type Set struct {
	directives []scoped
	problems   []finding.Finding
}

// scoped is a directive with the lines it covers, from the most to the
// least specific, and the rules that matched so far.
type scoped struct {
	Directive
	covers []lineRange
	used   map[string]bool
}

type lineRange struct{ from, to int }

// Collect reads the directives in p's comments. ruleIDs are the rules that
// exist; a directive naming another id is reported by Problems.
//
// Only a comment on a line of its own covers the line below it; telling
// one from a trailing comment needs p.Sources (parser.Parse attaches them).
// Without the source of its file, a comment is taken to be on its own line.
func Collect(p *model.Pipeline, ruleIDs []string) *Set {
	s := &Set{}
	for _, c := range p.Comments {
		for _, found := range directivesIn(c) {
			if !standsAlone(p, c.Pos) {
				found.below = 0
			}
			s.add(p, found, ruleIDs)
		}
	}
	return s
}

// standsAlone reports whether only blanks precede the comment at pos on
// its line.
func standsAlone(p *model.Pipeline, pos model.Pos) bool {
	for _, source := range p.Sources {
		if source.File != pos.File {
			continue
		}
		if pos.Line < 1 || pos.Line > len(source.Lines) {
			return true
		}
		before := []rune(source.Lines[pos.Line-1])
		before = before[:min(max(pos.Column-1, 0), len(before))]
		return strings.TrimSpace(string(before)) == ""
	}
	return true
}

func (s *Set) add(p *model.Pipeline, found parsed, ruleIDs []string) {
	problem := func(format string, args ...any) {
		s.problems = append(s.problems, finding.Finding{
			RuleID:   InvalidRule.ID,
			Severity: InvalidRule.Severity,
			Message:  fmt.Sprintf(format, args...),
			Pos:      found.pos,
		})
	}
	if found.malformed != "" {
		problem("malformed ignore directive: %s; write `pipelint: ignore[rule-id] reason`", found.malformed)
		return
	}
	var known []string
	for _, id := range found.rules {
		if slices.Contains(ruleIDs, id) {
			known = append(known, id)
		} else {
			problem("ignore directive names unknown rule %q", id)
		}
	}
	if found.reason == "" {
		problem("ignore directive for %s has no reason, so it is not applied; write why after the brackets", strings.Join(found.rules, ", "))
		return
	}
	if len(known) == 0 {
		return
	}
	d := scoped{
		Directive: Directive{Rules: known, Reason: found.reason, Pos: found.pos},
		covers:    []lineRange{{found.pos.Line, found.pos.Line}, {found.below, found.below}},
		used:      map[string]bool{},
	}
	d.covers = append(d.covers, spansKeyedAt(p, found.pos)...)
	s.directives = append(s.directives, d)
}

// spansKeyedAt returns the spans of the steps and jobs whose key is on the
// line of pos, steps first since they are the more specific.
func spansKeyedAt(p *model.Pipeline, pos model.Pos) []lineRange {
	var steps, jobs []lineRange
	keyedHere := func(span model.Pos) bool { return span.File == pos.File && span.Line == pos.Line }
	for _, job := range p.Jobs {
		if keyedHere(job.Pos) {
			jobs = append(jobs, lineRange{job.Pos.Line, max(job.Pos.EndLine, job.Pos.Line)})
		}
		for _, step := range job.Steps {
			if keyedHere(step.Pos) {
				steps = append(steps, lineRange{step.Pos.Line, max(step.Pos.EndLine, step.Pos.Line)})
			}
		}
	}
	return append(steps, jobs...)
}

// Match returns the directive that suppresses f, if any, and records the
// use. When several cover f, the most specific wins: a directive on f's
// line, then on the line above, then on the key of the innermost step or
// job; among equals, the first in the file.
func (s *Set) Match(f finding.Finding) (Directive, bool) {
	best, bestRank := -1, 0
	for i, d := range s.directives {
		if d.Pos.File != f.Pos.File || !slices.Contains(d.Rules, f.RuleID) {
			continue
		}
		for rank, r := range d.covers {
			if f.Pos.Line >= r.from && f.Pos.Line <= r.to && (best < 0 || rank < bestRank) {
				best, bestRank = i, rank
				break
			}
		}
	}
	if best < 0 {
		return Directive{}, false
	}
	s.directives[best].used[f.RuleID] = true
	return s.directives[best].Directive, true
}

// Problems returns a finding of InvalidRule for every directive that lacks
// a reason, is malformed or names an unknown rule, in source order.
func (s *Set) Problems() []finding.Finding { return slices.Clone(s.problems) }

// Unused returns, after every finding went through Match, the directives
// with a rule that matched nothing, holding only those rules.
func (s *Set) Unused() []Directive {
	var out []Directive
	for _, d := range s.directives {
		var unused []string
		for _, id := range d.Rules {
			if !d.used[id] {
				unused = append(unused, id)
			}
		}
		if len(unused) > 0 {
			directive := d.Directive
			directive.Rules = unused
			out = append(out, directive)
		}
	}
	return out
}

// UnusedFindings reports Unused as findings of UnusedRule, for
// --report-unused-ignores.
func (s *Set) UnusedFindings() []finding.Finding {
	var out []finding.Finding
	for _, d := range s.Unused() {
		out = append(out, finding.Finding{
			RuleID:   UnusedRule.ID,
			Severity: UnusedRule.Severity,
			Message:  fmt.Sprintf("ignore directive for %s matches no finding", strings.Join(d.Rules, ", ")),
			Pos:      d.Pos,
		})
	}
	return out
}

// parsed is a directive as read from a comment, before validation.
type parsed struct {
	rules     []string
	reason    string
	malformed string // why the directive cannot be read, if it cannot
	pos       model.Pos
	below     int // the line just after the comment; 0 after code
}

// directiveStart finds "pipelint:" where a directive may begin: at the
// start of a comment line (after block-comment decoration) or after a
// nested comment marker, as in `@<sha> # v4.1.0 # pipelint: ignore[...]`.
var directiveStart = regexp.MustCompile(`(?:^[\s*/#]*|(?:#|//)\s*)pipelint\s*:`)

// directivesIn reads the directives of a comment, at most one per line.
func directivesIn(c model.Comment) []parsed {
	var out []parsed
	for i, line := range strings.Split(c.Text, "\n") {
		loc := directiveStart.FindStringIndex(line)
		if loc == nil {
			continue
		}
		d := parseDirective(line[loc[1]:])
		d.pos, d.below = c.Pos, max(c.Pos.EndLine, c.Pos.Line)+1
		if i > 0 { // a later line of a block comment starts at column 1
			text := strings.TrimRightFunc(line, unicode.IsSpace)
			start := strings.Index(text, "pipelint")
			d.pos.Line = c.Pos.Line + i
			d.pos.Column = 1 + utf8.RuneCountInString(text[:start])
			d.pos.EndLine = d.pos.Line
			d.pos.EndColumn = 1 + utf8.RuneCountInString(text)
		}
		out = append(out, d)
	}
	return out
}

// parseDirective reads what follows "pipelint:": `ignore[a, b] reason`.
func parseDirective(text string) parsed {
	rest, ok := strings.CutPrefix(strings.TrimLeftFunc(text, unicode.IsSpace), "ignore")
	if !ok {
		return parsed{malformed: fmt.Sprintf("unknown directive %q", firstWord(text))}
	}
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	if !strings.HasPrefix(rest, "[") {
		return parsed{malformed: "the rule ids must follow in brackets"}
	}
	list, reason, closed := strings.Cut(rest[1:], "]")
	if !closed {
		return parsed{malformed: "the rule list has no closing ]"}
	}
	if strings.TrimSpace(list) == "" {
		return parsed{malformed: "the rule list is empty"}
	}
	var d parsed
	for id := range strings.SplitSeq(list, ",") {
		id = strings.TrimSpace(id)
		if !finding.ValidRuleID(id) {
			return parsed{malformed: fmt.Sprintf("%q is not a rule id", id)}
		}
		if !slices.Contains(d.rules, id) {
			d.rules = append(d.rules, id)
		}
	}
	d.reason = cleanReason(reason)
	return d
}

// cleanReason trims the reason and the punctuation people put before it
// (`ignore[x]: reason`, `ignore[x] -- reason`); a reason must hold a letter
// or digit.
func cleanReason(reason string) string {
	reason = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(reason), ":-–—"))
	// A block comment's closing decoration is not part of the reason.
	reason = strings.TrimSpace(strings.TrimRight(reason, "*"))
	if !strings.ContainsFunc(reason, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return reason
}

func firstWord(text string) string {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return ""
	}
	word, _, _ := strings.Cut(fields[0], "[")
	return word
}
