package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
)

func TestMarkdownGolden(t *testing.T) {
	checkGolden(t, "markdown", render(t, "markdown", Options{}, sampleRun()))
	checkGolden(t, "markdown-empty", render(t, "markdown", Options{}, emptyRun()))
}

func TestMarkdownNoFindings(t *testing.T) {
	want := "## pipelint\n\nNo findings in 1 file.\n"
	if got := string(render(t, "markdown", Options{}, emptyRun())); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	run := emptyRun()
	run.Errors = sampleRun().Errors[1:]
	want = "## pipelint\n\nNo findings in 1 file; 1 error.\n\n### Files that could not be checked\n\n" +
		"- unreadable.yml: open unreadable.yml: permission denied\n"
	if got := string(render(t, "markdown", Options{}, run)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestMarkdownRuleTable(t *testing.T) {
	run := sampleRun()
	// A rule whose findings differ in severity shows the most severe; rules
	// are ordered by that severity, then by ID.
	run.Findings = append(run.Findings,
		finding.Finding{RuleID: "curl-bash", Severity: finding.High, Message: "m", Pos: pos("b.yml", 1, 1, 0, 0)},
		finding.Finding{RuleID: "unknown_rule", Severity: finding.High, Message: "m", Pos: pos("b.yml", 2, 1, 0, 0)})
	out := string(render(t, "markdown", Options{}, run))
	want := "| Rule | Title | Severity | Findings |\n| --- | --- | --- | ---: |\n" +
		"| [hardcoded-secret](https://pipelint.dev/rules/hardcoded-secret) | Secret written in the pipeline file | critical | 1 |\n" +
		"| curl-bash | Script piped from the network into a shell | high | 2 |\n" +
		"| unknown\\_rule |  | high | 1 |\n" +
		"| unpinned-action | Action not pinned to a commit | high | 1 |\n" +
		"| script-injection | Untrusted input expanded into a script | medium | 1 |\n" +
		"| [agent-any](https://pipelint.dev/rules/agent-any) | Jenkins pipeline runs on any agent | info | 2 |\n"
	if !strings.Contains(out, want) {
		t.Errorf("no rule table\n%s\nin:\n%s", want, out)
	}
}

func TestMarkdownText(t *testing.T) {
	for text, want := range map[string]string{
		`"actions/checkout@v4" is not pinned`:      `"actions/checkout\@v4" is not pinned`,
		"a | b":                                    `a \| b`,
		"<img src=x onerror=alert(1)>":             `\<img src=x onerror=alert\(1\)\>`,
		"${{ github.event.issue.title }}":          `\$\{\{ github.event.issue.title \}\}`,
		"**bold** _it_ `code` [l](u) ~~s~~ \\":     "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\[l\\]\\(u\\) \\~\\~s\\~\\~ \\\\",
		"@all #1 !2 %m ~l &amp;":                   `\@all \#1 \!2 \%m \~l \&amp;`,
		"line\nbreak\r\n# heading\r- item":         `line break \# heading - item`,
		"plain text, with: punctuation; ok? 1.2+3": "plain text, with: punctuation; ok? 1.2+3",
		"esc \x1b[2J \u202e ##vso[x.y]":            `esc \\x1b\[2J \\u202e \#\\x23vso\[x.y\]`,
	} {
		if got := markdownText(text); got != want {
			t.Errorf("markdownText(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestMarkdownLink(t *testing.T) {
	for target, want := range map[string]string{
		"":                                "id",
		"https://pipelint.dev/rules/id":   "[id](https://pipelint.dev/rules/id)",
		"http://x.test/a b(c)|d":          "[id](http://x.test/a%20b%28c%29%7Cd)",
		"javascript:alert(1)":             "id",
		"/relative/page":                  "id",
		"https://x.test/%zz not a url":    "id",
		"HTTPS://pipelint.dev/rules/id#x": "[id](https://pipelint.dev/rules/id#x)",
	} {
		if got := markdownLink("id", target); got != want {
			t.Errorf("markdownLink(id, %q) = %q, want %q", target, got, want)
		}
	}
}

func TestMarkdownFindingLimit(t *testing.T) {
	run := emptyRun()
	for i := range markdownFindingLimit + 2 {
		run.Findings = append(run.Findings, finding.Finding{RuleID: "agent-any", Severity: finding.Info,
			Message: fmt.Sprintf("finding %d", i), Pos: pos("Jenkinsfile", i+1, 1, 0, 0)})
	}
	out := string(render(t, "markdown", Options{}, run))
	last := fmt.Sprintf("- Jenkinsfile:%d **agent-any** (info): finding %d\n", markdownFindingLimit, markdownFindingLimit-1)
	hidden := fmt.Sprintf("- Jenkinsfile:%d **agent-any**", markdownFindingLimit+1)
	if !strings.Contains(out, last) || strings.Contains(out, hidden) ||
		!strings.Contains(out, "\n- and 2 more, left out to keep this summary short: the other formats list them all\n\n</details>\n") {
		t.Errorf("finding list not cut after %d:\n%s", markdownFindingLimit, out[len(out)-400:])
	}
	if !strings.Contains(out, "| Jenkinsfile | 1002 | info |\n") {
		t.Error("the file table does not count every finding")
	}
}
