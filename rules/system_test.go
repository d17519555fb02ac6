package rules_test

import (
	"slices"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// unknownSystem is a CI system no table in rules/lib names.
const unknownSystem model.System = "madeup-ci"

// systemWorded are the rules whose message and severity, but not whether
// or where they report, come from a per-system table: missing-cache names
// the system's way to add a cache (tables.cache_hint) and lowers the
// severity on persistent runners by system
// (tables.persistent_runner_severity); deploy-without-rollback names the
// system's way to run a step on failure (tables.failure_path_idiom) and
// deploy-without-approval its way to require an approval
// (tables.approval_idiom), unpinned-include its way to pin an include
// (tables.include_pin_idiom), self-hosted-runner what a pool of runners
// is called and how to leave it (tables.pool_wording). For a
// system those tables do not name, their default entry ("*") is used, so
// only the position and rule of these findings are compared.
var systemWorded = []string{"missing-cache", "deploy-without-rollback", "deploy-without-approval", "unpinned-include", "self-hosted-runner"}

// TestFixturesUnderAnUnknownSystem checks that no rule needs to know the
// CI system: every fixture entry, parsed as usual and then relabelled as a
// system that no table names, gets the same findings from every rule as
// under its own system (the same lines, or for systemWorded the same rule
// and position), so each positive fixture still gets its own rule's
// findings and no negative one gets any. Rules read the system-specific
// syntax through neutral model facts (a step's `when`, a job's caches, a
// reference's kind), which the relabelling keeps, so no rule is exempt.
func TestFixturesUnderAnUnknownSystem(t *testing.T) {
	e := newEngine(t)
	relabel := func(p *model.Pipeline) { p.System = unknownSystem }
	eachFixture(t, func(t *testing.T, ruleID, polarity, path string) {
		known := evaluateFixture(t, e, path, nil)
		unknown := evaluateFixture(t, e, path, relabel)
		if own := ownFindings(unknown, ruleID); polarity == "positive" && own == 0 {
			t.Errorf("%s reports nothing under system %q", ruleID, unknownSystem)
		} else if polarity == "negative" && own > 0 {
			t.Errorf("%s reports %d findings under system %q", ruleID, own, unknownSystem)
		}
		compareLines(t, comparable(unknown), comparable(known))
	})
}

func ownFindings(lines []findingLine, ruleID string) int {
	n := 0
	for _, l := range lines {
		if l.ruleID == ruleID {
			n++
		}
	}
	return n
}

// comparable renders findings for comparison across systems: the whole
// line, or only rule and position for the systemWorded rules.
func comparable(lines []findingLine) []string {
	var out []string
	for _, l := range lines {
		if slices.Contains(systemWorded, l.ruleID) {
			l.severity, l.message = "", "(worded by system)"
		}
		out = append(out, l.String())
	}
	return out
}
