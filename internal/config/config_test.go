package config

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/rules"
)

func load(t *testing.T, file string) *Config {
	t.Helper()
	c, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// withoutPositions clears what Parse records only for error messages.
func withoutPositions(rules []Rule) []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		r.idPos = position{}
		out[i] = r
	}
	return out
}

func boolPtr(b bool) *bool { return &b }

func TestParseIssueExample(t *testing.T) {
	c := load(t, "testdata/issue.yaml")
	dir, _ := filepath.Abs("testdata")
	if c.File != "testdata/issue.yaml" || c.Dir != dir {
		t.Errorf("File, Dir = %q, %q; want testdata/issue.yaml, %q", c.File, c.Dir, dir)
	}
	want := []Rule{
		{ID: "missing-cache", Enabled: boolPtr(false), IgnorePaths: []string{"legacy/**"}},
		{ID: "unpinned-action", Severity: finding.Medium, Options: map[string]any{
			"policies": map[string]any{"actions/*": "ref-pin", "my-org/*": "any", "*": "hash-pin"},
		}},
	}
	if got := withoutPositions(c.Rules); !reflect.DeepEqual(got, want) {
		t.Errorf("Rules = %#v\nwant %#v", got, want)
	}
	if !reflect.DeepEqual(c.IgnorePaths, []string{"third_party/**"}) {
		t.Errorf("IgnorePaths = %q", c.IgnorePaths)
	}
	if !reflect.DeepEqual(c.Policies, []string{"./ci-policies"}) {
		t.Errorf("Policies = %q", c.Policies)
	}
	if got := c.Rules[1].idPos; got != (position{line: 2, column: 3, endColumn: 18}) {
		t.Errorf("unpinned-action key at %+v, want line 2 columns 3-18", got)
	}
}

func TestAccessors(t *testing.T) {
	c := load(t, "testdata/issue.yaml")
	for _, tc := range []struct {
		rule         string
		enabled      bool
		severity     finding.Severity
		remapped     bool
		ignoredFiles []string
	}{
		{"unpinned-action", true, finding.Medium, true, []string{"testdata/third_party/x/ci.yml"}},
		{"missing-cache", false, "", false, []string{"testdata/third_party/ci.yml", "testdata/legacy/ci.yml", "testdata/legacy/deep/er/Jenkinsfile"}},
		{"missing-tests", true, "", false, []string{"testdata/third_party/ci.yml"}},
	} {
		if got := c.Enabled(tc.rule); got != tc.enabled {
			t.Errorf("Enabled(%s) = %v", tc.rule, got)
		}
		if severity, ok := c.Severity(tc.rule); severity != tc.severity || ok != tc.remapped {
			t.Errorf("Severity(%s) = %q, %v", tc.rule, severity, ok)
		}
		for _, file := range tc.ignoredFiles {
			if !c.Ignored(tc.rule, file) {
				t.Errorf("Ignored(%s, %s) = false, want true", tc.rule, file)
			}
		}
		for _, file := range []string{"testdata/ci.yml", "testdata/legacyx/ci.yml", "third_party/ci.yml", "testdata/src/third_party/ci.yml"} {
			if c.Ignored(tc.rule, file) {
				t.Errorf("Ignored(%s, %s) = true, want false", tc.rule, file)
			}
		}
	}
	if !c.IgnoredFile("testdata/third_party/a/b/.gitlab-ci.yml") || c.IgnoredFile("testdata/legacy/ci.yml") {
		t.Error("IgnoredFile must follow the global ignore-paths only")
	}
	abs, _ := filepath.Abs("testdata/legacy/ci.yml")
	if !c.Ignored("missing-cache", abs) {
		t.Errorf("Ignored(missing-cache, %s) = false for an absolute path", abs)
	}
	wantOptions := map[string]any{"unpinned-action": map[string]any{
		"policies": map[string]any{"actions/*": "ref-pin", "my-org/*": "any", "*": "hash-pin"},
	}}
	if got := c.Options(); !reflect.DeepEqual(got, wantOptions) {
		t.Errorf("Options() = %v", got)
	}
	if got, err := c.PolicyDirs(); err != nil || !reflect.DeepEqual(got, []string{filepath.Join(c.Dir, "ci-policies")}) {
		t.Errorf("PolicyDirs() = %q, %v", got, err)
	}
}

