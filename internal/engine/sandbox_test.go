package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pipelint/pipelint/internal/model"
)

// withCondition is testRule with its last condition, on line 14, replaced.
func withCondition(cond string) string {
	return strings.Replace(testRule, "count(job.steps) == 0 # nil slices arrive as empty arrays", cond, 1)
}

const sandboxReason = " is not allowed: policies run without network, host or clock access, so that a check depends only on the files checked"

// sandboxError is the message that refuses a forbidden builtin on line 14
// of x.rego.
func sandboxError(builtin string) string {
	return "x.rego:14: " + builtin + sandboxReason
}

// The JSON schema builtins resolve a "$ref" to a file:// URL by reading
// the file, which tells a rule whether a file exists and what it holds.
func TestSchemaBuiltinsAreNotAllowed(t *testing.T) {
	for builtin, cond := range map[string]string{
		"json.match_schema":  `json.match_schema({}, {"$ref": "file:///etc/hostname"})[0]`,
		"json.verify_schema": `json.verify_schema({"$ref": "file:///etc/hostname"})[0]`,
	} {
		_, err := newTestEngine(t, map[string]string{"x.rego": withCondition(cond)})
		if want := sandboxError(builtin); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", builtin, err, want)
		}
	}
}

// A rule must give the same findings whenever it runs. io.jwt.decode_verify
// checks exp and nbf against the clock, so a token a rule signs with a
// chosen exp tells it the time; the x509 chain verifiers check validity
// against the clock too (rego.Time does not reach them); ES and PS
// signatures are random.
func TestClockAndRandomBuiltinsAreNotAllowed(t *testing.T) {
	for builtin, cond := range map[string]string{
		"io.jwt.decode_verify":                                   `io.jwt.decode_verify("a.b.c", {"secret": "s"})[0]`,
		"io.jwt.encode_sign":                                     `io.jwt.encode_sign({"alg": "HS256"}, {"exp": 1}, {"kty": "oct", "k": "c2VjcmV0"}) != ""`,
		"io.jwt.encode_sign_raw":                                 `io.jwt.encode_sign_raw("{}", "{}", "{}") != ""`,
		"crypto.x509.parse_and_verify_certificates":              `crypto.x509.parse_and_verify_certificates("")[0]`,
		"crypto.x509.parse_and_verify_certificates_with_options": `crypto.x509.parse_and_verify_certificates_with_options("", {})[0]`,
	} {
		_, err := newTestEngine(t, map[string]string{"x.rego": withCondition(cond)})
		if want := sandboxError(builtin); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", builtin, err, want)
		}
	}
}

// A forbidden builtin is refused by name wherever it is written, not with
// the compiler's "undefined function" or "with keyword target" error.
func TestForbiddenBuiltinAnywhere(t *testing.T) {
	for name, tc := range map[string]struct {
		src, want string
	}{
		"bare call":               {withCondition(`net.lookup_ip_addr("example.com")`), "x.rego:14: net.lookup_ip_addr"},
		"bare call in a function": {testRule + "\nf(x) if {\n\thttp.send(x)\n}\n", "x.rego:23: http.send"},
		"in a function head":      {testRule + "\nf(x) := http.send(x)\n", "x.rego:22: http.send"},
		"in a comprehension":      {withCondition(`count([h | some h in ["a"]; net.lookup_ip_addr(h)]) > 0`), "x.rego:14: net.lookup_ip_addr"},
		"in every":                {withCondition(`every h in ["a"] { opa.runtime() }`), "x.rego:14: opa.runtime"},
		"with target":             {withCondition(`count(job.steps) == 0 with time.now_ns as 5`), "x.rego:14: time.now_ns"},
		"with value":              {withCondition(`count(job.steps) == 0 with count as uuid.rfc4122`), "x.rego:14: uuid.rfc4122"},
	} {
		_, err := newTestEngine(t, map[string]string{"x.rego": tc.src})
		if want := tc.want + sandboxReason; err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", name, err, want)
		}
	}
}

