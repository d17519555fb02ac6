package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Every limit is checked end to end through run, in a child process (the
// test binary itself, see TestLimitsChild), so that an input that makes
// pipelint hang or eat memory takes the child down instead of the whole
// test run. That the limit stopped the input is shown by the error it
// reports; how fast pipelint is belongs to the benchmarks (make bench),
// not to these tests, which must pass on a slow or busy machine.

// childSafetyNet is how long a child may run before it is killed. It only
// keeps a hang from lasting forever, and is no measure of speed: minutes,
// where a check of one of these files takes about a second or less. The
// child is also killed shortly before the test binary's own deadline (go
// test -timeout), so that a hang fails naming its input.
const childSafetyNet = 3 * time.Minute

// goodWorkflow sits beside every hostile file: the run must still check it
// and report its one finding.
const goodWorkflow = ".github/workflows/good.yml"

// checkReport is the part of the JSON report the limit tests read.
type checkReport struct {
	Summary struct {
		Files  int `json:"files"`
		Errors int `json:"errors"`
	} `json:"summary"`
	Findings []struct {
		RuleID string `json:"rule_id"`
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
		Message string `json:"message"`
	} `json:"errors"`
}

// TestLimitsChild is not a test: it is the child process of checkInChild,
// which runs it with the arguments of run in PIPELINT_LIMITS_ARGS.
func TestLimitsChild(t *testing.T) {
	encoded := os.Getenv("PIPELINT_LIMITS_ARGS")
	if encoded == "" {
		t.Skip("only runs as the child process of the limit tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(encoded), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(100)
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// checkInChild runs `pipelint check --format json PATH...` in dir in a
// child process and returns its exit code and report.
func checkInChild(t *testing.T, dir string, paths ...string) (int, checkReport) {
	t.Helper()
	return jsonCheckInChild(t, dir, nil, paths...)
}

// wantError is the one error a hostile file must produce.
type wantError struct {
	file         string
	line, column int
	message      string // a regular expression
}

// assertLimit checks the outcome every limit must have: exit 2, exactly
// the expected error, and the good workflow beside it still checked.
func assertLimit(t *testing.T, code int, report checkReport, goodFile string, want wantError) {
	t.Helper()
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if len(report.Errors) != 1 {
		t.Fatalf("errors %+v, want one for %s", report.Errors, want.file)
	}
	got := report.Errors[0]
	if got.File != want.file || got.Line != want.line || got.Column != want.column || !regexp.MustCompile(want.message).MatchString(got.Message) {
		t.Errorf("error %s:%d:%d: %s\nwant  %s:%d:%d: /%s/", got.File, got.Line, got.Column, got.Message, want.file, want.line, want.column, want.message)
	}
	assertGoodFileChecked(t, report, goodFile)
}

func assertGoodFileChecked(t *testing.T, report checkReport, goodFile string) {
	t.Helper()
	for _, f := range report.Findings {
		if f.File == goodFile && f.RuleID == "unpinned-action" && f.Line == 6 && f.Column == 15 {
			return
		}
	}
	t.Errorf("%s was not checked: findings %+v", goodFile, report.Findings)
}

// billionLaughs defines nine anchors at the given indentation, each a list
// of nine aliases of the one before: *i stands for 9^9 strings.
func billionLaughs(indent string) string {
	var b strings.Builder
	b.WriteString(indent + `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for level := 'b'; level <= 'i'; level++ {
		aliases := strings.TrimSuffix(strings.Repeat("*"+string(level-1)+",", 9), ",")
		fmt.Fprintf(&b, "%s%c: &%c [%s]\n", indent, level, level, aliases)
	}
	return b.String()
}

// gitlabIncludes is a .gitlab-ci.yml including the given local files, with
// one job.
func gitlabIncludes(paths ...string) string {
	var b strings.Builder
	b.WriteString("include:\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "  - local: %s\n", p)
	}
	b.WriteString("job:\n  script: [make]\n")
	return b.String()
}

func TestLimits(t *testing.T) {
	manyIncludes := map[string]string{}
	var includePaths []string
	for i := range 151 {
		path := fmt.Sprintf("ci/job%d.yml", i)
		includePaths = append(includePaths, path)
		manyIncludes[path] = fmt.Sprintf("job%d:\n  script: [make]\n", i)
	}
	manyIncludes[".gitlab-ci.yml"] = gitlabIncludes(includePaths...)

	for name, c := range map[string]struct {
		files map[string]string
		want  wantError
	}{
		"file over 5 MB": {
			files: map[string]string{".github/workflows/big.yml": "on: push\n" + strings.Repeat("# padding\n", 5<<20/10)},
			want:  wantError{".github/workflows/big.yml", 1, 1, `^file is 5242889 bytes, over the 5242880-byte limit`},
		},
		"binary file": {
			files: map[string]string{".github/workflows/binary.yml": "on: push\n\x00\x01\x02\xff"},
			want:  wantError{".github/workflows/binary.yml", 1, 1, `^file is binary`},
		},
		"alias bomb in .gitlab-ci.yml": {
			files: map[string]string{".gitlab-ci.yml": billionLaughs("") + "job:\n  script: [make]\n  variables:\n    X: *i\n"},
			want:  wantError{".gitlab-ci.yml", 7, 8, `^aliases expand to more than 1000000 values$`},
		},
		"10,000 nested flow sequences in .gitlab-ci.yml": {
			files: map[string]string{".gitlab-ci.yml": "job:\n  script: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"},
			want:  wantError{".gitlab-ci.yml", 2, 210, `^nesting deeper than 200 levels$`},
		},
		"10,001 nested flow sequences in a workflow": {
			files: map[string]string{".github/workflows/deep.yml": "on: push\njobs:\n  a:\n    runs-on: x\n    strategy:\n      matrix:\n        k: " +
				strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "\n    steps:\n      - run: make\n"},
			want: wantError{".github/workflows/deep.yml", 7, 10012, `exceeded max depth of 10000`},
		},
		"alias bomb in a workflow": {
			files: map[string]string{".github/workflows/bomb.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n" +
				billionLaughs("        ") + "    steps:\n      - run: make\n"},
			want: wantError{".github/workflows/bomb.yml", 13, 16, `^aliases expand the document to more than 1000000 values$`},
		},
		"10,000 nested flow sequences in a workflow": {
			files: map[string]string{".github/workflows/deep.yml": "on: push\njobs:\n  a:\n    runs-on: x\n    strategy:\n      matrix:\n        k: " +
				strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n    steps:\n      - run: make\n"},
			want: wantError{".github/workflows/deep.yml", 7, 207, `^the document nests deeper than 200 levels$`},
		},
		"GitLab include cycle": {
			files: map[string]string{
				".gitlab-ci.yml": gitlabIncludes("ci/a.yml"),
				"ci/a.yml":       "include:\n  - local: ci/b.yml\n",
				"ci/b.yml":       "include:\n  - local: ci/a.yml\n",
			},
			want: wantError{"ci/b.yml", 2, 12, `^include cycle: ci/a\.yml -> ci/b\.yml -> ci/a\.yml$`},
		},
		"151 GitLab includes": {
			files: manyIncludes,
			want:  wantError{".gitlab-ci.yml", 152, 12, `^Maximum of 150 nested includes are allowed!$`},
		},
		"GitLab extends cycle": {
			files: map[string]string{".gitlab-ci.yml": "a:\n  extends: b\n  script: [make]\nb:\n  extends: a\n  script: [make]\n"},
			want:  wantError{".gitlab-ci.yml", 2, 3, `^circular extends: a -> b -> a$`},
		},
		"Groovy nesting bomb": {
			files: map[string]string{"Jenkinsfile": "node {\n" + strings.Repeat("if (a) { ", 20000) + strings.Repeat("}", 20000) + "\n}\n"},
			want:  wantError{"Jenkinsfile", 2, 2245, `^nesting deeper than 500 levels$`},
		},
		"Groovy expression bomb": {
			files: map[string]string{"Jenkinsfile": "def x = " + strings.Repeat("(", 50000) + "1" + strings.Repeat(")", 50000) + "\n"},
			want:  wantError{"Jenkinsfile", 1, 508, `^nesting deeper than 500 levels$`},
		},
	} {
		t.Run(name, func(t *testing.T) {
			c.files[goodWorkflow] = unpinnedWorkflow
			code, report := checkInChild(t, writeFiles(t, c.files), ".")
			assertLimit(t, code, report, goodWorkflow, c.want)
		})
	}
}

// TestLimitLocalIncludeOutsideTheRepository: a local include may not
// climb out of the repository, with `..` or from `/`, and the file outside
// is not read (its unpinned image would be reported).
func TestLimitLocalIncludeOutsideTheRepository(t *testing.T) {
	for _, include := range []string{"../outside.yml", "/../outside.yml", "ci/../../outside.yml"} {
		t.Run(include, func(t *testing.T) {
			root := writeFiles(t, map[string]string{
				"repo/.gitlab-ci.yml":     gitlabIncludes(include),
				"repo/" + goodWorkflow:    unpinnedWorkflow,
				"outside.yml":             "stolen:\n  image: node:20\n  script: [make]\n",
				"repo/ci/placeholder.yml": "placeholder:\n  script: [make]\n",
			})
			code, report := checkInChild(t, root, "repo")
			// Paths are relative to the directory scanned, which has no .git.
			assertLimit(t, code, report, goodWorkflow, wantError{".gitlab-ci.yml", 2, 12,
				`^local include "` + regexp.QuoteMeta(include) + `" is outside the repository$`})
			for _, f := range report.Findings {
				if strings.Contains(f.File, "outside") {
					t.Errorf("the file outside the repository was read: %+v", f)
				}
			}
		})
	}
}

// TestLimitSymlinkLoopsAreNotFollowed: discovery does not follow symbolic
// links, so loops through directories and a link to itself neither hang it
// nor find any file twice; they are not CI files, so they are no error.
func TestLimitSymlinkLoopsAreNotFollowed(t *testing.T) {
	root := writeFiles(t, map[string]string{goodWorkflow: unpinnedWorkflow})
	for link, target := range map[string]string{
		"loop":                       ".",
		".github/workflows/up":       "..",
		".github/workflows/self.yml": "self.yml",
	} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	code, report := checkInChild(t, root, ".")
	if code != exitFindings || report.Summary.Files != 1 || len(report.Errors) != 0 {
		t.Errorf("exit %d, %d files, errors %+v; want exit %d, 1 file, no errors", code, report.Summary.Files, report.Errors, exitFindings)
	}
	assertGoodFileChecked(t, report, goodWorkflow)
}

// TestLimitSymlinkLoopNamedOnTheCommandLine: a path given on the command
// line that is a symbolic link to itself is one file error among the
// others, not the end of the run.
func TestLimitSymlinkLoopNamedOnTheCommandLine(t *testing.T) {
	root := writeFiles(t, map[string]string{goodWorkflow: unpinnedWorkflow})
	if err := os.Symlink("self.yml", filepath.Join(root, ".github", "workflows", "self.yml")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	code, report := checkInChild(t, root, ".github/workflows/self.yml", goodWorkflow)
	assertLimit(t, code, report, goodWorkflow, wantError{".github/workflows/self.yml", 1, 1, `too many levels of symbolic links$`})
}
