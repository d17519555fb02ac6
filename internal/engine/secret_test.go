package engine

import (
	"context"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/secret"
	"github.com/pipelint/pipelint/rules"
)

const quotedToken = "ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo"

// quotingRule is a custom rule whose messages quote what they point at,
// secrets included, as any rule may.
const quotingRule = `# METADATA
# title: Quotes
# description: Quotes every source line.
# custom:
#   id: quotes
#   severity: low
#   remediation: None.
package pipelint.rules.quotes

findings contains {"msg": sprintf("line %q", [line]), "pos": {"file": "ci.yml", "line": i + 1, "column": 1, "end_line": i + 1, "end_column": 2}} if {
	some i, line in input.sources[0].lines
	not contains(line, "SECRET")
}

# A secret of no known shape, which only the rule knows.
findings contains {"msg": "a secret", "pos": {"file": "ci.yml", "line": i + 1, "column": indexof(line, "Hx9") + 1, "end_line": i + 1, "end_column": indexof(line, "Hx9") + 15}, "sensitive": true} if {
	some i, line in input.sources[0].lines
	contains(line, "SECRET")
}
`

func pipelineWithLines(lines ...string) *model.Pipeline {
	return &model.Pipeline{File: "ci.yml", Sources: []model.SourceFile{{File: "ci.yml", Lines: lines}}}
}

func messages(t *testing.T, e *Engine, p *model.Pipeline) []string {
	t.Helper()
	findings, err := e.Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range findings {
		out = append(out, f.Message)
	}
	return out
}

// Every rule's message is masked as it is decoded, custom rules' too.
func TestMessagesAreMasked(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"quotes.rego": quotingRule})
	if err != nil {
		t.Fatal(err)
	}
	got := messages(t, e, pipelineWithLines(
		"git clone https://oauth2:glpat-Xk29fLq8ZmW3rT7vBn4Y@gitlab.com/x.git",
		"uses: docker://u:pass1234@reg.example.com/img",
		"echo "+quotedToken,
		"export SECRET=Hx9aQ2kLmP7zRv",
		"deploy Hx9aQ2kLmP7zRv now", // only the rule knows this is a secret
	))
	want := []string{
		`line "git clone https://oauth2:****@gitlab.com/x.git"`,
		`line "uses: docker://u:****@reg.example.com/img"`,
		`line "echo ghp_****"`,
		`a secret`,
		`line "deploy Hx9**** now"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A sensitive finding carries a keyed digest of the value at its span,
// never the value; the same value elsewhere gives the same digest, and
// another value another.
func TestSensitiveFindingsCarryADigestOfTheValue(t *testing.T) {
	e, err := newTestEngine(t, map[string]string{"quotes.rego": quotingRule})
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(lines ...string) []string {
		findings, err := e.Evaluate(context.Background(), pipelineWithLines(lines...))
		if err != nil {
			t.Fatal(err)
		}
		var digests []string
		for _, f := range findings {
			if f.Sensitive {
				if f.SecretDigest == "" || strings.Contains(f.SecretDigest, "Hx9") {
					t.Errorf("digest %q", f.SecretDigest)
				}
				digests = append(digests, f.SecretDigest)
			}
		}
		return digests
	}
	got := evaluate("SECRET=Hx9aQ2kLmP7zRv", "SECRET=Hx9bQ2kLmP7zRv", "  SECRET: Hx9aQ2kLmP7zRv")
	if len(got) != 3 || got[0] == got[1] || got[0] != got[2] {
		t.Errorf("digests %q: want two values told apart and one value found twice", got)
	}
}

// The tables the masker reads are the folded tables of the rules.
func TestSecretTablesAreCurrent(t *testing.T) {
	folded, err := SecretTables([]byte(foldedTablesJSON))
	if err != nil {
		t.Fatal(err)
	}
	generated, err := secret.DefaultTables()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(folded, generated) {
		t.Fatal("internal/secret/tables.json is stale: run go generate ./internal/engine")
	}
	if len(generated.TokenPatterns) < 30 || len(generated.PasswordFlags) == 0 {
		t.Errorf("tables %+v", generated)
	}
}

// The built-in engine masks with the built-in tables; an engine whose
// policies add a token pattern masks that token too.
func TestCustomTokenPatternsAreMasked(t *testing.T) {
	extra := `package pipelint.lib.secrets

token_patterns contains {"id": "acme-token", "name": "ACME token", "regex": ` + "`\\bacme_[a-z0-9]{20}\\b`" + `, "keywords": ["acme_"]}
`
	library, err := fs.ReadFile(rules.FS, "lib/secrets.rego")
	if err != nil {
		t.Fatal(err)
	}
	// Without plaintext-secret, which would report the token and so have
	// it masked.
	fsys := fstest.MapFS{"quotes.rego": {Data: []byte(quotingRule)}, "acme.rego": {Data: []byte(extra)}, "lib/secrets.rego": {Data: library}}
	e, err := New(context.Background(), WithPolicies(fsys))
	if err != nil {
		t.Fatal(err)
	}
	got := messages(t, e, pipelineWithLines("echo acme_0123456789abcdefghij"))
	if want := `line "echo acme****"`; len(got) != 1 || got[0] != want {
		t.Errorf("messages %q, want %q", got, want)
	}
}

// Rego's mask() and Go's Preview are one rule.
func TestRegoMaskIsPreview(t *testing.T) {
	modules, err := loadModules([]policyTree{{fsys: rules.FS}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var opts []func(*rego.Rego)
	for name, mod := range modules {
		if mod.Package.Path.String() == "data.pipelint.lib.secrets" {
			opts = append(opts, rego.ParsedModule(modules[name].Module))
		}
	}
	for _, value := range []string{"", "abc", "abcd", "abcdefghijklmno", "éééééééééééééééé", quotedToken} {
		query := rego.Query("data.pipelint.lib.secrets.mask(" + ast.StringTerm(value).String() + ")")
		results, err := rego.New(append(slices.Clone(opts), query, rego.Capabilities(Capabilities()))...).Eval(context.Background())
		if err != nil || len(results) != 1 {
			t.Fatalf("%q: %v %v", value, results, err)
		}
		if got := results[0].Expressions[0].Value; got != secret.Preview(value) {
			t.Errorf("mask(%q) = %q, Preview = %q", value, got, secret.Preview(value))
		}
	}
}
