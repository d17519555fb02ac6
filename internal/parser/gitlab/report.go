package gitlab

import "github.com/pipelint/pipelint/internal/model"

// reports lists `artifacts:reports` entries (coverage_report as
// "coverage") and the `coverage:` log regex (Kind "coverage", no paths).
func reports(job *node) []model.Report {
	var out []model.Report
	for _, pr := range job.get("artifacts").get("reports").pairsOrNil() {
		kind := pr.key.str()
		paths := pr.value
		if kind.Value == "coverage_report" {
			kind.Value = "coverage"
			paths = pr.value.get("path")
		}
		r := model.Report{Kind: kind, Pos: join(pr.key.pos, pr.value.pos)}
		for _, path := range scalars(paths) {
			r.Paths = append(r.Paths, path.str())
		}
		out = append(out, r)
	}
	if k, v := job.entry("coverage"); k != nil && !v.isNull() {
		out = append(out, model.Report{Kind: model.String{Value: "coverage", Pos: k.pos}, Pos: join(k.pos, v.pos)})
	}
	return out
}

// artifacts lists the paths of `artifacts: paths:`, the files the job
// keeps. `untracked: true` and `exclude:` are not modelled.
func (p *parser) artifacts(job *node) []model.String {
	var out []model.String
	for _, path := range p.flatten(job.get("artifacts").get("paths")) {
		if path.kind == scalarNode && !path.null {
			out = append(out, path.str())
		}
	}
	return out
}
