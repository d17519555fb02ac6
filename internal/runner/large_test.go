package runner

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pipelint/pipelint/internal/benchrun/hostile"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// BenchmarkCheckLarge checks one file of each of hostile.Shapes with
// Check, as large as the size bound admits (at most 80 % of the file size
// limit, 4 MB): the most one file's check can cost. Besides the time, it
// reports what benchmarkCheck does and the file's size and model values.
func BenchmarkCheckLarge(b *testing.B) {
	for _, shape := range hostile.Shapes() {
		b.Run(shape.Name, func(b *testing.B) {
			src, values := largestAdmitted(b, shape, syntax.MaxFileSize*4/5)
			root := repository(b, map[string]string{shape.Path: string(src)})
			benchmarkCheck(b, root, shape.Invalid)
			b.ReportMetric(float64(len(src)), "bytes")
			b.ReportMetric(float64(values), "values")
		})
	}
}

// BenchmarkCheckSecrets checks a workflow of 5,000 literal passwords, one
// env entry each, all different or all the same: every one is a sensitive
// finding, whose fingerprint takes a slow digest of the secret
// (secret.Digest).
func BenchmarkCheckSecrets(b *testing.B) {
	for _, c := range []struct {
		name     string
		password func(i int) string
	}{
		{"5000 different", func(i int) string { return fmt.Sprintf("pw%05dXq9z", i) }},
		{"5000 the same", func(int) string { return "hunter2-prod" }},
	} {
		b.Run(c.name, func(b *testing.B) {
			root := repository(b, map[string]string{".github/workflows/ci.yml": literalPasswords(5000, c.password)})
			benchmarkCheck(b, root, false)
		})
	}
}

// benchmarkCheck checks the repository at root with Check, without a time
// limit (a slow build is measured, not stopped), and reports the CPU time
// of the process per check (user and system, collections included, so
// both cores count) and the findings. Errors fail the benchmark unless
// the input is invalid on purpose.
func benchmarkCheck(b *testing.B, root string, invalid bool) {
	opts := Options{Policy: PolicyOptions{NoConfig: true}, FileTimeout: time.Hour}
	if _, err := Check(context.Background(), []string{root}, opts); err != nil {
		b.Fatal(err) // and compile the rules before the clock starts
	}
	var findings int
	start := cpuTime()
	for b.Loop() {
		result, err := Check(context.Background(), []string{root}, opts)
		if err != nil {
			b.Fatal(err)
		}
		if errs := result.Run.Errors; len(errs) > 0 && !invalid {
			b.Fatalf("%d errors, the first %s", len(errs), errs[0])
		}
		findings = len(result.Run.Findings)
	}
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(findings), "findings")
}

// literalPasswords is a workflow whose job sets n variables named for a
// password to literal values.
func literalPasswords(n int, password func(i int) string) string {
	var b strings.Builder
	b.WriteString("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n")
	for i := range n {
		fmt.Fprintf(&b, "      DB_PASSWORD_%d: %q\n", i, password(i))
	}
	b.WriteString("    steps:\n      - run: make\n")
	return b.String()
}

// largestAdmitted returns the largest file of the shape, of at most size
// bytes, whose model is within DefaultMaxModelValues, and its values.
// Values grow with the size, or faster (the needs of GitLab's stages), so
// the size is found by bisection, to within 1 %.
func largestAdmitted(b *testing.B, shape hostile.Shape, size int) ([]byte, int) {
	b.Helper()
	src := shape.File(size)
	if values := valuesOf(b, shape.Path, src); values <= DefaultMaxModelValues {
		return src, values
	}
	var best []byte
	bestValues := 0
	for low, high := 0, size; high-low > max(low/100, 256); {
		mid := (low + high) / 2
		src := shape.File(mid)
		if values := valuesOf(b, shape.Path, src); values <= DefaultMaxModelValues {
			low, best, bestValues = mid, src, values
		} else {
			high = mid
		}
	}
	if best == nil {
		b.Fatalf("no file of the shape is within %d values", DefaultMaxModelValues)
	}
	return best, bestValues
}

func valuesOf(b *testing.B, path string, src []byte) int {
	root := repository(b, map[string]string{path: string(src)})
	files, _, err := parser.Discover([]string{root}, parser.Options{})
	if err != nil || len(files) != 1 {
		b.Fatalf("discover: %v, %d files", err, len(files))
	}
	return modelValues(parser.Parse(files[0]).Pipeline, DefaultMaxModelValues)
}

// cpuTime is the user and system time of the process.
func cpuTime() time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return 0
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}