// A glob naming a directory covers the files below it, and patterns may be
// written with a leading ./.
func TestIgnoredDirectoryPatterns(t *testing.T) {
	c, err := Parse("repo/.pipelint.yaml", []byte(`ignore-paths: ["./vendored", "**/*.jenkinsfile", "ci/{a,b}.yml"]`))
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]bool{
		"repo/vendored/.gitlab-ci.yml":          true,
		"repo/vendored/x/.github/workflows/a.y": true,
		"repo/vendoredx/.gitlab-ci.yml":         false,
		"repo/x/y/build.jenkinsfile":            true,
		"repo/build.jenkinsfile":                true,
		"repo/ci/a.yml":                         true,
		"repo/ci/c.yml":                         false,
		"vendored/.gitlab-ci.yml":               false, // outside repo/
		"repo":                                  false,
	} {
		if got := c.IgnoredFile(file); got != want {
			t.Errorf("IgnoredFile(%s) = %v, want %v", file, got, want)
		}
	}
	if !reflect.DeepEqual(c.IgnorePaths, []string{"vendored", "**/*.jenkinsfile", "ci/{a,b}.yml"}) {
		t.Errorf("IgnorePaths = %q", c.IgnorePaths)
	}
}

func TestOptionValues(t *testing.T) {
	c := load(t, "testdata/options.yaml")
	want := map[string]any{
		"deploy-without-rollback": map[string]any{
			"production": []any{"prod", "production", "live"},
			"strict":     true,
			"max-jobs":   int64(3),
			"ratio":      0.5,
			"nothing":    nil,
			"since":      "2024-01-02",
			"nested":     map[string]any{"a": map[string]any{"b": []any{int64(1), "two"}}},
		},
		"missing-tests": map[string]any{"commands": []any{"make check", "./run-tests.sh"}},
	}
	if got := c.Options(); !reflect.DeepEqual(got, want) {
		t.Errorf("Options() = %#v\nwant %#v", got, want)
	}
	if !c.Enabled("missing-tests") {
		t.Error("enabled: true must keep the rule enabled")
	}
}

