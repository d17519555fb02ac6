package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Secrets the files below hold. Every one is shaped like a real credential
// (a GitHub token of 36 random characters, a password in a URL).
const (
	imageToken    = "ghp_R4nd0mT0k3nV4lu3xYz9Qw8Er7Ty6Ui5Op4Z" // in docker://u:TOKEN@registry/image
	urlPassword   = "Q7wjZk2mXp9LrTv"                          // in https://bob:PASSWORD@host
	firstToken    = "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
	secondToken   = "ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"
	parseToken    = "ghp_P4rs3Err0rQu0t3sTh1sT0k3nK9m8N7b6V5c"
	servicePasswd = "Hx9aQ2kLmP7zRvW"
)

func secretsRepository(t *testing.T) string {
	t.Helper()
	for _, token := range []string{imageToken, firstToken, secondToken, parseToken} {
		if len(token) != len("ghp_")+36 {
			t.Fatalf("%s is not shaped like a GitHub token", token)
		}
	}
	return writeFiles(t, map[string]string{
		".github/workflows/ci.yml": `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    services:
      db:
        image: postgres:16.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        env:
          POSTGRES_PASSWORD: ` + servicePasswd + `
    steps:
      - uses: docker://u:` + imageToken + `@reg.example.com/img
      - run: git clone https://bob:` + urlPassword + `@github.com/x/y.git
      - run: echo ` + firstToken + `
      - run: echo ` + secondToken + `
`,
		".github/workflows/broken.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    ` + parseToken + `: 1
    steps:
      - run: echo
`,
	})
}

// leaks lists the secrets out shows in full or in a part longer than the
// four characters a masked preview may show.
func leaks(out string) []string {
	var found []string
	for _, secret := range []string{imageToken, urlPassword, firstToken, secondToken, parseToken, servicePasswd} {
		for i := 4; i+8 <= len(secret); i++ {
			if strings.Contains(out, secret[i:i+8]) {
				found = append(found, secret)
				break
			}
		}
	}
	return found
}

// No output of any format, nor inspect, nor the baseline file, holds a
// secret of the checked files: not the token in an image reference, the
// password in a URL, two tokens of one kind, or a token a parse error
// quotes.
func TestSecretsAppearInNoOutput(t *testing.T) {
	root := secretsRepository(t)
	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "sarif", "github", "gitlab", "markdown"} {
		_, stdout, stderr := pipelint(t, root, "check", "--format", format, ".")
		outputs[format] = stdout + stderr
	}
	_, stdout, stderr := pipelint(t, root, "inspect", ".")
	outputs["inspect"] = stdout + stderr
	baselineFile := filepath.Join(t.TempDir(), "baseline.json")
	_, stdout, stderr = pipelint(t, root, "check", "--write-baseline", baselineFile, ".")
	written, err := os.ReadFile(baselineFile)
	if err != nil {
		t.Fatal(err)
	}
	outputs["baseline"] = stdout + stderr + string(written)
	for name, out := range outputs {
		if found := leaks(out); len(found) > 0 {
			t.Errorf("%s output shows %q:\n%s", name, found, out)
		}
	}

	text := outputs["text"]
	for _, want := range []string{
		`unexpected key "ghp_****" for "job" section`,                     // the parse error
		`step image "docker://u:****@reg.example.com/img" has no version`, // not tag "<token>"
		`"POSTGRES_PASSWORD" is set to the literal "Hx9****"`,             // service env is judged
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
}

// Two tokens of one kind have different fingerprints, and a token that
// replaces a recorded one is reported: the baseline never lets a new
// secret hide behind an old one.
func TestNewSecretDoesNotHideBehindBaselinedOne(t *testing.T) {
	root := secretsRepository(t)
	tokenFingerprints := func(args ...string) []string {
		t.Helper()
		_, stdout, _ := pipelint(t, root, append([]string{"check", "--format", "json"}, args...)...)
		var result struct {
			Findings []struct {
				RuleID      string `json:"rule_id"`
				Message     string `json:"message"`
				Line        int    `json:"line"`
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &result); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		var fingerprints []string
		for _, f := range result.Findings {
			if f.RuleID == "plaintext-secret" && strings.HasPrefix(f.Message, "GitHub personal access token") && f.Line >= 13 {
				fingerprints = append(fingerprints, f.Fingerprint)
			}
		}
		return fingerprints
	}
	both := tokenFingerprints(".")
	if len(both) != 2 || both[0] == both[1] {
		t.Fatalf("fingerprints of two tokens of one kind: %q", both)
	}

	// Fingerprints come from the value: the same tokens swapped give the
	// same two fingerprints, in the other order.
	ci := filepath.Join(root, ".github/workflows/ci.yml")
	text, err := os.ReadFile(ci)
	if err != nil {
		t.Fatal(err)
	}
	swapped := strings.NewReplacer(firstToken, secondToken, secondToken, firstToken).Replace(string(text))
	if err := os.WriteFile(ci, []byte(swapped), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := tokenFingerprints("."); len(got) != 2 || got[0] != both[1] || got[1] != both[0] {
		t.Errorf("swapped tokens have fingerprints %q, want %q reversed", got, both)
	}

	baselineFile := filepath.Join(t.TempDir(), "baseline.json")
	pipelint(t, root, "check", "--write-baseline", baselineFile, ".")
	const newToken = "ghp_N3wT0k3nR3pl4c3sTh30ldOn3Xq7Wm2Zc9Bd"
	if err := os.WriteFile(ci, []byte(strings.Replace(swapped, firstToken, newToken, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := tokenFingerprints("--baseline", baselineFile, "."); len(got) != 1 {
		t.Errorf("a new token in place of a baselined one: %d findings reported, want 1", len(got))
	}
}

// inspect masks secrets in the input document unless asked not to.
func TestInspectMasksSecrets(t *testing.T) {
	root := secretsRepository(t)
	_, stdout, _ := pipelint(t, root, "inspect", ".github/workflows/ci.yml")
	if found := leaks(stdout); len(found) > 0 {
		t.Errorf("inspect shows %q:\n%s", found, stdout)
	}
	for _, want := range []string{`"value": "Hx9****"`, "ghp_****"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q", want)
		}
	}
	_, stdout, _ = pipelint(t, root, "inspect", "--show-secrets", ".github/workflows/ci.yml")
	for _, secret := range []string{imageToken, urlPassword, firstToken, servicePasswd} {
		if !strings.Contains(stdout, secret) {
			t.Errorf("inspect --show-secrets does not show %q", secret)
		}
	}
}

// Secrets a check flags that the built-in masker cannot recognise: a token
// of a shape a repository's policy adds, and a password a finding flagged,
// quoted again on another line. Whatever shows them masks them: the
// snippets of other findings, parse errors, and inspect, which reads the
// repository's configuration as check does.
const (
	customToken      = "acme_live_0123456789abcdef0123456789abcdef"
	customTokenAgain = "acme_live_fedcba9876543210fedcba9876543210"
	errorToken       = "acme_live_00112233445566778899aabbccddeeff"
	flaggedPassword  = "Zq8vLm2Xc7RtYu"
)

func TestSecretsOfPoliciesAndFindingsAreMaskedEverywhere(t *testing.T) {
	root := writeFiles(t, map[string]string{
		".git/HEAD":      "ref: refs/heads/main\n",
		".pipelint.yaml": "policies: [ci-policies]\n",
		"ci-policies/tokens.rego": "package pipelint.lib.secrets\n\ntoken_patterns contains {\n" +
			"\t\"id\": \"acme-api-token\",\n\t\"name\": \"ACME API token\",\n\t\"regex\": `\\bacme_live_[0-9a-f]{32}\\b`,\n\t\"keywords\": [\"acme_live_\"],\n}\n",
		".github/workflows/ci.yml": `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    env:
      DB_PASSWORD: ` + flaggedPassword + `
    steps:
      - uses: actions/checkout@v4 # the old one was ` + flaggedPassword + `
      - run: echo ` + customToken + `
`,
		".github/workflows/broken.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    " + errorToken + ": 1\n    steps:\n      - run: echo\n",
	})
	outputs := map[string]string{}
	for _, format := range []string{"text", "json", "github"} {
		_, stdout, stderr := pipelint(t, root, "check", "--format", format, ".")
		outputs[format] = stdout + stderr
	}
	_, stdout, stderr := pipelint(t, root, "inspect", ".github/workflows/ci.yml", ".github/workflows/broken.yml")
	outputs["inspect"] = stdout + stderr
	for name, out := range outputs {
		for _, secret := range []string{customToken, customTokenAgain, errorToken, flaggedPassword} {
			for i := 4; i+8 <= len(secret); i++ {
				if strings.Contains(out, secret[i:i+8]) {
					t.Errorf("%s output shows %q:\n%s", name, secret, out)
					break
				}
			}
		}
	}
	for _, want := range []string{
		" 8 |       - uses: actions/checkout@v4 # the old one was Zq8****\n",
		`.github/workflows/broken.yml:5:5: error: unexpected key "acme****" for "job" section`,
	} {
		if !strings.Contains(outputs["text"], want) {
			t.Errorf("text output lacks %q:\n%s", want, outputs["text"])
		}
	}
}

// A configuration error quotes the configuration, which may hold a
// pasted token: it is masked as the errors of checked files are, in the
// report when the configuration is the repository's, on standard error
// when it was named with --config.
func TestConfigurationErrorsMaskSecrets(t *testing.T) {
	root := writeFiles(t, map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".pipelint.yaml": "rules:\n  " + firstToken + ":\n    enabled: false\n"})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "."}, `.pipelint.yaml:2:3: error: rule id "ghp_****" is not kebab-case`},
		{[]string{"check", "--config", ".pipelint.yaml", "."}, `.pipelint.yaml:2:3: rule id "ghp_****" is not kebab-case`},
	} {
		code, stdout, stderr := pipelint(t, root, c.args...)
		if code != exitError || !strings.Contains(stdout+stderr, c.want) || len(leaks(stdout+stderr)) > 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, stdout, stderr, exitError, c.want)
		}
	}
}
