package config

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics or hangs, and that whatever it
// accepts prints to a config that parses and prints the same again.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, seed := range seeds {
		src, err := os.ReadFile(seed)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(Starter))
	f.Add([]byte("rules: {a: {options: {x: [1, 2.5, ~, true, \"s\", {y: z}]}}}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse("c.yaml", src)
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := Print(&first, c); err != nil {
			t.Fatalf("Print: %v", err)
		}
		again, err := Parse("c.yaml", first.Bytes())
		if err != nil {
			t.Fatalf("the printed config does not parse: %v\n%s", err, first.String())
		}
		var second bytes.Buffer
		if err := Print(&second, again); err != nil {
			t.Fatalf("Print: %v", err)
		}
		if first.String() != second.String() {
			t.Fatalf("printing is not stable:\n%s\n---\n%s", first.String(), second.String())
		}
	})
}