func TestNilConfig(t *testing.T) {
	var c *Config
	if !c.Enabled("x") || c.Ignored("x", "a.yml") || c.IgnoredFile("a.yml") || len(c.Options()) != 0 || c.Validate([]string{"y"}) != nil {
		t.Error("a nil config must enable everything and ignore nothing")
	}
	if _, ok := c.Severity("x"); ok {
		t.Error("a nil config remaps no severity")
	}
	if dirs, err := c.PolicyDirs(); dirs != nil || err != nil {
		t.Errorf("PolicyDirs() of a nil config = %q, %v", dirs, err)
	}
	var out bytes.Buffer
	if err := Print(&out, c); err != nil || out.String() != "{}\n" {
		t.Errorf("Print(nil) = %q, %v", out.String(), err)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "---\n", "~\n", "rules:\n", "rules: {}\nignore-paths: []\npolicies:\n"} {
		c, err := Parse(".pipelint.yaml", []byte(src))
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if len(c.Rules) != 0 || len(c.IgnorePaths) != 0 || len(c.Policies) != 0 {
			t.Errorf("Parse(%q) = %+v, want nothing configured", src, c)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"rule:\n  x: {}\n", `c.yaml:1:1: unknown key "rule" (want rules, ignore-paths or policies)`},
		{"- a\n", `c.yaml:1:1: the config must be a mapping, not a list`},
		{"rules:\n  unpinned-action:\n    severity: severe\n", `c.yaml:3:15: unknown severity "severe" (want critical, high, medium, low or info)`},
		{"rules:\n  unpinned-action:\n    severity: 3\n", `c.yaml:3:15: severity must be critical, high, medium, low or info, not 3`},
		{"rules:\n  unpinned-action:\n    severity: HIGH\n", `c.yaml:3:15: unknown severity "HIGH" (want critical, high, medium, low or info)`},
		{"rules:\n  missing-cache:\n    enabled: no\n", `c.yaml:3:14: enabled must be true or false, not "no"`},
		{"rules:\n  missing-cache:\n    enable: false\n", `c.yaml:3:5: unknown key "enable" in rule missing-cache (want severity, enabled, ignore-paths or options)`},
		{"rules:\n  Missing_Cache: {}\n", `c.yaml:2:3: rule id "Missing_Cache" is not kebab-case (e.g. unpinned-action)`},
		{"rules:\n  missing-cache: off\n", `c.yaml:2:18: rule missing-cache must be a mapping, not "off"`},
		{"rules: [a]\n", `c.yaml:1:8: rules must be a mapping, not a list`},
		{"ignore-paths: legacy/**\n", `c.yaml:1:15: ignore-paths must be a list of strings, not "legacy/**"`},
		{"ignore-paths: [1]\n", `c.yaml:1:16: ignore-paths must be a list of non-empty strings, not 1`},
		{"ignore-paths: ['']\n", `c.yaml:1:16: ignore-paths must be a list of non-empty strings, not ""`},
		{"ignore-paths: [\"/etc/**\"]\n", `c.yaml:1:16: ignore-paths pattern "/etc/**" must be relative to the config file's directory`},
		{"ignore-paths: [../x]\n", `c.yaml:1:16: ignore-paths pattern "../x" points outside the config file's directory`},
		{"ignore-paths: [\"a/[b\"]\n", `c.yaml:1:16: ignore-paths pattern "a/[b" is not a valid glob (unclosed [ or {?)`},
		{"policies: [{dir: x}]\n", `c.yaml:1:12: policies must be a list of non-empty strings, not a mapping`},
		{"rules:\n  x:\n    options: [a]\n", `c.yaml:3:14: options must be a mapping, not a list`},
		{"rules:\n  x:\n    options: {1: a}\n", `c.yaml:3:15: keys of options must be strings, not 1`},
		{"rules:\n  x: {}\n  x: {}\n", `c.yaml:3:3: "x" is set twice in rules`},
		{"base: &b [a]\n", `c.yaml:1:1: unknown key "base" (want rules, ignore-paths or policies)`},
		{"policies: &p [a]\nignore-paths: *p\n", `c.yaml:2:15: aliases (*p) are not supported in a config file; write the value out`},
		{"rules:\n  x:\n    <<: {enabled: false}\n", `c.yaml:3:5: merge keys (<<) are not supported in a config file; write the keys out`},
		{"rules: {}\n---\nrules: {}\n", `c.yaml:2:1: a config file holds one YAML document; remove the second one`},
		{"rules:\n  x: [\n", `c.yaml:2:1: did not find expected node content`},
		{"rules:\n\tx: {}\n", `c.yaml:2:1: found character that cannot start any token`},
		// Several problems are all reported, in source order.
		{"rules:\n  a:\n    severity: x\n    enabled: 1\nfoo: 1\n", "c.yaml:3:15: unknown severity \"x\" (want critical, high, medium, low or info)\n" +
			"c.yaml:4:14: enabled must be true or false, not 1\n" +
			"c.yaml:5:1: unknown key \"foo\" (want rules, ignore-paths or policies)"},
	} {
		c, err := Parse("c.yaml", []byte(tc.src))
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tc.src, c, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q) error:\n got %s\nwant %s", tc.src, err, tc.want)
		}
		if c != nil {
			t.Errorf("Parse(%q) returned a config with its error", tc.src)
		}
		var parseErr *model.ParseError
		if !errors.As(err, &parseErr) || parseErr.Pos.File != "c.yaml" || parseErr.Pos.EndLine != parseErr.Pos.Line || parseErr.Pos.EndColumn <= parseErr.Pos.Column {
			t.Errorf("Parse(%q): want a *model.ParseError with a span, got %#v", tc.src, parseErr)
		}
	}
}

