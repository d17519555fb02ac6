package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/benchrun/hostile"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

func BenchmarkZZWriteLarge(b *testing.B) {
	for _, shape := range hostile.Shapes() {
		name := strings.ReplaceAll(shape.Name, " ", "_")
		if _, err := os.Stat(filepath.Join("/tmp/large", name)); err == nil && os.Getenv("ZZALL") == "" {
			continue
		}
		src, values := largestAdmitted(b, shape, syntax.MaxFileSize*4/5)
		p := filepath.Join("/tmp/large", name, shape.Path)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.MkdirAll(filepath.Join("/tmp/large", name, ".git"), 0o755)
		os.WriteFile(filepath.Join("/tmp/large", name, ".git/HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
		os.WriteFile(p, src, 0o644)
		b.Logf("%s: %d bytes, %d values", name, len(src), values)
	}
}
