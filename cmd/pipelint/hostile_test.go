package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pipelint/pipelint/internal/benchrun/hostile"
)

// Hostile repositories, end to end: pipelint is run on repositories it
// does not trust. Like the limit tests, each check runs in a child process
// (TestLimitsChild) under a safety net, so that a hang fails the test
// instead of stalling the run.

// pipelintInChild runs pipelint with args in dir in a child process, with
// stdin as its standard input (none when nil), and returns its exit code
// and output.
func pipelintInChild(t *testing.T, dir string, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	encoded, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), childSafetyNet)
	defer cancel()
	if deadline, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-10*time.Second))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLimitsChild$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PIPELINT_LIMITS_ARGS="+string(encoded))
	cmd.Stdin = stdin
	cmd.WaitDelay = time.Second // stdin may never end
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("killed by the safety net (%s, or the test binary's deadline): pipelint %q never ended", childSafetyNet, args)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		t.Fatal(err)
	}
	if strings.Contains(errOut.String(), "\ngoroutine ") {
		t.Fatalf("panic:\n%s", errOut.String())
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// jsonCheckInChild runs `pipelint check --format json ARGS...` in dir in a
// child process, with stdin as its standard input, and returns its exit
// code and report.
func jsonCheckInChild(t *testing.T, dir string, stdin io.Reader, args ...string) (int, checkReport) {
	t.Helper()
	code, stdout, stderr := pipelintInChild(t, dir, stdin, append([]string{"check", "--format", "json", "--no-config"}, args...)...)
	var report checkReport
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("exit %d, no JSON report (%v)\nstdout: %.2000s\nstderr: %.2000s", code, err, stdout, stderr)
	}
	return code, report
}

// assertErrors checks exit 2, exactly the expected errors in order, and
// the good workflow beside them still checked.
func assertErrors(t *testing.T, code int, report checkReport, want ...wantError) {
	t.Helper()
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if len(report.Errors) != len(want) {
		t.Errorf("errors %+v, want %d", report.Errors, len(want))
	}
	for i := range min(len(want), len(report.Errors)) {
		got, w := report.Errors[i], want[i]
		if got.File != w.file || got.Line != w.line || got.Column != w.column || !regexp.MustCompile(w.message).MatchString(got.Message) {
			t.Errorf("error %s:%d:%d: %s\nwant  %s:%d:%d: /%s/", got.File, got.Line, got.Column, got.Message, w.file, w.line, w.column, w.message)
		}
	}
	assertGoodFileChecked(t, report, goodWorkflow)
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

const outsideMessage = `resolves outside the repository through a symbolic link; it was not read$`

// TestHostileSymlinksOutOfTheRepository: a workflow named on the command
// line, or a GitLab include, that is a symbolic link to a file outside the
// repository is refused, and the file is not read (its unpinned action
// would be reported).
func TestHostileSymlinksOutOfTheRepository(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"outside.yml":             unpinnedWorkflow,
		"outside-job.yml":         "stolen:\n  image: node:20\n  script: [make]\n",
		"repo/.git/HEAD":          "ref: refs/heads/main\n",
		"repo/" + goodWorkflow:    unpinnedWorkflow,
		"repo/.gitlab-ci.yml":     gitlabIncludes("ci/evil.yml"),
		"repo/ci/placeholder.yml": "placeholder:\n  script: [make]\n",
	})
	repo := filepath.Join(base, "repo")
	mustSymlink(t, "../../../outside.yml", filepath.Join(repo, ".github", "workflows", "evil.yml"))
	mustSymlink(t, filepath.Join(base, "outside-job.yml"), filepath.Join(repo, "ci", "evil.yml"))
	code, report := jsonCheckInChild(t, repo, nil, ".github/workflows/evil.yml", goodWorkflow, ".gitlab-ci.yml")
	assertErrors(t, code, report,
		wantError{".github/workflows/evil.yml", 1, 1, `^file ` + outsideMessage},
		wantError{".gitlab-ci.yml", 2, 12, `^file "ci/evil.yml" ` + outsideMessage})
	for _, f := range report.Findings {
		if f.File != goodWorkflow && f.File != ".gitlab-ci.yml" {
			t.Errorf("a file outside the repository was read: %+v", f)
		}
	}
}

