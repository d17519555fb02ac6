package gitlab

import (
	"maps"
	"slices"

	"github.com/pipelint/pipelint/internal/model"
)

// needs keeps the jobs of this pipeline that a job waits for; needs on
// other pipelines or projects are not edges of this one.
func needs(n *node) []model.String {
	var out []model.String
	if !n.isSeq() {
		return nil
	}
	for _, it := range n.items {
		switch {
		case it.kind == scalarNode:
			out = append(out, it.str())
		case it.isMap() && it.get("project") == nil && it.get("pipeline") == nil && it.get("job") != nil:
			out = append(out, it.get("job").str())
		}
	}
	return out
}

// stageOrder numbers the pipeline's stages in running order: `.pre` first,
// the `stages:` list (or GitLab's default build, test, deploy), `.post` last.
func stageOrder(stages []*node) map[string]int {
	names := []string{"build", "test", "deploy"}
	if len(stages) > 0 {
		names = names[:0]
		for _, s := range stages {
			names = append(names, s.value)
		}
	}
	order := map[string]int{".pre": 0}
	for i, name := range names {
		order[name] = i + 1
	}
	order[".post"] = len(names) + 1
	return order
}

// stageOrderNeeds gives every job without `needs:` the dependency GitLab
// gives it: it waits for all jobs of earlier stages, in file order.
//
// The jobs of one stage wait for the same jobs, so they share one list,
// and when the stages are written in order the lists of all stages are
// prefixes of one: the work and the memory grow with the jobs, not with
// their square. Stages written out of order need lists of their own; those
// copies are bounded by maxJobValues entries, past which the jobs of later
// stages get no implicit needs. It returns the first job left without
// them, or -1.
func stageOrderNeeds(jobs []model.Job, explicitNeeds []bool, order map[string]int) int {
	byStage := map[int][]int{} // job indices by stage number, in file order
	for i := range jobs {
		k := order[jobs[i].Stage.Value]
		byStage[k] = append(byStage[k], i)
	}
	stages := slices.Sorted(maps.Keys(byStage))
	var earlier []int      // the jobs of the stages done so far, in file order
	var ids []model.String // their IDs
	copied := 0
	for _, k := range stages {
		group := byStage[k]
		if len(ids) > 0 {
			shared := ids[:len(ids):len(ids)] // an append to one job's list copies it
			for _, i := range group {
				if !explicitNeeds[i] {
					jobs[i].Needs = shared
				}
			}
		}
		if len(earlier) == 0 || group[0] > earlier[len(earlier)-1] {
			earlier = append(earlier, group...)
			for _, i := range group {
				ids = append(ids, jobs[i].ID)
			}
			continue
		}
		// The stage has jobs written before jobs of earlier stages.
		if copied += len(earlier) + len(group); copied > maxJobValues {
			for _, later := range stages[slices.Index(stages, k)+1:] {
				for _, i := range byStage[later] {
					if !explicitNeeds[i] {
						return i
					}
				}
			}
			return -1
		}
		earlier = mergeSorted(earlier, group)
		ids = make([]model.String, len(earlier))
		for j, i := range earlier {
			ids[j] = jobs[i].ID
		}
	}
	return -1
}

// mergeSorted merges two increasing lists into a new one.
func mergeSorted(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}
