package gitlab

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// TestStageOrderNeeds: a job without needs: waits for every job of the
// earlier stages, in file order, however the stages are written.
func TestStageOrderNeeds(t *testing.T) {
	src := `stages: [build, test, deploy]
t1: {stage: test, script: [x]}
b1: {stage: build, script: [x]}
d1: {stage: deploy, script: [x]}
t2: {stage: test, script: [x], needs: [b1]}
b2: {stage: build, script: [x]}
d2: {stage: deploy, script: [x]}
p1: {stage: .pre, script: [x]}
`
	p := parseOne(t, src)
	var got []string
	for _, job := range p.Jobs {
		var needs []string
		for _, n := range job.Needs {
			needs = append(needs, n.Value)
		}
		got = append(got, job.ID.Value+": "+strings.Join(needs, " "))
	}
	want := []string{"t1: b1 b2 p1", "b1: p1", "d1: t1 b1 t2 b2 p1", "t2: b1", "b2: p1", "d2: t1 b1 t2 b2 p1", "p1: "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("needs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStageOrderNeedsShared: the jobs of a stage share one list of the
// jobs they wait for, so two stages of n jobs cost n entries, not n².
func TestStageOrderNeedsShared(t *testing.T) {
	const perStage = 2000
	order := map[string]int{"build": 1, "test": 2}
	for _, interleaved := range []bool{false, true} {
		t.Run(fmt.Sprintf("interleaved=%v", interleaved), func(t *testing.T) {
			var builds, tests []model.Job
			for i := range perStage {
				builds = append(builds, model.Job{ID: model.String{Value: fmt.Sprint("b", i)}, Stage: model.String{Value: "build"}})
				tests = append(tests, model.Job{ID: model.String{Value: fmt.Sprint("t", i)}, Stage: model.String{Value: "test"}})
			}
			jobs := append(builds, tests...)
			if interleaved { // t0 b0 t1 b1 ...: the test jobs' list is not a prefix of the file
				jobs = nil
				for i := range perStage {
					jobs = append(jobs, tests[i], builds[i])
				}
			}
			explicit := make([]bool, len(jobs))
			allocs := testing.AllocsPerRun(1, func() {
				for i := range jobs {
					jobs[i].Needs = nil
				}
				if over := stageOrderNeeds(jobs, explicit, order); over >= 0 {
					t.Fatalf("job %d was left without needs", over)
				}
			})
			for _, job := range jobs {
				if want := map[string]int{"build": 0, "test": perStage}[job.Stage.Value]; len(job.Needs) != want {
					t.Fatalf("%s waits for %d jobs, want %d", job.ID.Value, len(job.Needs), want)
				}
			}
			if allocs > 100 {
				t.Errorf("%.0f allocations, more than 100", allocs)
			}
		})
	}
}

// TestStageOrderNeedsBounded: stages written out of order need lists of
// their own, which are bounded like the jobs' values.
func TestStageOrderNeedsBounded(t *testing.T) {
	const stages = 1000
	var b strings.Builder
	b.WriteString("stages: [")
	for i := range stages {
		fmt.Fprintf(&b, "s%d, ", i)
	}
	b.WriteString("]\n")
	for i := range stages { // the last stage first
		fmt.Fprintf(&b, "j%d: {stage: s%d, script: [x]}\n", i, stages-1-i)
	}
	p, errs := parseMap(t, map[string]string{".gitlab-ci.yml": b.String()})
	wantErrors(t, errs, `.gitlab-ci.yml:294:1: jobs wait for more than 250000 jobs of earlier stages in all; jobs from stage "s707" on are not given theirs`)
	entries := 0
	for _, job := range p.Jobs {
		entries += len(job.Needs)
	}
	if want := 706 * 707 / 2; entries != want {
		t.Errorf("%d needs in all, want %d: those of stages s0 to s706", entries, want)
	}
}