// TestHostileConfigurationOutOfTheRepository: a repository's
// .pipelint.yaml, a --config file or a --baseline file that is a symbolic
// link out of the repository is refused, unread: a configuration's errors
// quote its keys, a baseline's its fields. A --config or --baseline file
// applies to every file, so a refused one stops the run with exit code 2,
// as a broken one does; a repository's own configuration is that
// repository's error, in the report (see
// TestHostileConfigurationInAScanOfRepositories).
func TestHostileConfigurationOutOfTheRepository(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"outside.yaml":          "stolen-secret-key: 1\n",
		"outside-baseline.json": `{"stolen_private_key": "x"}`,
		"repo/.git/HEAD":        "ref: refs/heads/main\n",
		"repo/" + goodWorkflow:  unpinnedWorkflow,
	})
	repo := filepath.Join(base, "repo")
	mustSymlink(t, "../outside.yaml", filepath.Join(repo, ".pipelint.yaml"))
	mustSymlink(t, filepath.Join(base, "outside.yaml"), filepath.Join(repo, "ci", "pipelint.yaml"))
	mustSymlink(t, "../outside-baseline.json", filepath.Join(repo, ".pipelint-baseline.json"))
	outside := strings.TrimSuffix(outsideMessage, "$")
	for _, c := range []struct {
		args []string
		want string // a line of standard output or standard error
	}{
		{[]string{"check", "."}, ".pipelint.yaml:1:1: error: the configuration file " + outside},
		{[]string{"check", "--config", "ci/pipelint.yaml", "."}, "ci/pipelint.yaml:1:1: the configuration file " + outside},
		{[]string{"check", "--no-config", "--baseline", ".pipelint-baseline.json", "."}, "pipelint: --baseline .pipelint-baseline.json: " + outside},
	} {
		code, stdout, stderr := pipelintInChild(t, repo, nil, c.args...)
		if code != exitError || !strings.Contains("\n"+stdout+stderr, "\n"+c.want+"\n") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, stdout, stderr, exitError, c.want)
		}
		if strings.Contains(stdout+stderr, "stolen") {
			t.Errorf("%q: a file outside the repository was read:\n%s%s", c.args, stdout, stderr)
		}
	}
}

// TestHostileGlobThroughSymlinkLoops: two links back up make a GitLab
// include glob exponential if links are followed; they are not listed.
func TestHostileGlobThroughSymlinkLoops(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".gitlab-ci.yml": "include:\n  - local: \"ci/**/*.yml\"\njob:\n  script: [make]\n",
		"ci/a.yml":       "a:\n  image: node:20\n  script: [make]\n",
		goodWorkflow:     unpinnedWorkflow,
	})
	mustSymlink(t, "..", filepath.Join(root, "ci", "l"))
	mustSymlink(t, "..", filepath.Join(root, "ci", "m"))
	code, report := jsonCheckInChild(t, root, nil, ".")
	if code != exitFindings || len(report.Errors) != 0 {
		t.Errorf("exit %d, errors %+v; want exit %d and none", code, report.Errors, exitFindings)
	}
	var included int
	for _, f := range report.Findings {
		if f.File == "ci/a.yml" && f.RuleID == "unpinned-image" {
			included++
		}
	}
	if included != 1 {
		t.Errorf("ci/a.yml reported %d times, want once: %+v", included, report.Findings)
	}
	assertGoodFileChecked(t, report, goodWorkflow)
}

