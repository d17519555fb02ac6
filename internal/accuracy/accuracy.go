// Package accuracy holds pipelint's rules to a labelled set of real
// findings. It checks every repository of the corpus as a user would
// (built-in rules, default options, no configuration), joins the findings
// with the judgements people wrote in testdata/judgements, and scores each
// rule: a finding judged false must stay gone, a finding judged true must
// stay reported, and precision on the judged findings must not fall below
// MinPrecision. docs/accuracy.md describes the method.
package accuracy

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/runner"
)

// MinPrecision is the lowest precision a rule may have on its judged
// findings.
const MinPrecision = 0.90

// Finding is what the evaluation keeps of a finding: its place and
// message.
type Finding struct {
	Place
	Message string
}

// RuleScore is how one rule does on its judgements.
type RuleScore struct {
	Rule string
	// Judged counts the rule's judgements; TP, FP and Debatable count them
	// by label, as judged, whether or not pipelint still reports them.
	Judged, TP, FP, Debatable int
	// Missing are the findings judged TP that pipelint no longer reports.
	Missing []Judgement
	// ReportedFP are the findings judged FP that pipelint reports.
	ReportedFP []Judgement
	// Unjudged counts the findings pipelint reports that nobody has
	// judged.
	Unjudged int
}

// Precision is the share of true findings among the judged ones pipelint
// reports now (debatable ones left out): a false positive that a fix
// removed no longer counts. ok is false when none is reported.
func (s RuleScore) Precision() (precision float64, ok bool) {
	tp := s.TP - len(s.Missing)
	if tp+len(s.ReportedFP) == 0 {
		return 0, false
	}
	return float64(tp) / float64(tp+len(s.ReportedFP)), true
}

// Report is an evaluation of every rule on the corpus.
type Report struct {
	Rules []RuleScore // every rule, by id
	// Unjudged are the findings reported that nobody has judged, in the
	// order of their places.
	Unjudged []Finding
	// Stray are judgements that cannot be joined with any finding: of a
	// rule, repository or file that does not exist.
	Stray []string
	// Errors are the check's errors: a file that cannot be parsed, a
	// child pipeline that is missing. They are not failures: the
	// findings they cost fail as TP missing.
	Errors []string
	// Repositories and Files count what was checked.
	Repositories, Files int
}

// Evaluate checks every repository and scores the findings against the
// judgements.
func Evaluate(ctx context.Context, repos []corpustest.Repository, judgements []Judgement) (*Report, error) {
	rules, err := ruleIDs(ctx)
	if err != nil {
		return nil, err
	}
	// One repository after the other: the runner checks the files of each
	// in parallel, and checking several repositories at once was no faster
	// on the 2-core development machine.
	var findings []Finding
	var errs []string
	files := 0
	for _, repo := range repos {
		c, err := check(ctx, repo)
		if err != nil {
			return nil, err
		}
		findings = append(findings, c.findings...)
		errs = append(errs, c.errs...)
		files += c.files
	}
	r := score(rules, findings, judgements)
	r.Stray = append(r.Stray, strayFiles(repos, judgements)...)
	r.Errors, r.Repositories, r.Files = errs, len(repos), files
	return r, nil
}

