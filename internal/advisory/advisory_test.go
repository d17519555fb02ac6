package advisory

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const fixtures = "../../testdata/advisories/osv"

// deployAction is PIPELINT-TEST-0001 as the rule receives it.
var deployAction = Advisory{
	ID:       "PIPELINT-TEST-0001",
	Aliases:  []string{"CVE-0000-0001"},
	Summary:  "octo-org/deploy-action substitutes the branch name into its script (test fixture, not a real advisory)",
	Severity: "medium",
	Affected: []Affected{{
		Action:   "octo-org/deploy-action",
		Ranges:   []Range{{Introduced: "0", Fixed: "2.1.0"}},
		Versions: []string{},
		Commits:  []string{"1111111111111111111111111111111111111111"},
	}},
}

// A directory is read at any depth, as GitHub's advisory database lays
// its files out: other ecosystems, GIT ranges, withdrawn records and files
// other than .json are left out, and of a record found twice the later
// modification is kept.
func TestLoadDirectory(t *testing.T) {
	got, err := Load(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	want := []Advisory{deployAction, {
		ID:       "PIPELINT-TEST-0002",
		Aliases:  []string{},
		Summary:  "octo-org/lint-action 3.x uploads the workspace with its token (test fixture, not a real advisory)",
		Severity: "critical",
		Affected: []Affected{{
			Action:   "octo-org/lint-action",
			Ranges:   []Range{{Introduced: "3.0.0", LastAffected: "3.4.2"}},
			Versions: []string{},
			Commits:  []string{},
		}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load(%s):\n got %+v\nwant %+v", fixtures, got, want)
	}
}

func TestLoadOneRecord(t *testing.T) {
	got, err := Load(filepath.Join(fixtures, "PIPELINT-TEST-0001.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []Advisory{deployAction}) {
		t.Errorf("got %+v", got)
	}
}

func TestIntervals(t *testing.T) {
	events := func(pairs ...string) []map[string]string {
		var out []map[string]string
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, map[string]string{pairs[i]: pairs[i+1]})
		}
		return out
	}
	tests := []struct {
		name   string
		events []map[string]string
		want   []Range
	}{
		{"introduced and fixed", events("introduced", "0", "fixed", "46.0.1"), []Range{{Introduced: "0", Fixed: "46.0.1"}}},
		{"two intervals", events("introduced", "1.0", "fixed", "1.2", "introduced", "2.0", "last_affected", "2.3"),
			[]Range{{Introduced: "1.0", Fixed: "1.2"}, {Introduced: "2.0", LastAffected: "2.3"}}},
		{"left open", events("introduced", "4.0.0"), []Range{{Introduced: "4.0.0"}}},
		{"a limit ends it", events("introduced", "0", "limit", "3.0"), []Range{{Introduced: "0", Fixed: "3.0"}}},
		{"fixed without introduced", events("fixed", "7.0.7"), []Range{{Introduced: "0", Fixed: "7.0.7"}}},
	}
	for _, test := range tests {
		if got := intervals(test.events); !reflect.DeepEqual(got, test.want) {
			t.Errorf("%s: got %+v, want %+v", test.name, got, test.want)
		}
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty.json":      "  \n",
		"broken.json":     `{"id": "X", "affected": [{"package": {"ecosystem": "GitHub Actions"`,
		"not-json.json":   "id: X\n",
		"wrong-type.json": `{"id": "X", "affected": [{"package": {"ecosystem": "GitHub Actions", "name": 3}}]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing path loads")
	}
}

// A file of another ecosystem is skipped without being decoded, but it
// must still be JSON.
func TestLoadSkipsOtherEcosystems(t *testing.T) {
	path := filepath.Join(t.TempDir(), "npm.json")
	if err := os.WriteFile(path, []byte(`{"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "x"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(path); err != nil || len(got) != 0 {
		t.Errorf("got %v, %v; want nothing", got, err)
	}
}
