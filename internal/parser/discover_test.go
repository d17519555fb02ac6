package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pipelint/pipelint/internal/model"
)

var detectCases = map[string]model.System{
	".github/workflows/ci.yml":          model.GitHub,
	".github/workflows/release.yaml":    model.GitHub,
	"sub/.github/workflows/ci.yml":      model.GitHub,
	"action.yml":                        model.GitHub,
	"tools/setup/action.yaml":           model.GitHub,
	".gitlab-ci.yml":                    model.GitLab,
	"Jenkinsfile":                       model.Jenkins,
	"ci/Jenkinsfile.release":            model.Jenkins,
	"build.jenkinsfile":                 model.Jenkins,
	"nightly.Jenkinsfile":               model.Jenkins,
	".github/workflows/README.md":       "",
	".github/workflows/sub/ci.yml":      "",
	"ci.yml":                            "",
	"docs/action.yml.md":                "",
	"Jenkinsfile-old":                   model.Jenkins,
	"Jenkinsfile_updatecli":             model.Jenkins,
	"JenkinsFile":                       model.Jenkins,
	"jenkinsfile":                       model.Jenkins,
	"Jenkinsfile.md":                    "",
	"Jenkinsfile.":                      "",
	".github/dependabot.yml":            "",
	"templates/build.gitlab-ci.yml.bak": "",
}

func TestDetect(t *testing.T) {
	for path, want := range detectCases {
		if got := Detect(path); got != want {
			t.Errorf("Detect(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestPreCommitFilesCoverDetect: the pre-commit hook hands pipelint the
// files its `files` pattern matches, with --skip-unknown. The pattern must
// match every file discovery finds, and every YAML file, since any of them
// may be a GitLab include; what it matches beyond CI files is skipped.
func TestPreCommitFilesCoverDetect(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct{ ID, Entry, Files string }
	if err := yaml.Unmarshal(data, &hooks); err != nil || len(hooks) != 2 {
		t.Fatalf("hooks: %v (%d)", err, len(hooks))
	}
	for i, want := range []string{"pipelint check", "pipelint fix"} {
		if !strings.HasPrefix(hooks[i].Entry, want+" ") {
			t.Errorf("hook %s runs %q, want %s", hooks[i].ID, hooks[i].Entry, want)
		}
	}
	for _, hook := range hooks {
		if !strings.Contains(hook.Entry, "--skip-unknown") {
			t.Errorf("the entry %q of hook %s must pass --skip-unknown: it matches YAML files that are not CI files", hook.Entry, hook.ID)
		}
		files := regexp.MustCompile(hook.Files)
		for path, system := range detectCases {
			if system != "" && !files.MatchString(path) {
				t.Errorf("%s: %q: the pre-commit pattern does not match a %s file", hook.ID, path, system)
			}
		}
		for _, path := range []string{"ci/deploy.gitlab-ci.yml", ".gitlab/ci/build.yml", "templates/x.yaml"} {
			if !files.MatchString(path) {
				t.Errorf("%s: %q: the pre-commit pattern must match YAML files, which GitLab pipelines may include", hook.ID, path)
			}
		}
	}
}

func TestDiscoverSkipsVendoredAndTestDirectories(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	for _, path := range []string{
		".github/workflows/ci.yml",
		"node_modules/x/.github/workflows/ci.yml",
		"vendor/y/action.yml",
		"testdata/z/Jenkinsfile",
		"service/Jenkinsfile",
	} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, path), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	found, _, err := Discover([]string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range found {
		got = append(got, f.Display+"="+string(f.System))
	}
	want := []string{".github/workflows/ci.yml=github", "service/Jenkinsfile=jenkins"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("found %v, want %v", got, want)
	}
}

// A scan may start inside the directories that mark CI files: at
// .github/workflows, or in .github.
func TestDiscoverFromInsideWorkflowDirectories(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	if err := os.MkdirAll(".git", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(".github/workflows", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(".github/workflows/ci.yml", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".github/workflows", ".github", "./.github/workflows/"} {
		found, _, err := Discover([]string{dir}, Options{})
		if err != nil || len(found) != 1 || found[0].Display != ".github/workflows/ci.yml" || found[0].System != model.GitHub {
			t.Errorf("Discover(%q) = %+v, %v", dir, found, err)
		}
	}
}

// Each .gitlab-ci.yml found in a scan is resolved from its own directory,
// as the root of its repository.
func TestGitLabRootsAreTheirDirectories(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	for _, path := range []string{"a/.gitlab-ci.yml", "b/nested/.gitlab-ci.yml"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(path)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, path), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	found, _, err := Discover([]string{"."}, Options{})
	if err != nil || len(found) != 2 {
		t.Fatalf("found %v, %v", found, err)
	}
	for _, f := range found {
		if f.Path != ".gitlab-ci.yml" || filepath.Join(f.Root, f.Path) != f.Abs(f.Display) {
			t.Errorf("%+v", f)
		}
	}
}

// TestDiscoverContext: with Options.Context, a file named alone, or a
// directory searched inside a repository, brings the repository's other
// CI files as context, in path order, skipped directories aside; a search
// that covers the repository brings none, and a repository has at most
// MaxContextFiles of them.
func TestDiscoverContext(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	files := []string{".git/HEAD", ".github/workflows/ci.yml", ".gitlab-ci.yml", "service/Jenkinsfile", "vendor/x/Jenkinsfile"}
	for i := range MaxContextFiles + 1 {
		files = append(files, fmt.Sprintf("many/%03d/action.yml", i))
	}
	for _, path := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	discover := func(paths ...string) (checked, context []string) {
		found, _, err := Discover(paths, Options{Context: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			if f.Context {
				context = append(context, f.Display)
			} else {
				checked = append(checked, f.Display)
			}
		}
		return checked, context
	}
	checked, context := discover(".github/workflows/ci.yml")
	if !slices.Equal(checked, []string{".github/workflows/ci.yml"}) || len(context) != MaxContextFiles ||
		!slices.Contains(context, ".gitlab-ci.yml") || !slices.Contains(context, "many/254/action.yml") || slices.Contains(context, "many/255/action.yml") {
		t.Errorf("named alone: checked %v, context %d files from %s to %s", checked, len(context), context[0], context[len(context)-1])
	}
	if slices.Contains(context, "vendor/x/Jenkinsfile") || slices.Contains(context, ".github/workflows/ci.yml") {
		t.Errorf("context %v holds a vendored file or the file checked", context)
	}
	if checked, context = discover("service"); !slices.Equal(checked, []string{"service/Jenkinsfile"}) || len(context) != MaxContextFiles {
		t.Errorf("a directory inside: checked %v, context %d files", checked, len(context))
	}
	if checked, context = discover("."); len(checked) != MaxContextFiles+4 || len(context) != 0 {
		t.Errorf("the whole repository: %d checked, context %v", len(checked), context)
	}
}
