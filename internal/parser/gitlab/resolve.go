package gitlab

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// maxExtendsLevels is a job plus its ancestors: GitLab allows a job up to
// ten ancestors ("up to eleven levels of inheritance").
const maxExtendsLevels = 11

// deepMerge merges over into base as GitLab does for includes and extends:
// two mappings merge key by key, recursively; anything else (lists,
// scalars, null) replaces. Neither argument is modified.
func deepMerge(base, over *node) *node {
	if base == nil {
		return over
	}
	if over == nil {
		return base
	}
	if !base.isMap() || !over.isMap() {
		return over
	}
	pairs := make([]pair, len(base.pairs), len(base.pairs)+len(over.pairs))
	copy(pairs, base.pairs)
	at := make(map[string]int, len(pairs))
	for i, p := range pairs {
		at[p.key.value] = i
	}
	for _, p := range over.pairs {
		if i, ok := at[p.key.value]; ok {
			pairs[i] = pair{p.key, deepMerge(pairs[i].value, p.value)}
		} else {
			pairs = append(pairs, p)
		}
	}
	return newMap(over.pos, pairs)
}

// resolveExtends replaces every top-level mapping that has `extends` by its
// bases deep-merged in list order with the entry's own keys on top.
func (p *parser) resolveExtends(config *node) *node {
	e := &extender{p: p, config: config, done: map[string]*node{}, heights: extendsHeights(config)}
	pairs := make([]pair, len(config.pairs))
	for i, pr := range config.pairs {
		pairs[i] = pair{pr.key, e.resolve(pr.key.value, nil)}
	}
	return newMap(config.pos, pairs)
}

type extender struct {
	p       *parser
	config  *node
	done    map[string]*node
	heights map[string]extendsHeight
}

// extendsHeight is the length of the longest extends chain from an entry,
// itself first, and the base it continues with.
type extendsHeight struct {
	levels int
	next   string
}

// bases returns the entries that the entry name extends, in order, with
// the errors of its extends: left out.
func (e *extender) bases(name string, report bool) (extendsKey *node, bases []string) {
	job := e.config.get(name)
	extendsKey, extends := job.entry("extends")
	if extendsKey == nil || extends.isNull() {
		return nil, nil
	}
	items := []*node{extends}
	if extends.kind == seqNode {
		items = extends.items
	}
	for _, b := range items {
		base := e.config.get(b.text())
		switch {
		case b.kind != scalarNode:
			if report {
				e.p.errorf(b.pos, "extends must name keys of the configuration")
			}
		case base == nil:
			if report {
				e.p.missingf(missingKey{job: name, key: strconv.Quote(b.value)}, b.pos, "job %q extends %q, which does not exist", name, b.value)
			}
		case !base.isMap():
			if report {
				e.p.errorf(b.pos, "job %q extends %q, which is not a mapping", name, b.value)
			}
		default:
			bases = append(bases, b.value)
		}
	}
	return extendsKey, bases
}

// extendsHeights measures the longest extends chain from every top-level
// entry by a depth-first walk that keeps its own stack, as a chain may be
// thousands of entries long; a base on a cycle counts for nothing (the
// cycle is reported when resolving).
func extendsHeights(config *node) map[string]extendsHeight {
	e := &extender{config: config}
	heights := map[string]extendsHeight{}
	onStack := map[string]bool{}
	type frame struct {
		name  string
		bases []string
		next  int
		best  extendsHeight // the tallest base so far, as its own height
		base  string
	}
	for _, root := range config.pairs {
		if _, done := heights[root.key.value]; done {
			continue
		}
		_, bases := e.bases(root.key.value, false)
		stack := []frame{{name: root.key.value, bases: bases}}
		onStack[root.key.value] = true
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(f.bases) {
				b := f.bases[f.next]
				f.next++
				if h, done := heights[b]; done {
					if h.levels > f.best.levels {
						f.best, f.base = h, b
					}
				} else if !onStack[b] {
					_, bases := e.bases(b, false)
					stack = append(stack, frame{name: b, bases: bases})
					onStack[b] = true
				}
				continue
			}
			h := extendsHeight{levels: f.best.levels + 1, next: f.base}
			heights[f.name] = h
			delete(onStack, f.name)
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				if parent := &stack[len(stack)-1]; h.levels > parent.best.levels {
					parent.best, parent.base = h, f.name
				}
			}
		}
	}
	return heights
}

