package report

import (
	"cmp"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
)

var _ Reporter = (*Markdown)(nil)

// Markdown is a summary for people, written for GitHub's job summary
// ($GITHUB_STEP_SUMMARY) and merge request comments: the summary line, the
// files that could not be checked, a table by rule (linked to its docs) and
// a table by file, then the findings in a collapsed list. Text from CI
// files (paths, messages) is escaped so that it reads as plain text. It
// carries no source text.
type Markdown struct{}

// markdownFindingLimit caps the list of findings, so that a summary stays
// far below the 1 MiB GitHub accepts for a job summary.
const markdownFindingLimit = 1000

func (*Markdown) Report(w io.Writer, run *Run) error {
	var out strings.Builder
	line := summary(run)
	fmt.Fprintf(&out, "## pipelint\n\n%s%s.\n", strings.ToUpper(line[:1]), line[1:])
	if len(run.Errors) > 0 {
		out.WriteString("\n### Files that could not be checked\n\n")
		for _, e := range run.Errors {
			location := e.Pos.File
			if e.Pos.Line > 0 {
				location = fmt.Sprintf("%s:%d:%d", e.Pos.File, e.Pos.Line, max(e.Pos.Column, 1))
			}
			fmt.Fprintf(&out, "- %s: %s\n", markdownText(location), markdownText(e.Message))
		}
	}
	if len(run.Findings) > 0 {
		writeRuleTable(&out, run)
		writeFileTable(&out, run)
		writeFindingList(&out, run.Findings)
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// writeRuleTable lists the rules that found something, the most severe
// first. A rule's severity is that of its most severe finding.
func writeRuleTable(out *strings.Builder, run *Run) {
	rules := map[string]finding.Rule{}
	for _, rule := range run.Rules {
		rules[rule.ID] = rule
	}
	rows := tally(run.Findings, func(f finding.Finding) string { return f.RuleID })
	slices.SortStableFunc(rows, func(a, b tallyRow) int {
		return cmp.Or(b.severity.Rank()-a.severity.Rank(), strings.Compare(a.key, b.key))
	})
	out.WriteString("\n| Rule | Title | Severity | Findings |\n| --- | --- | --- | ---: |\n")
	for _, row := range rows {
		rule := rules[row.key]
		fmt.Fprintf(out, "| %s | %s | %s | %d |\n",
			markdownLink(markdownText(row.key), rule.HelpURI), markdownText(rule.Title), markdownText(string(row.severity)), row.count)
	}
}

// writeFileTable lists the files with findings in the order of the Run.
func writeFileTable(out *strings.Builder, run *Run) {
	out.WriteString("\n| File | Findings | Most severe |\n| --- | ---: | --- |\n")
	for _, row := range tally(run.Findings, func(f finding.Finding) string { return f.Pos.File }) {
		fmt.Fprintf(out, "| %s | %d | %s |\n", markdownText(row.key), row.count, markdownText(string(row.severity)))
	}
}

func writeFindingList(out *strings.Builder, findings []finding.Finding) {
	fmt.Fprintf(out, "\n<details><summary>%s</summary>\n\n", Plural(len(findings), "finding"))
	for _, f := range findings[:min(len(findings), markdownFindingLimit)] {
		location := fmt.Sprintf("%s:%d", f.Pos.File, regionOf(f.Pos).StartLine)
		fmt.Fprintf(out, "- %s **%s** (%s): %s\n",
			markdownText(location), markdownText(f.RuleID), markdownText(string(f.Severity)), markdownText(f.Message))
	}
	if hidden := len(findings) - markdownFindingLimit; hidden > 0 {
		fmt.Fprintf(out, "- and %d more, left out to keep this summary short: the other formats list them all\n", hidden)
	}
	out.WriteString("\n</details>\n")
}

// tallyRow is how many findings share a key, and the most severe of them.
type tallyRow struct {
	key      string
	count    int
	severity finding.Severity
}

// tally groups findings by key, in the order the keys first appear.
func tally(findings []finding.Finding, key func(finding.Finding) string) []tallyRow {
	var rows []tallyRow
	index := map[string]int{}
	for _, f := range findings {
		k := key(f)
		i, ok := index[k]
		if !ok {
			i = len(rows)
			index[k] = i
			rows = append(rows, tallyRow{key: k, severity: f.Severity})
		}
		rows[i].count++
		if f.Severity.Rank() > rows[i].severity.Rank() {
			rows[i].severity = f.Severity
		}
	}
	return rows
}

// markdownEscaper backslash-escapes the characters that start Markdown
// syntax anywhere in a line (emphasis, code, links, HTML, table cells, math)
// or a GitHub or GitLab reference (@user, #1, !1, %milestone, ~label), and
// turns line breaks into spaces so that text cannot start a new block.
var markdownEscaper = func() *strings.Replacer {
	pairs := []string{"\r\n", " ", "\n", " ", "\r", " "}
	for _, c := range "\\`*_{}[]<>()#!|~&$@%" {
		pairs = append(pairs, string(c), `\`+string(c))
	}
	return strings.NewReplacer(pairs...)
}()

// markdownText is text from a repository made plain Markdown text, on one
// line: escaped for terminals and CI logs first (escape), since the report
// may be printed too, then for Markdown.
func markdownText(s string) string { return markdownEscaper.Replace(escape(s, true)) }

// linkTargetEscaper keeps a URL from ending the link or the table cell early.
var linkTargetEscaper = strings.NewReplacer("(", "%28", ")", "%29", "|", "%7C")

// markdownLink links text to an http(s) URL; any other URL is left out, so
// that rule metadata cannot smuggle in a javascript: link.
func markdownLink(text, target string) string {
	u, err := url.Parse(target)
	if target == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return text
	}
	return "[" + text + "](" + linkTargetEscaper.Replace(u.String()) + ")"
}
