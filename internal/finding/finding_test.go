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
