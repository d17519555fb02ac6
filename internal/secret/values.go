package secret

import "unicode/utf8"

// minValueLength is the length below which a value is not looked for: a
// value that short would mask parts of ordinary words.
const minValueLength = 4

// Values finds secrets known by their value (the text at the spans of
// sensitive findings) wherever a text holds them. A file may flag
// thousands, and every line shown must be searched for all of them, so
// they are found in one pass over a text whatever their number
// (Aho-Corasick): the time is the text's length, not the text's length
// times the number of values. The zero Values finds nothing; it is safe
// for concurrent use once built.
type Values struct {
	next map[edge]int32 // trie edges: node and byte → child; node 0 is the root
	fail []int32        // the node of the longest proper suffix that is in the trie
	// longest is the length in bytes of the longest value that ends at a
	// node, itself or through its suffixes; 0 for none.
	longest []int32
}

type edge struct {
	node int32
	b    byte
}

// NewValues returns the finder of values; those shorter than four
// characters are left out.
func NewValues(values []string) *Values {
	v := &Values{next: map[edge]int32{}, fail: []int32{0}, longest: []int32{0}}
	children := [][]int32{nil}
	for _, value := range values {
		if utf8.RuneCountInString(value) < minValueLength {
			continue
		}
		node := int32(0)
		for i := range len(value) {
			child, ok := v.next[edge{node, value[i]}]
			if !ok {
				child = int32(len(v.fail))
				v.next[edge{node, value[i]}] = child
				v.fail, v.longest = append(v.fail, 0), append(v.longest, 0)
				children = append(children, nil)
				children[node] = append(children[node], child)
			}
			node = child
		}
		v.longest[node] = int32(len(value))
	}
	// Suffix links, breadth first: a node's is found from its parent's.
	last := map[int32]byte{} // node → the byte that leads to it
	for e, child := range v.next {
		last[child] = e.b
	}
	queue := append([]int32(nil), children[0]...)
	parent := make([]int32, len(v.fail))
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		if node != 0 && parent[node] != 0 {
			v.fail[node] = v.step(v.fail[parent[node]], last[node])
		}
		if v.longest[node] == 0 {
			v.longest[node] = v.longest[v.fail[node]]
		}
		for _, child := range children[node] {
			parent[child] = node
			queue = append(queue, child)
		}
	}
	return v
}

// step is the node after reading b at node.
func (v *Values) step(node int32, b byte) int32 {
	for {
		if child, ok := v.next[edge{node, b}]; ok {
			return child
		}
		if node == 0 {
			return 0
		}
		node = v.fail[node]
	}
}

// Spans returns where text holds a value, in characters as Masker.Spans
// takes its extra spans: at each place a value ends, the longest one, with
// its Preview. Spans may overlap; Masker.Spans merges them.
func (v *Values) Spans(text string) []Span {
	if v == nil || len(v.next) == 0 {
		return nil
	}
	var found []Span
	node := int32(0)
	for i := range len(text) {
		node = v.step(node, text[i])
		if n := int(v.longest[node]); n > 0 {
			found = append(found, Span{i + 1 - n, i + 1, Preview(text[i+1-n : i+1])})
		}
	}
	return toRunes(text, found)
}

// Mask replaces every occurrence in text of the values by their Preview.
func (v *Values) Mask(text string) string {
	return Apply(text, merge(v.Spans(text)))
}
