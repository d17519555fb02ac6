package azure

import (
	"path"
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// templateExpression finds `${{ ... }}` in a value.
var templateExpression = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// directive is a mapping key that is a template directive:
// `${{ if c }}`, `${{ elseif c }}`, `${{ else }}`, `${{ each x in c }}`,
// `${{ insert }}`.
var directive = regexp.MustCompile(`(?s)^\$\{\{\s*(if|elseif|else|each|insert)\b(.*?)\}\}$`)

var eachHead = regexp.MustCompile(`(?s)^\s*([A-Za-z_][\w-]*)\s+in\s+(.+?)\s*$`)

// expansion is where template expansion stands: the file being expanded
// (a path inside the repository), the files including it, and what its
// expressions may read.
type expansion struct {
	file  string
	stack []string
	scope scope
	// runtime names the parameters of the pipeline itself, which whoever
	// starts a run may set: an expression reading one is kept, not
	// evaluated with the default.
	runtime map[string]bool
}

// reading reports whether an expression reads a runtime parameter.
func (x *expansion) reading(e *expr) bool {
	reads, _ := e.reads()
	for _, r := range reads {
		if name, ok := strings.CutPrefix(r, "parameters."); ok && x.runtime[strings.SplitN(name, ".", 2)[0]] {
			return true
		}
	}
	return false
}

// evaluate computes an expression, unknown (ok false) when it reads a
// runtime parameter, unless defaults allows their default values.
func (x *expansion) evaluate(e *expr, defaults bool) (any, bool) {
	if !defaults && x.reading(e) {
		return nil, false
	}
	return x.scope.eval(e)
}

// expand returns n with its template expressions and directives applied
// and its template includes read; key is the key n is the value of, which
// says what a list's `template:` items include (stages, jobs, steps or
// variables).
func (p *parser) expand(n *node, x *expansion, key string) *node {
	if n == nil || p.limited {
		return n
	}
	if p.expanded++; p.expanded > maxExpandedValues+p.loaded {
		p.limited = true
		p.errorf(n.pos, "templates expand to more than %d values", maxExpandedValues+p.loaded)
		return n
	}
	switch n.kind {
	case scalarNode:
		return p.expandScalar(n, x)
	case seqNode:
		out := &node{kind: seqNode, pos: n.pos}
		chain := "" // an if/elseif/else chain, whose branches are items
		for _, item := range n.list() {
			out.items = append(out.items, p.expandItem(item, x, key, &chain)...)
		}
		return out
	case mapNode:
		out := &node{kind: mapNode, pos: n.pos}
		p.expandPairs(out, n.pairs, x, key)
		return out
	}
	return n
}

func (p *parser) expandPairs(out *node, pairs []pair, x *expansion, key string) {
	// chain is the state of an if/elseif/else chain: "taken" once a branch
	// was taken, "open" while none was, "unknown" when a condition could
	// not be evaluated (every later branch is then kept).
	chain := ""
	// set puts a pair in the mapping, a later value replacing an earlier
	// one of the same key.
	index := map[string]int{}
	set := func(pr pair) {
		if i, ok := index[pr.key.value]; ok {
			out.pairs[i] = pr
			return
		}
		index[pr.key.value] = len(out.pairs)
		out.pairs = append(out.pairs, pr)
	}
	for _, pr := range pairs {
		m := directive.FindStringSubmatch(pr.key.value)
		if m == nil {
			chain = ""
			k := p.expandScalar(pr.key, x)
			set(pair{k, p.expand(pr.value, x, k.value)})
			continue
		}
		for _, body := range p.directiveBodies(pr, m, x, &chain) {
			merged := p.expand(body.n, body.x, key)
			if merged.isMap() {
				for _, q := range merged.pairs {
					set(q)
				}
			} else if !merged.isNull() && len(merged.exprs) == 0 {
				// (An expression not evaluated stands for a mapping
				// unknown until run time.)
				p.errorf(pr.value.pos, "%s here must hold a mapping", strings.TrimSpace(pr.key.value))
			}
		}
	}
}

// expandItem expands one item of a list into the items it stands for: a
// directive's items, the items of an included template, or itself.
func (p *parser) expandItem(item *node, x *expansion, key string, chain *string) []*node {
	if item.isMap() && len(item.pairs) == 1 {
		pr := item.pairs[0]
		if m := directive.FindStringSubmatch(pr.key.value); m != nil {
			var out []*node
			for _, body := range p.directiveBodies(pr, m, x, chain) {
				expanded := p.expand(body.n, body.x, key)
				if expanded.isSeq() {
					out = append(out, expanded.items...)
				} else if !expanded.isNull() {
					out = append(out, expanded)
				}
			}
			return out
		}
	}
	*chain = ""
	if item.isMap() && item.entry("template") != nil && key != "" {
		return p.include(item, x, key)
	}
	return []*node{p.expand(item, x, key)}
}

type body struct {
	n *node
	x *expansion
}

// directiveBodies returns the values a directive stands for, with the
// expansion each is expanded in: one for an `if` taken, one per element
// for `each`, none for a branch not taken.
func (p *parser) directiveBodies(pr pair, m []string, x *expansion, chain *string) []body {
	word, rest := m[1], strings.TrimSpace(m[2])
	switch word {
	case "insert":
		return []body{{pr.value, x}}
	case "else":
		taken := *chain == "open" || *chain == "unknown"
		*chain = ""
		if taken {
			return []body{{pr.value, x}}
		}
		return nil
	case "if", "elseif":
		if word == "elseif" && *chain != "open" && *chain != "unknown" {
			return nil
		}
		e, err := parseExpr(rest)
		if err != nil {
			p.errorf(pr.key.pos, "invalid template expression: %v", err)
			return nil
		}
		v, ok := x.evaluate(e, false)
		switch {
		case !ok:
			*chain = "unknown"
			return []body{{pr.value, x}}
		case truthy(v):
			if *chain != "unknown" {
				*chain = "taken"
			}
			return []body{{pr.value, x}}
		}
		if *chain != "unknown" {
			*chain = "open"
		}
		return nil
	case "each":
		h := eachHead.FindStringSubmatch(rest)
		if h == nil {
			p.errorf(pr.key.pos, "invalid each directive: want ${{ each name in collection }}")
			return nil
		}
		e, err := parseExpr(h[2])
		if err != nil {
			p.errorf(pr.key.pos, "invalid template expression: %v", err)
			return nil
		}
		v, ok := x.evaluate(e, true)
		coll, isNode := v.(*node)
		if !ok || !isNode {
			return nil // unknown until run time: nothing can be expanded
		}
		var out []body
		for _, item := range coll.list() {
			out = append(out, body{pr.value, &expansion{file: x.file, stack: x.stack, scope: x.scope.with(h[1], item), runtime: x.runtime}})
		}
		for _, kv := range coll.entries() {
			entry := map[string]any{"key": kv.key, "value": kv.value}
			out = append(out, body{pr.value, &expansion{file: x.file, stack: x.stack, scope: x.scope.with(h[1], entry), runtime: x.runtime}})
		}
		return out
	}
	return nil
}

// expandScalar substitutes the template expressions of a scalar. A
// value that is one expression becomes the expression's value, an object
// or list included; expressions that cannot be evaluated stay in the text
// and are listed in exprs.
func (p *parser) expandScalar(n *node, x *expansion) *node {
	if !n.isScalar() || !strings.Contains(n.value, "${{") {
		return n
	}
	matches := templateExpression.FindAllStringSubmatchIndex(n.value, -1)
	if len(matches) == 0 {
		return n
	}
	if len(matches) == 1 && matches[0][0] == 0 && matches[0][1] == len(n.value) {
		if e, err := parseExpr(n.value[matches[0][2]:matches[0][3]]); err == nil {
			if v, ok := x.evaluate(e, false); ok {
				if vn, isNode := v.(*node); isNode {
					return vn
				}
				s, _ := stringOf(v)
				return &node{kind: scalarNode, value: s, pos: n.pos}
			}
		}
	}
	var b strings.Builder
	out := &node{kind: scalarNode, pos: n.pos, src: n.src, exprs: n.exprs}
	at := positions(n)
	last, changed := 0, false
	for _, m := range matches {
		b.WriteString(n.value[last:m[0]])
		last = m[1]
		text := n.value[m[2]:m[3]]
		e, err := parseExpr(text)
		if err != nil {
			p.errorf(n.pos, "invalid template expression %q: %v", strings.TrimSpace(text), err)
			b.WriteString(n.value[m[0]:m[1]])
			continue
		}
		if v, ok := x.evaluate(e, false); ok {
			if s, ok := stringOf(v); ok {
				b.WriteString(s)
				changed = true
				continue
			}
		}
		b.WriteString(n.value[m[0]:m[1]])
		reads, flows := e.reads()
		out.exprs = append(out.exprs, model.Expression{Value: strings.TrimSpace(text), Reads: reads, Flows: flows, Pos: at(m[0], m[1])})
	}
	b.WriteString(n.value[last:])
	out.value = b.String()
	if changed {
		// The text no longer matches the file: every character is placed
		// at the scalar.
		out.src = nil
	}
	return out
}

// positions positions the byte ranges of a scalar's text: where they are
// written for a scalar of a file, the scalar's own position for a
// computed one.
func positions(n *node) func(from, to int) model.Pos {
	if n.src == nil {
		return func(int, int) model.Pos { return n.pos }
	}
	text := syntax.NewScalarText(n.value, n.locate())
	return func(from, to int) model.Pos { return text.Substring(from, to).Pos }
}

// include reads the local template a list item names and returns the
// items of its list under key, expanded with the parameters given. A
// template of another repository is recorded as a reference, not read.
func (p *parser) include(item *node, x *expansion, key string) []*node {
	tmpl := p.expandScalar(item.get("template"), x)
	if !tmpl.isScalar() {
		p.errorf(tmpl.pos, "template must name a file")
		return nil
	}
	params := p.expand(item.get("parameters"), x, "parameters")
	target, ok := p.templateFile(tmpl, x)
	if !ok {
		return nil
	}
	root, tx := p.enter(target, tmpl, params, x)
	if root == nil {
		return nil
	}
	list := root.get(key)
	if key == "stages" || key == "jobs" {
		// A jobs template may be included where stages are, and steps
		// where jobs are not: take what the template has.
		if list == nil && key == "stages" {
			list = root.get("jobs")
		}
	}
	if list == nil {
		return nil
	}
	expanded := p.expand(list, tx, key)
	if expanded.isSeq() {
		return expanded.items
	}
	if expanded.isMap() && key == "variables" { // the mapping form
		return []*node{expanded}
	}
	return nil
}

// templateFile resolves a template's name to a path inside the repository,
// or records it as a reference when it is another repository's.
func (p *parser) templateFile(tmpl *node, x *expansion) (string, bool) {
	name := strings.TrimSpace(tmpl.value)
	if len(tmpl.exprs) > 0 {
		p.addRef(model.Reference{Kind: model.RefInclude, Usage: "local", Value: tmpl.str(), Path: name, Dynamic: true, Pos: tmpl.pos})
		return "", false
	}
	if file, alias, ok := strings.Cut(name, "@"); ok && alias != "self" {
		p.remoteTemplate(tmpl, file, alias)
		return "", false
	} else if ok {
		name = file
	}
	var target string
	if strings.HasPrefix(name, "/") {
		target = path.Clean(strings.TrimLeft(name, "/"))
	} else {
		target = path.Join(path.Dir(x.file), name)
	}
	if target == ".." || strings.HasPrefix(target, "../") {
		p.errorf(tmpl.pos, "template %q is outside the repository", name)
		return "", false
	}
	return target, true
}

// remoteTemplate records a template of the repository resource alias.
func (p *parser) remoteTemplate(tmpl *node, file, alias string) {
	ref := model.Reference{Kind: model.RefInclude, Usage: "project", Value: tmpl.str(), Path: file, Pos: tmpl.pos}
	repo := p.repositories[alias]
	if repo == nil {
		p.warnf(tmpl.pos, "template %q names repository %q, which resources.repositories does not declare", tmpl.value, alias)
		ref.Repo = alias
		p.addRef(ref)
		return
	}
	ref.Repo = repo.get("name").text()
	if owner, _, ok := strings.Cut(ref.Repo, "/"); ok {
		ref.Owner = owner
	}
	// A tag is written refs/tags/<name>; a branch keeps its refs/heads/
	// prefix, which says it is one.
	ref.Ref = strings.TrimPrefix(repo.get("ref").text(), "refs/tags/")
	ref.Pinned = pinnedRef(ref.Ref)
	ref.Dynamic = strings.Contains(ref.Ref, "$(") || strings.Contains(ref.Ref, "${{")
	p.addRef(ref)
}

var commitSHA = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// pinnedRef reports whether a repository resource's ref names a commit.
// A branch, a tag (which can be moved) and no ref (the default branch) do
// not.
func pinnedRef(ref string) bool {
	return commitSHA.MatchString(strings.TrimPrefix(ref, "refs/commits/"))
}

func (p *parser) addRef(ref model.Reference) {
	p.refs = append(p.refs, ref)
}

// enter reads a template file for inclusion and returns its root and the
// expansion its values are expanded in: its declared parameters given the
// values passed, or their defaults. nil when it cannot be included.
func (p *parser) enter(target string, at, passed *node, x *expansion) (*node, *expansion) {
	for _, f := range x.stack {
		if f == target {
			p.errorf(at.pos, "template %q includes itself (through %s)", at.value, strings.Join(append(x.stack, target), " → "))
			return nil, nil
		}
	}
	if len(x.stack) >= maxTemplateDepth {
		p.errorf(at.pos, "templates nested deeper than %d levels", maxTemplateDepth)
		return nil, nil
	}
	root, seen := p.files[target]
	if !seen {
		if p.templates++; p.templates > maxTemplates {
			p.limited = true
			p.errorf(at.pos, "more than %d template files included", maxTemplates)
			return nil, nil
		}
		src, err := syntax.Read(p.in.Repo, target)
		if err != nil {
			p.errorf(at.pos, "template %q %s", p.in.DisplayOf(target), err)
			p.files[target] = nil
			return nil, nil
		}
		root = p.load(target, src)
		p.files[target] = root
	}
	if root == nil {
		return nil, nil
	}
	return root, &expansion{file: target, stack: append(x.stack[:len(x.stack):len(x.stack)], target), scope: scope{parameters: p.bind(root.get("parameters"), passed, x)}}
}

// bind gives a template's declared parameters their values: the one
// passed (matched without regard to case), else the default.
func (p *parser) bind(declared, passed *node, x *expansion) *node {
	out := &node{kind: mapNode}
	given := func(name string) *node {
		if !passed.isMap() {
			return nil
		}
		if i, ok := passed.foldedIndex()[strings.ToLower(name)]; ok {
			return passed.pairs[i].value
		}
		return nil
	}
	add := func(name *node, def *node) {
		v := given(name.value)
		if v == nil {
			v = p.expand(def, x, "")
		}
		if v == nil {
			v = &node{kind: scalarNode, null: true, pos: name.pos}
		}
		out.pairs = append(out.pairs, pair{name, v})
	}
	switch {
	case declared.isSeq():
		for _, d := range declared.list() {
			if name := d.get("name"); name.isScalar() {
				add(name, d.get("default"))
			}
		}
	case declared.isMap(): // the old form, name: default
		for _, pr := range declared.entries() {
			add(pr.key, pr.value)
		}
	}
	if passed.isMap() {
		declaredNames := out.foldedIndex()
		for _, pr := range passed.pairs {
			if _, ok := declaredNames[strings.ToLower(pr.key.value)]; !ok {
				out.pairs = append(out.pairs, pr)
			}
		}
		out.folded = nil // pairs were added since
	}
	return out
}
