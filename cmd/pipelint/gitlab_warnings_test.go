package main

import (
	"strings"
	"testing"
)

// TestGitLabUnfetchedIncludesWarnOncePerInclude: jobs that extend keys
// from includes that are not fetched give one warning line per include,
// not one per job, and --quiet silences them.
func TestGitLabUnfetchedIncludesWarnOncePerInclude(t *testing.T) {
	root := writeFiles(t, map[string]string{".gitlab-ci.yml": `include:
  - template: Jobs/Build.gitlab-ci.yml
  - project: group/templates
    file: deploy.yml
build:
  extends: .auto-build
test:
  extends: .auto-test
deploy:
  extends: .deploy
`})
	code, _, stderr := pipelint(t, root, "check")
	want := []string{
		`.gitlab-ci.yml:2:15: warning: template "Jobs/Build.gitlab-ci.yml" is not fetched; 3 jobs extend keys it or 1 other unfetched include may define (".auto-build", ".auto-test", ".deploy"); settings taken from them are unknown`,
		`.gitlab-ci.yml:4:11: warning: file "deploy.yml" of project "group/templates" is not fetched; 3 jobs extend keys it or 1 other unfetched include may define (".auto-build", ".auto-test", ".deploy"); settings taken from them are unknown`,
	}
	if code == exitError || stderr != strings.Join(want, "\n")+"\n" {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, strings.Join(want, "\n"))
	}
	if code, _, stderr := pipelint(t, root, "check", "--quiet"); code == exitError || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}
}
