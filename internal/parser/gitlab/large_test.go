package gitlab

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// largeFile is a generated .gitlab-ci.yml of a shape that once took
// seconds to parse, with what parsing it must produce.
type largeFile struct {
	name     string
	src      string
	jobs     int
	needs    int // implicit and explicit needs of all jobs
	commands int // script commands of all jobs
	branches int // branches of all triggers
	comments int
}

// largeFiles are pipelines near syntax.MaxFileSize, or as large as the
// job limit (maxJobValues) lets them be.
func largeFiles() []largeFile {
	const size = syntax.MaxFileSize * 4 / 5
	var files []largeFile
	// Jobs up to the job limit, each with its own image: references were
	// deduplicated by comparing each with all before it, and every job was
	// compared with every other for its stage.
	var b strings.Builder
	jobs := 0
	for ; b.Len() < size; jobs++ {
		fmt.Fprintf(&b, "job%d:\n  image: registry.example.com/tools/image%d:1.2.3\n  script:\n    - make test TARGET=%d %s\n", jobs, jobs, jobs, strings.Repeat("x", 30))
	}
	files = append(files, largeFile{name: "jobs", src: b.String(), jobs: jobs, commands: jobs})
	// Two stages of 1,000 jobs: each test job waits for every build job.
	b.Reset()
	b.WriteString("stages: [build, test]\n")
	const perStage = 1_000
	for i := range perStage {
		fmt.Fprintf(&b, "build%d: {stage: build, script: [make]}\ntest%d: {stage: test, script: [make test]}\n", i, i)
	}
	files = append(files, largeFile{name: "two stages", src: b.String(), jobs: 2 * perStage, needs: perStage * perStage, commands: 2 * perStage})
	// One script line of 4 MB.
	n := size / len(" word")
	files = append(files, largeFile{name: "script line", src: "job:\n  script:\n    - echo" + strings.Repeat(" word", n) + "\n", jobs: 1, commands: 1})
	// A 4 MB literal block of short lines.
	line := "      make build && echo ${HOME} done\n"
	n = size / len(line)
	files = append(files, largeFile{name: "script block", src: "job:\n  script:\n    - |\n" + strings.Repeat(line, n), jobs: 1, commands: 2 * n})
	// A workflow rule comparing the branch 100,000 times: each comparison
	// was positioned by mapping the whole rule to the file again.
	n = 100_000
	rule := strings.TrimSuffix(strings.Repeat(`$CI_COMMIT_BRANCH == "main" || `, n), " || ")
	files = append(files, largeFile{name: "workflow rule", src: "workflow:\n  rules:\n    - if: '" + rule + "'\njob: {script: [make]}\n", jobs: 1, commands: 1, branches: n})
	// 500,000 quoted strings holding " #" on one line, then a comment:
	// each # was tested against every string of its line.
	n = size / len(`"a #", `)
	files = append(files, largeFile{name: "hashes in strings", src: ".strings: [" + strings.Repeat(`"a #", `, n) + "]\njob: {script: [make]} # the comment\n", jobs: 1, commands: 1, comments: 1})
	return files
}

func parseLarge(f largeFile) syntax.Result {
	repo := fstest.MapFS{".gitlab-ci.yml": {Data: []byte(f.src)}}
	return Parse(syntax.Input{Repo: repo, Path: ".gitlab-ci.yml", Display: ".gitlab-ci.yml"})
}

// largeFileAllocsPerByte bounds the allocations of parsing a large file:
// two stages of jobs of one line each take two per byte.
const largeFileAllocsPerByte = 3

// TestLargeFiles parses each large file completely, with a bounded number
// of allocations. Its speed is measured by BenchmarkParseLarge.
func TestLargeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 12 MB")
	}
	for _, f := range largeFiles() {
		t.Run(f.name, func(t *testing.T) {
			var p *model.Pipeline
			var err error
			allocs := testing.AllocsPerRun(1, func() {
				result := parseLarge(f)
				p, err = result.Pipeline, result.Err
			})
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			needs, commands, branches := 0, 0, 0
			for _, trigger := range p.Triggers {
				branches += len(trigger.Branches)
			}
			for _, job := range p.Jobs {
				needs += len(job.Needs)
				for _, step := range job.Steps {
					if step.Script != nil {
						commands += len(step.Script.Commands)
					}
				}
			}
			if len(p.Jobs) != f.jobs || needs != f.needs || commands != f.commands || branches != f.branches || len(p.Comments) != f.comments {
				t.Errorf("%d jobs, %d needs, %d commands, %d branches, %d comments; want %d, %d, %d, %d, %d",
					len(p.Jobs), needs, commands, branches, len(p.Comments), f.jobs, f.needs, f.commands, f.branches, f.comments)
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
				_ = parseLarge(f)
			}
		})
	}
}
