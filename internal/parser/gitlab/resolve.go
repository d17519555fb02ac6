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
	e := &extender{p: p, config: config, done: map[string]extended{}}
	pairs := make([]pair, len(config.pairs))
	for i, pr := range config.pairs {
		pairs[i] = pair{pr.key, e.resolve(pr.key.value, nil).value}
	}
	return newMap(config.pos, pairs)
}

type extender struct {
	p      *parser
	config *node
	done   map[string]extended
}

type extended struct {
	value *node
	// longest is the longest extends chain from this entry, itself first.
	longest []string
}

func (e *extender) resolve(name string, chain []string) extended {
	if r, ok := e.done[name]; ok {
		return r
	}
	job := e.config.get(name)
	extendsKey, extends := job.entry("extends")
	self := extended{value: job, longest: []string{name}}
	if extendsKey == nil || extends.isNull() {
		e.done[name] = self
		return self
	}
	if i := slices.Index(chain, name); i >= 0 {
		e.p.errorf(extendsKey.pos, "circular extends: %s -> %s", strings.Join(chain[i:], " -> "), name)
		return self
	}
	chain = append(chain, name)
	bases := []*node{extends}
	if extends.kind == seqNode {
		bases = extends.items
	}
	var merged *node
	var tallest []string
	for _, b := range bases {
		base := e.config.get(b.text())
		switch {
		case b.kind != scalarNode:
			e.p.errorf(b.pos, "extends must name keys of the configuration")
			continue
		case base == nil:
			e.p.missingf(missingKey{job: name, key: strconv.Quote(b.value)}, b.pos, "job %q extends %q, which does not exist", name, b.value)
			continue
		case !base.isMap():
			e.p.errorf(b.pos, "job %q extends %q, which is not a mapping", name, b.value)
			continue
		}
		r := e.resolve(b.value, chain)
		merged = deepMerge(merged, r.value)
		if len(r.longest) > len(tallest) {
			tallest = r.longest
		}
	}
	self = extended{value: deepMerge(merged, job), longest: append([]string{name}, tallest...)}
	// Report once per chain: at the entry where it first gets too long.
	if len(self.longest) == maxExtendsLevels+1 {
		e.p.errorf(extendsKey.pos, "extends nesting deeper than %d levels: %s", maxExtendsLevels-1, strings.Join(self.longest, " -> "))
	}
	e.done[name] = self
	return self
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
	path := make([]string, len(ref.items))
	for i, it := range ref.items {
		path[i] = it.value
	}
	key := strings.Join(path, "\x00")
	shown := "!reference [" + strings.Join(path, ", ") + "]"
	if r.active[key] {
		r.p.errorf(ref.pos, "%s is part of a circular chain", shown)
		return nullAt(ref.pos)
	}
	resolved, ok := r.done[key]
	if !ok {
		target := r.config
		for _, k := range path {
			target = target.get(k)
		}
		if target == nil {
			r.p.missingf(missingKey{job: r.job, key: shown, reference: true}, ref.pos, "%s could not be found", shown)
			return nullAt(ref.pos)
		}
		r.active[key] = true
		resolved = r.resolve(target)
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
