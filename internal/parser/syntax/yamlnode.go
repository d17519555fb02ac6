package syntax

import "gopkg.in/yaml.v3"

// Reading a yaml.Node tree the way the CI services' YAML readers do, for
// parsers that work on the tree itself: aliases followed where a value is
// read, and merge keys (`<<: *defaults`) applied.

// YAMLPair is a mapping entry, its value with aliases followed.
type YAMLPair struct{ Key, Value *yaml.Node }

// ResolveAlias follows aliases to the value they name; other nodes are
// returned as they are, and a chain deeper than MaxDepth is nil.
func ResolveAlias(n *yaml.Node) *yaml.Node {
	for range MaxDepth {
		if n == nil || n.Kind != yaml.AliasNode {
			return n
		}
		n = n.Alias
	}
	return nil
}

// MappingPairs returns a mapping's entries with merge keys applied: keys
// written in the mapping win over merged ones, among merged mappings the
// earlier wins, and of a key written twice the last. Anything other than a
// mapping has none.
func MappingPairs(n *yaml.Node) []YAMLPair { return mergedPairs(ResolveAlias(n), 0) }

func mergedPairs(n *yaml.Node, depth int) []YAMLPair {
	if n == nil || n.Kind != yaml.MappingNode || depth > MaxDepth {
		return nil
	}
	var explicit, merged []YAMLPair
	at := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], ResolveAlias(n.Content[i+1])
		if v == nil {
			continue
		}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			sources := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				sources = v.Content
			}
			for _, s := range sources {
				merged = append(merged, mergedPairs(ResolveAlias(s), depth+1)...)
			}
			continue
		}
		if j, ok := at[k.Value]; ok {
			explicit[j] = YAMLPair{k, v}
			continue
		}
		at[k.Value] = len(explicit)
		explicit = append(explicit, YAMLPair{k, v})
	}
	for _, p := range merged {
		if _, ok := at[p.Key.Value]; !ok {
			at[p.Key.Value] = len(explicit)
			explicit = append(explicit, p)
		}
	}
	return explicit
}

// MappingEntry returns the key and value of key in a mapping, nil when
// it has none.
func MappingEntry(n *yaml.Node, key string) (k, v *yaml.Node) {
	for _, p := range MappingPairs(n) {
		if p.Key.Value == key {
			return p.Key, p.Value
		}
	}
	return nil, nil
}

// MappingGet returns the value of key in a mapping, nil when absent.
func MappingGet(n *yaml.Node, key string) *yaml.Node {
	_, v := MappingEntry(n, key)
	return v
}

// SequenceItems returns a sequence's items, aliases followed; nil for
// anything else.
func SequenceItems(n *yaml.Node) []*yaml.Node {
	n = ResolveAlias(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	items := make([]*yaml.Node, 0, len(n.Content))
	for _, item := range n.Content {
		if item = ResolveAlias(item); item != nil {
			items = append(items, item)
		}
	}
	return items
}
