package report

import (
	"cmp"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
)

// GitHub code scanning rejects an upload above these limits. pipelint can
// reach only these three: it writes one run per file (the limit is 20), one
// location per result (1,000), no thread flows (10,000 locations) and no
// tool extensions (100), and lists its rules, which are far fewer than the
// 25,000 a run may have.
const (
	// maxSARIFResults is the most results one run may have. GitHub shows
	// the 5,000 most severe of them.
	maxSARIFResults = 25000
	// maxSARIFTags is the most tags one rule may have. GitHub shows 10.
	maxSARIFTags = 20
	// maxSARIFGzipBytes is the most a SARIF file may weigh gzip-compressed:
	// "10 MB", read as the smaller 10,000,000 bytes (not 10 MiB), which
	// leaves a margin: upload-sarif compresses with zlib, whose output is
	// close to Go's gzip at the same level but not the same bytes.
	maxSARIFGzipBytes = 10_000_000
)

// sarifResults are the results a SARIF report lists and what GitHub's
// limits left out of it.
type sarifResults struct {
	// kept are the results to list, in report order.
	kept []Suppressed
	// total is how many results there would be without the limits.
	total int
	// leftOut counts the results left out; leftOutSuppressed counts those
	// of them that are suppressed findings.
	leftOut, leftOutSuppressed int
	// tooMany is set when the limit on their number left results out, and
	// tooLarge when the size limit did.
	tooMany, tooLarge bool
}

// sarifCandidates are every result a SARIF report would list without
// limits, in report order, and the order they are kept in when not all
// fit.
type sarifCandidates struct {
	all        []Suppressed
	suppressed []bool // parallel to all
	// priority lists indexes into all: open findings before suppressed
	// ones (those are listed only on request), the most severe first, and
	// within one severity report order, by file and line.
	priority []int
}

func newSARIFCandidates(run *Run, includeSuppressed bool) sarifCandidates {
	var c sarifCandidates
	for _, f := range run.Findings {
		c.all = append(c.all, Suppressed{Finding: f})
		c.suppressed = append(c.suppressed, false)
	}
	if includeSuppressed {
		for _, s := range run.Suppressed {
			c.all = append(c.all, s)
			c.suppressed = append(c.suppressed, true)
		}
		order := make([]int, len(c.all))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return finding.Compare(c.all[a].Finding, c.all[b].Finding) })
		all, suppressed := make([]Suppressed, len(order)), make([]bool, len(order))
		for to, from := range order {
			all[to], suppressed[to] = c.all[from], c.suppressed[from]
		}
		c.all, c.suppressed = all, suppressed
	}
	c.priority = make([]int, len(c.all))
	for i := range c.priority {
		c.priority[i] = i
	}
	slices.SortStableFunc(c.priority, func(a, b int) int {
		if c.suppressed[a] != c.suppressed[b] {
			if c.suppressed[a] {
				return 1
			}
			return -1
		}
		return c.all[b].Finding.Severity.Rank() - c.all[a].Finding.Severity.Rank()
	})
	return c
}

// first keeps the first n candidates by priority, listed in report order.
func (c sarifCandidates) first(n int, tooLarge bool) sarifResults {
	keep := make([]bool, len(c.all))
	for _, i := range c.priority[:n] {
		keep[i] = true
	}
	r := sarifResults{kept: make([]Suppressed, 0, n), total: len(c.all), tooLarge: tooLarge}
	for i, candidate := range c.all {
		switch {
		case keep[i]:
			r.kept = append(r.kept, candidate)
		case c.suppressed[i]:
			r.leftOut++
			r.leftOutSuppressed++
		default:
			r.leftOut++
		}
	}
	return r
}