// ruleIDs are the ids of the built-in rules.
func ruleIDs(ctx context.Context) ([]string, error) {
	// The engine of the built-in rules is compiled once per process and
	// shared by every check.
	eng, err := runner.NewEngine(ctx, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range eng.Rules() {
		ids = append(ids, r.ID)
	}
	return ids, nil
}

type repositoryCheck struct {
	findings []Finding
	errs     []string
	files    int
}

// check runs pipelint on one repository as a user would, from its root,
// with no configuration.
func check(ctx context.Context, repo corpustest.Repository) (repositoryCheck, error) {
	result, err := runner.Check(ctx, []string{repo.Dir}, runner.Options{Policy: runner.PolicyOptions{NoConfig: true}})
	if err != nil {
		return repositoryCheck{}, fmt.Errorf("%s: %w", repo.Name, err)
	}
	c := repositoryCheck{files: result.Run.FilesChecked}
	for _, f := range result.Run.Findings {
		// Paths are relative to the directory checked, unless a .git
		// above the corpus makes that checkout their root: then no
		// judgement would match.
		if _, err := os.Stat(filepath.Join(repo.Dir, filepath.FromSlash(f.Pos.File))); err != nil {
			return repositoryCheck{}, fmt.Errorf("%s: a finding in %s, not a file of the repository (is the corpus inside a git checkout?)", repo.Name, f.Pos.File)
		}
		c.findings = append(c.findings, Finding{Place: Place{Repository: repo.Name, File: f.Pos.File, Line: f.Pos.Line, Rule: f.RuleID}, Message: f.Message})
	}
	for _, e := range result.Run.Errors {
		c.errs = append(c.errs, fmt.Sprintf("%s %s", repo.Name, e))
	}
	return c, nil
}

// score joins findings with judgements by place, for every rule in rules.
// A judgement is one finding: a rule may report several findings on one
// line (two credentials in one command), judged one line each, which only
// their number tells apart. So at each place the findings reported are
// matched with its judgements by count, those judged TP first, then
// debatable, then FP, and any left over are unjudged. Where a place holds
// findings judged TP and FP and one of them is no longer reported, the
// match assumes the one gone is an FP.
func score(rules []string, findings []Finding, judgements []Judgement) *Report {
	r := &Report{}
	reported := map[Place][]string{} // the messages of each place
	for _, f := range findings {
		reported[f.Place] = append(reported[f.Place], f.Message)
	}
	judged := map[Place]map[Label][]Judgement{}
	for _, j := range judgements {
		if !slices.Contains(rules, j.Rule) {
			r.Stray = append(r.Stray, fmt.Sprintf("%s: no rule %q", j.Source, j.Rule))
			continue
		}
		if judged[j.Place] == nil {
			judged[j.Place] = map[Label][]Judgement{}
		}
		judged[j.Place][j.Label] = append(judged[j.Place][j.Label], j)
	}
	byRule := map[string]*RuleScore{}
	scoreOf := func(rule string) *RuleScore {
		if byRule[rule] == nil {
			byRule[rule] = &RuleScore{Rule: rule}
		}
		return byRule[rule]
	}
	for _, id := range rules {
		scoreOf(id)
	}
	places := slices.Collect(maps.Keys(reported))
	for p := range judged {
		if _, ok := reported[p]; !ok {
			places = append(places, p)
		}
	}
	slices.SortFunc(places, comparePlaces)
	for _, p := range places {
		s, messages, js := scoreOf(p.Rule), reported[p], judged[p]
		tps, debatable, fps := js[TP], js[Debatable], js[FP]
		s.Judged += len(tps) + len(debatable) + len(fps)
		s.TP, s.Debatable, s.FP = s.TP+len(tps), s.Debatable+len(debatable), s.FP+len(fps)
		left := len(messages)
		tpNow := min(len(tps), left)
		left -= tpNow
		left -= min(len(debatable), left)
		fpNow := min(len(fps), left)
		left -= fpNow
		s.Missing = append(s.Missing, tps[tpNow:]...)
		s.ReportedFP = append(s.ReportedFP, fps[:fpNow]...)
		s.Unjudged += left
		slices.Sort(messages)
		if left == len(messages) { // none judged: each finding with its own message
			for _, m := range messages {
				r.Unjudged = append(r.Unjudged, Finding{Place: p, Message: m})
			}
			continue
		}
		for range left {
			r.Unjudged = append(r.Unjudged, Finding{Place: p, Message: "one of: " + strings.Join(messages, "; ")})
		}
	}
	for _, s := range byRule {
		r.Rules = append(r.Rules, *s)
	}
	slices.SortFunc(r.Rules, func(a, b RuleScore) int { return strings.Compare(a.Rule, b.Rule) })
	return r
}

// comparePlaces orders places by rule, then where they are.
func comparePlaces(a, b Place) int {
	return cmp.Or(strings.Compare(a.Rule, b.Rule), strings.Compare(a.Repository, b.Repository), strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
}

// strayFiles are the judgements of a repository or file the corpus does
// not hold: a misspelt path would never match a finding, and a false
// positive judged there would be guarded against in vain.
func strayFiles(repos []corpustest.Repository, judgements []Judgement) []string {
	dirs := map[string]string{}
	for _, r := range repos {
		dirs[r.Name] = r.Dir
	}
	var stray []string
	for _, j := range judgements {
		dir, ok := dirs[j.Repository]
		if !ok {
			stray = append(stray, fmt.Sprintf("%s: the corpus has no repository %s", j.Source, j.Repository))
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(j.File))); err != nil {
			stray = append(stray, fmt.Sprintf("%s: %s has no file %s", j.Source, j.Repository, j.File))
		}
	}
	return stray
}

// Failures are why the rules fail their judgements: judgements that match
// nothing, findings judged FP reported again, findings judged TP no longer
// reported, and rules whose precision is below MinPrecision. Findings
// nobody has judged are not failures.
func (r *Report) Failures() []string {
	failures := slices.Clone(r.Stray)
	for _, s := range r.Rules {
		for _, j := range s.ReportedFP {
			failures = append(failures, fmt.Sprintf("%s: judged FP at %s, reported again: %s", j.Place, j.Source, j.Reason))
		}
		for _, j := range s.Missing {
			failures = append(failures, fmt.Sprintf("%s: judged TP at %s, no longer reported: %s", j.Place, j.Source, j.Reason))
		}
		if p, ok := s.Precision(); ok && p < MinPrecision {
			failures = append(failures, fmt.Sprintf("%s: precision %.2f on the judged findings it reports, below %.2f", s.Rule, p, MinPrecision))
		}
	}
	return failures
}

// WriteTable writes the per-rule table in Markdown, for docs/accuracy.md.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	b.WriteString("| Rule | Judged | TP | FP | Debatable | Precision | TP missing | FP still reported | Unjudged |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, s := range r.Rules {
		precision := "n/a"
		if p, ok := s.Precision(); ok {
			precision = fmt.Sprintf("%.2f", p)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s | %d | %d | %d |\n",
			s.Rule, s.Judged, s.TP, s.FP, s.Debatable, precision, len(s.Missing), len(s.ReportedFP), s.Unjudged)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteUnjudged writes the unjudged findings as lines of a judgement file,
// the label left empty and the message in the reason column as a hint.
func (r *Report) WriteUnjudged(w io.Writer) error {
	var b strings.Builder
	b.WriteString(header + "\n")
	oneLine := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, f := range r.Unjudged {
		fmt.Fprintf(&b, "%s\t%s\t%d\t%s\t\t%s\n", f.Repository, f.File, f.Line, f.Rule, oneLine.Replace(f.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
