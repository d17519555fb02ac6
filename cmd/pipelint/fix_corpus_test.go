package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/corpustest"
	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
	"github.com/pipelint/pipelint/internal/runner"
)

// TestFixCorpusPins is the acceptance test of pinning: `pipelint fix` on a
// copy of the corpus's GitHub repositories, against a local git server
// holding every owner/repo@ref the unpinned-action findings name (a commit
// per ref: a tag when it reads like a version, else a branch), leaves no
// unpinned-action finding with a fix, and changes nothing but the `uses:`
// values pinned and their trailing comments. It skips without the corpus,
// and with -short: it checks the corpus three times (before, in fix,
// after), about a minute on two cores.
func TestFixCorpusPins(t *testing.T) {
	if testing.Short() {
		t.Skip("checks the corpus three times; run without -short")
	}
	var dirs []string
	for _, repo := range corpustest.Repositories(t) {
		if strings.HasPrefix(repo.Name, "github/") {
			dirs = append(dirs, repo.Dir) // copies, in the test's directory
		}
	}
	started := time.Now()
	before := readTree(t, dirs)
	pins := pinnable(t, dirs)
	if len(pins) == 0 {
		t.Fatal("no unpinned-action finding with a fix in the corpus")
	}

	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("PIPELINT_CACHE_DIR", t.TempDir())
	srv := resolvetest.NewGitServer(t, "")
	refs := map[string][]string{} // owner/repo → refs
	distinct := 0
	for _, p := range pins {
		if !slices.Contains(refs[p.repo], p.ref) {
			refs[p.repo] = append(refs[p.repo], p.ref)
			distinct++
		}
	}
	for name, names := range refs {
		repo := srv.NewRepo(t, name)
		for _, ref := range names {
			kind := "refs/heads/"
			if versionLike.MatchString(ref) {
				kind = "refs/tags/"
			}
			repo.SetRef(kind+ref, repo.Commit(ref))
		}
	}
	seeded := time.Now()

	code, _, stderr := pipelint(t, "", append([]string{"fix", "--no-config", "--github-url", srv.URL, "--rule", "unpinned-action", "--quiet"}, dirs...)...)
	if code != exitClean && code != exitFindings {
		t.Fatalf("fix: exit %d\n%s", code, stderr)
	}
	fixed := time.Now()
	if left := pinnable(t, dirs); len(left) > 0 {
		t.Errorf("%d unpinned-action findings with a fix are left, such as %s:%d %s@%s\n%s", len(left), left[0].file, left[0].line, left[0].repo, left[0].ref, stderr)
	}
	after := readTree(t, dirs)
	changed := 0
	for path, was := range before {
		now, ok := after[path]
		if !ok {
			t.Errorf("%s: removed", path)
			continue
		}
		if was != now {
			changed++
			for _, line := range changedBeyondPins(was, now) {
				t.Errorf("%s:%s", path, line)
			}
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d files before fix, %d after", len(before), len(after))
	}
	t.Logf("%d repositories: %d references (%d refs of %d repositories) pinned in %d files; check and seed %v, fix %v, check %v",
		len(dirs), len(pins), distinct, len(refs), changed, seeded.Sub(started), fixed.Sub(seeded), time.Since(fixed))
}

// versionLike is what unpinned-action takes for a tag (lib/refs.rego).
var versionLike = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*([-+._][0-9A-Za-z.-]+)?$`)

// pin is an unpinned-action finding with a fix, and the reference it
// names as written.
type pin struct {
	file      string
	line      int
	repo, ref string // owner/repo, and the ref after @
}

// pinnable checks dirs as `pipelint check --no-config` does and returns
// the unpinned-action findings with a fix.
func pinnable(t *testing.T, dirs []string) []pin {
	t.Helper()
	result, err := runner.Check(context.Background(), dirs, runner.Options{Policy: runner.PolicyOptions{NoConfig: true}})
	if err != nil {
		t.Fatal(err)
	}
	var pins []pin
	for _, checked := range result.Checked {
		for _, f := range checked.Findings {
			if f.RuleID != "unpinned-action" || f.Fix == nil {
				continue
			}
			lines := strings.Split(readText(t, checked.File.Abs(f.Fix.Pos.File)), "\n")
			written := string([]rune(lines[f.Fix.Pos.Line-1])[f.Fix.Pos.Column-1 : f.Fix.Pos.EndColumn-1])
			uses, ref, _ := strings.Cut(written, "@")
			parts := strings.SplitN(uses, "/", 3)
			pins = append(pins, pin{file: f.Fix.Pos.File, line: f.Fix.Pos.Line, repo: parts[0] + "/" + parts[1], ref: ref})
		}
	}
	return pins
}

// readTree is the text of every file under dirs, by path.
func readTree(t *testing.T, dirs []string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			files[path] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// usesLine is a line holding `uses: owner/repo[/path]@ref`, quoted or not:
// what comes before the ref, the ref, the quote after it, the space before
// a trailing comment and the comment.
var usesLine = regexp.MustCompile(`^(\s*(?:-\s+)?uses:\s*["']?[^@\s"']+@)([^\s"'#]+)(["']?)(?:(\s+)(#.*?))?(\r?)$`)

var fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// changedBeyondPins returns the lines of a fixed file that are not those
// of the original, but for `uses:` lines whose ref became a full SHA with
// a `# <version or ref>` comment, written after the space of the comment
// there was (or one space).
func changedBeyondPins(was, now string) []string {
	before, after := strings.Split(was, "\n"), strings.Split(now, "\n")
	if len(before) != len(after) {
		return []string{fmt.Sprintf("%d lines before, %d after", len(before), len(after))}
	}
	var changed []string
	for i := range before {
		if before[i] == after[i] {
			continue
		}
		b, a := usesLine.FindStringSubmatch(before[i]), usesLine.FindStringSubmatch(after[i])
		space := " "
		if b != nil && b[5] != "" {
			space = b[4]
		}
		if b == nil || a == nil || b[1] != a[1] || b[3] != a[3] || b[6] != a[6] ||
			!fullSHA.MatchString(a[2]) || a[4] != space || !strings.HasPrefix(a[5], "# ") {
			changed = append(changed, fmt.Sprintf("%d: -%s +%s", i+1, before[i], after[i]))
		}
	}
	return changed
}

func TestChangedBeyondPins(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		was, now string
		changed  bool
	}{
		{"  - uses: a/b@v1\n", "  - uses: a/b@" + sha + " # v1.2.0\n", false},
		{"    uses: 'a/b/c.yml@main'  # hi\r\n", "    uses: 'a/b/c.yml@" + sha + "'  # main\r\n", false},
		{"  - uses: a/b@v1\n", "  - uses: a/c@" + sha + " # v1\n", true},           // another action
		{"  - uses: a/b@v1\n", "  - uses: a/b@" + sha[:39] + " # v1\n", true},      // not a full SHA
		{"  - uses: a/b@v1 # x\n", "  - uses: a/b@" + sha + "  # v1\n", true},      // the comment's space
		{"  - uses: a/b@v1\n", "  - uses: a/b@" + sha + "\n", true},                // no comment
		{"  - uses: a/b@v1\r\n", "  - uses: a/b@" + sha + " # v1\n", true},         // the line break
		{"  - uses: a/b@v1\n  - run: x\n", "  - uses: a/b@v1\n  - run: y\n", true}, // not a uses: line
		{"a\n", "a\nb\n", true},
	} {
		if got := changedBeyondPins(tc.was, tc.now); (len(got) > 0) != tc.changed {
			t.Errorf("%q → %q: changed %q, want changed %v", tc.was, tc.now, got, tc.changed)
		}
	}
}