// fit renders run as the reporter writes it, within GitHub's limits: at
// most 25,000 results, the most severe kept, and then, while the file
// gzip-compressed is over 10 MB, as many fewer as it takes (the most
// results that fit, found by bisection; each try renders the whole file).
// A file over the size limit with no results at all is written anyway.
func (s *SARIF) fit(run *Run) (sarifResults, []byte, error) {
	candidates := newSARIFCandidates(run, s.IncludeSuppressed)
	if err := checkRuleIDs(run.Rules, candidates.all); err != nil {
		return sarifResults{}, nil, err // even for a result that would be left out
	}
	limit := cmp.Or(s.maxGzipBytes, maxSARIFGzipBytes)
	maxResults := cmp.Or(s.maxResults, maxSARIFResults)
	results := candidates.first(min(len(candidates.all), maxResults), false)
	results.tooMany = len(candidates.all) > maxResults
	out, err := s.render(run, results)
	if err != nil {
		return sarifResults{}, nil, err
	}
	if gzipSize(out) <= limit {
		return results, out, nil
	}
	// fits(low) is assumed, fits(high) is false.
	low, high := 0, len(results.kept)
	for high-low > 1 {
		middle := low + (high-low)/2
		if out, err = s.render(run, candidates.first(middle, true)); err != nil {
			return sarifResults{}, nil, err
		}
		if gzipSize(out) <= limit {
			low = middle
		} else {
			high = middle
		}
	}
	tooMany := results.tooMany
	results = candidates.first(low, true)
	results.tooMany = tooMany
	out, err = s.render(run, results)
	return results, out, err
}

// gzipSize is the size of data gzip-compressed at the default level.
func gzipSize(data []byte) int {
	var counter byteCounter
	zw := gzip.NewWriter(&counter)
	zw.Write(data) // writes to a byteCounter do not fail
	zw.Close()
	return int(counter)
}

type byteCounter int

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

// limitsHit names the limits that left results out, for people.
func (r sarifResults) limitsHit(count, size string) string {
	switch {
	case r.tooMany && r.tooLarge:
		return count + " and " + size
	case r.tooLarge:
		return size
	}
	return count
}

// notice is the tool execution notification that says what was left out,
// or "" when nothing was.
func (r sarifResults) notice() string {
	if r.leftOut == 0 {
		return ""
	}
	suppressed := ""
	if r.leftOutSuppressed > 0 {
		suppressed = fmt.Sprintf(" (%d of them suppressed findings)", r.leftOutSuppressed)
	}
	return fmt.Sprintf("%d of %d results left out%s: GitHub code scanning accepts at most %s. "+
		"The most severe results are kept, open findings before suppressed ones, then by file and line; "+
		"the text and JSON reports list every finding.",
		r.leftOut, r.total, suppressed,
		r.limitsHit("25,000 results per run", "10 MB of gzip-compressed SARIF per upload"))
}

// LeftOutNotice says which findings this SARIF report of run leaves out,
// or "" when it leaves none out, for the text summary of the same run
// (Run.Notices).
func (s *SARIF) LeftOutNotice(run *Run) string {
	results, _, err := s.fit(run)
	// Suppressed findings are not among the text report's findings either.
	open := results.leftOut - results.leftOutSuppressed
	if err != nil || open == 0 { // the SARIF reporter reports the error
		return ""
	}
	return fmt.Sprintf("%s left out of the SARIF report (GitHub accepts at most %s)",
		Plural(open, "finding"), results.limitsHit("25,000 per run", "10 MB gzipped"))
}

// sarifTags drops duplicate and empty tags, which GitHub rejects, and puts
// "security" first on a security rule: GitHub counts a result as a security
// alert only when its rule has that tag. Other rules never get it. GitHub
// rejects a rule with more than 20 tags, so the first 20 are kept and the
// rest returned as leftOut.
func sarifTags(tags []string) (kept, leftOut []string) {
	unique := []string{}
	if isSecurityRule(tags) {
		unique = append(unique, "security")
	}
	for _, tag := range tags {
		if tag != "" && !slices.Contains(unique, tag) {
			unique = append(unique, tag)
		}
	}
	if len(unique) > maxSARIFTags {
		return unique[:maxSARIFTags], unique[maxSARIFTags:]
	}
	return unique, nil
}

// tagsNotice says which tags of a rule the SARIF report left out.
func tagsNotice(ruleID string, kept, leftOut []string) string {
	quoted := make([]string, len(leftOut))
	for i, tag := range leftOut {
		quoted[i] = fmt.Sprintf("%q", tag)
	}
	return fmt.Sprintf("rule %q has %d distinct tags; GitHub code scanning accepts at most %d per rule, so the SARIF report leaves out %s",
		ruleID, len(kept)+len(leftOut), maxSARIFTags, strings.Join(quoted, ", "))
}
