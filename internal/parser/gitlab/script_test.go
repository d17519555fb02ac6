package gitlab

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
)

// commandNames renders the commands of a job's script as name@position.
func commandNames(t *testing.T, job string) string {
	t.Helper()
	p, err := parse(os.DirFS("testdata/windows"), ".gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, step := range findJob(t, p, job).Steps {
		if step.ID.Value != "script" {
			continue
		}
		for _, c := range step.Script.Commands {
			names = append(names, str(c.Name))
		}
	}
	return strings.Join(names, "\n")
}

// TestWindowsScriptsSplitAsPowerShell checks that a job on a Windows
// runner has its lines split as PowerShell: a Windows path stays one word
// (C:\msys64\usr\bin\bash is bash) and the script it runs with bash -lc is
// read. The same line on another runner is split as bash, where the
// backslashes are escapes.
func TestWindowsScriptsSplitAsPowerShell(t *testing.T) {
	wantText(t, "msys2", commandNames(t, "msys2"), `
"pacman"@.gitlab-ci.yml:11:7-11:31
"bash"@.gitlab-ci.yml:12:7-12:29
"bash"@.gitlab-ci.yml:12:35-12:39`)
	wantText(t, "saas", commandNames(t, "saas"), `
"choco"@.gitlab-ci.yml:17:7-17:12
"npm"@.gitlab-ci.yml:18:7-18:10`)
	wantText(t, "linux", commandNames(t, "linux"), `
"C:msys64usrbinbash"@.gitlab-ci.yml:26:11-26:33`)
}

// TestScriptShellFromTags lists the runner tags that mean a Windows or
// PowerShell runner, and some that do not.
func TestScriptShellFromTags(t *testing.T) {
	for tags, want := range map[string]string{
		"windows":                           "pwsh",
		"saas-windows-medium-amd64":         "pwsh",
		"shared-windows windows-1809":       "pwsh",
		"cmake windows-x86_64 shell vs2022": "pwsh",
		"win32-ps":                          "pwsh",
		"Win11":                             "pwsh",
		"pwsh":                              "pwsh",
		"PowerShell":                        "pwsh",
		"":                                  "bash",
		"saas-linux-medium-amd64":           "bash",
		"macos darwin":                      "bash",
		"wine winrm winget":                 "bash",
		"twin32":                            "bash",
	} {
		var labels []model.String
		for _, tag := range strings.Fields(tags) {
			labels = append(labels, model.String{Value: tag})
		}
		if got := scriptShell(labels); got != want {
			t.Errorf("tags %q: shell %s, want %s", tags, got, want)
		}
	}
}

// TestScriptInputExpressions checks that the `$[[ inputs.x ]]` of script
// lines, which GitLab substitutes before the shell runs, are listed with
// the input they read and where they are written.
func TestScriptInputExpressions(t *testing.T) {
	src := `spec:
  inputs:
    tag:
      default: latest
---
build:
  script:
    - echo "$[[ inputs.tag ]]" && make $[[ inputs.tag | expand_vars ]] $CI_COMMIT_REF_NAME
    - |
      docker build .
      docker push x:$[[ inputs.image-tag ]]
`
	p, err := parse(fstest.MapFS{".gitlab-ci.yml": {Data: []byte(src)}}, ".gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, step := range findJob(t, p, "build").Steps {
		for _, e := range step.Script.Expressions {
			got = append(got, fmt.Sprintf("%q %v %v@%d:%d-%d:%d", e.Value, e.Reads, e.Flows, e.Pos.Line, e.Pos.Column, e.Pos.EndLine, e.Pos.EndColumn))
		}
	}
	wantText(t, "expressions", strings.Join(got, "\n"), `
"inputs.tag" [inputs.tag] [inputs.tag]@8:13-8:30
"inputs.tag | expand_vars" [inputs.tag] [inputs.tag]@8:40-8:71
"inputs.image-tag" [inputs.image-tag] [inputs.image-tag]@11:21-11:44`)
}