func TestParseErrorSpan(t *testing.T) {
	_, err := Parse("c.yaml", []byte("rules:\n  x:\n    severity: \"très\"\n"))
	var parseErr *model.ParseError
	if !errors.As(err, &parseErr) {
		t.Fatalf("got %v", err)
	}
	if want := (model.Pos{File: "c.yaml", Line: 3, Column: 15, EndLine: 3, EndColumn: 21}); parseErr.Pos != want {
		t.Errorf("Pos = %+v, want %+v (the quoted value, in code points)", parseErr.Pos, want)
	}
}

func TestValidate(t *testing.T) {
	c, err := Parse("c.yaml", []byte("rules:\n  unpinned-action: {}\n  unpined-action: {}\n  zz: {enabled: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate([]string{"unpinned-action", "missing-cache"})
	want := "c.yaml:3:3: unknown rule \"unpined-action\" (known rules: missing-cache, unpinned-action)\n" +
		"c.yaml:4:3: unknown rule \"zz\" (known rules: missing-cache, unpinned-action)"
	if err == nil || err.Error() != want {
		t.Errorf("Validate error:\n got %v\nwant %s", err, want)
	}
	var parseErr *model.ParseError
	if !errors.As(err, &parseErr) || parseErr.Pos != (model.Pos{File: "c.yaml", Line: 3, Column: 3, EndLine: 3, EndColumn: 17}) {
		t.Errorf("first error at %+v", parseErr)
	}
	if err := c.Validate([]string{"unpinned-action", "unpined-action", "zz"}); err != nil {
		t.Errorf("Validate with every id known: %v", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) string {
		full := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return full
	}
	// A config above the repository root is not the repository's.
	write(".pipelint.yaml", "rules: {}\n")
	write("repo/.git/HEAD", "ref: refs/heads/main\n")
	workflow := write("repo/svc/.github/workflows/ci.yml", "on: push\n")
	repoConfig := write("repo/.pipelint.yml", "rules: {}\n")
	svcConfig := write("repo/svc/.pipelint.yaml", "rules: {}\n")
	write("norepo/a/Jenkinsfile", "")

	for _, tc := range []struct{ start, want string }{
		{workflow, svcConfig},
		{filepath.Dir(workflow), svcConfig},
		{filepath.Join(root, "repo", "svc"), svcConfig},
		{filepath.Join(root, "repo"), repoConfig},
		{filepath.Join(root, "repo", ".git"), repoConfig},
		{filepath.Join(root, "norepo", "a", "Jenkinsfile"), filepath.Join(root, ".pipelint.yaml")},
	} {
		got, err := Find(tc.start)
		if err != nil || got != tc.want {
			t.Errorf("Find(%s) = %q, %v; want %q", tc.start, got, err, tc.want)
		}
	}
	if err := os.Remove(repoConfig); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(filepath.Join(root, "repo")); got != "" || err != nil {
		t.Errorf("Find stops at the repository root: got %q, %v", got, err)
	}
	write("repo/svc/.pipelint.yml", "")
	if _, err := Find(workflow); err == nil || !strings.Contains(err.Error(), "both .pipelint.yaml and .pipelint.yml exist") {
		t.Errorf("two config files in one directory: got %v", err)
	}
	if _, err := Find(filepath.Join(root, "missing")); err == nil {
		t.Error("Find of a path that does not exist must fail")
	}
}

func TestFindRelative(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, ".pipelint.yaml"), []byte("ignore-paths: [gen]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "gen"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "gen"))
	found, err := Find(".")
	if err != nil || found != filepath.Join(root, ".pipelint.yaml") {
		t.Fatalf("Find(.) = %q, %v", found, err)
	}
	c := load(t, found)
	// Report paths are relative to the working directory, here gen/.
	if !c.IgnoredFile("ci.yml") || !c.IgnoredFile("../gen/x/ci.yml") || c.IgnoredFile("../ci.yml") {
		t.Error("relative paths must be resolved against the working directory")
	}
}

func TestPrint(t *testing.T) {
	c := load(t, "testdata/issue.yaml")
	var out bytes.Buffer
	if err := Print(&out, c); err != nil {
		t.Fatal(err)
	}
	want := `# from testdata/issue.yaml
rules:
  missing-cache:
    enabled: false
    ignore-paths: ["legacy/**"]
  unpinned-action:
    severity: medium
    options:
      policies:
        '*': hash-pin
        actions/*: ref-pin
        my-org/*: any
ignore-paths: ["third_party/**"]
policies: ["./ci-policies"]
`
	if out.String() != want {
		t.Errorf("Print:\n%s\nwant:\n%s", out.String(), want)
	}
	reparsed, err := Parse("testdata/issue.yaml", out.Bytes())
	if err != nil {
		t.Fatalf("the printed config does not parse: %v", err)
	}
	if !reflect.DeepEqual(withoutPositions(reparsed.Rules), withoutPositions(c.Rules)) {
		t.Errorf("round trip changed the rules: %+v", reparsed.Rules)
	}
}

func TestEffective(t *testing.T) {
	c := load(t, "testdata/issue.yaml")
	known := []finding.Rule{
		{ID: "missing-cache", Severity: finding.Low},
		{ID: "unpinned-action", Severity: finding.High},
		{ID: "unpinned-image", Severity: finding.High},
	}
	var out bytes.Buffer
	if err := Print(&out, Effective(c, known)); err != nil {
		t.Fatal(err)
	}
	want := `# from testdata/issue.yaml
rules:
  missing-cache:
    severity: low
    enabled: false
    ignore-paths: ["legacy/**"]
  unpinned-action:
    severity: medium
    enabled: true
    options:
      policies:
        '*': hash-pin
        actions/*: ref-pin
        my-org/*: any
  unpinned-image:
    severity: high
    enabled: true
ignore-paths: ["third_party/**"]
policies: ["./ci-policies"]
`
	if out.String() != want {
		t.Errorf("Print(Effective):\n%s\nwant:\n%s", out.String(), want)
	}
	if c.Rules[0].Severity != "" || c.Rules[1].Enabled != nil {
		t.Error("Effective must not change its argument")
	}
	out.Reset()
	if err := Print(&out, Effective(nil, known[:1])); err != nil {
		t.Fatal(err)
	}
	if want := "rules:\n  missing-cache:\n    severity: low\n    enabled: true\n"; out.String() != want {
		t.Errorf("Print(Effective(nil)) = %q, want %q", out.String(), want)
	}
}

func TestStarter(t *testing.T) {
	c, err := Parse(".pipelint.yaml", []byte(Starter))
	if err != nil {
		t.Fatalf("the starter config does not parse: %v", err)
	}
	if len(c.Rules) != 0 || len(c.IgnorePaths) != 0 || len(c.Policies) != 0 {
		t.Errorf("the starter config must change nothing until edited: %+v", c)
	}
	// Uncommenting its examples (the commented lines that are YAML) gives a
	// valid config for the built-in rules.
	uncommented := regexp.MustCompile(`(?m)^([ \t]*)# ([ \t]*(?:[a-z-]+:(?:[ \t]|$)|- ).*)$`).ReplaceAllString(Starter, "$1$2")
	c, err = Parse(".pipelint.yaml", []byte(uncommented))
	if err != nil {
		t.Fatalf("the starter's examples do not parse: %v\n%s", err, uncommented)
	}
	eng, err := engine.New(context.Background(), engine.WithPolicies(rules.FS))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range eng.Rules() {
		ids = append(ids, r.ID)
	}
	if err := c.Validate(ids); err != nil {
		t.Errorf("the starter names rules that do not exist: %v", err)
	}
	if len(c.Rules) != 2 || len(c.IgnorePaths) != 1 || len(c.Policies) != 1 {
		t.Errorf("uncommented starter = %+v, want 2 rules, 1 ignore path and 1 policy directory\n%s", c, uncommented)
	}
}
