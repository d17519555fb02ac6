package shell

import (
	"strings"
	"testing"
)

// largeScripts are scripts at the size limits of each way of splitting:
// the largest script parsed, every word of it a CI expression, and
// scripts of 4 MB, split by lines.
func largeScripts() []struct{ name, shell, script string } {
	expressions := strings.Repeat("echo ${{ matrix.x }} ", maxParsedBytes/len("echo ${{ matrix.x }} "))
	lines := strings.Repeat("make build && echo $HOME done\n", (4<<20)/len("make build && echo $HOME done\n"))
	return []struct{ name, shell, script string }{
		{"parsed expressions", "bash", expressions},
		{"bash lines", "bash", lines},
		{"bash one line", "bash", "echo" + strings.Repeat(" word", (4<<20)/len(" word"))},
		{"pwsh lines", "pwsh", lines},
		{"cmd lines", "cmd", lines},
	}
}

// BenchmarkSplitLarge splits each large script.
func BenchmarkSplitLarge(b *testing.B) {
	for _, s := range largeScripts() {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.script)))
			for b.Loop() {
				Split(s.script, s.shell, locate)
			}
		})
	}
}
