package jenkins

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// largeFile is a generated Jenkinsfile of a shape that once took seconds
// to parse, with what parsing it must produce.
type largeFile struct {
	name     string
	src      []byte
	jobs     int
	commands int // commands of all steps
	words    int // command names and arguments of all steps
}

// largeFiles are Jenkinsfiles near syntax.MaxFileSize, and one small but
// dense file: every word of a script is located in the file, and every
// position counted, in time linear in the file.
func largeFiles() []largeFile {
	const size = syntax.MaxFileSize * 4 / 5
	var files []largeFile
	// 20,000 words in one sh string: locating each word used to rescan the
	// script from the start.
	words := strings.Repeat(" a", 20_000)
	files = append(files, largeFile{name: "sh words", src: []byte("node {\n  sh 'echo" + words + "'\n}\n"), jobs: 1, commands: 1, words: 20_001})
	// One sh line of 4 MB: its columns used to be counted from the start
	// of the line for every word.
	n := size / len(" word")
	files = append(files, largeFile{name: "sh line", src: []byte("node {\n  sh 'echo" + strings.Repeat(" word", n) + "'\n}\n"), jobs: 1, commands: 1, words: n + 1})
	files = append(files, largeFile{name: "sh line non-ASCII", src: []byte("node {\n  sh 'echo" + strings.Repeat(" wörd", n) + "'\n}\n"), jobs: 1, commands: 1, words: n + 1})
	// A 4 MB triple-quoted script of short lines.
	line := "    make build && echo ${HOME} done\n"
	n = size / len(line)
	files = append(files, largeFile{name: "sh block", src: []byte("node {\n  sh '''\n" + strings.Repeat(line, n) + "  '''\n}\n"), jobs: 1, commands: 2 * n, words: 5 * n})
	// 4 MB of declarative stages, as many as the token limit allows.
	var b strings.Builder
	b.WriteString("pipeline {\n  agent any\n  stages {\n")
	script := "make build test" + strings.Repeat(" target", 40)
	stages := 0
	for ; b.Len() < size; stages++ {
		fmt.Fprintf(&b, "    stage('s%d') { steps { sh '%s' } }\n", stages, script)
	}
	b.WriteString("  }\n}\n")
	files = append(files, largeFile{name: "stages", src: []byte(b.String()), jobs: stages, commands: stages, words: stages * 43})
	return files
}

// largeFileAllocsPerByte bounds the allocations of parsing a large file, per
// byte: the files above need one or fewer.
const largeFileAllocsPerByte = 2

// TestLargeFiles parses each large file completely, with a bounded number
// of allocations. Its speed is measured by BenchmarkParseLarge.
func TestLargeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 20 MB")
	}
	for _, f := range largeFiles() {
		t.Run(f.name, func(t *testing.T) {
			var commands, words, jobs int
			var err error
			allocs := testing.AllocsPerRun(1, func() {
				p, e := Parse("Jenkinsfile", f.src)
				err = e
				commands, words, jobs = 0, 0, len(p.Jobs)
				for _, job := range p.Jobs {
					for _, step := range job.Steps {
						if step.Script == nil {
							continue
						}
						for _, c := range step.Script.Commands {
							commands++
							words += 1 + len(c.Args)
						}
					}
				}
			})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if jobs != f.jobs || commands != f.commands || words != f.words {
				t.Errorf("%d jobs, %d commands of %d words; want %d, %d, %d", jobs, commands, words, f.jobs, f.commands, f.words)
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
				_, _ = Parse("Jenkinsfile", f.src)
			}
		})
	}
}
