package gitlab

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestUnfetchedIncludeWarnings: jobs that extend or reference keys in none
// of the files read give one warning per include that is not fetched, at
// the include, and no error; with every file read they are errors.
func TestUnfetchedIncludeWarnings(t *testing.T) {
	for _, tc := range []struct {
		name           string
		files          map[string]string
		warnings, errs []string
	}{{
		name: "one include, several jobs",
		files: map[string]string{".gitlab-ci.yml": `include:
  - template: Jobs/Build.gitlab-ci.yml
build:
  extends: .auto-build
test:
  extends: [.auto-build, .tests]
deploy:
  extends: .deploy
lint:
  extends: .lint
`},
		warnings: []string{
			`.gitlab-ci.yml:2:15: template "Jobs/Build.gitlab-ci.yml" is not fetched; 4 jobs extend keys it may define (".auto-build", ".tests", ".deploy" and 1 more); settings taken from it are unknown`,
		},
	}, {
		name: "two includes, one in an included file",
		files: map[string]string{
			".gitlab-ci.yml": `include:
  - local: ci/base.yml
  - project: group/templates
    file: /jobs.yml
a:
  extends: .x
b:
  extends: .x
  script: !reference [.y, script]
c:
  extends: .z
c:
  extends: .z
`,
			"ci/base.yml": "include:\n  - remote: https://example.com/ci.yml\n",
		},
		warnings: []string{
			`.gitlab-ci.yml:4:11: file "jobs.yml" of project "group/templates" is not fetched; 3 jobs extend or reference keys it or 1 other unfetched include may define (".x", ".z", !reference [.y, script]); settings taken from them are unknown`,
			`.gitlab-ci.yml:12:1: duplicate key "c": the one at line 10 is ignored`,
			`ci/base.yml:2:13: remote "https://example.com/ci.yml" is not fetched; 3 jobs extend or reference keys it or 1 other unfetched include may define (".x", ".z", !reference [.y, script]); settings taken from them are unknown`,
		},
	}, {
		name: "one job, a path built from variables",
		files: map[string]string{".gitlab-ci.yml": `include: ci/$TARGET.yml
build:
  script: !reference [.setup, script]
`},
		warnings: []string{
			`.gitlab-ci.yml:1:10: local include "ci/$TARGET.yml" is built from variables and not read; 1 job references a key it may define (!reference [.setup, script]); settings taken from it are unknown`,
		},
	}, {
		name:  "every file read",
		files: map[string]string{".gitlab-ci.yml": "build:\n  extends: .auto-build\ntest:\n  extends: .auto-build\n"},
		errs: []string{
			`.gitlab-ci.yml:2:12: job "build" extends ".auto-build", which does not exist`,
			`.gitlab-ci.yml:4:12: job "test" extends ".auto-build", which does not exist`,
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			repo := fstest.MapFS{}
			for name, text := range tc.files {
				repo[name] = &fstest.MapFile{Data: []byte(text)}
			}
			_, warnings, err := parseWithWarnings(repo, ".gitlab-ci.yml")
			var got, gotErrs []string
			for _, w := range warnings {
				got = append(got, w.Error())
			}
			for _, e := range unjoin(err) {
				gotErrs = append(gotErrs, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.warnings, "\n") {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.warnings, "\n"))
			}
			if strings.Join(gotErrs, "\n") != strings.Join(tc.errs, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(gotErrs, "\n"), strings.Join(tc.errs, "\n"))
			}
		})
	}
}
