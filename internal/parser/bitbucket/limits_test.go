package bitbucket

import (
	"fmt"
	"strings"
	"testing"
)

// TestLimits checks that hostile files end in an error at a position
// rather than in a long parse: aliases that expand exponentially, nesting
// deeper than syntax.MaxDepth, and a large step reused many times.
func TestLimits(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	bomb.WriteString("pipelines:\n  default:\n    - step:\n        script: *a8\n")

	var reused strings.Builder
	reused.WriteString("definitions:\n  big: &big\n    script:\n")
	for i := range 2000 {
		fmt.Fprintf(&reused, "      - echo %d\n", i)
	}
	reused.WriteString("pipelines:\n  default:\n")
	for range 2000 {
		reused.WriteString("    - step: *big\n")
	}

	for _, tt := range []struct {
		name, src, want string
	}{
		{"alias bomb", bomb.String(), "aliases expand to more than"},
		{"deep nesting", "pipelines: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "nesting deeper than"},
		{"reused step", reused.String(), "more than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(FileName, []byte(tt.src))
			if p == nil {
				t.Fatal("nil pipeline")
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}
