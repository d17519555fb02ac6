package travis

import "gopkg.in/yaml.v3"

// merge merges an imported configuration into the importing one by the
// import's mode, as Travis does: the importing file's values win, and
//   - replace and merge keep the importing file's top-level keys whole,
//     adding the imported file's other keys;
//   - deep_merge merges mappings at every level;
//   - deep_merge_append (the default) and deep_merge_prepend also join
//     lists met at the same key, the imported items after, or before, the
//     importing file's.
func merge(importing, imported *node, mode string) *node {
	switch mode {
	case "replace", "merge":
		return mergeMaps(importing, imported, func(a, _ *node) *node { return a })
	}
	return deepMerge(importing, imported, mode)
}

func deepMerge(a, b *node, mode string) *node {
	switch {
	case a.isMap() && b.isMap():
		return mergeMaps(a, b, func(x, y *node) *node { return deepMerge(x, y, mode) })
	case a.isSeq() && b.isSeq() && mode == "deep_merge_append":
		return joinLists(a, b)
	case a.isSeq() && b.isSeq() && mode == "deep_merge_prepend":
		return joinLists(b, a)
	}
	return a
}

// mergeMaps returns a's keys, each value the result of both for keys of b
// too, followed by b's other keys.
func mergeMaps(a, b *node, both func(x, y *node) *node) *node {
	out := &node{kind: yaml.MappingNode, pos: a.pos, size: a.size + b.size}
	for _, pa := range a.pairs {
		if vb := b.get(pa.key.value); vb != nil {
			pa.value = both(pa.value, vb)
		}
		out.pairs = append(out.pairs, pa)
	}
	for _, pb := range b.pairs {
		if a.get(pb.key.value) == nil {
			out.pairs = append(out.pairs, pb)
		}
	}
	return out
}

func joinLists(first, second *node) *node {
	items := append(append([]*node{}, first.items...), second.items...)
	return &node{kind: yaml.SequenceNode, pos: first.pos, items: items, size: first.size + second.size}
}
