package gitlab

// defaultKeys are the keywords a job takes from `default:` when it lacks
// them (subject to `inherit: default:`).
var defaultKeys = []string{
	"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "identity",
	"image", "interruptible", "retry", "services", "tags", "timeout",
}

// deprecatedGlobals are top-level keywords that act as if written under
// `default:`.
var deprecatedGlobals = []string{"image", "services", "cache", "before_script", "after_script"}

// defaultsOf returns the `default:` entries by keyword, completed by the
// deprecated top-level ones (`default:` wins).
func defaultsOf(config *node) map[string]pair {
	defaults := map[string]pair{}
	for _, key := range deprecatedGlobals {
		if k, v := config.entry(key); !v.isNull() {
			defaults[key] = pair{k, v}
		}
	}
	for _, pr := range config.get("default").pairsOrNil() {
		if !pr.value.isNull() {
			defaults[pr.key.value] = pr
		}
	}
	return defaults
}

// compose adds to job the default keywords it lacks and inherits. A key
// set to null (say by extends) counts as absent, as in GitLab.
func compose(job *node, defaults map[string]pair) *node {
	inherit := job.get("inherit").get("default")
	pairs := append([]pair(nil), job.pairs...)
	for _, key := range defaultKeys {
		def, ok := defaults[key]
		if !ok || !job.get(key).isNull() || !inherits(inherit, key) {
			continue
		}
		if old := lookup(pairs, key); old != nil {
			*old = def
		} else {
			pairs = append(pairs, def)
		}
	}
	return newMap(job.pos, pairs)
}

// inherits evaluates an `inherit:` setting (true, false or a list of
// names) for one name; absent means true.
func inherits(setting *node, name string) bool {
	switch {
	case setting.isNull():
		return true
	case setting.kind == seqNode:
		for _, it := range setting.items {
			if it.value == name {
				return true
			}
		}
		return false
	}
	return setting.value != "false"
}
