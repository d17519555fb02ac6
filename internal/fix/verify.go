package fix

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// sameApartFrom checks that the model of the fixed file is the model of
// the original apart from what the fixes changed, and that they changed
// what they meant to. Positions are left out of the comparison (inserted
// lines move what follows), and so are the file's lines.
func sameApartFrom(before, after *model.Pipeline, fixes []appliedFix) error {
	for _, a := range fixes {
		if err := forgetFixed(before, after, a); err != nil {
			return err
		}
	}
	b, err := comparable(before)
	if err != nil {
		return err
	}
	c, err := comparable(after)
	if err != nil {
		return err
	}
	if path, differs := firstDifference(b, c, ""); differs {
		return fmt.Errorf("the fixed file parses to a different pipeline (at %s), so the fix would change more than it should", path)
	}
	return nil
}

// forgetFixed checks that after holds what a fix set, then removes the
// fixed values from both models.
func forgetFixed(before, after *model.Pipeline, a appliedFix) error {
	switch fix := a.fix; fix.Kind {
	case finding.SetInput:
		for j, job := range before.Jobs {
			for s, step := range job.Steps {
				if step.Uses == nil || step.Uses.Value.Pos != fix.Pos {
					continue
				}
				if j >= len(after.Jobs) || s >= len(after.Jobs[j].Steps) {
					return fmt.Errorf("job %q lost its step %d when fixed", job.ID.Value, s+1)
				}
				fixed := &after.Jobs[j].Steps[s]
				if !slices.ContainsFunc(fixed.With, func(v model.Var) bool { return v.Name.Value == fix.Input && v.Value.Value == fix.Value }) {
					return fmt.Errorf("step %d of job %q does not read %s: %q once fixed", s+1, job.ID.Value, fix.Input, fix.Value)
				}
				notInput := func(v model.Var) bool { return v.Name.Value == fix.Input }
				before.Jobs[j].Steps[s].With = deleteVars(before.Jobs[j].Steps[s].With, notInput)
				fixed.With = deleteVars(fixed.With, notInput)
			}
		}
	case finding.AddPermissions:
		if after.Permissions == nil || len(after.Permissions.Scopes) != len(fix.Permissions) {
			return fmt.Errorf("the fixed file does not declare the %d permissions added", len(fix.Permissions))
		}
		for i, p := range fix.Permissions {
			if got := after.Permissions.Scopes[i]; got.Name.Value != p.Scope || got.Value.Value != p.Level {
				return fmt.Errorf("the fixed file declares %s: %s, not %s: %s", got.Name.Value, got.Value.Value, p.Scope, p.Level)
			}
		}
		before.Permissions, after.Permissions = nil, nil
	case finding.PinReference:
		for i, ref := range before.References {
			if ref.Value.Pos != fix.Pos {
				continue
			}
			if i >= len(after.References) || !after.References[i].Pinned {
				return fmt.Errorf("%q is not pinned once fixed", ref.Value.Value)
			}
			forgetPin(&before.References[i])
			forgetPin(&after.References[i])
		}
		for j, job := range before.Jobs {
			for s, step := range job.Steps {
				if step.Uses != nil && step.Uses.Value.Pos == fix.Pos && j < len(after.Jobs) && s < len(after.Jobs[j].Steps) && after.Jobs[j].Steps[s].Uses != nil {
					forgetPin(before.Jobs[j].Steps[s].Uses)
					forgetPin(after.Jobs[j].Steps[s].Uses)
				}
			}
		}
		onLine := func(c model.Comment) bool { return c.Pos.Line == fix.Pos.Line }
		before.Comments = slices.DeleteFunc(before.Comments, onLine)
		after.Comments = slices.DeleteFunc(after.Comments, onLine) // lines only move below the fix
	case finding.MoveToEnv:
		return forgetMoved(before, after, a.moved)
	}
	return nil
}

// forgetMoved checks that the step of moved runs the script expected and
// has the variables added after its own, then removes its script's text,
// expressions and commands, and its env, from both models: nothing else
// of the pipeline may change.
func forgetMoved(before, after *model.Pipeline, moved *movedStep) error {
	j, s := moved.job, moved.step
	job := before.Jobs[j]
	if j >= len(after.Jobs) || s >= len(after.Jobs[j].Steps) {
		return fmt.Errorf("job %q lost its step %d when fixed", job.ID.Value, s+1)
	}
	was, now := &before.Jobs[j].Steps[s], &after.Jobs[j].Steps[s]
	if now.Script == nil || now.Script.Text.Value != moved.script {
		return fmt.Errorf("step %d of job %q does not run the script expected once fixed", s+1, job.ID.Value)
	}
	want := append(slices.Clone(was.Env), moved.added...)
	sameVar := func(a, b model.Var) bool { return a.Name.Value == b.Name.Value && a.Value.Value == b.Value.Value }
	if !slices.EqualFunc(want, now.Env, sameVar) {
		return fmt.Errorf("step %d of job %q does not have the env expected once fixed", s+1, job.ID.Value)
	}
	for _, st := range []*model.Step{was, now} {
		st.Script.Text, st.Script.Expressions, st.Script.Commands = model.String{}, nil, nil
		st.Env = nil
	}
	return nil
}

// deleteVars deletes vars, leaving nil rather than empty, as a parse of
// a step without them does.
func deleteVars(vars []model.Var, del func(model.Var) bool) []model.Var {
	if vars = slices.DeleteFunc(vars, del); len(vars) == 0 {
		return nil
	}
	return vars
}

// forgetPin clears what pinning a reference changes.
func forgetPin(r *model.Reference) {
	r.Value.Value, r.Ref, r.Digest, r.Pinned, r.VersionComment = "", "", "", false, ""
}

// comparable is a pipeline as JSON values without positions and sources.
func comparable(p *model.Pipeline) (any, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "sources")
	}
	return withoutPositions(v), nil
}

func withoutPositions(v any) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, "pos")
		for k, e := range v {
			v[k] = withoutPositions(e)
		}
	case []any:
		for i, e := range v {
			v[i] = withoutPositions(e)
		}
	}
	return v
}

// firstDifference returns the path of the first place where two JSON
// values differ, keys in sorted order.
func firstDifference(a, b any, path string) (string, bool) {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return path, true
		}
		keys := make([]string, 0, len(a)+len(bm))
		for k := range a {
			keys = append(keys, k)
		}
		for k := range bm {
			if _, seen := a[k]; !seen {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, differs := firstDifference(a[k], bm[k], join(path, k)); differs {
				return p, true
			}
		}
		return "", false
	case []any:
		bs, ok := b.([]any)
		if !ok {
			return path, true
		}
		for i := range max(len(a), len(bs)) {
			if i >= len(a) || i >= len(bs) {
				return fmt.Sprintf("%s[%d]", path, i), true
			}
			if p, differs := firstDifference(a[i], bs[i], fmt.Sprintf("%s[%d]", path, i)); differs {
				return p, true
			}
		}
		return "", false
	}
	return path, !reflect.DeepEqual(a, b)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
