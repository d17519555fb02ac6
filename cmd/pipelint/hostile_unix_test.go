//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileSpecialFiles: a FIFO named on the command line, a workflow
// that links to one, a GitLab include that is one, and a workflow that
// links to /dev/stdin (here a pipe that never ends) are never opened:
// opening a FIFO, or reading such a stdin, blocks forever.
func TestHostileSpecialFiles(t *testing.T) {
	root := writeFiles(t, map[string]string{
		goodWorkflow:     unpinnedWorkflow,
		".gitlab-ci.yml": gitlabIncludes("ci/fifo.yml"),
	})
	fifo := filepath.Join(root, ".github", "workflows", "fifo.yml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.MkdirAll(filepath.Join(root, "ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "ci", "fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustSymlink(t, "fifo.yml", filepath.Join(root, ".github", "workflows", "fifo-link.yml"))
	mustSymlink(t, "/dev/stdin", filepath.Join(root, ".github", "workflows", "stdin.yml"))
	stdin, neverEnds, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	defer neverEnds.Close()

	paths := []string{".github/workflows/fifo.yml", ".github/workflows/fifo-link.yml", ".github/workflows/stdin.yml", goodWorkflow, ".gitlab-ci.yml"}
	code, report := jsonCheckInChild(t, root, stdin, paths...)
	assertErrors(t, code, report,
		wantError{".github/workflows/fifo-link.yml", 1, 1, `^file is a named pipe, not a regular file; it was not read$`},
		wantError{".github/workflows/fifo.yml", 1, 1, `^file is a named pipe, not a regular file; it was not read$`},
		wantError{".github/workflows/stdin.yml", 1, 1, `^file ` + outsideMessage},
		wantError{".gitlab-ci.yml", 2, 12, `^file "ci/fifo.yml" is a named pipe, not a regular file; it was not read$`})

	// The text report shows the source line of each error: reading it
	// must not open the FIFO either.
	code, stdout, _ := pipelintInChild(t, root, stdin, append([]string{"check", "--no-config"}, paths...)...)
	if want := ".github/workflows/fifo.yml:1:1: error: file is a named pipe"; code != exitError || !strings.Contains(stdout, want) {
		t.Errorf("text report: exit %d, want %d and %q:\n%s", code, exitError, want, stdout)
	}
}

// TestHostileSpecialConfiguration: a .pipelint.yaml or a --baseline file
// that is a FIFO is refused without being opened, which would block until
// someone writes to it; the repository's refused configuration is its
// error, a refused baseline stops the run.
func TestHostileSpecialConfiguration(t *testing.T) {
	root := writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", goodWorkflow: unpinnedWorkflow})
	for _, name := range []string{".pipelint.yaml", "baseline.json"} {
		if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
	}
	for _, c := range []struct {
		args []string
		want string // a line of standard output or standard error
	}{
		{[]string{"check", "."}, ".pipelint.yaml:1:1: error: the configuration file is a named pipe, not a regular file; it was not read"},
		{[]string{"check", "--no-config", "--baseline", "baseline.json", "."}, "pipelint: --baseline baseline.json: is a named pipe, not a regular file; it was not read"},
	} {
		code, stdout, stderr := pipelintInChild(t, root, nil, c.args...)
		if code != exitError || !strings.Contains("\n"+stdout+stderr, "\n"+c.want+"\n") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, stdout, stderr, exitError, c.want)
		}
	}
}

// TestHostileReportFIFO: a FIFO at a report or baseline path is refused
// without being opened: opening it for writing waits for a reader.
func TestHostileReportFIFO(t *testing.T) {
	root := writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", goodWorkflow: unpinnedWorkflow})
	if err := syscall.Mkfifo(filepath.Join(root, "report.json"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	const refused = "report.json: is a named pipe, not a regular file; it was not written (the repository checked may have put it there): remove it or name another file\n"
	for _, c := range []struct {
		args []string
		want string // standard error
	}{
		{[]string{"--format", "json=report.json"}, "pipelint: report " + refused},
		{[]string{"--write-baseline", "report.json"}, "pipelint: baseline " + refused},
	} {
		args := append(append([]string{"check", "--no-config"}, c.args...), ".")
		code, _, stderr := pipelintInChild(t, root, nil, args...)
		if code != exitError || stderr != c.want {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, exitError, c.want)
		}
	}
}

// TestHostilePolicyFIFO: a FIFO named like a policy file, or like the
// help page beside a rule, or a link to one, is refused with a message
// naming it, without being opened: opening it would wait for a writer
// and stop the run before any file is checked.
func TestHostilePolicyFIFO(t *testing.T) {
	for _, c := range []struct {
		fifo, link string // in the policy directory p
		want       string
	}{
		{fifo: "evil.rego", want: "p/evil.rego: is a named pipe, not a regular file; it was not read"},
		{fifo: "pipe", link: "evil.rego", want: "p/evil.rego: is a named pipe, not a regular file; it was not read"},
		{fifo: "acme-actions-only.md", want: "p/acme-actions-only.md: is a named pipe, not a regular file; it was not read"},
	} {
		root := writeFiles(t, map[string]string{goodWorkflow: unpinnedWorkflow, "p/rule.rego": orgRule})
		if err := syscall.Mkfifo(filepath.Join(root, "p", c.fifo), 0o644); err != nil {
			t.Skip("no FIFOs here:", err)
		}
		if c.link != "" {
			mustSymlink(t, c.fifo, filepath.Join(root, "p", c.link))
		}
		for _, args := range [][]string{{"check", "--no-config", "--policy", "p", "."}, {"policy", "doc", "p"}, {"policy", "test", "p"}} {
			if c.fifo == "acme-actions-only.md" && args[0] == "policy" && args[1] == "test" {
				continue // tests have no use for help pages
			}
			code, _, stderr := pipelintInChild(t, root, nil, args...)
			if code != exitError || !strings.Contains(stderr, c.want) {
				t.Errorf("%s in p, %q: exit %d, stderr %q; want exit %d and %q", c.fifo, args, code, stderr, exitError, c.want)
			}
		}
	}
}