func (e *extender) resolve(name string, chain []string) *node {
	if r, ok := e.done[name]; ok {
		return r
	}
	job := e.config.get(name)
	extendsKey, extends := job.entry("extends")
	if extendsKey == nil || extends.isNull() {
		e.done[name] = job
		return job
	}
	if i := slices.Index(chain, name); i >= 0 {
		e.p.errorf(extendsKey.pos, "circular extends: %s -> %s", strings.Join(chain[i:], " -> "), name)
		return job
	}
	_, bases := e.bases(name, true)
	// Report once per chain: at the entry where it first gets too long.
	// An entry above it is left as written, so that resolving never
	// follows more than that many entries.
	height := e.heights[name]
	if height.levels == maxExtendsLevels+1 {
		var names []string
		for n := name; n != ""; n = e.heights[n].next {
			names = append(names, n)
		}
		e.p.errorf(extendsKey.pos, "extends nesting deeper than %d levels: %s", maxExtendsLevels-1, strings.Join(names, " -> "))
	}
	if height.levels > maxExtendsLevels+1 || len(chain) > maxExtendsLevels {
		e.done[name] = job
		return job
	}
	chain = append(chain, name)
	var merged *node
	for _, b := range bases {
		merged = deepMerge(merged, e.resolve(b, chain))
	}
	value := deepMerge(merged, job)
	e.done[name] = value
	return value
}

// resolveReferences replaces every !reference in the configuration by the
// value it names, looked up after includes and extends.
func (p *parser) resolveReferences(config *node) *node {
	r := &referencer{p: p, config: config, done: map[string]*node{}, active: map[string]bool{}}
	pairs := make([]pair, len(config.pairs))
	for i, pr := range config.pairs {
		r.job = pr.key.value
		pairs[i] = pair{pr.key, r.resolve(pr.value)}
	}
	return newMap(config.pos, pairs)
}

type referencer struct {
	p      *parser
	config *node
	done   map[string]*node
	active map[string]bool
	// depths measures the nesting of every !reference, on the first one
	// met; depth counts the references being resolved.
	depths map[*node]referenceDepth
	depth  int
	// job is the top-level entry being resolved, which a missing
	// reference is reported for.
	job string
	// expanded counts the nodes spliced in, against reference bombs.
	expanded int
	tooBig   bool
}

// resolve returns n with its references replaced, n itself when it holds
// none.
func (r *referencer) resolve(n *node) *node {
	switch n.kind {
	case refNode:
		return r.reference(n)
	case mapNode:
		var pairs []pair
		for i, pr := range n.pairs {
			v := r.resolve(pr.value)
			if v != pr.value && pairs == nil {
				pairs = append(make([]pair, 0, len(n.pairs)), n.pairs[:i]...)
			}
			if pairs != nil {
				pairs = append(pairs, pair{pr.key, v})
			}
		}
		if pairs == nil {
			return n
		}
		return newMap(n.pos, pairs)
	case seqNode:
		var items []*node
		for i, it := range n.items {
			v := r.resolve(it)
			if v != it && items == nil {
				items = append(make([]*node, 0, len(n.items)), n.items[:i]...)
			}
			if items != nil {
				items = append(items, v)
			}
		}
		if items == nil {
			return n
		}
		out := newSeq(seqNode, n.pos, items)
		return out
	}
	return n
}

func (r *referencer) reference(ref *node) *node {
	path := referencePath(ref)
	key := strings.Join(path, "\x00")
	shown := "!reference [" + strings.Join(path, ", ") + "]"
	if r.active[key] {
		r.p.errorf(ref.pos, "%s is part of a circular chain", shown)
		return nullAt(ref.pos)
	}
	if r.depths == nil {
		r.depths = referenceDepths(r.config)
	}
	if d := r.depths[ref]; d.levels > maxReferenceLevels || r.depth == maxReferenceLevels {
		// Only the reference that reaches one level too many is reported:
		// each one above it is too deep because of it.
		if d.levels == maxReferenceLevels+1 || r.depth == maxReferenceLevels {
			var chain []string
			for n := ref; n != nil; n = r.depths[n].next {
				chain = append(chain, "["+strings.Join(referencePath(n), ", ")+"]")
			}
			r.p.errorf(ref.pos, "!reference nesting deeper than %d levels: %s", maxReferenceLevels, strings.Join(chain, " -> "))
		}
		return nullAt(ref.pos)
	}
	resolved, ok := r.done[key]
	if !ok {
		target := r.target(ref)
		if target == nil {
			r.p.missingf(missingKey{job: r.job, key: shown, reference: true}, ref.pos, "%s could not be found", shown)
			return nullAt(ref.pos)
		}
		r.active[key] = true
		r.depth++
		resolved = r.resolve(target)
		r.depth--
		delete(r.active, key)
		r.done[key] = resolved
	}
	r.expanded = addSize(r.expanded, resolved.size)
	if r.expanded > syntax.MaxNodes {
		if !r.tooBig {
			r.p.errorf(ref.pos, "!reference tags expand to more than %d values", syntax.MaxNodes)
			r.tooBig = true
		}
		return nullAt(ref.pos)
	}
	return resolved
}

