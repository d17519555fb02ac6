package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"
)

// TestCommandMatches checks each condition of pipelint.command_matches as
// a policy calls it, against `pip install --no-cache-dir -r req.txt`.
func TestCommandMatches(t *testing.T) {
	const cmd = `{"name": {"value": "pip"}, "args": [{"value": "install"}, {"value": "--no-cache-dir"}, {"value": "-r"}, {"value": "req.txt"}]}`
	tests := []struct {
		matcher string
		want    bool
	}{
		{`{}`, true},
		{`{"args": ["install"]}`, true},
		{`{"args": ["inst*", "req.*"]}`, true},
		{`{"args": ["install", "req.txt", "more"]}`, false}, // fewer positional arguments than patterns
		{`{"args": ["uninstall"]}`, false},
		{`{"any_arg": "*.txt"}`, true},
		{`{"any_arg": "-r"}`, false}, // flags are not positional
		{`{"any_arg": ""}`, true},
		{`{"requires": "--no-cache*"}`, true},
		{`{"requires": "--user"}`, false},
		{`{"no_positional": true}`, false},
		{`{"no_positional": false}`, true},
		{`{"unless": ["--user", "--no-cache-dir"]}`, false},
		{`{"unless": {"--user"}}`, true},
		{`{"unless_after": {"-r": "req*"}}`, false},
		{`{"unless_after": {"-r": "dev*"}}`, true},
		{`{"unless_after": {"req.txt": "*"}}`, true}, // nothing follows the last argument
	}
	for _, tt := range tests {
		query := "x := pipelint.command_matches(" + cmd + ", " + tt.matcher + ")"
		rs, err := rego.New(rego.Query(query), rego.Capabilities(Capabilities())).Eval(context.Background())
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v (%d results)", tt.matcher, err, len(rs))
		}
		if got := rs[0].Bindings["x"]; got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.matcher, got, tt.want)
		}
	}
}

// TestCommandDisplay checks pipelint.command_display as a policy calls it:
// the name and up to n leading subcommand words, past flags, stopping at
// the first argument that is not one.
func TestCommandDisplay(t *testing.T) {
	command := func(words ...string) string {
		args := make([]string, len(words)-1)
		for i, w := range words[1:] {
			args[i] = fmt.Sprintf(`{"value": %q}`, w)
		}
		return fmt.Sprintf(`{"name": {"value": %q}, "args": [%s]}`, words[0], strings.Join(args, ", "))
	}
	tests := []struct {
		cmd  string
		n    int
		want any // nil for undefined
	}{
		{command("npm", "--silent", "run", "build", "--prod"), 2, "npm run build"},
		{command("npm", "run", "build"), 1, "npm run"},
		{command("make"), 1, "make"},
		{command("kubectl", "apply", "-f", "k8s/app.yaml"), 2, "kubectl apply"},
		{command("curl", "https://example.com"), 1, "curl"},
		{command("helm", "upgrade", "Release", "chart"), 3, "helm upgrade"},
		{`{"args": [{"value": "x"}]}`, 1, nil},
	}
	for _, tt := range tests {
		query := fmt.Sprintf("x := pipelint.command_display(%s, %d)", tt.cmd, tt.n)
		rs, err := rego.New(rego.Query(query), rego.Capabilities(Capabilities())).Eval(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		var got any
		if len(rs) == 1 {
			got = rs[0].Bindings["x"]
		}
		if got != tt.want {
			t.Errorf("%s: got %v, want %v", query, got, tt.want)
		}
	}
}

func TestContainsAny(t *testing.T) {
	tests := []struct {
		query string
		want  bool
	}{
		{`pipelint.contains_any("token ghp_x here", {"AKIA", "ghp_"})`, true},
		{`pipelint.contains_any("nothing here", {"AKIA", "ghp_"})`, false},
		{`pipelint.contains_any("a --password b", ["--password"])`, true},
		{`pipelint.contains_any("anything", set())`, false},
	}
	for _, tt := range tests {
		rs, err := rego.New(rego.Query("x := "+tt.query), rego.Capabilities(Capabilities())).Eval(context.Background())
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v (%d results)", tt.query, err, len(rs))
		}
		if got := rs[0].Bindings["x"]; got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestCommandsMatched checks that pipelint.commands_matched finds each
// command through the index by name and the index by first positional
// argument, with the indexes of its job and step, and leaves out commands
// no matcher matches, steps without a script and commands without a name.
func TestCommandsMatched(t *testing.T) {
	const jobs = `[
		{"steps": [{"script": null}, {"script": {"commands": [
			{"name": {"value": "make"}, "args": [{"value": "build"}]},
			{"name": {"value": "npm"}, "args": [{"value": "--quiet"}, {"value": "ci"}]},
			{"name": {"value": "npm"}, "args": [{"value": "run"}, {"value": "lint"}]},
			{"args": []}
		]}}]},
		{"steps": [{"script": {"commands": [{"name": {"value": "echo"}, "args": [{"value": "make"}]}]}}]}
	]`
	const byCommand = `{"make": {"build": {{"args": ["build"]}, {"args": ["test"]}}}}`
	const bySubcommand = `{"npm": {"ci": {"install": {{"args": ["ci"]}}}, "run": {"test": {{"args": ["run", "test"]}}}}}`
	query := "x := pipelint.commands_matched(" + jobs + ", " + byCommand + ", " + bySubcommand + ")"
	rs, err := rego.New(rego.Query(query), rego.Capabilities(Capabilities())).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("%v (%d results)", err, len(rs))
	}
	var got []string
	for _, m := range rs[0].Bindings["x"].([]any) {
		match := m.([]any)
		cmd := match[4].(map[string]any)
		got = append(got, fmt.Sprintf("%v %v job %v step %v %v", match[0], match[1], match[2], match[3], cmd["name"].(map[string]any)["value"]))
	}
	want := []string{
		"build map[args:[build]] job 0 step 1 make",
		"install map[args:[ci]] job 0 step 1 npm",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