// TestHostileLargeWorkflow: a 4 MB workflow whose one `run:` line holds
// half a million commands is refused before its rule input is built (it
// took 37 s of CPU and 2.2 GB), or on a very slow machine stopped at the
// file's time limit; the other files are checked.
func TestHostileLargeWorkflow(t *testing.T) {
	root := writeFiles(t, map[string]string{
		goodWorkflow:                 unpinnedWorkflow,
		".github/workflows/long.yml": string(hostile.LongRunWorkflow(4 << 20)),
	})
	code, report := checkInChild(t, root, ".")
	assertLimit(t, code, report, goodWorkflow, wantError{".github/workflows/long.yml", 1, 1,
		`^(the pipeline is too large to check: more than 1000000 values .*|checking the file took longer than 10s); the file was not checked$`})
}

// TestHostileFileTimeoutFlag: --file-timeout sets the time limit of each
// file's whole check; a file over it is an error.
func TestHostileFileTimeoutFlag(t *testing.T) {
	root := writeFiles(t, map[string]string{goodWorkflow: unpinnedWorkflow, ".gitlab-ci.yml": "job:\n  script: [make]\n"})
	code, stdout, stderr := pipelint(t, root, "check", "--no-config", "--file-timeout", "1ns", ".")
	for _, file := range []string{".github/workflows/good.yml", ".gitlab-ci.yml"} {
		if want := file + ":1:1: error: checking the file took longer than 1ns; the file was not checked\n"; !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s%s", want, stdout, stderr)
		}
	}
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	code, _, stderr = pipelint(t, root, "check", "--file-timeout", "0", ".")
	if want := "pipelint: --file-timeout must be positive, not 0s\n"; code != exitError || stderr != want {
		t.Errorf("--file-timeout 0: exit %d, stderr %q; want %d, %q", code, stderr, exitError, want)
	}
}

// TestHostileIncluderInDiscovery: a file named on the command line that no
// system recognises (a pre-commit hook passes every changed YAML file)
// makes discovery parse the repository's .gitlab-ci.yml, to tell whether
// it is a fragment of that pipeline. That parse has the time limit of a
// file's check (the runner's tests show it holds against a parse that
// never ends): when it runs out, the named file is an error, even with
// --skip-unknown, rather than skipped as if no pipeline included it.
func TestHostileIncluderInDiscovery(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".git/HEAD":       "ref: refs/heads/main\n",
		".gitlab-ci.yml":  gitlabIncludes("ci/fragment.yml"),
		"ci/fragment.yml": "fragment:\n  image: node:20\n  script: [make]\n",
	})
	code, stdout, stderr := pipelint(t, root, "check", "--skip-unknown", "--file-timeout", "1ns", "ci/fragment.yml")
	want := "ci/fragment.yml:1:1: error: could not tell whether .gitlab-ci.yml includes the file: parsing it took longer than 1ns; the file was not checked\n"
	if code != exitError || !strings.HasPrefix(stdout, want) {
		t.Errorf("exit %d, want %d and %q first:\n%s%s", code, exitError, want, stdout, stderr)
	}
}

// terminalInput reads a workflow of testdata/hostile/runner-terminal.
func terminalInput(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "hostile", "runner-terminal", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// assertSafeForCILogs fails on a line that a terminal or a CI runner
// would act on: a control character but tab, or, with invisible
// characters left out, a line that starts with "::" (spaces aside; each
// line of GitHub annotations is one, by design), or "##[" or "##vso["
// (any case) anywhere.
func assertSafeForCILogs(t *testing.T, name, out string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		visible := strings.Map(func(r rune) rune {
			if unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) {
				return -1
			}
			return r
		}, line)
		if name == "github" {
			visible = regexp.MustCompile(`^::(error|warning|notice) file=`).ReplaceAllString(visible, "")
		}
		if strings.HasPrefix(strings.TrimLeft(visible, " "), "::") {
			t.Errorf("%s, line %d, is a workflow command: %q", name, i+1, line)
		}
		if strings.Contains(visible, "##[") || strings.Contains(strings.ToLower(visible), "##vso[") {
			t.Errorf("%s, line %d, holds a log command: %q", name, i+1, line)
		}
		if strings.ContainsFunc(line, func(r rune) bool { return r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) }) {
			t.Errorf("%s, line %d, holds a control character: %q", name, i+1, line)
		}
	}
}

