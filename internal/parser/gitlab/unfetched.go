package gitlab

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// missingKey is a use of a key that is in none of the files read: by the
// top-level entry job (a job, a hidden job or default:), through
// `extends:` or (reference) a !reference; key is as the warning shows it.
type missingKey struct {
	job, key  string
	reference bool
}

// keysListed is how many missing keys a warning names; a real pipeline
// can miss dozens, and the first few are enough to recognise the include.
const keysListed = 3

// missingf reports a use of a key that is not defined: an error when the
// whole configuration was read. Otherwise an include that is not fetched
// may define the key, and the use waits for warnUnfetched: one warning per
// include reads better than one per job.
func (p *parser) missingf(use missingKey, pos model.Pos, format string, args ...any) {
	if len(p.unfetched) == 0 {
		p.errorf(pos, format, args...)
		return
	}
	p.missing = append(p.missing, use)
}

// warnUnfetched warns at every include that is not fetched about the jobs
// that use keys missing from the files read. Which include defines which
// key is unknown, so each warning counts them all.
func (p *parser) warnUnfetched() {
	if len(p.missing) == 0 {
		return
	}
	jobs, keys := map[string]bool{}, map[string]bool{}
	var listed []string
	for _, m := range p.missing {
		jobs[m.job] = true
		if !keys[m.key] {
			keys[m.key] = true
			listed = append(listed, m.key)
		}
	}
	definer, source := "it", "it"
	switch others := len(p.unfetched) - 1; {
	case others == 1:
		definer, source = "it or 1 other unfetched include", "them"
	case others > 1:
		definer, source = fmt.Sprintf("it or %d other unfetched includes", others), "them"
	}
	keysWord := "keys"
	if len(listed) == 1 {
		keysWord = "a key"
	}
	names := strings.Join(listed[:min(len(listed), keysListed)], ", ")
	if len(listed) > keysListed {
		names += fmt.Sprintf(" and %d more", len(listed)-keysListed)
	}
	subject := uses(len(jobs), p.missing)
	for _, include := range p.unfetched {
		p.warnings = append(p.warnings, &model.ParseError{Pos: include.Pos, Message: fmt.Sprintf(
			"%s; %s %s %s may define (%s); settings taken from %s are unknown", notFetched(include), subject, keysWord, definer, names, source)})
	}
}

// uses says how jobs, n of them, use the missing keys: "2 jobs extend",
// "1 job extends or references".
func uses(n int, missing []missingKey) string {
	extends := slices.ContainsFunc(missing, func(m missingKey) bool { return !m.reference })
	references := slices.ContainsFunc(missing, func(m missingKey) bool { return m.reference })
	var verbs []string
	if extends {
		verbs = append(verbs, "extend")
	}
	if references {
		verbs = append(verbs, "reference")
	}
	if n == 1 {
		for i := range verbs {
			verbs[i] += "s"
		}
		return "1 job " + strings.Join(verbs, " or ")
	}
	return fmt.Sprintf("%d jobs %s", n, strings.Join(verbs, " or "))
}

// notFetched names an include that is not read, as it is written.
func notFetched(include model.Reference) string {
	switch include.Usage {
	case "project":
		return fmt.Sprintf("file %q of project %q is not fetched", include.Path, include.Repo)
	case "local":
		return fmt.Sprintf("local include %q is built from variables and not read", include.Value.Value)
	}
	return fmt.Sprintf("%s %q is not fetched", include.Usage, include.Value.Value)
}
