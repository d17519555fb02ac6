package github

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// largeFile is a generated workflow of a shape that once took seconds to
// parse, with what parsing it must produce.
type largeFile struct {
	name     string
	src      []byte
	jobs     int
	steps    int // of all jobs
	commands int // of all steps
	comments int
}

// largeFiles are workflows near syntax.MaxFileSize, and one of 1,000 jobs
// that each need the one before.
func largeFiles() []largeFile {
	const size = syntax.MaxFileSize * 4 / 5
	head := "on: push\njobs:\n"
	var files []largeFile
	// One run: line of 4 MB.
	n := size / len(" word")
	files = append(files, largeFile{name: "run line", src: []byte(head + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo" + strings.Repeat(" word", n) + "\n"), jobs: 1, steps: 1, commands: 1})
	// A run: block of 4 MB.
	line := "          make build && echo ${{ github.sha }} done\n"
	n = size / len(line)
	files = append(files, largeFile{name: "run block", src: []byte(head + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n" + strings.Repeat(line, n)), jobs: 1, steps: 1, commands: 2 * n})
	// 1,000 jobs, each needing the one before.
	var b strings.Builder
	b.WriteString(head)
	for i := range 1000 {
		needs := ""
		if i > 0 {
			needs = fmt.Sprintf("    needs: [job%d]\n", i-1)
		}
		fmt.Fprintf(&b, "  job%d:\n    runs-on: ubuntu-latest\n%s    steps:\n      - uses: actions/checkout@v4\n      - run: make test %d\n", i, needs, i)
	}
	files = append(files, largeFile{name: "1000 jobs", src: []byte(b.String()), jobs: 1000, steps: 2000, commands: 1000})
	// 4 MB of jobs.
	b.Reset()
	b.WriteString(head)
	jobs := 0
	for ; b.Len() < size; jobs++ {
		fmt.Fprintf(&b, "  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test %d\n", jobs, jobs)
	}
	files = append(files, largeFile{name: "jobs", src: []byte(b.String()), jobs: jobs, steps: 2 * jobs, commands: jobs})
	// One job of 4 MB of steps.
	b.Reset()
	b.WriteString(head + "  build:\n    runs-on: ubuntu-latest\n    steps:\n")
	steps := 0
	for ; b.Len() < size; steps++ {
		fmt.Fprintf(&b, "      - name: step %d\n        run: echo %d\n", steps, steps)
	}
	files = append(files, largeFile{name: "steps", src: []byte(b.String()), jobs: 1, steps: steps, commands: steps})
	// 300,000 quoted inputs holding " #" on one line, then a comment: each
	// # was tested against every string of its line.
	n = size / len(`a000000: "x #", `)
	var with strings.Builder
	for i := range n {
		fmt.Fprintf(&with, `a%06d: "x #", `, i)
	}
	files = append(files, largeFile{name: "hashes in strings", src: []byte(head + "  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with: {" + with.String() + "}\n      - run: make # the comment\n"), jobs: 1, steps: 2, commands: 1, comments: 1})
	return files
}

// largeFileAllocsPerByte bounds the allocations of parsing a large file,
// per byte.
const largeFileAllocsPerByte = 2

// TestLargeFiles parses each large file completely, with a bounded number
// of allocations. Its speed is measured by BenchmarkParseLarge.
func TestLargeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 17 MB")
	}
	for _, f := range largeFiles() {
		t.Run(f.name, func(t *testing.T) {
			var jobs, steps, commands, comments int
			var err error
			allocs := testing.AllocsPerRun(1, func() {
				p, e := Parse(workflowFile, f.src)
				err = e
				jobs, steps, commands, comments = len(p.Jobs), 0, 0, len(p.Comments)
				for _, job := range p.Jobs {
					steps += len(job.Steps)
					for _, step := range job.Steps {
						if step.Script != nil {
							commands += len(step.Script.Commands)
						}
					}
				}
			})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if jobs != f.jobs || steps != f.steps || commands != f.commands || comments != f.comments {
				t.Errorf("%d jobs, %d steps, %d commands, %d comments; want %d, %d, %d, %d", jobs, steps, commands, comments, f.jobs, f.steps, f.commands, f.comments)
			}
			if bound := largeFileAllocsPerByte * float64(len(f.src)); allocs > bound {
				t.Errorf("%.0f allocations for %d bytes, more than %.0f", allocs, len(f.src), bound)
			}
		})
	}
}

// BenchmarkParseLarge parses each large file.
func BenchmarkParseLarge(b *testing.B) {
	for _, f := range largeFiles() {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.src)))
			for b.Loop() {
				_, _ = Parse(workflowFile, f.src)
			}
		})
	}
}