// TestHostileFileNamesAndMessagesInCILogs: file names with a line break
// and a workflow command, escape sequences, and GitHub's and Azure
// Pipelines' log commands in the source never reach the output as they
// are, in any format, on standard error, or in inspect's output.
func TestHostileFileNamesAndMessagesInCILogs(t *testing.T) {
	const (
		evil      = "evil\n::error file=a.yml::injected\x1b[2J.yml"
		evilShown = `evil\n::error file=a.yml::injected\x1b[2J.yml`
		colons    = "::warning::x.yml"
		vso       = "##vso[task.setvariable variable=X]y.yml"
	)
	root := writeFiles(t, map[string]string{
		evil:          terminalInput(t, "escapes.yml"),
		colons:        terminalInput(t, "broken.yml"),
		"control.yml": terminalInput(t, "control.yml"),
		vso:           terminalInput(t, "commands.yml"),
		goodWorkflow:  unpinnedWorkflow,
	})
	paths := []string{evil, colons, "control.yml", vso, goodWorkflow}

	code, stdout, stderr := pipelint(t, root, append([]string{"check", "--no-config", "--system", "github"}, paths...)...)
	assertSafeForCILogs(t, "text", stdout)
	assertSafeForCILogs(t, "standard error", stderr)
	for _, want := range []string{
		"./::warning::x.yml:2:7: error: ",
		"\ncontrol.yml:4:30: error: ",
		"\n 4 |     runs-on: ubuntu-latest # \uFFFD[2J\uFFFD]8;;https://example.com\uFFFDlink\n",
		"\n" + evilShown + `:6:15: medium unpinned-action: action "actions/checkout@v4"`,
		"\n 6 |       - uses: actions/checkout@v4 # #\uFFFD[error]old-style command \uFFFDevil\n",
		"\n#\\x23vso[task.setvariable variable=X]y.yml:6:15: high unpinned-action: action \"actions/checkout@#\\x23vso[task.setvariable variable=PATH]/tmp/evil\"",
		"\n 6 |       - uses: actions/checkout@#\uFFFDvso[task.setvariable variable=PATH]/tmp/evil # #\uFFFDVSO[task.complete result=Succeeded] #\u00ad\uFFFD[add-mask]x\n",
		"\n" + goodWorkflow + ":6:15: medium unpinned-action: ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, stdout)
		}
	}
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}

	_, stdout, _ = pipelint(t, root, append([]string{"check", "--no-config", "--system", "github", "--format", "github"}, paths...)...)
	assertSafeForCILogs(t, "github", stdout)
	if want := "::warning file=evil%0A%3A%3Aerror file=a.yml%3A%3Ainjected\\x1b[2J.yml,line=6,col=15,"; !strings.Contains(stdout, want) {
		t.Errorf("annotations lack %q:\n%s", want, stdout)
	}

	for _, format := range []string{"json", "sarif", "gitlab", "markdown"} {
		_, stdout, stderr = pipelint(t, root, append([]string{"check", "--no-config", "--system", "github", "--format", format}, paths...)...)
		assertSafeForCILogs(t, format, stdout)
		assertSafeForCILogs(t, "standard error", stderr)
		if want := "./::warning::x.yml:2:7: "; !strings.HasPrefix(stderr, want) {
			t.Errorf("%s: standard error does not start with %q:\n%s", format, want, stderr)
		}
	}
	_, stdout, stderr = pipelint(t, root, "inspect", "--system", "github", vso)
	assertSafeForCILogs(t, "inspect", stdout+stderr)
	if want := `actions/checkout@#\u0023vso[task.setvariable variable=PATH]/tmp/evil`; !strings.Contains(stdout, want) {
		t.Errorf("inspect lacks %q:\n%s", want, stdout)
	}
}

