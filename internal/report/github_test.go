package report

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

func TestGitHubGolden(t *testing.T) {
	checkGolden(t, "github", render(t, "github", Options{}, sampleRun()))
	checkGolden(t, "github-empty", render(t, "github", Options{}, emptyRun()))
}

func TestGitHubCommands(t *testing.T) {
	run := sampleRun()
	lines := strings.Split(strings.TrimSuffix(string(render(t, "github", Options{}, run)), "\n"), "\n")
	want := []string{
		"::error file=docs/my workflow.yml,line=3,col=5,title=pipelint could not check this file::mapping values are not allowed in this context",
		"::error file=unreadable.yml,title=pipelint could not check this file::open unreadable.yml: permission denied",
		`::error file=.github/workflows/ci.yml,line=7,col=18,endLine=7,endColumn=58,title=pipelint hardcoded-secret::env "API_TOKEN" holds a literal GitHub token`,
		`::error file=.github/workflows/ci.yml,line=9,col=15,endLine=9,endColumn=34,title=pipelint unpinned-action::"actions/checkout@v4" is not pinned to a commit`,
		`::warning file=.github/workflows/ci.yml,line=10,col=20,endLine=10,endColumn=51,title=pipelint script-injection::"github.event.issue.title" is expanded into a script; use an environment variable & quote it`,
		// Over two lines: GitHub rejects columns there.
		`::notice file=.gitlab-ci.yml,line=4,endLine=5,title=pipelint curl-bash::"https://example.com/install.sh" is piped into bash`,
		`::notice file=Jenkinsfile,line=2,col=2,endLine=2,endColumn=11,title=pipelint agent-any::pipeline runs on "any" agent`,
		`::notice file=Jenkinsfile,line=3,col=38,endLine=3,endColumn=47,title=pipelint agent-any::stage "Ünïcode" runs a shell step`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// An attacker controls file names and the values quoted in messages: no
// text may end the command early, add a property or start another command.
func TestGitHubEscaping(t *testing.T) {
	const (
		file    = "a,line=1:x%0A\r\n::error::y.yml"
		message = "100% bad\r\n::error file=x::injected, title=z"
	)
	run := &Run{
		Rules: sampleRun().Rules,
		Findings: []finding.Finding{{RuleID: "curl-bash", Severity: finding.Low, Message: message,
			Pos: pos(file, 2, 3, 2, 9)}},
		Errors: []*model.ParseError{{Pos: pos(file, 1, 1, 0, 0), Message: message}},
	}
	got := string(render(t, "github", Options{}, run))
	want := "::error file=a%2Cline=1%3Ax%250A%0D%0A%3A%3Aerror%3A%3Ay.yml,line=1,col=1,title=pipelint could not check this file" +
		"::100%25 bad%0D%0A::error file=x::injected, title=z\n" +
		"::notice file=a%2Cline=1%3Ax%250A%0D%0A%3A%3Aerror%3A%3Ay.yml,line=2,col=3,endLine=2,endColumn=9,title=pipelint curl-bash" +
		"::100%25 bad%0D%0A::error file=x::injected, title=z\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	for i, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		name, properties, data := parseWorkflowCommand(t, line)
		if properties["file"] != file || data != message || name != []string{"error", "notice"}[i] {
			t.Errorf("command %d read back as %q %q %q", i, name, properties, data)
		}
	}
}

// parseWorkflowCommand reads a command the way the runner does: the name and
// properties end at the first "::", properties split at "," and "=", and
// then the escapes are undone.
func parseWorkflowCommand(t *testing.T, line string) (name string, properties map[string]string, data string) {
	t.Helper()
	head, data, ok := strings.Cut(strings.TrimPrefix(line, "::"), "::")
	if !ok || !strings.HasPrefix(line, "::") {
		t.Fatalf("not a workflow command: %q", line)
	}
	unescape := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	name, list, _ := strings.Cut(head, " ")
	properties = map[string]string{}
	for _, property := range strings.Split(list, ",") {
		key, value, _ := strings.Cut(property, "=")
		properties[key] = unescape.Replace(value)
	}
	return name, properties, strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(data)
}

func TestAnnotationLevel(t *testing.T) {
	want := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning",
		finding.Low: "notice", finding.Info: "notice", "odd": "warning"}
	for severity, level := range want {
		if got := annotationLevel(severity); got != level {
			t.Errorf("annotationLevel(%q) = %q, want %q", severity, got, level)
		}
	}
}
