package gitlab

import (
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

func caches(n *node) []model.Cache {
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
				cache.Key.Pos = join(list[0].pos, list[len(list)-1].pos)
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