// TestHostileReportPaths: a report or baseline path at which the checked
// repository put a symbolic link is refused with exit code 2, and the
// link's target is left as it was: written through, the link would let a
// pull request overwrite any file the job can write (a shell profile, a
// git hook) with text it partly chooses. os.DevNull is still accepted.
func TestHostileReportPaths(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"victim.txt":           "precious\n",
		"repo/.git/HEAD":       "ref: refs/heads/main\n",
		"repo/" + goodWorkflow: unpinnedWorkflow,
	})
	repo := filepath.Join(base, "repo")
	mustSymlink(t, "../victim.txt", filepath.Join(repo, "pipelint.sarif"))
	const refused = "pipelint.sarif: is a symbolic link, not a regular file; it was not written (the repository checked may have put it there): remove it or name another file\n"
	for _, c := range []struct {
		args []string
		want string // standard error
	}{
		{[]string{"--format", "sarif=pipelint.sarif"}, "pipelint: report " + refused},
		{[]string{"--format", "sarif", "--output", "pipelint.sarif"}, "pipelint: report " + refused},
		{[]string{"--write-baseline", "pipelint.sarif"}, "pipelint: baseline " + refused},
	} {
		args := append(append([]string{"check", "--no-config"}, c.args...), ".")
		code, _, stderr := pipelintInChild(t, repo, nil, args...)
		if code != exitError || stderr != c.want {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr, exitError, c.want)
		}
		if data, err := os.ReadFile(filepath.Join(base, "victim.txt")); err != nil || string(data) != "precious\n" {
			t.Fatalf("%q: the link's target was written (%d bytes, %v)", c.args, len(data), err)
		}
	}
	code, stdout, stderr := pipelintInChild(t, repo, nil, "check", "--no-config", "--format", "json", "--output", os.DevNull, ".")
	if code != exitFindings || stdout != "" || stderr != "" {
		t.Errorf("--output %s: exit %d, stdout %q, stderr %q; want exit %d and no output", os.DevNull, code, stdout, stderr, exitFindings)
	}
}

