package gitlab

import "github.com/pipelint/pipelint/internal/model"

func (p *parser) job(key, n *node) model.Job {
	name := key.str()
	own := variables(n.get("variables"))
	known := p.fixedVariables(n, own)
	job := model.Job{
		ID:        name,
		Name:      name,
		Stage:     n.get("stage").str(),
		Env:       append(own, secrets(n.get("secrets"))...),
		Needs:     needs(n.get("needs")),
		Caches:    caches(n.entry("cache")),
		Reports:   reports(n),
		Artifacts: p.artifacts(n),
		Strategy:  strategy(n.get("parallel")),
		Pos:       join(key.pos, n.pos),
		Container: p.image(n.get("image"), "container", known),
	}
	if job.Stage.Value == "" {
		job.Stage.Value = "test"
	}
	tagsKey, tags := n.entry("tags")
	for _, t := range p.flatten(tags) {
		job.Runner.Labels = append(job.Runner.Labels, t.str())
	}
	job.Runner.Ephemeral = len(job.Runner.Labels) == 0
	if tagsKey != nil {
		job.Runner.Pos = join(tagsKey.pos, tags.pos)
	}
	if services := n.get("services"); services != nil {
		for _, s := range p.flatten(services) {
			if img := p.image(s, "service", known); img != nil {
				job.Services = append(job.Services, *img)
			}
		}
	}
	job.Environment = environment(n.get("environment"), known)
	rules := p.flatten(n.get("rules"))
	job.Condition = condition(rules, n)
	job.Rules = rulesOf(rules)
	job.IDTokens = idTokens(n.get("id_tokens"))
	job.When = jobWhen(n.get("when"), rules)
	job.Uses, job.With = p.trigger(n.get("trigger"))
	shellName := scriptShell(job.Runner.Labels)
	for _, section := range []string{"before_script", "script", "after_script"} {
		if k, v := n.entry(section); k != nil {
			if step := p.scriptStep(k, v, shellName); step != nil {
				job.Steps = append(job.Steps, *step)
			}
		}
	}
	return job
}
