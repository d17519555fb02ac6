package rules_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/fix"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
)

var update = flag.Bool("update", false, "rewrite the .fixed golden files of testdata/fixtures/<rule-id>/fix")

// TestFixes checks every case under testdata/fixtures/<rule-id>/fix/: the
// rule's findings on <case> are fixed (with the unsafe fixes when the
// case's name says -unsafe) and the text must be <case>.fixed byte for
// byte, followed, when some fixes were left, by a line per fix left. Only
// the case's own rule is looked at. go test -run TestFixes -update
// rewrites the golden files.
func TestFixes(t *testing.T) {
	e := newEngine(t)
	dirs, err := filepath.Glob(filepath.Join(fixturesDir, "*", "fix"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fix fixtures: %v", err)
	}
	for _, dir := range dirs {
		ruleID := filepath.Base(filepath.Dir(dir))
		cases, err := filepath.Glob(filepath.Join(dir, "*.yml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range cases {
			t.Run(ruleID+"/"+filepath.Base(path), func(t *testing.T) {
				files, _, err := parser.Discover([]string{path}, parser.Options{System: systemOf(path)})
				if err != nil || len(files) != 1 {
					t.Fatalf("discover %s: %v", path, err)
				}
				f := files[0]
				parsed := parser.Parse(f)
				if parsed.Err != nil {
					t.Fatal(parsed.Err)
				}
				p := parsed.Pipeline
				p.Repository = &model.Repository{Pipelines: []model.Pipeline{p.InView()}}
				all, err := e.Evaluate(context.Background(), p)
				if err != nil {
					t.Fatal(err)
				}
				var findings []finding.Finding
				for _, found := range all {
					if found.RuleID == ruleID {
						findings = append(findings, found)
					}
				}
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				parse := func(text []byte) (*model.Pipeline, error) {
					result := parser.ParseText(context.Background(), f, text)
					return result.Pipeline, result.Err
				}
				out, err := fix.File(context.Background(), fix.Source{Name: f.Display, Src: src, Parse: parse}, findings, fix.Options{Unsafe: strings.Contains(path, "-unsafe")})
				if err != nil {
					t.Fatal(err)
				}
				if len(out.Fixed)+len(out.Left) == 0 {
					t.Errorf("%s: no fix proposed", path)
				}
				got := out.Src
				for _, l := range out.Left {
					got = fmt.Appendf(got, "--- left %d:%d: %s\n", l.Finding.Pos.Line, l.Finding.Pos.Column, l.Reason)
				}
				if *update {
					if err := os.WriteFile(path+".fixed", got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path + ".fixed")
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s.fixed differs (go test -run TestFixes -update rewrites it):\n got: %q\nwant: %q", path, got, want)
				}
			})
		}
	}
}