// TestHostileConfigPrint: `config print` shows a repository's
// configuration, whose keys, values and directory name it chose, escaped
// for terminals and CI logs as the reports are: no workflow command at the
// start of a line (an option key, a line of a multi-line value, the
// directory in the heading), no log command, no control character.
func TestHostileConfigPrint(t *testing.T) {
	const dir = "repo\n::error::heading\x1b[2J"
	base := writeFiles(t, map[string]string{
		dir + "/.git/HEAD":      "ref: refs/heads/main\n",
		dir + "/.pipelint.yaml": terminalInput(t, "pipelint.yaml"),
	})
	code, stdout, stderr := pipelint(t, filepath.Join(base, dir), "config", "print")
	if code != exitClean {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	assertSafeForCILogs(t, "config print", stdout)
	for _, want := range []string{
		`      \x3a:error file=a.yml::key: "#\x23[error]value \e[2J \u202e"` + "\n",
		`ignore-paths: ["#` + "\u200b" + `\x23[add-mask]x", "a\u202eb"]` + "\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestHostileManySecrets: the digest of each secret a file holds, for its
// fingerprint, is slow on purpose (secret.Digest, 1.5 ms here) and counts
// in the file's time budget: a workflow of 5,000 different literal
// passwords takes more than 6 s of digests on any machine, so within a
// budget of 1 s it is an error, and the good workflow beside it is still
// reported. Before, the digests ran after the budget was checked, and the
// file took 8 s.
func TestHostileManySecrets(t *testing.T) {
	var secrets strings.Builder
	secrets.WriteString("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n")
	for i := range 5000 {
		fmt.Fprintf(&secrets, "      DB_PASSWORD_%d: \"pw%05dXq9z\"\n", i, i)
	}
	secrets.WriteString("    steps:\n      - run: make\n")
	root := writeFiles(t, map[string]string{goodWorkflow: unpinnedWorkflow, ".github/workflows/secrets.yml": secrets.String()})
	code, report := jsonCheckInChild(t, root, nil, "--file-timeout", "1s", ".")
	assertErrors(t, code, report, wantError{".github/workflows/secrets.yml", 1, 1, `^checking the file took longer than 1s; the file was not checked$`})
}

// TestHostileConfigurationInAScanOfRepositories: in a scan of several
// repositories, one repository's .pipelint.yaml that cannot be used
// (invalid, or a link out of the repository) is that repository's error:
// its errors are reported, the files it governs are not checked, the
// other repositories are, and the exit code is 2. What the user named
// governs every file and still stops the run: a --config file, or a
// --policy directory, that cannot be used.
func TestHostileConfigurationInAScanOfRepositories(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"outside.yaml":                         "stolen-secret-key: 1\n",
		"scan/a/.git/HEAD":                     "ref: refs/heads/main\n",
		"scan/a/" + goodWorkflow:               unpinnedWorkflow,
		"scan/b/.git/HEAD":                     "ref: refs/heads/main\n",
		"scan/b/.pipelint.yaml":                "rules:\n  no-such-rule:\n    enabled: false\n",
		"scan/b/.github/workflows/ci.yml":      unpinnedWorkflow,
		"scan/b/.github/workflows/release.yml": unpinnedWorkflow,
		"scan/c/.git/HEAD":                     "ref: refs/heads/main\n",
		"scan/c/.github/workflows/ci.yml":      unpinnedWorkflow,
		"broken.yaml":                          "rules: [\n",
		"p/broken.rego":                        "package pipelint.rules.broken\n\nfindings contains x if {\n",
	})
	scan := filepath.Join(base, "scan")
	mustSymlink(t, "../../outside.yaml", filepath.Join(scan, "c", ".pipelint.yaml"))

	code, stdout, stderr := pipelintInChild(t, scan, nil, "check", "--format", "json", ".")
	var report checkReport
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("exit %d, no JSON report (%v)\nstdout: %.2000s\nstderr: %.2000s", code, err, stdout, stderr)
	}
	assertErrors(t, code, report,
		wantError{".pipelint.yaml", 1, 1, `^the configuration cannot be used, so the 2 CI files it governs were not checked$`},
		wantError{".pipelint.yaml", 1, 1, `^the configuration cannot be used, so the CI file it governs was not checked$`},
		wantError{".pipelint.yaml", 1, 1, `^the configuration file ` + outsideMessage},
		wantError{".pipelint.yaml", 2, 3, `^unknown rule "no-such-rule" \(known rules: .*\)$`})
	if report.Summary.Files != 1 || len(report.Findings) != 1 {
		t.Errorf("%d files checked, findings %+v; want a's workflow alone", report.Summary.Files, report.Findings)
	}
	if strings.Contains(stdout+stderr, "stolen") {
		t.Errorf("a file outside the repository was read:\n%s%s", stdout, stderr)
	}

	for _, c := range []struct {
		args []string
		want string // the first line of standard error
	}{
		{[]string{"--config", "../broken.yaml", "."}, "../broken.yaml:1:1: did not find expected node content\n"},
		{[]string{"--policy", "../p", "."}, "load policies: 1 error occurred: ../p/broken.rego:4: rego_parse_error: "},
		// b's configuration fails with the policy, and without it.
		{[]string{"--policy", "../p", "b"}, "load policies: 1 error occurred: ../p/broken.rego:4: rego_parse_error: "},
	} {
		code, stdout, stderr := pipelintInChild(t, scan, nil, append([]string{"check"}, c.args...)...)
		if code != exitError || stdout != "" || !strings.HasPrefix(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d, no report, and %q first", c.args, code, stdout, stderr, exitError, c.want)
		}
	}
}
