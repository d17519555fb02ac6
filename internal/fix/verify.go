package fix

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// sameApartFrom checks that the model of the fixed file is the model of
// the original apart from what the fixes changed, and that they changed
// what they meant to. Positions are left out of the comparison (inserted
// lines move what follows), and so are the file's lines.
func sameApartFrom(before, after *model.Pipeline, steps stepIndex, fixes []appliedFix) error {
	before = ownCopy(before)
	var pinned []model.Pos
	for _, a := range fixes {
		if err := forgetFixed(before, after, steps, a); err != nil {
			return err
		}
		if a.fix.Kind == finding.PinReference {
			pinned = append(pinned, a.fix.Pos)
		}
	}
	if len(pinned) == 0 && equalWithoutPositions(before, after) {
		return nil
	}
	b, err := comparable(before, pinned)
	if err != nil {
		return err
	}
	c, err := comparable(after, pinned)
	if err != nil {
		return err
	}
	if path, differs := firstDifference(b, c, ""); differs {
		return fmt.Errorf("the fixed file parses to a different pipeline (at %s), so the fix would change more than it should", path)
	}
	return nil
}

// forgetFixed checks that after holds what a fix set, then removes the
// fixed values from both models. steps index before.
func forgetFixed(before, after *model.Pipeline, steps stepIndex, a appliedFix) error {
	switch fix := a.fix; fix.Kind {
	case finding.SetInput:
		for _, at := range steps.byUses[fix.Pos] {
			j, s := at.job, at.step
			if j >= len(after.Jobs) || s >= len(after.Jobs[j].Steps) {
				return fmt.Errorf("job %q lost its step %d when fixed", before.Jobs[j].ID.Value, s+1)
			}
			fixed := &after.Jobs[j].Steps[s]
			if !slices.ContainsFunc(fixed.With, func(v model.Var) bool { return v.Name.Value == fix.Input && v.Value.Value == fix.Value }) {
				return fmt.Errorf("step %d of job %q does not read %s: %q once fixed", s+1, before.Jobs[j].ID.Value, fix.Input, fix.Value)
			}
			notInput := func(v model.Var) bool { return v.Name.Value == fix.Input }
			before.Jobs[j].Steps[s].With = deleteAll(before.Jobs[j].Steps[s].With, notInput)
			fixed.With = deleteAll(fixed.With, notInput)
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
		// The values written at the reference (its value, and an image's
		// name or a variable's value there) are forgotten by comparable.
		for i, ref := range before.References {
			if ref.Value.Pos == fix.Pos && (i >= len(after.References) || !after.References[i].Pinned) {
				return fmt.Errorf("%q is not pinned once fixed", ref.Value.Value)
			}
		}
		onLine := func(c model.Comment) bool { return c.Pos.Line == fix.Pos.Line }
		before.Comments = deleteAll(before.Comments, onLine)
		after.Comments = deleteAll(after.Comments, onLine) // lines only move below the fix
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

// ownCopy returns a copy of a pipeline that forgetting the fixed values
// may change: its jobs, steps and scripts are copied, and the values they
// hold shared. The model File is lent may be read by the checks of other
// files (a repository's view), so it is never changed.
func ownCopy(p *model.Pipeline) *model.Pipeline {
	c := *p
	c.Jobs = slices.Clone(p.Jobs)
	for j := range c.Jobs {
		c.Jobs[j].Steps = slices.Clone(c.Jobs[j].Steps)
		for s := range c.Jobs[j].Steps {
			if script := c.Jobs[j].Steps[s].Script; script != nil {
				own := *script
				c.Jobs[j].Steps[s].Script = &own
			}
		}
	}
	return &c
}

// deleteAll returns elems without the elements del says, in a new slice
// (elems may be shared: see ownCopy), nil rather than empty, as a parse
// of a file without them gives.
func deleteAll[T any](elems []T, del func(T) bool) []T {
	var kept []T
	for _, e := range elems {
		if !del(e) {
			kept = append(kept, e)
		}
	}
	return kept
}

// comparable is a pipeline as JSON values without positions and sources,
// and without what pinning the references at pinned changes: the values
// written there, and the parts of the references.
func comparable(p *model.Pipeline, pinned []model.Pos) (any, error) {
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
	forgetPinned(v, pinned)
	return withoutPositions(v), nil
}

// equalWithoutPositions reports whether two pipelines are the same apart
// from their positions and sources, in one walk of both that changes
// neither, where comparable builds a map for every element (a second of
// CPU for a file of a million values). It is stricter than comparable's
// JSON (an empty list is not a missing one): comparable judges, and says
// where they differ, when it says no.
func equalWithoutPositions(a, b *model.Pipeline) bool {
	withoutSources := func(p *model.Pipeline) model.Pipeline {
		c := *p
		c.Sources = nil
		return c
	}
	return equalValues(reflect.ValueOf(withoutSources(a)), reflect.ValueOf(withoutSources(b)))
}

var posType = reflect.TypeFor[model.Pos]()

// equalValues compares two values of one type field by field, as JSON
// shows them: exported fields only, and no model.Pos.
func equalValues(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return equalValues(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == posType {
			return true
		}
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() && !equalValues(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return false
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for iter := a.MapRange(); iter.Next(); {
			other := b.MapIndex(iter.Key())
			if !other.IsValid() || !equalValues(iter.Value(), other) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	}
	return a.Equal(b)
}

// forgetPinned clears, in a pipeline as JSON values, the strings written
// where a reference of pinned starts (a pin makes its end move), and
// what the references there say of their pin.
func forgetPinned(v any, pinned []model.Pos) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["value"].(string); ok && startsAtOneOf(v["pos"], pinned) {
			v["value"] = ""
		}
		if value, ok := v["value"].(map[string]any); ok && v["kind"] != nil && startsAtOneOf(value["pos"], pinned) {
			for _, k := range []string{"ref", "digest", "pinned", "version_comment"} {
				delete(v, k)
			}
		}
		for _, e := range v {
			forgetPinned(e, pinned)
		}
	case []any:
		for _, e := range v {
			forgetPinned(e, pinned)
		}
	}
}

// startsAtOneOf reports whether pos, a position as JSON values, starts
// where one of starts does.
func startsAtOneOf(pos any, starts []model.Pos) bool {
	m, ok := pos.(map[string]any)
	if !ok {
		return false
	}
	return slices.ContainsFunc(starts, func(s model.Pos) bool {
		return m["file"] == s.File && m["line"] == float64(s.Line) && m["column"] == float64(s.Column)
	})
}

func withoutPositions(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "pos" || strings.HasSuffix(k, "_pos") { // version_comment_pos
				delete(v, k)
				continue
			}
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
