package gitlab

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// caches reads a job's `cache:` (key and value), one cache or a list. An
// empty list is GitLab's way to switch caching off for a job, dropping a
// `default:` or inherited cache; it is kept as one Off entry at `cache:
// []`, because rules read a decision against a cache differently from a
// job that never declared one.
func caches(key, n *node) []model.Cache {
	if n.isSeq() && len(n.items) == 0 {
		return []model.Cache{{Off: true, Pos: syntax.Join(key.pos, n.pos)}}
	}
	var out []model.Cache
	items := []*node{n}
	if n.isSeq() {
		items = n.items
	}
	for _, c := range items {
		if !c.isMap() {
			continue
		}
		cache := model.Cache{Policy: c.get("policy").str(), Pos: c.pos}
		switch key := c.get("key"); {
		case key.isMap():
			files := key.get("files")
			var names []string
			for _, f := range scalars(files) {
				names = append(names, f.value)
			}
			cache.Key.Value = strings.Join(names, ",")
			if list := scalars(files); len(list) > 0 {
				cache.Key.Pos = syntax.Join(list[0].pos, list[len(list)-1].pos)
			}
		default:
			cache.Key = key.str()
		}
		for _, path := range scalars(c.get("paths")) {
			cache.Paths = append(cache.Paths, path.str())
		}
		if len(cache.Paths) == 0 && c.get("untracked").text() != "true" {
			continue // caches nothing
		}
		out = append(out, cache)
	}
	return out
}
