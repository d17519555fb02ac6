package gitlab

import "github.com/pipelint/pipelint/internal/model"

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
// gives it: it waits for all jobs of earlier stages.
func stageOrderNeeds(jobs []model.Job, explicitNeeds []bool, order map[string]int) {
	for i := range jobs {
		if explicitNeeds[i] {
			continue
		}
		for _, other := range jobs {
			if order[other.Stage.Value] < order[jobs[i].Stage.Value] {
				jobs[i].Needs = append(jobs[i].Needs, other.ID)
			}
		}
	}
}
