package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// evaluateWithFix evaluates testRule with its first finding carrying fix
// (Rego text).
func evaluateWithFix(t *testing.T, fix string) ([]finding.Finding, error) {
	t.Helper()
	src := strings.Replace(testRule, `"pos": job.id.pos} if {`, `"pos": job.id.pos, "fix": `+fix+`} if {`, 1)
	e, err := newTestEngine(t, map[string]string{"unnamed-job.rego": src})
	if err != nil {
		t.Fatal(err)
	}
	return e.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
}

func TestFixIsDecoded(t *testing.T) {
	findings, err := evaluateWithFix(t, `{"kind": "set-input", "pos": job.id.pos, "input": "persist-credentials", "value": "false", "unsafe": true}`)
	if err != nil {
		t.Fatal(err)
	}
	want := finding.Fix{Kind: finding.SetInput, Pos: job("a", 1).ID.Pos, Unsafe: true, Input: "persist-credentials", Value: "false"}
	if len(findings) != 1 || findings[0].Fix == nil || findings[0].Fix.Kind != want.Kind || findings[0].Fix.Pos != want.Pos ||
		!findings[0].Fix.Unsafe || findings[0].Fix.Input != want.Input || findings[0].Fix.Value != want.Value {
		t.Fatalf("findings = %+v, want one with fix %+v", findings, want)
	}

	findings, err = evaluateWithFix(t, `{"kind": "add-permissions", "pos": job.id.pos, "permissions": {"pull-requests": "write", "contents": "read"}}`)
	if err != nil {
		t.Fatal(err)
	}
	got := findings[0].Fix
	if got.Kind != finding.AddPermissions || got.Unsafe || got.Pos.File != "ci.yml" ||
		len(got.Permissions) != 2 || got.Permissions[0] != (finding.Permission{Scope: "contents", Level: "read"}) || got.Permissions[1] != (finding.Permission{Scope: "pull-requests", Level: "write"}) {
		t.Errorf("fix = %+v, want add-permissions in ci.yml, sorted by scope", got)
	}
}

// A finding without a fix has none; a fix that says nothing usable is an
// error that names the rule.
func TestBadFixIsAnError(t *testing.T) {
	findings, err := evaluateWithFix(t, `null`)
	if err == nil || findings != nil {
		t.Errorf("a null fix: findings %+v, error %v", findings, err)
	}
	for fix, want := range map[string]string{
		`{"kind": "rewrite-everything", "pos": job.id.pos}`:                           `unknown fix kind "rewrite-everything"`,
		`{"kind": "set-input", "pos": job.id.pos}`:                                    "fix set-input has no input",
		`{"kind": "set-input", "input": "x"}`:                                         "fix set-input has no pos",
		`{"kind": "add-permissions", "pos": job.id.pos, "permissions": {"x": "all"}}`: `permission "x": "all"`,
		`{"kind": "add-permissions", "pos": job.id.pos}`:                              "has no permissions",
		`"set-input"`: "fix must be an object",
	} {
		_, err := evaluateWithFix(t, fix)
		if err == nil || !strings.Contains(err.Error(), "rule unnamed-job") || !strings.Contains(err.Error(), want) {
			t.Errorf("fix %s: error = %v, want one naming the rule and saying %q", fix, err, want)
		}
	}
	withoutFix, err := newTestEngine(t, map[string]string{"unnamed-job.rego": testRule})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := withoutFix.Evaluate(context.Background(), &model.Pipeline{File: "ci.yml", Jobs: []model.Job{job("a", 1)}})
	if err != nil || len(plain) != 1 || plain[0].Fix != nil {
		t.Errorf("a finding without a fix: %+v, %v", plain, err)
	}
}
