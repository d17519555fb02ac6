package finding

import (
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

func TestValidRuleID(t *testing.T) {
	for id, want := range map[string]bool{"unpinned-action": true, "a1-b2": true, "Unpinned": false, "a--b": false, "-a": false, "a_b": false, "": false} {
		if got := ValidRuleID(id); got != want {
			t.Errorf("ValidRuleID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestParseSeverity(t *testing.T) {
	if s, err := ParseSeverity("medium"); err != nil || s != Medium || s.Rank() != 3 {
		t.Errorf("medium: %q %v", s, err)
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("an unknown severity must be refused")
	}
}

func at(file string, line, column int) model.Pos {
	return model.Pos{File: file, Line: line, Column: column, EndLine: line, EndColumn: column + 1}
}

// Identical findings are told apart by their order in the file, whatever
// order they come in; moving them keeps their fingerprints.
func TestFingerprint(t *testing.T) {
	lines := map[string][]string{"ci.yml": {"a", "- uses: x@v1", "b", "- uses: x@v1"}}
	linesOf := func(file string) []string { return lines[file] }
	first, second := Finding{RuleID: "r", Message: "m", Pos: at("ci.yml", 2, 3)}, Finding{RuleID: "r", Message: "m", Pos: at("ci.yml", 4, 3)}
	inOrder := []Finding{first, second}
	reversed := []Finding{second, first}
	Fingerprint(inOrder, linesOf)
	Fingerprint(reversed, linesOf)
	if inOrder[0].Fingerprint == inOrder[1].Fingerprint || inOrder[0].Fingerprint != reversed[1].Fingerprint || len(inOrder[0].Fingerprint) != 32 {
		t.Errorf("fingerprints %q and %q", inOrder[0].Fingerprint, inOrder[1].Fingerprint)
	}
	lines["ci.yml"] = append([]string{"new line"}, lines["ci.yml"]...)
	moved := []Finding{{RuleID: "r", Message: "m", Pos: at("ci.yml", 3, 3)}}
	Fingerprint(moved, linesOf)
	if moved[0].Fingerprint != inOrder[0].Fingerprint {
		t.Error("a finding that only moved must keep its fingerprint")
	}
	secret := []Finding{{RuleID: "r", Message: "m", Pos: at("ci.yml", 3, 3), Sensitive: true}}
	Fingerprint(secret, linesOf)
	unread := []Finding{{RuleID: "r", Message: "m", Pos: at("ci.yml", 3, 3)}}
	Fingerprint(unread, func(string) []string { return nil })
	if secret[0].Fingerprint != unread[0].Fingerprint {
		t.Error("a sensitive finding must be fingerprinted by its message, never its line")
	}
}

// A sensitive finding is fingerprinted by the digest of its secret, so
// that a new secret of the same kind never takes an old one's fingerprint;
// without a digest its message stands in.
func TestFingerprintOfSecrets(t *testing.T) {
	lines := func(string) []string { return []string{"a", "token: ghp_****"} }
	fingerprint := func(f Finding) string {
		findings := []Finding{f}
		Fingerprint(findings, lines)
		return findings[0].Fingerprint
	}
	old := Finding{RuleID: "r", Message: `token "ghp_****"`, Pos: at("ci.yml", 2, 8), Sensitive: true, SecretDigest: "0123"}
	renewed := old
	renewed.SecretDigest = "4567"
	if fingerprint(old) == fingerprint(renewed) {
		t.Error("two secrets with one message must have different fingerprints")
	}
	moved := old
	moved.Pos = at("ci.yml", 1, 8)
	if fingerprint(old) != fingerprint(moved) {
		t.Error("a secret that only moved must keep its fingerprint")
	}
	noDigest := old
	noDigest.SecretDigest = ""
	unread := []Finding{noDigest}
	unread[0].Sensitive = false
	Fingerprint(unread, func(string) []string { return nil }) // no line: the message stands in
	if fingerprint(noDigest) != unread[0].Fingerprint || fingerprint(noDigest) == fingerprint(old) {
		t.Error("without a digest, a sensitive finding is fingerprinted by its message")
	}
}

// The line a finding is fingerprinted by has its secrets masked: the
// fingerprint holds no hash of a secret, whether the masker knows its
// shape or a sensitive finding on the line marks it.
func TestFingerprintLinesHaveSecretsMasked(t *testing.T) {
	fingerprint := func(line string, others ...Finding) string {
		findings := append([]Finding{{RuleID: "r", Message: "m", Pos: at("ci.yml", 1, 9)}}, others...)
		Fingerprint(findings, func(string) []string { return []string{line} })
		return findings[0].Fingerprint
	}
	a := fingerprint("- uses: docker://u:ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo@reg/img")
	b := fingerprint("- uses: docker://u:ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2@reg/img")
	if a != b {
		t.Error("the fingerprint of a line depends on the secret in it")
	}
	secretAt := func(column int) Finding {
		return Finding{RuleID: "s", Message: "secret", Pos: model.Pos{File: "ci.yml", Line: 1, Column: column, EndLine: 1, EndColumn: column + 10}, Sensitive: true}
	}
	c := fingerprint("- run: deploy Hx9aQ2kLmP now", secretAt(15))
	d := fingerprint("- run: deploy Zq8bW1nMcK now", secretAt(15))
	if c != d {
		t.Error("the fingerprint of a line depends on the secret a sensitive finding marks in it")
	}
}