func referencePath(ref *node) []string {
	path := make([]string, len(ref.items))
	for i, it := range ref.items {
		path[i] = it.value
	}
	return path
}

// target returns the value a !reference names, nil when there is none.
func (r *referencer) target(ref *node) *node {
	target := r.config
	for _, k := range ref.items {
		target = target.get(k.value)
	}
	return target
}

// maxReferenceLevels is how deep GitLab nests !reference tags: a reference
// to a value holding a reference to a value holding a reference, and so
// on, ten levels at most.
const maxReferenceLevels = 10

// referenceDepth is how deeply a !reference nests, or for a collection the
// deepest reference in it.
type referenceDepth struct {
	levels int   // 1 for a reference to a value without references
	ref    *node // the deepest reference: a reference itself, or one inside a collection
	next   *node // for a reference, the deepest reference in its target
}

// referenceDepths measures the nesting of every !reference in config, and
// of every collection the deepest reference in it, by a depth-first walk
// of config and of the targets of its references. The walk keeps its own
// stack, as the references may chain thousands of times, and measures
// every node once. A reference on a cycle counts the references after it
// up to where the cycle closes (which resolving reports).
func referenceDepths(config *node) map[*node]referenceDepth {
	r := &referencer{config: config}
	depths := map[*node]referenceDepth{}
	type frame struct {
		n        *node
		children []*node
		next     int
		deepest  referenceDepth
	}
	onStack := map[*node]bool{}
	var stack []frame
	push := func(n *node) {
		f := frame{n: n}
		switch n.kind {
		case mapNode:
			for _, pr := range n.pairs {
				f.children = append(f.children, pr.value)
			}
		case seqNode:
			f.children = n.items
		case refNode:
			if target := r.target(n); target != nil {
				f.children = []*node{target}
			}
		}
		onStack[n] = true
		stack = append(stack, f)
	}
	deeper := func(a, b referenceDepth) referenceDepth {
		if b.levels > a.levels {
			return b
		}
		return a
	}
	push(config)
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.children) {
			child := f.children[f.next]
			f.next++
			if d, done := depths[child]; done {
				f.deepest = deeper(f.deepest, d)
			} else if child.kind != scalarNode && !onStack[child] {
				push(child)
			}
			continue
		}
		d := f.deepest
		if f.n.kind == refNode {
			d = referenceDepth{levels: f.deepest.levels + 1, ref: f.n, next: f.deepest.ref}
		}
		depths[f.n] = d
		delete(onStack, f.n)
		stack = stack[:len(stack)-1]
		if len(stack) > 0 {
			parent := &stack[len(stack)-1]
			parent.deepest = deeper(parent.deepest, d)
		}
	}
	return depths
}

// flatten returns the items of a script-like list (script, rules) with
// nested lists, as !reference and anchors produce them, spliced in. GitLab
// flattens up to 10 levels.
func (p *parser) flatten(n *node) []*node {
	if n.isNull() {
		return nil
	}
	if n.kind != seqNode {
		return []*node{n}
	}
	var out []*node
	var walk func(n *node, depth int)
	walk = func(n *node, depth int) {
		for _, it := range n.items {
			if it.kind != seqNode {
				out = append(out, it)
				continue
			}
			if depth == 10 {
				p.errorf(it.pos, "lists nested deeper than 10 levels")
				continue
			}
			walk(it, depth+1)
		}
	}
	walk(n, 1)
	return out
}
