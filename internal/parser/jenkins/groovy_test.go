package jenkins

import (
	"strings"
	"testing"

	groovyparser "github.com/albertocavalcante/groovy-parser-go"
	"github.com/albertocavalcante/groovy-parser-go/parser"
	"github.com/albertocavalcante/groovy-parser-go/source"
)

// TestGroovyChains reads long chains of member calls, property reads and
// concatenations with fewer allocations than links: each link is measured
// once, not once per link above it, and its call is made of the tokens'
// own text (the walk over the whole chain allocates a few dozen times, to
// grow the list of calls).
func TestGroovyChains(t *testing.T) {
	const n, allocsPerLink = 40_000, 1
	for _, c := range []struct {
		name  string
		src   string
		calls int
	}{
		{"properties", "x = a" + strings.Repeat(".b", n) + "\n", n},
		{"method calls", "a" + strings.Repeat(".b()", n) + "\n", n},
		{"string concatenation", "x = ('a'" + strings.Repeat(" + b", n) + ").execute()\n", 1},
		{"interpolated path", "x = \"$a" + strings.Repeat(".b", n) + "\"\n", maxNameParts - 1},
		{"annotation argument", "@Grab(" + strings.Repeat("x.", n) + "y) import z\n", n},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			green, _ := parser.New(source.New("Jenkinsfile", src), groovyparser.ParseOptions{Version: groovyparser.Groovy2_4}).Parse()
			b := &builder{pos: newPositions("Jenkinsfile", src), src: src}
			calls := 0
			allocs := testing.AllocsPerRun(1, func() { calls = len(b.groovy(green).Calls) })
			if calls != c.calls {
				t.Errorf("%d calls, want %d", calls, c.calls)
			}
			if bound := float64(allocsPerLink * n); allocs > bound {
				t.Errorf("%.0f allocations for %d links, more than %.0f", allocs, n, bound)
			}
		})
	}
}
