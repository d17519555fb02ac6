package baseline

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

const workflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
      - run: npm ci
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`

const ci = ".github/workflows/ci.yml"

// files serves file texts to Write and Filter, as the CLI reads them.
type files map[string]string

func (fs files) source(file string) []byte {
	text, ok := fs[file]
	if !ok {
		return nil
	}
	return []byte(text)
}

// fingerprinted returns copies of findings with the fingerprints the
// engine gives them, over the texts source serves.
func fingerprinted(findings []finding.Finding, source func(file string) []byte) []finding.Finding {
	findings = slices.Clone(findings)
	finding.Fingerprint(findings, func(file string) []string {
		if text := source(file); text != nil {
			return strings.Split(string(text), "\n")
		}
		return nil
	})
	return findings
}

// withoutFingerprints clears the fingerprints Filter passes through, to
// compare with findings as written.
func withoutFingerprints(findings []finding.Finding) []finding.Finding {
	for i := range findings {
		findings[i].Fingerprint = ""
	}
	return findings
}

func unpinned(line int, action string) finding.Finding {
	return finding.Finding{
		RuleID: "unpinned-action", Severity: finding.High,
		Message: action + " is pinned to a tag",
		Pos:     model.Pos{File: ci, Line: line, Column: 15, EndLine: line, EndColumn: 15 + len(action) + 3},
	}
}

func missingCache(line int) finding.Finding {
	return finding.Finding{
		RuleID: "missing-cache", Severity: finding.Low, Message: "npm ci without a cache",
		Pos: model.Pos{File: ci, Line: line, Column: 14, EndLine: line, EndColumn: 20},
	}
}

func write(t *testing.T, findings []finding.Finding, fs files) *Baseline {
	t.Helper()
	var out bytes.Buffer
	if err := Write(&out, fingerprinted(findings, fs.source)); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteFormat(t *testing.T) {
	findings := []finding.Finding{unpinned(6, "actions/checkout"), unpinned(7, "actions/setup-node"), missingCache(8), unpinned(12, "actions/checkout")}
	var out bytes.Buffer
	if err := Write(&out, fingerprinted(findings, files{ci: workflow}.source)); err != nil {
		t.Fatal(err)
	}
	// Fingerprints are pinned: changing how they are computed invalidates
	// every baseline users have committed.
	want := `{
  "version": 1,
  "findings": [
    {
      "rule": "missing-cache",
      "file": ".github/workflows/ci.yml",
      "fingerprint": "e51c992a85bcc2e15267bd1a917745e7",
      "message": "npm ci without a cache"
    },
    {
      "rule": "unpinned-action",
      "file": ".github/workflows/ci.yml",
      "fingerprint": "0b69e6310f6fe762e57a5f14140a10b8",
      "message": "actions/checkout is pinned to a tag"
    },
    {
      "rule": "unpinned-action",
      "file": ".github/workflows/ci.yml",
      "fingerprint": "f32ac4f92706119edc6e499039a754e2",
      "message": "actions/checkout is pinned to a tag"
    },
    {
      "rule": "unpinned-action",
      "file": ".github/workflows/ci.yml",
      "fingerprint": "bbdc74a753ab749cffb095010de22db8",
      "message": "actions/setup-node is pinned to a tag"
    }
  ]
}
`
	if out.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", out.String(), want)
	}
	var reordered bytes.Buffer
	if err := Write(&reordered, fingerprinted([]finding.Finding{findings[3], findings[1], findings[2], findings[0]}, files{ci: workflow}.source)); err != nil {
		t.Fatal(err)
	}
	if reordered.String() != out.String() {
		t.Error("the baseline must not depend on the order findings are given in")
	}
}

func TestWriteEmpty(t *testing.T) {
	var out bytes.Buffer
	if err := Write(&out, fingerprinted(nil, files{}.source)); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"version\": 1,\n  \"findings\": []\n}\n"; out.String() != want {
		t.Errorf("Write(nil) = %q, want %q", out.String(), want)
	}
}

// Recording the findings, then adding an unpinned action, reports exactly
// the new one.
func TestAddedFindingIsNew(t *testing.T) {
	old := []finding.Finding{unpinned(6, "actions/checkout"), unpinned(7, "actions/setup-node"), missingCache(8), unpinned(12, "actions/checkout")}
	b := write(t, old, files{ci: workflow})

	edited := strings.Replace(workflow, "      - run: npm test\n", "      - uses: actions/cache@v4\n      - run: npm test\n", 1)
	now := append(old, unpinned(13, "actions/cache"))
	fresh := b.Filter(fingerprinted(now, files{ci: edited}.source))
	if want := []finding.Finding{unpinned(13, "actions/cache")}; !reflect.DeepEqual(withoutFingerprints(fresh), want) {
		t.Errorf("Filter = %+v, want only the added action", fresh)
	}
}

// Inserting lines above recorded findings moves them without making them
// new.
func TestMovedFindingsStayKnown(t *testing.T) {
	old := []finding.Finding{unpinned(6, "actions/checkout"), unpinned(7, "actions/setup-node"), missingCache(8), unpinned(12, "actions/checkout")}
	b := write(t, old, files{ci: workflow})

	edited := strings.Replace(workflow, "on: push\n", "name: CI\non:\n  push:\n    branches: [main]\n", 1)
	edited = strings.Replace(edited, "  test:\n", "  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make lint\n  test:\n", 1)
	// Reindenting a line does not change it either.
	edited = strings.Replace(edited, "      - run: npm ci", "      -   run:   npm ci", 1)
	moved := []finding.Finding{unpinned(9, "actions/checkout"), unpinned(10, "actions/setup-node"), missingCache(11), unpinned(19, "actions/checkout")}
	if fresh := b.Filter(fingerprinted(moved, files{ci: edited}.source)); len(fresh) != 0 {
		t.Errorf("Filter = %+v, want none: the findings only moved", fresh)
	}
	// Whatever order the findings come in.
	if fresh := b.Filter(fingerprinted([]finding.Finding{moved[3], moved[0], moved[2], moved[1]}, files{ci: edited}.source)); len(fresh) != 0 {
		t.Errorf("Filter = %+v, want none whatever the input order", fresh)
	}
}

// The same finding twice in a file is recorded twice: a third copy is new,
// and so is the second once only one was recorded.
func TestIdenticalFindingsAreCounted(t *testing.T) {
	both := []finding.Finding{unpinned(6, "actions/checkout"), unpinned(12, "actions/checkout")}
	b := write(t, both, files{ci: workflow})
	if len(b.Findings) != 2 || b.Findings[0].Fingerprint == b.Findings[1].Fingerprint {
		t.Fatalf("two identical findings must have two fingerprints: %+v", b.Findings)
	}
	third := workflow + "  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
	fresh := b.Filter(fingerprinted(append(both, unpinned(17, "actions/checkout")), files{ci: third}.source))
	if want := []finding.Finding{unpinned(17, "actions/checkout")}; !reflect.DeepEqual(withoutFingerprints(fresh), want) {
		t.Errorf("Filter = %+v, want the third copy", fresh)
	}

	one := write(t, both[:1], files{ci: workflow})
	fresh = one.Filter(fingerprinted(both, files{ci: workflow}.source))
	if want := both[1:]; !reflect.DeepEqual(withoutFingerprints(fresh), want) {
		t.Errorf("Filter = %+v, want the second copy", fresh)
	}
}

// The same text in another file, or for another rule, is another finding.
func TestFileAndRuleAreKept(t *testing.T) {
	b := write(t, []finding.Finding{unpinned(6, "actions/checkout")}, files{ci: workflow})
	elsewhere := unpinned(6, "actions/checkout")
	elsewhere.Pos.File = ".github/workflows/release.yml"
	otherRule := unpinned(6, "actions/checkout")
	otherRule.RuleID = "unpinned-image"
	fresh := b.Filter(fingerprinted([]finding.Finding{elsewhere, otherRule}, files{ci: workflow, elsewhere.Pos.File: workflow}.source))
	if len(fresh) != 2 {
		t.Errorf("Filter = %+v, want both", fresh)
	}
}

// A finding on a secret is fingerprinted by its message: the secret never
// reaches the hash, and rotating it does not make the finding new.
func TestSensitiveFindingsIgnoreTheLine(t *testing.T) {
	secret := func(token string) string {
		return "on: push\nenv:\n  TOKEN: " + token + "\njobs: {}\n"
	}
	onSecret := finding.Finding{
		RuleID: "plaintext-secret", Severity: finding.Critical, Message: `TOKEN holds a GitHub token "ghp_…"`, Sensitive: true,
		Pos: model.Pos{File: ci, Line: 3, Column: 10, EndLine: 3, EndColumn: 50},
	}
	var out bytes.Buffer
	if err := Write(&out, fingerprinted([]finding.Finding{onSecret}, files{ci: secret("ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")}.source)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "ghp_aaaa") {
		t.Errorf("the baseline holds the secret:\n%s", out.String())
	}
	b, err := Read(&out)
	if err != nil {
		t.Fatal(err)
	}
	if fresh := b.Filter(fingerprinted([]finding.Finding{onSecret}, files{ci: secret("ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")}.source)); len(fresh) != 0 {
		t.Errorf("a sensitive finding must not be fingerprinted by its line: %+v", fresh)
	}
	withoutSecret := fingerprinted([]finding.Finding{onSecret}, files{}.source)
	if withoutSecret[0].Fingerprint != b.Findings[0].Fingerprint {
		t.Error("a sensitive finding's fingerprint must come from its message alone")
	}
}

// A finding whose file cannot be read is fingerprinted by its message.
func TestUnreadableSource(t *testing.T) {
	f := unpinned(6, "actions/checkout")
	b := write(t, []finding.Finding{f}, files{})
	moved := unpinned(40, "actions/checkout")
	if fresh := b.Filter(fingerprinted([]finding.Finding{moved}, files{}.source)); len(fresh) != 0 {
		t.Errorf("Filter = %+v, want none", fresh)
	}
	if fresh := b.Filter(fingerprinted([]finding.Finding{f}, files{ci: workflow}.source)); len(fresh) != 1 {
		t.Error("a message fingerprint and a line fingerprint must differ")
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{``, "read baseline: EOF"},
		{`[]`, "read baseline: json: cannot unmarshal array into Go value of type baseline.Baseline"},
		{`{"version": 2, "findings": []}`, "read baseline: version 2 is not supported (want 1)"},
		{`{"findings": []}`, "read baseline: version 0 is not supported (want 1)"},
		{`{"version": 1, "findings": [], "extra": 1}`, `read baseline: json: unknown field "extra"`},
		{`{"version": 1, "findings": [{"rule": "x", "file": "f", "message": "m"}]}`, "read baseline: finding 1 has no fingerprint"},
		{`{"version": 1, "findings": []} {}`, "read baseline: unexpected data after the JSON object"},
	} {
		b, err := Read(strings.NewReader(tc.text))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Read(%q) = %+v, %v; want error %q", tc.text, b, err, tc.want)
		}
	}
}

func TestReadWritten(t *testing.T) {
	src, err := os.ReadFile("testdata/baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Rule: "unpinned-action", File: "ci.yml", Fingerprint: "0123456789abcdef0123456789abcdef", Message: "m"}}
	if b.Version != 1 || !reflect.DeepEqual(b.Findings, want) {
		t.Errorf("Read = %+v", b)
	}
}
