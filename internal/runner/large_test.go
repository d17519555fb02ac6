package runner

import (
	"context"
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
// reports the CPU time of the process (user and system, collections
// included, so both cores count), the file's size and model values, and
// its findings.
func BenchmarkCheckLarge(b *testing.B) {
	for _, shape := range hostile.Shapes() {
		b.Run(shape.Name, func(b *testing.B) {
			src, values := largestAdmitted(b, shape, syntax.MaxFileSize*4/5)
			root := repository(b, map[string]string{shape.Path: string(src)})
			// No time limit: a slow build is measured, not stopped.
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
				if errs := result.Run.Errors; len(errs) > 0 && !shape.Invalid {
					b.Fatalf("%d errors, the first %s", len(errs), errs[0])
				}
				findings = len(result.Run.Findings)
			}
			b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(len(src)), "bytes")
			b.ReportMetric(float64(values), "values")
			b.ReportMetric(float64(findings), "findings")
		})
	}
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
