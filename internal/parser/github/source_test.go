package github

import (
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// runValue indexes src and returns the value of its first `run:` key.
func runValue(t *testing.T, src string) (*source, *yaml.Node) {
	t.Helper()
	root, err := unmarshal("f.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := newSource("f.yml", []byte(src), root)
	var find func(n *yaml.Node) *yaml.Node
	find = func(n *yaml.Node) *yaml.Node {
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && c.Value == "run" {
				return n.Content[i+1]
			}
			if found := find(c); found != nil {
				return found
			}
		}
		return nil
	}
	run := find(root)
	if run == nil {
		t.Fatalf("no run: in %q", src)
	}
	return s, run
}

func TestLocate(t *testing.T) {
	type probe struct{ line, column, wantLine, wantColumn int }
	for _, tc := range []struct {
		name   string
		src    string
		value  string
		probes []probe
	}{{
		name:  "literal block keeps deeper indentation",
		src:   "steps:\n  - run: |\n      echo one\n        indented two\n\n      three\n",
		value: "echo one\n  indented two\n\nthree\n",
		probes: []probe{
			{1, 1, 3, 7}, {1, 6, 3, 12},
			{1, 9, 3, 15}, // just after the line: where an end column points
			{2, 3, 4, 9}, {4, 5, 6, 11},
			{5, 1, 6, 12}, // past the text: its end
			{9, 1, 3, 7},  // no such line: the start
		},
	}, {
		name:   "literal block with an indentation indicator",
		src:    "- run: |2\n      two kept\n    x\n",
		value:  "  two kept\nx\n",
		probes: []probe{{1, 3, 2, 7}, {2, 1, 3, 5}},
	}, {
		name:   "literal block with CRLF line ends and a header comment",
		src:    "run: |- # note\r\n  a b\r\n  c\r\n",
		value:  "a b\nc",
		probes: []probe{{1, 3, 2, 5}, {2, 1, 3, 3}},
	}, {
		name:   "folded block",
		src:    "run: >\n  echo a\n  b\n\n  c\n",
		value:  "echo a b\nc\n",
		probes: []probe{{1, 6, 2, 8}, {1, 8, 3, 3}, {2, 1, 5, 3}},
	}, {
		name:   "plain scalar",
		src:    "run: echo hi # comment\n",
		value:  "echo hi",
		probes: []probe{{1, 1, 1, 6}, {1, 6, 1, 11}, {1, 8, 1, 13}},
	}, {
		name:   "plain scalar over two lines",
		src:    "run: echo one\n  two\n",
		value:  "echo one two",
		probes: []probe{{1, 6, 1, 11}, {1, 10, 2, 3}},
	}, {
		name:   "single-quoted scalar",
		src:    "run: 'it''s ok'\n",
		value:  "it's ok",
		probes: []probe{{1, 1, 1, 7}, {1, 3, 1, 9}, {1, 4, 1, 11}, {1, 6, 1, 13}},
	}, {
		name:   "double-quoted scalar with escapes",
		src:    `run: "a\tb \"c\" \u00e9!"` + "\n",
		value:  "a\tb \"c\" é!",
		probes: []probe{{1, 2, 1, 8}, {1, 3, 1, 10}, {1, 6, 1, 14}, {1, 9, 1, 18}, {1, 10, 1, 24}},
	}, {
		name:   "double-quoted scalar with an escaped line break",
		src:    "run: \"abc \\\n  def\"\n",
		value:  "abc def",
		probes: []probe{{1, 5, 2, 3}},
	}, {
		name:   "anchored and tagged scalar",
		src:    "run: &a !!str echo\n",
		value:  "echo",
		probes: []probe{{1, 1, 1, 15}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, run := runValue(t, tc.src)
			if run.Value != tc.value {
				t.Fatalf("value %q, want %q", run.Value, tc.value)
			}
			locate := s.locate(run)
			for _, p := range tc.probes {
				got := locate(p.line, p.column)
				want := model.Pos{File: "f.yml", Line: p.wantLine, Column: p.wantColumn}
				if got.File != want.File || got.Line != want.Line || got.Column != want.Column {
					t.Errorf("locate(%d, %d) = %d:%d, want %d:%d", p.line, p.column, got.Line, got.Column, p.wantLine, p.wantColumn)
				}
			}
		})
	}
}

func TestLocateCharacterSpan(t *testing.T) {
	s, run := runValue(t, "run: |\n  make test\n")
	var locate shell.Locate = s.locate(run)
	check(t, "one character", locate(1, 6), model.Pos{File: "f.yml", Line: 2, Column: 8, EndLine: 2, EndColumn: 9})
}

func TestValueSpans(t *testing.T) {
	for _, tc := range []struct {
		src       string
		want      model.Pos // of the value of run:
		wantOuter point     // end of the whole node
	}{
		{"run: echo\n", span("f.yml", 1, 6, 1, 10), point{1, 10}},
		{"run: 'a''b'\n", span("f.yml", 1, 7, 1, 11), point{1, 12}},
		{"run: \"a\nb\"\n", span("f.yml", 1, 7, 2, 2), point{2, 3}},
		{"run: |+\n  a\n\n\nx: 1\n", span("f.yml", 2, 3, 2, 4), point{2, 4}},
		{"run: |\nx: 1\n", span("f.yml", 1, 6, 1, 7), point{1, 7}}, // empty block: the indicator
		{"run:\nx: 1\n", span("f.yml", 1, 5, 1, 5), point{1, 5}},   // null: empty at the colon's end
	} {
		s, run := runValue(t, tc.src)
		check(t, tc.src, s.string(run).Pos, tc.want)
		_, end := s.outer(run)
		check(t, tc.src+" outer end", end, tc.wantOuter)
	}
}

func TestCollectionSpans(t *testing.T) {
	src := "a: [1, [2, 3] ]  # c\nb: {}\nc:\n  - x\n  - {y: z}\n"
	root, err := unmarshal("f.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := newSource("f.yml", []byte(src), root)
	top := documentMapping(root)
	for _, tc := range []struct {
		key        string
		start, end point
	}{
		{"a", point{1, 4}, point{1, 16}},
		{"b", point{2, 4}, point{2, 6}},
		{"c", point{4, 3}, point{5, 11}},
	} {
		start, end := s.outer(field(top, tc.key))
		if start != tc.start || end != tc.end {
			t.Errorf("%s: %v-%v, want %v-%v", tc.key, start, end, tc.start, tc.end)
		}
	}
}

func TestComments(t *testing.T) {
	src := "a: \"x # not\" # yes\n" +
		"b: |  # header\n" +
		"  # inside the block\n" +
		"  text\n" +
		"# top\n" +
		"c: http://x#y\n" +
		"d: 'a #b'\n" +
		"e: [1, # in flow\n" +
		"  2]\n"
	root, err := unmarshal("f.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := newSource("f.yml", []byte(src), root)
	check(t, "comments", s.comments(), []model.Comment{
		{Text: "yes", Pos: span("f.yml", 1, 14, 1, 19)},
		{Text: "header", Pos: span("f.yml", 2, 7, 2, 15)},
		{Text: "top", Pos: span("f.yml", 5, 1, 5, 6)},
		{Text: "in flow", Pos: span("f.yml", 8, 8, 8, 17)},
	})
}

func TestVersionComment(t *testing.T) {
	// Each comment is written `#  <text>` from column 10 of line 3: its
	// text starts at column 13.
	for text, want := range map[string]struct {
		version    string
		start, end int // columns of the version, 0 for none
	}{
		"v4.1.1":                          {"v4.1.1", 13, 19},
		"tag=v4.1.1":                      {"v4.1.1", 17, 23},
		"pin@v2":                          {"v2", 17, 19},
		"ratchet:actions/checkout@v4":     {"v4", 38, 40},
		"v1.2.3-rc.1 (latest)":            {"v1.2.3-rc.1", 13, 24},
		"é v2":                            {"v2", 15, 17}, // columns count code points
		"main":                            {"main", 13, 17},
		"zizmor: ignore[unpinned-uses]":   {"", 0, 0},
		"pipelint: ignore[rule-2] reason": {"", 0, 0},
	} {
		comment := model.Comment{Text: text, Pos: span("f.yml", 3, 10, 3, 13+utf8.RuneCountInString(text))}
		version, pos := versionInComment(comment)
		wantPos := model.Pos{}
		if want.start > 0 {
			wantPos = span("f.yml", 3, want.start, 3, want.end)
		}
		check(t, text, version, want.version)
		check(t, text+" position", pos, wantPos)
	}
}

func TestActionReference(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	for value, want := range map[string]model.Reference{
		"actions/checkout@v4":                             {Owner: "actions", Repo: "checkout", Ref: "v4"},
		"actions/checkout@" + sha:                         {Owner: "actions", Repo: "checkout", Ref: sha, Pinned: true},
		"github/codeql-action/init@" + sha[:39]:           {Owner: "github", Repo: "codeql-action", Path: "init", Ref: sha[:39]},
		"o/r/.github/workflows/x.yml@main":                {Owner: "o", Repo: "r", Path: ".github/workflows/x.yml", Ref: "main"},
		"actions/checkout":                                {Owner: "actions", Repo: "checkout"},
		"./.github/actions/x":                             {Path: ".github/actions/x", Local: true},
		"$/.github/workflows/x.yml":                       {Path: ".github/workflows/x.yml", Local: true},
		"acme/x@0123456789ABCDEF0123456789abcdef01234567": {Owner: "acme", Repo: "x", Ref: "0123456789ABCDEF0123456789abcdef01234567", Pinned: true},
	} {
		check(t, value, actionReference(value), want)
	}
}

func TestImageReference(t *testing.T) {
	digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	for value, want := range map[string]model.Reference{
		"node":                          {Repo: "node"},
		"node:20":                       {Repo: "node", Ref: "20"},
		"library/node:20-alpine":        {Repo: "library/node", Ref: "20-alpine"},
		"docker.io/library/node:20":     {Repo: "library/node", Ref: "20"},
		"ghcr.io/o/img@" + digest:       {Registry: "ghcr.io", Repo: "o/img", Digest: digest, Pinned: true},
		"localhost:5000/img:1":          {Registry: "localhost:5000", Repo: "img", Ref: "1"},
		"registry.example.com:5000/a/b": {Registry: "registry.example.com:5000", Repo: "a/b"},
		"img@sha256:abc":                {Repo: "img", Digest: "sha256:abc"},
		"${{ matrix.image }}":           {Repo: "${{ matrix.image }}"},
		// A user and password before the registry are no tag.
		"u:pass@reg.example.com/img":            {Registry: "reg.example.com", Repo: "img"},
		"u:pass@reg.example.com:5000/o/img:1.2": {Registry: "reg.example.com:5000", Repo: "o/img", Ref: "1.2"},
		"u:pass@ghcr.io/o/img@" + digest:        {Registry: "ghcr.io", Repo: "o/img", Digest: digest, Pinned: true},
	} {
		check(t, value, syntax.ImageReference(value), want)
	}
}

func TestValueSource(t *testing.T) {
	for value, want := range map[string]string{
		"${{ secrets.TOKEN }}":          "secret",
		"${{secrets.token}}":            "secret",
		"${{ secrets['my-token'] }}":    "secret",
		"${{ github.token }}":           "secret",
		"${{ GITHUB.TOKEN }}":           "secret",
		"Bearer ${{ secrets.TOKEN }}":   "expression",
		"${{ secrets.A || secrets.B }}": "expression",
		"${{ matrix.os }}":              "expression",
		"$HOME":                         "variable",
		"${HOME}":                       "variable",
		"$env:USERPROFILE":              "variable",
		"$HOME/bin":                     "literal",
		"pa$$word":                      "literal",
		"plain":                         "literal",
		"":                              "literal",
	} {
		check(t, value, valueSource(value), want)
	}
}

func TestWhen(t *testing.T) {
	for condition, want := range map[string]string{
		"":                            "",
		"success()":                   "",
		"github.event_name == 'push'": "",
		"failure()":                   "on_failure",
		"${{ failure() }}":            "on_failure",
		"always() && failure()":       "on_failure",
		"${{ always() && steps.test.outcome == 'failure' }}": "on_failure",
		"job.status == 'failure'":                            "on_failure",
		"'failure' == needs.build.result":                    "on_failure",
		"steps.x.conclusion != 'failure'":                    "",
		"always()":                                           "always",
		"!cancelled()":                                       "always",
		"${{ !cancelled() && github.ref == 'x' }}":           "always",
		"cancelled()":                                        "",
		"${{ failure() }} && x":                              "on_failure", // not one expression: by words
		"always() &&":                                        "always",     // a syntax error: by words
	} {
		check(t, condition, when(condition), want)
	}
}
