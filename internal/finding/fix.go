package finding

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// FixKind names what a Fix does, in model terms. Rules say which kind and
// where; package fix, which knows the syntax, turns it into text edits.
type FixKind string

const (
	// PinReference pins the reference whose value is at Pos (an action,
	// a reusable workflow or an image) to what its ref names now: a full
	// commit SHA with the tag in a trailing comment, or an image digest.
	// It needs a resolver (package fix), which asks the network.
	PinReference FixKind = "pin-reference"
	// SetInput sets input Input of the step whose `uses:` value is at Pos
	// to Value, adding the `with:` entry (and the `with:` block) when
	// there is none.
	SetInput FixKind = "set-input"
	// AddPermissions declares Permissions at the level of the file whose
	// top is at Pos, which declares none.
	AddPermissions FixKind = "add-permissions"
	// MoveToEnv moves the expression at Pos, in a step's script, into the
	// step's environment: the script reads a variable instead, so that the
	// expression's text is no longer shell code.
	MoveToEnv FixKind = "move-to-env"
)

// FixKinds lists every kind, for messages and documentation.
var FixKinds = []FixKind{PinReference, SetInput, AddPermissions, MoveToEnv}

// Fix is what a rule proposes to make a finding go away, in model terms.
type Fix struct {
	Kind FixKind
	// Pos is the model element the fix is anchored at: a reference's
	// value (PinReference, SetInput), the file's top (AddPermissions) or
	// an expression (MoveToEnv).
	Pos model.Pos
	// Unsafe is true for a fix that may change what the pipeline does:
	// `pipelint fix` applies it only with --unsafe.
	Unsafe bool
	// Input and Value are the input SetInput sets.
	Input, Value string
	// Permissions are the scopes AddPermissions grants, sorted by name.
	Permissions []Permission
}

// Permission is one scope of a token and its level (read, write, none).
type Permission struct{ Scope, Level string }

var (
	permissionLevels = []string{"read", "write", "none"}
	scopePattern     = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
)

// Validate checks that a fix has what its kind needs.
func (f Fix) Validate() error {
	if !slices.Contains(FixKinds, f.Kind) {
		kinds := make([]string, len(FixKinds))
		for i, k := range FixKinds {
			kinds[i] = string(k)
		}
		return fmt.Errorf("unknown fix kind %q (want %s)", f.Kind, strings.Join(kinds, ", "))
	}
	if f.Pos.Line < 1 || f.Pos.Column < 1 {
		return fmt.Errorf("fix %s has no pos", f.Kind)
	}
	switch f.Kind {
	case SetInput:
		if f.Input == "" {
			return fmt.Errorf("fix %s has no input", f.Kind)
		}
	case AddPermissions:
		if len(f.Permissions) == 0 {
			return fmt.Errorf("fix %s has no permissions", f.Kind)
		}
		for _, p := range f.Permissions {
			if !scopePattern.MatchString(p.Scope) || !slices.Contains(permissionLevels, p.Level) {
				return fmt.Errorf("fix %s: permission %q: %q: want a scope name and one of %s", f.Kind, p.Scope, p.Level, strings.Join(permissionLevels, ", "))
			}
		}
	}
	return nil
}

// Describe says in one line what the fix does, and when it is unsafe that
// `pipelint fix` applies it only with --unsafe.
func (f Fix) Describe() string {
	var what string
	switch f.Kind {
	case PinReference:
		what = "Pin the reference to the commit or digest it names now"
	case SetInput:
		what = fmt.Sprintf("Set input %s to %q", f.Input, f.Value)
	case AddPermissions:
		scopes := make([]string, len(f.Permissions))
		for i, p := range f.Permissions {
			scopes[i] = p.Scope + ": " + p.Level
		}
		what = "Declare permissions " + strings.Join(scopes, ", ")
	case MoveToEnv:
		what = "Move the expression into the step's env and read it as a variable"
	default:
		what = "Apply the fix " + string(f.Kind)
	}
	if f.Unsafe {
		what += " (unsafe: it may change what the pipeline does; pipelint fix applies it with --unsafe)"
	}
	return what
}
