package github

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

const workflowFile = ".github/workflows/ci.yml"

// span builds a position in file.
func span(file string, line, column, endLine, endColumn int) model.Pos {
	return model.Pos{File: file, Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
}

// str builds a string of the test workflow.
func str(value string, line, column, endLine, endColumn int) model.String {
	return model.String{Value: value, Pos: span(workflowFile, line, column, endLine, endColumn)}
}

func at(line, column, endLine, endColumn int) model.Pos {
	return span(workflowFile, line, column, endLine, endColumn)
}

func parseFile(t *testing.T, testdata, path string) *model.Pipeline {
	t.Helper()
	src, err := os.ReadFile(testdata)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(path, src)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return p
}

func check[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestWorkflowTopLevel(t *testing.T) {
	p := parseFile(t, "testdata/workflow.yml", workflowFile)
	check(t, "system", p.System, model.GitHub)
	check(t, "kind", p.Kind, model.KindWorkflow)
	check(t, "file", p.File, workflowFile)
	check(t, "name", p.Name, str("CI", 2, 7, 2, 9))
	check(t, "pos", p.Pos, at(1, 1, 94, 21))
	check(t, "triggers", p.Triggers, []model.Trigger{
		{Event: str("push", 4, 3, 4, 7), Branches: []model.String{str("main", 5, 16, 5, 20), str("release/**", 5, 23, 5, 33)}, Pos: at(4, 3, 5, 35)},
		{Event: str("workflow_dispatch", 6, 3, 6, 20), Pos: at(6, 3, 9, 22)},
		{Event: str("workflow_call", 10, 3, 10, 16), Pos: at(10, 3, 14, 37)},
	})
	check(t, "env", p.Env, []model.Var{
		{Name: str("TOKEN", 16, 3, 16, 8), Value: str("${{ secrets.API_TOKEN }}", 16, 10, 16, 34), Source: "secret",
			Expressions: []model.Expression{{Value: "secrets.API_TOKEN", Reads: []string{"secrets.api_token"}, Flows: []string{"secrets.api_token"}, Pos: at(16, 10, 16, 34)}},
			Pos:         at(16, 3, 16, 34)},
		{Name: str("HOME_DIR", 17, 3, 17, 11), Value: str("$HOME", 17, 13, 17, 18), Source: "variable", Pos: at(17, 3, 17, 18)},
		// The value spans the text inside the quotes; the entry ends after them.
		{Name: str("MODE", 18, 3, 18, 7), Value: str("fast", 18, 10, 18, 14), Source: "literal", Pos: at(18, 3, 18, 15)},
	})
	check(t, "parameters", p.Parameters, []model.Var{
		{Name: str("level", 8, 7, 8, 12), Value: str("info", 9, 18, 9, 22), Source: "literal", Pos: at(8, 7, 9, 22)},
		{Name: str("token", 12, 7, 12, 12), Value: str("${{ github.token }}", 14, 18, 14, 37), Source: "secret", Type: "string", Pos: at(12, 7, 14, 37)},
	})
	check(t, "permissions", p.Permissions, &model.Permissions{
		Scopes: []model.Var{{Name: str("contents", 20, 3, 20, 11), Value: str("read", 20, 13, 20, 17), Source: "literal", Pos: at(20, 3, 20, 17)}},
		Pos:    at(19, 1, 20, 17),
	})
	check(t, "comments", p.Comments, []model.Comment{
		{Text: "pipelint: ignore[unpinned-action] reviewed", Pos: at(1, 1, 1, 45)},
		{Text: "v4.1.1", Pos: at(43, 73, 43, 81)},
		{Text: "pipelint: ignore[x]", Pos: at(68, 27, 68, 48)},
	})
	var ids []string
	for _, j := range p.Jobs {
		ids = append(ids, j.ID.Value)
	}
	check(t, "job ids in source order", ids, []string{"build", "lint", "deploy", "self", "hosted", "grouped"})
}

func TestWorkflowReferences(t *testing.T) {
	p := parseFile(t, "testdata/workflow.yml", workflowFile)
	const digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	ref := func(kind, usage string, value model.String) model.Reference {
		return model.Reference{Kind: kind, Usage: usage, Value: value, Pos: value.Pos}
	}
	builder := ref(model.RefImage, "container", str("ghcr.io/acme/builder:1.2@"+digest, 26, 14, 26, 110))
	builder.Registry, builder.Repo, builder.Ref, builder.Digest, builder.Pinned = "ghcr.io", "acme/builder", "1.2", digest, true
	postgres := ref(model.RefImage, "service", str("postgres:16", 29, 16, 29, 27))
	postgres.Repo, postgres.Ref = "postgres", "16"
	checkout := ref(model.RefAction, "", str("actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11", 43, 15, 43, 72))
	checkout.Owner, checkout.Repo, checkout.Ref, checkout.Pinned, checkout.VersionComment = "actions", "checkout", "b4ffde65f46336ab88eb53be808477a3936bae11", true, "v4.1.1"
	checkout.VersionCommentPos = at(43, 75, 43, 81)
	setupGo := ref(model.RefAction, "", str("actions/setup-go@v5", 45, 16, 45, 35))
	setupGo.Owner, setupGo.Repo, setupGo.Ref = "actions", "setup-go", "v5"
	alpine := ref(model.RefImage, "step", str("docker://alpine:3.19", 60, 15, 60, 35))
	alpine.Repo, alpine.Ref = "alpine", "3.19"
	local := ref(model.RefAction, "", str("./.github/actions/local", 63, 15, 63, 38))
	local.Path, local.Local = ".github/actions/local", true
	deploy := ref(model.RefReusableWorkflow, "", str("acme/workflows/.github/workflows/deploy.yml@main", 77, 11, 77, 59))
	deploy.Owner, deploy.Repo, deploy.Path, deploy.Ref = "acme", "workflows", ".github/workflows/deploy.yml", "main"
	self := ref(model.RefReusableWorkflow, "", str("$/.github/workflows/reusable.yml", 82, 11, 82, 43))
	self.Path, self.Local = ".github/workflows/reusable.yml", true
	node := ref(model.RefImage, "container", str("node:20", 85, 16, 85, 23))
	node.Repo, node.Ref = "node", "20"
	selfAction := ref(model.RefAction, "", str("$/.github/actions/local", 87, 15, 87, 38))
	selfAction.Path, selfAction.Local = ".github/actions/local", true

	check(t, "references", p.References, []model.Reference{builder, postgres, checkout, setupGo, alpine, local, deploy, self, node, selfAction})
	build := p.Jobs[0]
	check(t, "step uses is the same reference", build.Steps[0].Uses, &checkout)
	check(t, "docker step", build.Steps[6].Uses, &alpine)
	check(t, "reusable workflow job", p.Jobs[2].Uses, &deploy)
}

func TestWorkflowJobs(t *testing.T) {
	p := parseFile(t, "testdata/workflow.yml", workflowFile)
	build, lint, deploy, self, hosted, grouped := p.Jobs[0], p.Jobs[1], p.Jobs[2], p.Jobs[3], p.Jobs[4], p.Jobs[5]

	check(t, "build id", build.ID, str("build", 22, 3, 22, 8))
	check(t, "build name", build.Name, str("Build", 23, 11, 23, 16))
	check(t, "build pos", build.Pos, at(22, 3, 71, 21))
	check(t, "build runner", build.Runner, model.Runner{Labels: []model.String{str("ubuntu-latest", 24, 14, 24, 27)}, Ephemeral: true, Pos: at(24, 5, 24, 27)})
	check(t, "build container", *build.Container, model.Image{
		Name: str("ghcr.io/acme/builder:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 26, 14, 26, 110),
		Pos:  at(25, 5, 26, 110),
	})
	check(t, "build services", build.Services, []model.Image{{Name: str("postgres:16", 29, 16, 29, 27), Alias: str("DB", 28, 7, 28, 9), Pos: at(28, 7, 29, 27)}})
	check(t, "build environment", build.Environment, &model.Environment{
		Name: str("production", 31, 13, 31, 23), URL: str("https://example.com", 32, 12, 32, 31), Pos: at(30, 5, 32, 31),
	})
	check(t, "build needs", build.Needs, []model.String{str("lint", 33, 13, 33, 17)})
	check(t, "build condition", build.Condition, str("${{ github.ref == 'refs/heads/main' }}", 34, 9, 34, 47))
	check(t, "build when", build.When, "")
	check(t, "build strategy", build.Strategy, &model.Strategy{
		Matrix: []model.Var{{Name: str("go", 37, 9, 37, 11), Value: str("[ '1.22', '1.23' ]", 37, 13, 37, 31), Source: "literal", Pos: at(37, 9, 37, 31)}},
		Values: []model.Var{
			{Name: str("go", 37, 9, 37, 11), Value: str("1.22", 37, 16, 37, 20), Source: "literal", Pos: at(37, 16, 37, 20)},
			{Name: str("go", 37, 9, 37, 11), Value: str("1.23", 37, 24, 37, 28), Source: "literal", Pos: at(37, 24, 37, 28)},
		},
		Pos: at(35, 5, 37, 31),
	})
	check(t, "build permissions", build.Permissions, &model.Permissions{All: str("write-all", 38, 18, 38, 27), Scopes: nil, Pos: at(38, 5, 38, 27)})

	check(t, "lint runner", lint.Runner, model.Runner{Labels: []model.String{str("windows-latest", 73, 14, 73, 28)}, Ephemeral: true, Pos: at(73, 5, 73, 28)})
	check(t, "windows default shell", lint.Steps[0].Script.Shell, "pwsh")

	check(t, "deploy with", deploy.With, []model.Var{{Name: str("stage", 79, 7, 79, 12), Value: str("prod", 79, 14, 79, 18), Source: "literal", Pos: at(79, 7, 79, 18)}})
	check(t, "deploy secrets inherit", deploy.SecretsInherit, true)
	check(t, "deploy has no runner", deploy.Runner, model.Runner{})
	check(t, "self-repository workflow", self.Uses.Local, true)
	check(t, "self-repository workflow is not inheriting", self.SecretsInherit, false)

	check(t, "self-hosted runner", hosted.Runner, model.Runner{
		Labels: []model.String{str("self-hosted", 84, 15, 84, 26), str("linux", 84, 28, 84, 33)}, Ephemeral: false, Pos: at(84, 5, 84, 34),
	})
	check(t, "container string form", *hosted.Container, model.Image{Name: str("node:20", 85, 16, 85, 23), Pos: at(85, 5, 85, 23)})
	check(t, "runner group", grouped.Runner, model.Runner{Labels: []model.String{str("ubuntu-latest", 91, 15, 91, 28)}, Ephemeral: false, Pos: at(89, 5, 91, 28)})
	check(t, "environment string form", grouped.Environment, &model.Environment{Name: str("staging", 92, 18, 92, 25), Pos: at(92, 5, 92, 25)})
}

func TestWorkflowSteps(t *testing.T) {
	p := parseFile(t, "testdata/workflow.yml", workflowFile)
	steps := p.Jobs[0].Steps
	if len(steps) != 11 {
		t.Fatalf("build has %d steps, want 11", len(steps))
	}
	check(t, "checkout kind", steps[0].Kind, model.StepUses)
	check(t, "checkout pos", steps[0].Pos, at(43, 9, 43, 72))

	check(t, "setup-go id", steps[1].ID, str("tool", 44, 13, 44, 17))
	check(t, "setup-go with", steps[1].With, []model.Var{{Name: str("go-version", 47, 11, 47, 21), Value: str("${{ matrix.go }}", 47, 23, 47, 39), Source: "expression",
		Expressions: []model.Expression{{Value: "matrix.go", Reads: []string{"matrix.go"}, Flows: []string{"matrix.go"}, Pos: at(47, 23, 47, 39)}},
		Pos:         at(47, 11, 47, 39)}})
	check(t, "setup-go pos", steps[1].Pos, at(44, 9, 47, 39))

	test := steps[2]
	check(t, "test kind", test.Kind, model.StepRun)
	check(t, "test name", test.Name, str("Test", 48, 15, 48, 19))
	// The literal block's text starts at its first character, not at `|`,
	// and columns count code points (é).
	check(t, "literal block", test.Script.Text, str("go test ./...\n  echo \"héllo\"\n", 50, 11, 51, 25))
	check(t, "job default shell", test.Script.Shell, "sh")
	// Commands are placed through locate: the second line keeps its indent.
	if cmds := test.Script.Commands; len(cmds) != 2 {
		t.Errorf("test step has %d commands, want 2", len(cmds))
	} else {
		check(t, "first command", cmds[0].Name, str("go", 50, 11, 50, 13))
		check(t, "second command", cmds[1].Name, str("echo", 51, 13, 51, 17))
	}
	check(t, "test env", test.Env, []model.Var{{Name: str("GH", 53, 11, 53, 13), Value: str("${{ github.token }}", 53, 15, 53, 34), Source: "secret",
		Expressions: []model.Expression{{Value: "github.token", Reads: []string{"github.token"}, Flows: []string{"github.token"}, Pos: at(53, 15, 53, 34)}},
		Pos:         at(53, 11, 53, 34)}})

	check(t, "folded block", steps[3].Script.Text, str("echo folded line", 55, 11, 56, 15))
	check(t, "plain run", steps[4].Script.Text, str("echo 'plain'", 57, 14, 57, 26))
	check(t, "declared shell program", steps[4].Script.Shell, "bash")
	check(t, "double-quoted run", steps[5].Script.Text, str(`echo "quoted"`, 59, 15, 59, 30))
	check(t, "docker entrypoint", steps[6].With, []model.Var{{Name: str("entrypoint", 62, 11, 62, 21), Value: str("/bin/sh", 62, 23, 62, 30), Source: "literal", Pos: at(62, 11, 62, 30)}})

	local := steps[7]
	check(t, "failure condition", local.Condition, str("failure()", 64, 13, 64, 22))
	check(t, "failure when", local.When, "on_failure")
	check(t, "continue-on-error", local.ContinueOnError, true)
	check(t, "always with failure check", steps[8].When, "on_failure")
	check(t, "quoted !cancelled()", steps[9].Condition, str("!cancelled()", 69, 14, 69, 26))
	check(t, "!cancelled() when", steps[9].When, "always")
	check(t, "continue-on-error default", steps[9].ContinueOnError, false)
	check(t, "always() when", steps[10].When, "always")
}

func TestWorkflowDefaultShell(t *testing.T) {
	src := "on: push\ndefaults:\n  run:\n    shell: bash\njobs:\n  win:\n    runs-on: windows-2022\n    steps:\n      - run: dir\n"
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check(t, "workflow default beats the windows default", p.Jobs[0].Steps[0].Script.Shell, "bash")
}

func TestWorkflowWorkingDirectory(t *testing.T) {
	src := "on: push\ndefaults:\n  run:\n    working-directory: app\njobs:\n  a:\n    runs-on: ubuntu-latest\n" +
		"    defaults:\n      run:\n        shell: sh\n    steps:\n      - run: make\n      - run: make\n        working-directory: pr\n" +
		"  b:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        working-directory: lib\n    steps:\n      - run: make\n"
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check(t, "the workflow's default", p.Jobs[0].Steps[0].Script.WorkingDirectory, str("app", 4, 24, 4, 27))
	check(t, "a job's shell keeps the workflow's directory", p.Jobs[0].Steps[0].Script.Shell, "sh")
	check(t, "the step's own", p.Jobs[0].Steps[1].Script.WorkingDirectory, str("pr", 14, 28, 14, 30))
	check(t, "the job's default", p.Jobs[1].Steps[0].Script.WorkingDirectory, str("lib", 19, 28, 19, 31))
}

func TestCompositeAction(t *testing.T) {
	const file = ".github/actions/cache/action.yml"
	p := parseFile(t, "testdata/composite/action.yml", file)
	s := func(value string, line, column, endLine, endColumn int) model.String {
		return model.String{Value: value, Pos: span(file, line, column, endLine, endColumn)}
	}
	check(t, "kind", p.Kind, model.KindAction)
	check(t, "name", p.Name, s("Composite", 1, 7, 1, 16))
	check(t, "parameters", p.Parameters, []model.Var{
		{Name: s("token", 4, 3, 4, 8), Value: s("${{ github.token }}", 6, 14, 6, 33), Source: "secret", Pos: span(file, 4, 3, 6, 33)},
		{Name: s("level", 7, 3, 7, 8), Source: "literal", Pos: span(file, 7, 3, 8, 20)},
	})
	if len(p.Jobs) != 1 {
		t.Fatalf("got %d jobs, want the one job of runs.steps", len(p.Jobs))
	}
	job := p.Jobs[0]
	check(t, "job id", job.ID, s("runs", 9, 1, 9, 5))
	check(t, "job pos", job.Pos, span(file, 9, 1, 25, 20))
	var kinds, shells []string
	for _, step := range job.Steps {
		kinds = append(kinds, step.Kind)
		if step.Script != nil {
			shells = append(shells, step.Script.Shell)
		}
	}
	// The two steps of the parallel group are listed in its place.
	check(t, "step kinds", kinds, []string{"uses", "run", "run", "uses", "run", "run"})
	check(t, "shells", shells, []string{"bash", "pwsh", "sh", "sh"})
	check(t, "with", job.Steps[0].With, []model.Var{{Name: s("path", 14, 9, 14, 13), Value: s("~/.cache", 14, 15, 14, 23), Source: "literal", Pos: span(file, 14, 9, 14, 23)}})
	check(t, "script", job.Steps[1].Script.Text, s("echo \"${{ inputs.level }}\"\n", 16, 9, 16, 35))
	check(t, "parallel step", job.Steps[5].Script.Text, s("make b", 24, 16, 24, 22))

	var values []string
	for _, r := range p.References {
		values = append(values, r.Value.Value)
	}
	check(t, "references", values, []string{"actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9", "$/.github/actions/other"})
	check(t, "version comment", p.References[0].VersionComment, "v4.0.2")
	check(t, "pinned", p.References[0].Pinned, true)
	check(t, "self-repository action", p.References[1].Local, true)
}

func TestDockerAction(t *testing.T) {
	const file = "action.yml"
	p := parseFile(t, "testdata/docker/action.yml", file)
	const image = "docker://ghcr.io/acme/tool@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	check(t, "jobs", p.Jobs, []model.Job(nil))
	check(t, "references", p.References, []model.Reference{{
		Kind: model.RefImage, Usage: "action",
		Value:    model.String{Value: image, Pos: span(file, 4, 10, 4, 108)},
		Registry: "ghcr.io", Repo: "acme/tool", Digest: image[len("docker://ghcr.io/acme/tool@"):], Pinned: true,
		Pos: span(file, 4, 10, 4, 108),
	}})

	local, err := Parse(file, []byte("name: Local\nruns:\n  using: docker\n  image: Dockerfile\n"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, "a Dockerfile is built, not referenced", local.References, []model.Reference(nil))
}

func TestJavaScriptAction(t *testing.T) {
	const file = "sub/action.yaml"
	p := parseFile(t, "testdata/node/action.yaml", file)
	check(t, "kind", p.Kind, model.KindAction)
	check(t, "jobs", p.Jobs, []model.Job(nil))
	check(t, "references", p.References, []model.Reference(nil))
	check(t, "parameters", p.Parameters, []model.Var{{
		Name:   model.String{Value: "who", Pos: span(file, 3, 3, 3, 6)},
		Value:  model.String{Value: "world", Pos: span(file, 4, 14, 4, 19)},
		Source: "literal",
		Pos:    span(file, 3, 3, 4, 19),
	}})
}

func TestKindByPath(t *testing.T) {
	workflow := []byte("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n")
	for path, want := range map[string]string{
		"action.yml":                     model.KindAction,
		"dir/action.yaml":                model.KindAction,
		".github/workflows/action.yml":   model.KindWorkflow,
		"x/.github/workflows/action.yml": model.KindWorkflow,
		".github/workflows/ci.yaml":      model.KindWorkflow,
	} {
		src := workflow
		if want == model.KindAction {
			src = []byte("runs:\n  using: node20\n  main: a.js\n")
		}
		p, err := Parse(path, src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		check(t, path, p.Kind, want)
	}
	// A workflow named action.yml outside .github/workflows is still read as one.
	p, err := Parse("corpus/action.yml", workflow)
	check(t, "workflow named action.yml: error", err, error(nil))
	check(t, "workflow named action.yml: kind", p.Kind, model.KindWorkflow)
}

func parseErrors(t *testing.T, err error) []*model.ParseError {
	t.Helper()
	var out []*model.ParseError
	for _, e := range unjoin(err) {
		var pe *model.ParseError
		if !errors.As(e, &pe) {
			t.Fatalf("%v is not a *model.ParseError", e)
		}
		out = append(out, pe)
	}
	return out
}

func TestMalformedYAML(t *testing.T) {
	src, err := os.ReadFile("testdata/malformed.yml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(workflowFile, src)
	if p != nil {
		t.Errorf("got a pipeline for invalid YAML")
	}
	// `     steps: []` is indented under a scalar: the ':' is where YAML fails.
	check(t, "errors", parseErrors(t, err), []*model.ParseError{{
		Pos:     at(6, 11, 6, 12),
		Message: "invalid YAML: mapping values are not allowed in this context",
	}})
	check(t, "error text", err.Error(), workflowFile+":6:11: invalid YAML: mapping values are not allowed in this context")

	for _, tc := range []struct {
		src          string
		line, column int
	}{
		{"a:\n  b: 1\n c: 2\n", 3, 2}, // the key that breaks the mapping
		{"x: 1\na: \"abc\n", 2, 4},    // the unterminated quote
		{"x: 1\na:\n\t- b\n", 3, 1},   // the tab
		{"a: [1,\n  2]\nb: c\n d: e\n", 4, 3},
		{"a: *nope\n", 1, 4},
	} {
		_, err := Parse("action.yml", []byte(tc.src))
		errs := parseErrors(t, err)
		if len(errs) != 1 || errs[0].Pos.Line != tc.line || errs[0].Pos.Column != tc.column {
			t.Errorf("%q: got %v, want one error at %d:%d", tc.src, err, tc.line, tc.column)
		}
	}
}

// Text that is not UTF-8 is refused at its first bad byte, counted in
// characters after a byte-order mark and on CR-only lines too.
func TestInvalidUTF8(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: echo é \xff bad\n", ":6:21: invalid UTF-8 (byte 0xff)"},
		{"\uFEFFname: \xe9\n", ":1:7: invalid UTF-8 (byte 0xe9)"},
		{"on: push\rname: \"a\xc3\"\r", ":2:9: invalid UTF-8 (byte 0xc3)"},
	} {
		if _, err := Parse(workflowFile, []byte(tc.src)); err == nil || err.Error() != workflowFile+tc.want {
			t.Errorf("%q: got %v, want %s%s", tc.src, err, workflowFile, tc.want)
		}
	}
}

func TestSyntaxErrorsKeepPartialModel(t *testing.T) {
	src := "on: push\njobs:\n  a:\n    runs-on: x\n    bogus: 1\n    steps:\n      - run: echo hi\n      - name: nothing\n"
	p, err := Parse(workflowFile, []byte(src))
	if p == nil || len(p.Jobs) != 1 || len(p.Jobs[0].Steps) != 2 {
		t.Fatalf("want the partial model, got %+v", p)
	}
	check(t, "errors", parseErrors(t, err), []*model.ParseError{
		{Pos: at(5, 5, 5, 10), Message: `unexpected key "bogus" for "job" section. expected one of "concurrency", "container", "continue-on-error", "defaults", "env", "environment", "if", "name", "needs", "outputs", "permissions", "runs-on", "secrets", "services", "snapshot", "steps", "strategy", "timeout-minutes", "uses", "with"`},
		{Pos: at(8, 9, 8, 13), Message: `step must run script with "run" section or run action with "uses" section`},
	})
	check(t, "the invalid step is kept", p.Jobs[0].Steps[1].Kind, model.StepOther)

	_, err = Parse("action.yml", []byte("name: x\n"))
	check(t, "action without runs", parseErrors(t, err), []*model.ParseError{
		{Pos: span("action.yml", 1, 1, 1, 5), Message: `"runs" section is missing in action metadata`},
	})
}

func TestNewerSyntaxIsNotAnError(t *testing.T) {
	src := `on: push
concurrency:
  group: deploy
  queue: max
jobs:
  a:
    runs-on: x
    steps:
      - run: ./server
        id: server
        background: true
      - parallel:
          - run: make a
          - uses: $/.github/actions/b
      - wait: server
`
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	var kinds []string
	for _, s := range p.Jobs[0].Steps {
		kinds = append(kinds, s.Kind)
	}
	check(t, "steps", kinds, []string{"run", "run", "uses", "other"})
	wait := p.Jobs[0].Steps[3]
	check(t, "wait call", wait.Call, str("wait", 15, 9, 15, 13))
	check(t, "wait argument", wait.With, []model.Var{{Name: str("wait", 15, 9, 15, 13), Value: str("server", 15, 15, 15, 21), Source: "literal", Pos: at(15, 9, 15, 21)}})
	check(t, "self-repository uses", p.References[0].Value, str("$/.github/actions/b", 14, 19, 14, 38))
}

func TestTriggerForms(t *testing.T) {
	for src, want := range map[string][]model.Trigger{
		"on: push\njobs: {}\n": {{Event: str("push", 1, 5, 1, 9), Pos: at(1, 5, 1, 9)}},
		"on: [push, 'pull_request']\njobs: {}\n": {
			{Event: str("push", 1, 6, 1, 10), Pos: at(1, 6, 1, 10)},
			{Event: str("pull_request", 1, 13, 1, 25), Pos: at(1, 12, 1, 26)},
		},
		"on:\n  schedule:\n    - cron: '0 0 * * *'\n  pull_request_target:\n    branches: main\njobs: {}\n": {
			{Event: str("schedule", 2, 3, 2, 11), Pos: at(2, 3, 3, 24)},
			{Event: str("pull_request_target", 4, 3, 4, 22), Branches: []model.String{str("main", 5, 15, 5, 19)}, Pos: at(4, 3, 5, 19)},
		},
		"on:\n  push:\n    tags: ['v*']\n    branches: [main]\njobs: {}\n": {
			{Event: str("push", 2, 3, 2, 7), Branches: []model.String{str("main", 4, 16, 4, 20)}, Tags: []model.String{str("v*", 3, 13, 3, 15)}, Pos: at(2, 3, 4, 21)},
		},
		"on:\n  pull_request_target:\n    types: [opened, labeled]\njobs: {}\n": {
			{Event: str("pull_request_target", 2, 3, 2, 22), Types: []model.String{str("opened", 3, 13, 3, 19), str("labeled", 3, 21, 3, 28)}, Pos: at(2, 3, 3, 29)},
		},
	} {
		p, _ := Parse(workflowFile, []byte(src))
		check(t, src, p.Triggers, want)
	}
}

func TestLimits(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 9 {
		name := string(rune('b' + i))
		laughs += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	for name, tc := range map[string]struct{ src, want string }{
		"billion laughs": {laughs, "x.yml:6:36: aliases expand the document to more than 1000000 values"},
		"deep nesting":   {"k: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "x.yml:1:203: the document nests deeper than 200 levels"},
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Parse("x.yml", []byte(tc.src))
			if p != nil || err == nil || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
}

// The env of a job's container and services is in the model, where rules
// judge it like any other env.
func TestContainerAndServiceEnv(t *testing.T) {
	src := `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container:
      image: node:20
      env:
        NODE_ENV: test
    services:
      db:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: Hx9aQ2kLmP7zRvW
      cache: redis:7
    steps:
      - run: make
`
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job := p.Jobs[0]
	check(t, "container env", job.Container.Env, []model.Var{{Name: str("NODE_ENV", 8, 9, 8, 17), Value: str("test", 8, 19, 8, 23), Source: "literal", Pos: at(8, 9, 8, 23)}})
	check(t, "service env", job.Services[0].Env, []model.Var{{Name: str("POSTGRES_PASSWORD", 13, 11, 13, 28), Value: str("Hx9aQ2kLmP7zRvW", 13, 30, 13, 45), Source: "literal", Pos: at(13, 11, 13, 45)}})
	check(t, "service without env", job.Services[1].Env, nil)
}

// The options and volumes a container or service starts with are in the
// model as written, for rules on what the container may reach.
func TestContainerOptionsAndVolumes(t *testing.T) {
	src := `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container:
      image: node:20
      options: --privileged --cpus 2
      volumes:
        - /var/run/docker.sock:/var/run/docker.sock
    services:
      dind:
        image: docker:dind
        options: "--privileged"
      cache: redis:7
    steps:
      - run: make
`
	p, err := Parse(workflowFile, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	job := p.Jobs[0]
	check(t, "container options", job.Container.Options, str("--privileged --cpus 2", 7, 16, 7, 37))
	check(t, "container volumes", job.Container.Volumes, []model.String{str("/var/run/docker.sock:/var/run/docker.sock", 9, 11, 9, 52)})
	check(t, "service options", job.Services[0].Options, str("--privileged", 13, 19, 13, 31))
	check(t, "service without options", job.Services[1].Options, model.String{})
	check(t, "service without volumes", job.Services[1].Volumes, nil)
}
