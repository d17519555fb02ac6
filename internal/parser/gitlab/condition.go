package gitlab

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// condition is the first `rules: if:` as written, else the `only:` /
// `except:` filter rendered as "only: a, b".
func condition(rules []*node, job *node) model.String {
	for _, r := range rules {
		if cond := r.get("if"); cond != nil {
			return cond.str()
		}
	}
	for _, key := range []string{"only", "except"} {
		if k, v := job.entry(key); k != nil && !v.isNull() {
			var parts []string
			var walk func(n *node)
			walk = func(n *node) {
				switch n.kind {
				case scalarNode:
					parts = append(parts, n.text())
				case seqNode:
					for _, it := range n.items {
						walk(it)
					}
				case mapNode:
					for _, pr := range n.pairs {
						walk(pr.value)
					}
				}
			}
			walk(v)
			return model.String{Value: key + ": " + strings.Join(parts, ", "), Pos: syntax.Join(k.pos, v.pos)}
		}
	}
	return model.String{}
}

// rulesOf reads a `rules:` list (already flattened): each mapping's `if:`
// and `when:` as written, positioned at the mapping.
func rulesOf(rules []*node) []model.Rule {
	var out []model.Rule
	for _, r := range rules {
		if !r.isMap() {
			continue
		}
		out = append(out, model.Rule{If: r.get("if").str(), When: r.get("when").str(), Pos: r.pos})
	}
	return out
}

var normalWhen = map[string]string{"manual": "manual", "on_failure": "on_failure", "always": "always"}

// jobWhen normalises `when:`. Without a job-level `when`, rules decide:
// when every rule that can run the job says the same manual, on_failure or
// always, that is the job's; when every rule says never, no pipeline runs
// the job: "never".
func jobWhen(when *node, rules []*node) string {
	if w := when.text(); w != "" {
		return normalWhen[w]
	}
	result := ""
	never := 0
	for i, r := range rules {
		w := r.get("when").text()
		if w == "never" {
			never++
			continue
		}
		if i > 0 && normalWhen[w] != result || normalWhen[w] == "" {
			return ""
		}
		result = normalWhen[w]
	}
	if never > 0 && never == len(rules) {
		return "never"
	}
	return result
}
