package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkPolicy runs check on twoFindings with the policy directory p and
// returns the exit code and standard error.
func checkPolicy(t *testing.T, policy map[string]string) (int, string) {
	t.Helper()
	files := map[string]string{".github/workflows/ci.yml": twoFindings}
	for name, src := range policy {
		files["p/"+name] = src
	}
	code, _, stderr := pipelint(t, writeFiles(t, files), "check", "--policy", "p")
	return code, stderr
}

// orgRuleWhere is orgRule with its owner test replaced by cond, on line 13.
func orgRuleWhere(cond string) string {
	return strings.Replace(orgRule, `not ref.owner in {"acme", "actions"}`, cond, 1)
}

func TestSchemaBuiltinsAreRefused(t *testing.T) {
	code, stderr := checkPolicy(t, map[string]string{"rule.rego": orgRuleWhere(`json.match_schema({}, {"$ref": "file:///etc/hostname"})[0]`)})
	if want := "p/rule.rego:13: json.match_schema is not allowed: policies run without network, host or clock access"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
}

func TestClockBuiltinsAreRefused(t *testing.T) {
	code, stderr := checkPolicy(t, map[string]string{"rule.rego": orgRuleWhere(`io.jwt.decode_verify("a.b.c", {"secret": "s"})[0]`)})
	if want := "p/rule.rego:13: io.jwt.decode_verify is not allowed: policies run without network, host or clock access"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
}

// A bare call is refused as a forbidden builtin, in a rule and in a test.
func TestBareForbiddenCallIsRefused(t *testing.T) {
	code, stderr := checkPolicy(t, map[string]string{"rule.rego": orgRuleWhere(`net.lookup_ip_addr(ref.owner)`)})
	if want := "p/rule.rego:13: net.lookup_ip_addr is not allowed: policies run without network, host or clock access"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("check: exit %d, stderr %q, want %q", code, stderr, want)
	}
	root := writeFiles(t, map[string]string{
		"p/rule.rego":      orgRule,
		"p/rule_test.rego": "package pipelint.rules.acme_actions_only_test\n\ntest_lookup if {\n\thttp.send({\"method\": \"get\", \"url\": \"https://acme.example\"})\n}\n",
	})
	code, stdout, stderr := pipelint(t, root, "policy", "test", "p")
	if want := "p/rule_test.rego:4: http.send is not allowed"; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("policy test: exit %d, stdout %q, stderr %q, want %q", code, stdout, stderr, want)
	}
}

func TestFindingOutsideTheFileIsRefused(t *testing.T) {
	rule := strings.Replace(orgRule, `"pos": ref.value.pos}`, `"pos": object.union(ref.value.pos, {"file": "/etc/passwd"})}`, 1)
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml": strings.Replace(twoFindings, "actions/setup-go@v5", "someone/tool@v1", 1),
		"p/rule.rego":              rule,
	})
	code, stdout, stderr := pipelint(t, root, "check", "--policy", "p", "--format", "text")
	want := `.github/workflows/ci.yml: rule acme-actions-only: finding "action \"someone/tool@v1\" is not from acme or actions" points at "/etc/passwd", which is neither the file checked nor one it includes`
	if code != exitError || !strings.Contains(stdout+stderr, want) || strings.Contains(stdout, "/etc/passwd:") {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, stdout, stderr, want)
	}
}

func TestSymlinkOutOfThePolicyDirectoryIsRefused(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml": twoFindings,
		"secret.txt":               "root:x:0:0:\n",
		"p/rule.rego":              orgRule,
	})
	if err := os.Symlink("../secret.txt", filepath.Join(root, "p", "evil.rego")); err != nil {
		t.Fatal(err)
	}
	want := "p/evil.rego: a symbolic link that leads out of the policy directory is not allowed"
	for _, args := range [][]string{{"check", "--policy", "p"}, {"policy", "test", "p"}} {
		code, stdout, stderr := pipelint(t, root, args...)
		if code != exitError || !strings.Contains(stderr, want) || strings.Contains(stdout+stderr, "root:x") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q, want %q", args[0], code, stdout, stderr, want)
		}
	}
}

// A configuration names policies inside its repository only; --policy may
// name any directory.
func TestConfigPoliciesStayInTheRepository(t *testing.T) {
	top := writeFiles(t, map[string]string{
		"repo/.git/HEAD":                "ref: refs/heads/main\n",
		"repo/.github/workflows/ci.yml": strings.Replace(twoFindings, "actions/setup-go@v5", "someone/tool@v1", 1),
		"repo/.pipelint.yaml":           "policies: [../shared]\n",
		"shared/rule.rego":              orgRule,
	})
	repo := filepath.Join(top, "repo")
	code, stdout, _ := pipelint(t, repo, "check")
	if want := `.pipelint.yaml:1:12: error: policy directory "../shared" is outside the repository; only --policy can name a directory elsewhere`; code != exitError || !strings.Contains(stdout, want) {
		t.Errorf("config: exit %d, stdout %q, want %q", code, stdout, want)
	}
	code, stdout, stderr := pipelint(t, repo, "check", "--no-config", "--policy", "../shared")
	if code != exitFindings || !strings.Contains(stdout, "acme-actions-only") {
		t.Errorf("--policy: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestPolicyTextReachesTheTerminalPrintable(t *testing.T) {
	rule := strings.Replace(orgRule, `sprintf("action %q is not from acme or actions", [ref.value.value])`, `sprintf("action %s\u001b[2J is not from acme", [ref.value.value])`, 1)
	root := writeFiles(t, map[string]string{
		".github/workflows/ci.yml": strings.Replace(twoFindings, "actions/setup-go@v5", "someone/tool@v1", 1),
		"p/rule.rego":              rule,
	})
	code, stdout, stderr := pipelint(t, root, "check", "--policy", "p", "--format", "text")
	if want := "high acme-actions-only: action someone/tool@v1\uFFFD[2J is not from acme\n"; code != exitFindings || !strings.Contains(stdout, want) || strings.ContainsRune(stdout, 0x1b) {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, stdout, stderr, want)
	}

	linked := strings.Replace(orgRule, "# custom:", "# related_resources:\n# - file:///etc/passwd\n# custom:", 1)
	code, stderr = checkPolicy(t, map[string]string{"rule.rego": linked})
	if want := `p/rule.rego: METADATA related_resources: the help link of rule acme-actions-only must be an http or https URL, not "file:///etc/passwd"`; code != exitError || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
}
