package gitlab

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// reservedKeys are the top-level keywords that are not jobs.
var reservedKeys = map[string]bool{
	"default": true, "include": true, "stages": true, "types": true, "variables": true,
	"workflow": true, "spec": true, "image": true, "services": true, "cache": true,
	"before_script": true, "after_script": true,
}

// build fills the pipeline from the resolved configuration.
func (p *parser) build(pipeline *model.Pipeline, config *node) {
	defaults := defaultsOf(config)
	workflow := config.get("workflow")
	pipeline.Name = workflow.get("name").str()
	p.workflowRules = p.flatten(workflow.get("rules"))
	pipeline.Triggers = workflowTriggers(p.workflowRules)
	pipeline.Rules = rulesOf(p.workflowRules)
	pipeline.Env = variables(config.get("variables"))
	p.globals = pipeline.Env
	// A small file can make a huge model through extends and default:.
	total := 0
	var explicitNeeds []bool
	for _, pr := range config.pairs {
		name := pr.key.value
		if reservedKeys[name] || strings.HasPrefix(name, ".") {
			continue
		}
		if !pr.value.isMap() {
			p.errorf(pr.key.pos, "job %q must be a mapping of keywords", name)
			continue
		}
		job := compose(pr.value, defaults)
		if total += job.size; total > maxJobValues {
			p.errorf(pr.key.pos, "jobs expand to more than %d values; the rest is not analysed", maxJobValues)
			break
		}
		pipeline.Jobs = append(pipeline.Jobs, p.job(pr.key, job))
		explicitNeeds = append(explicitNeeds, job.get("needs") != nil)
	}
	if i := stageOrderNeeds(pipeline.Jobs, explicitNeeds, stageOrder(p.flatten(config.get("stages")))); i >= 0 {
		p.errorf(pipeline.Jobs[i].ID.Pos, "jobs wait for more than %d jobs of earlier stages in all; jobs from stage %q on are not given theirs", maxJobValues, pipeline.Jobs[i].Stage.Value)
	}
	pipeline.References = p.refs
}
