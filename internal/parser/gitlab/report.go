package gitlab

import (
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

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
		r := model.Report{Kind: kind, Pos: syntax.Join(pr.key.pos, pr.value.pos)}
		for _, path := range scalars(paths) {
			r.Paths = append(r.Paths, path.str())
		}
		out = append(out, r)
	}
	if k, v := job.entry("coverage"); k != nil && !v.isNull() {
		out = append(out, model.Report{Kind: model.String{Value: "coverage", Pos: k.pos}, Pos: syntax.Join(k.pos, v.pos)})
	}
	return out
}
