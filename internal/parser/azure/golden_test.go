package azure

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/parsertest"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// TestFixtures parses testdata/<case>/azure-pipelines.yml with the
// templates it includes and compares the result with
// testdata/<case>.golden.
func TestFixtures(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/azure-pipelines.yml")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range cases {
		dir := filepath.Dir(file)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			result := Parse(syntax.Input{Repo: os.DirFS(dir), Path: "azure-pipelines.yml", Display: "azure-pipelines.yml"})
			parsertest.Golden(t, dir+".golden", parsertest.Render(result))
		})
	}
}

// TestTemplatesAreNotPipelines checks that a file kept among pipelines
// that declares no pipeline key, or a main-named file with a parameter
// only an includer can give, gives neither a pipeline nor an error, and
// that one declaring a trigger is a pipeline.
func TestTemplatesAreNotPipelines(t *testing.T) {
	repo := fstest.MapFS{
		".azure-pipelines/steps.yml":  {Data: []byte("parameters:\n- name: x\n  type: string\nsteps:\n- script: echo ${{ parameters.x }}\n")},
		".pipelines/jobs.yml":         {Data: []byte("jobs:\n- job: a\n  steps:\n  - script: echo\n")},
		"ci/azure-pipelines.yml":      {Data: []byte("parameters:\n- name: jobName\njobs:\n- job: ${{ parameters.jobName }}\n")},
		".azure-pipelines/ci.yml":     {Data: []byte("trigger: [main]\nsteps:\n- script: echo\n")},
		".azure-pipelines/broken.yml": {Data: []byte("trigger: [main\n")},
	}
	for file, want := range map[string]bool{".azure-pipelines/steps.yml": false, ".pipelines/jobs.yml": false, "ci/azure-pipelines.yml": false, ".azure-pipelines/ci.yml": true} {
		r := Parse(syntax.Input{Repo: repo, Path: file, Display: file})
		if r.Err != nil || (r.Pipeline != nil) != want {
			t.Errorf("%s: pipeline %v, error %v; want a pipeline: %v", file, r.Pipeline != nil, r.Err, want)
		}
	}
	if r := Parse(syntax.Input{Repo: repo, Path: ".azure-pipelines/broken.yml", Display: ".azure-pipelines/broken.yml"}); r.Err == nil {
		t.Errorf("broken.yml: no error")
	}
}

func TestDetect(t *testing.T) {
	for path, want := range map[string]bool{
		"azure-pipelines.yml": true, "a/b/azure-pipelines.yaml": true, ".azure-pipelines/ci.yml": true,
		"x/.pipelines/sub/deploy.yaml": true, ".github/workflows/ci.yml": false, "pipelines/ci.yml": false,
		".azure-pipelines/README.md": false,
	} {
		if got := detect(path); got != want {
			t.Errorf("detect(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestIncludedAbove checks that a file by the main name that a pipeline of
// a directory above includes as a template is read through it only.
func TestIncludedAbove(t *testing.T) {
	repo := fstest.MapFS{
		"ci/azure-pipelines.yml":         {Data: []byte("jobs:\n- template: windows/azure-pipelines.yml\n  parameters:\n    name: x64\n")},
		"ci/windows/azure-pipelines.yml": {Data: []byte("parameters:\n- name: name\n  default: x86\njobs:\n- job: ${{ parameters.name }}\n  steps:\n  - script: build\n")},
		"ci/linux/azure-pipelines.yml":   {Data: []byte("parameters:\n- name: name\n  default: x86\njobs:\n- job: ${{ parameters.name }}\n  steps:\n  - script: build\n")},
	}
	for file, want := range map[string]bool{"ci/azure-pipelines.yml": true, "ci/windows/azure-pipelines.yml": false, "ci/linux/azure-pipelines.yml": true} {
		r := Parse(syntax.Input{Repo: repo, Path: file, Display: file})
		if r.Err != nil || (r.Pipeline != nil) != want {
			t.Errorf("%s: pipeline %v, error %v; want a pipeline: %v", file, r.Pipeline != nil, r.Err, want)
		}
	}
}
