package gitlab

import (
	"regexp"

	"github.com/pipelint/pipelint/internal/model"
)

var (
	pipelineSource = regexp.MustCompile(`\$CI_PIPELINE_SOURCE\s*==\s*["']([^"']+)["']`)
	branchCompare  = regexp.MustCompile(`\$(?:CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME)\s*==\s*["']([^"']+)["']`)
)

// workflowTriggers reads the pipeline sources named in `workflow: rules:`
// (`$CI_PIPELINE_SOURCE == "x"`), with the branches compared in the same
// rule; a rule naming only a branch means push. Rules with `when: never`
// exclude and are skipped. Best effort: other expressions are ignored.
func workflowTriggers(rules []*node) []model.Trigger {
	var out []model.Trigger
	for _, r := range rules {
		cond := r.get("if")
		if cond.text() == "" || r.get("when").text() == "never" {
			continue
		}
		text := newScalarText(cond)
		var branches []model.String
		for _, m := range branchCompare.FindAllStringSubmatchIndex(cond.value, -1) {
			branches = append(branches, text.Substring(m[2], m[3]))
		}
		events := pipelineSource.FindAllStringSubmatchIndex(cond.value, -1)
		for _, m := range events {
			out = append(out, model.Trigger{Event: text.Substring(m[2], m[3]), Branches: branches, Pos: cond.pos})
		}
		if len(events) == 0 && len(branches) > 0 {
			out = append(out, model.Trigger{Event: model.String{Value: "push", Pos: cond.pos}, Branches: branches, Pos: cond.pos})
		}
	}
	return out
}
