package gitlab

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/pipelint/pipelint/internal/model"
)

// maxIncludes is GitLab's limit on included files per pipeline, nested ones
// counted.
const maxIncludes = 150

var commitSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// load reads file and merges its includes in: the included files in the
// written order, each with its own includes expanded first, later ones
// winning, and file itself last, over all of them. chain is the include
// path from the main file down to file, for cycle detection; at is where
// file was named, for the error when it cannot be read.
func (p *parser) load(file string, chain []string, at model.Pos) (config, spec *node) {
	config, spec = p.read(file, at)
	if config == nil {
		return nil, spec
	}
	includeKey, include := config.entry("include")
	if includeKey == nil {
		return config, spec
	}
	var merged *node
	for _, local := range p.includeItems(include) {
		if p.includes >= maxIncludes {
			if p.includes == maxIncludes { // once: every later include is over too
				p.errorf(local.Pos, "Maximum of %d nested includes are allowed!", maxIncludes)
				p.includes++
			}
			break
		}
		p.includes++
		if i := slices.Index(chain, local.Value); i >= 0 {
			p.errorf(local.Pos, "include cycle: %s -> %s", strings.Join(chain[i:], " -> "), local.Value)
			continue
		}
		sub, _ := p.load(local.Value, append(chain, local.Value), local.Pos)
		merged = deepMerge(merged, sub)
	}
	var own []pair
	for _, pr := range config.pairs {
		if pr.key != includeKey {
			own = append(own, pr)
		}
	}
	return deepMerge(merged, newMap(config.pos, own)), spec
}

// includeItems records a Reference for every include item and returns the
// local files to load, in order: each a repository path positioned at the
// text that named it (a glob yields every file it matches).
func (p *parser) includeItems(include *node) []model.String {
	items := []*node{include}
	if include.kind == seqNode {
		items = include.items
	}
	var files []model.String
	for _, item := range items {
		switch {
		case item.isNull():
		case item.kind == scalarNode:
			if strings.HasPrefix(item.value, "https://") || strings.HasPrefix(item.value, "http://") {
				p.addUnfetched(remoteRef(item.str(), model.String{}))
			} else {
				files = append(files, p.localInclude(item.str())...)
			}
		case item.isMap():
			files = append(files, p.includeMap(item)...)
		default:
			p.errorf(item.pos, "an include must be a path or a mapping such as {local: path}")
		}
	}
	return files
}

func (p *parser) includeMap(item *node) []model.String {
	switch {
	case item.get("local") != nil:
		return p.localInclude(item.get("local").str())
	case item.get("project") != nil:
		project, ref := item.get("project").str(), item.get("ref").str()
		files := item.get("file")
		list := []*node{files}
		if files.isSeq() {
			list = files.items
		}
		for _, f := range list {
			p.addUnfetched(projectRef(project, ref, f.str()))
		}
	case item.get("remote") != nil:
		p.addUnfetched(remoteRef(item.get("remote").str(), item.get("integrity").str()))
	case item.get("template") != nil:
		t := item.get("template").str()
		p.addUnfetched(model.Reference{Kind: model.RefInclude, Usage: "template", Value: t, Path: t.Value, Dynamic: dynamic(t.Value), Pos: t.Pos})
	case item.get("component") != nil:
		p.addUnfetched(componentRef(item.get("component").str()))
	default:
		p.errorf(item.pos, "unknown include type: expected local, project, remote, template or component")
	}
	return nil
}

// localInclude resolves a local include (a path from the repository root,
// with or without a leading slash, possibly a glob) to the files to load.
func (p *parser) localInclude(written model.String) []model.String {
	clean := path.Clean("/" + written.Value)[1:]
	ref := model.Reference{Kind: model.RefInclude, Usage: "local", Value: written, Path: clean, Local: true, Dynamic: dynamic(written.Value), Pos: written.Pos}
	p.addRef(ref)
	switch {
	case written.Value == "":
		p.errorf(written.Pos, "a local include needs a file path")
		return nil
	case escapes(written.Value):
		p.errorf(written.Pos, "local include %q is outside the repository", written.Value)
		return nil
	case ref.Dynamic:
		p.addUnfetched(ref) // the file depends on run-time variables
		return nil
	case !strings.ContainsAny(clean, "*?[{"):
		return []model.String{{Value: clean, Pos: written.Pos}}
	}
	matches, err := doublestar.Glob(p.in.Repo, clean, doublestar.WithFilesOnly())
	if err != nil {
		p.errorf(written.Pos, "local include %q: %s", written.Value, err)
		return nil
	}
	slices.Sort(matches)
	files := make([]model.String, len(matches))
	for i, m := range matches {
		files[i] = model.String{Value: m, Pos: written.Pos}
	}
	return files
}

// escapes reports whether a local include path leaves the repository: it
// climbs above the root with `..` (a leading slash means the root).
func escapes(p string) bool {
	depth := 0
	for _, part := range strings.Split(p, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// addRef records a reference once, however often it is met (a value
// shared through an alias, extends or default: is met once per job).
func (p *parser) addRef(r model.Reference) {
	key := refKey{r.Kind, r.Usage, r.Value, r.Path, r.Pos}
	if p.refSeen[key] {
		return
	}
	if p.refSeen == nil {
		p.refSeen = map[refKey]bool{}
	}
	p.refSeen[key] = true
	p.refs = append(p.refs, r)
}

// refKey is what tells two references apart for addRef.
type refKey struct {
	kind, usage string
	value       model.String
	path        string
	pos         model.Pos
}

// addUnfetched records an include whose content is not read, which makes
// the configuration partial, once however often its file is included.
func (p *parser) addUnfetched(r model.Reference) {
	p.addRef(r)
	if !slices.ContainsFunc(p.unfetched, func(u model.Reference) bool { return u.Pos == r.Pos }) {
		p.unfetched = append(p.unfetched, r)
	}
}

// dynamic reports whether a value depends on a CI variable ($X, ${X},
// $[[ inputs.x ]]).
func dynamic(s string) bool { return strings.Contains(s, "$") }

func projectRef(project, ref, file model.String) model.Reference {
	r := model.Reference{
		Kind: model.RefInclude, Usage: "project", Value: project,
		Repo: project.Value, Path: strings.TrimPrefix(file.Value, "/"), Ref: ref.Value,
		Pinned:  commitSHA.MatchString(ref.Value),
		Dynamic: dynamic(project.Value) || dynamic(ref.Value) || dynamic(file.Value),
		Pos:     project.Pos,
	}
	if !file.Pos.IsZero() {
		r.Pos = file.Pos
	}
	return r
}

func remoteRef(url, integrity model.String) model.Reference {
	return model.Reference{
		Kind: model.RefInclude, Usage: "remote", Value: url, Repo: url.Value,
		Pinned: integrity.Value != "", Integrity: integrity, Dynamic: dynamic(url.Value), Pos: url.Pos,
	}
}

// componentRef parses `host/group/project/name@version`: Repo is the
// project with its host, Path the component name, Ref the version. A
// variable host ($CI_SERVER_FQDN, the usual idiom) leaves the reference
// static.
func componentRef(c model.String) model.Reference {
	r := model.Reference{Kind: model.RefInclude, Usage: "component", Value: c, Pos: c.Pos}
	name, version, _ := strings.Cut(c.Value, "@")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		r.Repo, r.Path = name[:i], name[i+1:]
	} else {
		r.Path = name
	}
	r.Ref = version
	r.Pinned = commitSHA.MatchString(version)
	_, afterHost, _ := strings.Cut(name, "/")
	r.Dynamic = dynamic(afterHost) || dynamic(version)
	return r
}