// A custom policy that extends a table package is evaluated when the
// policies are loaded, within the evaluation time limit: here a set of a
// billion numbers, stopped after 50ms.
func TestTablesTimeLimit(t *testing.T) {
	loop := "package pipelint.lib.tables\n\nbig contains n if some n in numbers.range(1, 1000000000)\n"
	_, err := New(context.Background(), WithCustomPolicies("p", fstest.MapFS{"loop.rego": {Data: []byte(loop)}}), WithTimeout(50*time.Millisecond))
	if want := "p/loop.rego: evaluating the tables package data.pipelint.lib.tables took longer than 50ms"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// Memory is bounded apart from time: a table that doubles an array thirty
// times asks for gigabytes within a few builtin calls, which the time limit
// cannot interrupt. The time limit is raised far above the default, so
// that on a loaded machine, where the memory watch looks late, it is still
// the memory bound that stops the table.
func TestTablesMemoryLimit(t *testing.T) {
	doubling := "package pipelint.lib.tables\n\nd0 := [1]\n"
	for i := 1; i <= 30; i++ {
		doubling += fmt.Sprintf("\nd%d := array.concat(d%d, d%d)\n", i, i-1, i-1)
	}
	_, err := New(context.Background(), WithCustomPolicies("p", fstest.MapFS{"doubling.rego": {Data: []byte(doubling)}}), WithTablesMemoryLimit(16<<20), WithTimeout(10*time.Minute))
	if want := "p/doubling.rego: evaluating the tables package data.pipelint.lib.tables took more than 16 MiB of memory"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// A finding points into the file checked or a file it includes: a policy
// cannot make a report name, or show lines of, any other file.
func TestFindingOutsideTheFileIsRefused(t *testing.T) {
	// Each job reports at its id, in the file its name gives.
	rule := strings.Replace(testRule, `"pos": job.id.pos} if {`, `"pos": object.union(job.id.pos, {"file": job.name.value})} if {`, 1)
	rule = strings.Replace(rule, "\tjob.name.value == \"\"\n", "", 1)
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": rule})
	if err != nil {
		t.Fatal(err)
	}
	p := &model.Pipeline{File: "ci.yml", Sources: []model.SourceFile{{File: "ci.yml"}, {File: "ci/build.yml"}}}
	for file, want := range map[string]string{
		"ci.yml":       "",
		"ci/build.yml": "",
		"/etc/passwd":  `ci.yml: rule unnamed-job: finding "job \"a\" has no name" points at "/etc/passwd", which is neither the file checked nor one it includes`,
		"other.yml":    `ci.yml: rule unnamed-job: finding "job \"a\" has no name" points at "other.yml", which is neither the file checked nor one it includes`,
	} {
		a := job("a", 1)
		a.Name.Value = file
		p.Jobs = []model.Job{a}
		findings, err := e.Evaluate(context.Background(), p)
		switch {
		case want == "" && (err != nil || len(findings) != 1 || findings[0].Pos.File != file):
			t.Errorf("%s: findings %+v, error %v", file, findings, err)
		case want != "" && (err == nil || err.Error() != want):
			t.Errorf("%s: error = %v, want %q", file, err, want)
		}
	}
}

// A symbolic link in a policy directory that leads out of it is refused,
// whatever it is named and however it gets out, without reading what it
// leads to: a parse error would quote the file. Links that stay inside are
// followed.
func TestSymlinkOutOfThePolicyDirectory(t *testing.T) {
	for name, tc := range map[string]struct {
		links map[string]string // in p: link → target
		want  string
	}{
		"relative":                 {map[string]string{"evil.rego": "../secret.txt"}, "p/evil.rego"},
		"absolute":                 {map[string]string{"evil.rego": "SECRET"}, "p/evil.rego"},
		"directory":                {map[string]string{"lib": "../outside"}, "p/lib"},
		"help page":                {map[string]string{"unnamed-job.md": "../secret.txt"}, "p/unnamed-job.md"},
		"through an inside link":   {map[string]string{"a.rego": "b.rego", "b.rego": "../secret.txt"}, "p/a.rego"},
		"through a linked folder":  {map[string]string{"lib": "../outside", "x.rego": "lib/x.rego"}, "p/lib"},
		"up from a real directory": {map[string]string{"x.rego": "docs/../../secret.txt"}, "p/x.rego"},
		"inside":                   {map[string]string{"unnamed-job.md": "docs/unnamed-job.md"}, ""},
	} {
		root := t.TempDir()
		files := map[string]string{
			"secret.txt":            "root:x:0:0:\x1b[2J\n",
			"outside/x.rego":        "root:x:0:0:\n",
			"p/unnamed-job.rego":    testRule,
			"p/docs/unnamed-job.md": "# unnamed-job\n",
		}
		for file, text := range files {
			path := filepath.Join(root, filepath.FromSlash(file))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for link, target := range tc.links {
			target = strings.Replace(target, "SECRET", filepath.Join(root, "secret.txt"), 1)
			if err := os.Symlink(filepath.FromSlash(target), filepath.Join(root, "p", link)); err != nil {
				t.Fatal(err)
			}
		}
		e, err := New(context.Background(), WithCustomPolicies("p", os.DirFS(filepath.Join(root, "p"))))
		if tc.want == "" {
			if err != nil || e.Rules()[0].Help != "# unnamed-job\n" {
				t.Errorf("%s: error %v", name, err)
			}
			continue
		}
		if want := "load policies: " + tc.want + ": a symbolic link that leads out of the policy directory is not allowed"; err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", name, err, want)
		}
	}
}

// Text from a policy reaches terminals: control characters (escape
// sequences, carriage returns, bells), bidirectional controls and invalid
// UTF-8 become U+FFFD, and so do line breaks in one-line texts.
func TestPolicyTextIsPrintable(t *testing.T) {
	rule := strings.NewReplacer(
		"# title: Job without a name", `# title: "Job \e[2J without\na name"`,
		"# description: Every job should have a name.", `# description: "Every job\nshould have\ta name.\r\e]8;;x\a"`,
		"#   remediation: Add a name.", `#   remediation: "Add\na name.\u202e"`,
		"#   tags: [style]", `#   tags: ["st\eyle"]`,
		`sprintf("job %q has no name", [job.id.value])`, `sprintf("job %s\r\n\u001b[31mhas no name\u2028", [job.id.value])`,
	).Replace(testRule)
	policies := fstest.MapFS{
		"unnamed-job.rego": {Data: []byte(rule)},
		"unnamed-job.md":   {Data: []byte("# unnamed-job\r\n\r\n\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\xff\tok\n")},
	}
	e, err := New(context.Background(), WithCustomPolicies("p", policies))
	if err != nil {
		t.Fatal(err)
	}
	got := e.Rules()[0]
	if got.Title != "Job \uFFFD[2J without\uFFFDa name" ||
		got.Description != "Every job\nshould have\ta name.\uFFFD\uFFFD]8;;x\uFFFD" ||
		got.Remediation != "Add\na name.\uFFFD" ||
		strings.Join(got.Tags, ",") != "st\uFFFDyle" ||
		got.Help != "# unnamed-job\n\n\uFFFD]8;;https://evil.example\uFFFDlink\uFFFD]8;;\uFFFD\uFFFD\tok\n" {
		t.Errorf("rule = %#v", got)
	}
	findings, err := e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
	if err != nil || len(findings) != 1 || findings[0].Message != "job a\uFFFD\uFFFD\uFFFD[31mhas no name\uFFFD" {
		t.Errorf("findings = %#v, error %v", findings, err)
	}

	// A syntax error quotes its line.
	_, err = New(context.Background(), WithCustomPolicies("p", fstest.MapFS{"x.rego": {Data: []byte("package p\n\nx := \"\x1b[2J\" +\n")}}))
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) || !strings.Contains(err.Error(), "\uFFFD[2J") {
		t.Errorf("error = %q", err)
	}
}

// A rule's help link, its first related_resources entry, is an http or
// https URL: SARIF viewers open it.
func TestHelpLinkIsHTTP(t *testing.T) {
	for _, ref := range []string{"file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/x", "https:///no-host"} {
		rule := strings.Replace(testRule, "# custom:", "# related_resources:\n# - "+ref+"\n# custom:", 1)
		_, err := New(context.Background(), WithCustomPolicies("p", fstest.MapFS{"unnamed-job.rego": {Data: []byte(rule)}}))
		if want := fmt.Sprintf("p/unnamed-job.rego: METADATA related_resources: the help link of rule unnamed-job must be an http or https URL, not %q", ref); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", ref, err, want)
		}
	}
}
