package gitlab

import "github.com/pipelint/pipelint/internal/model"

// environment reads `environment:`, a name or {name, url, action, ...}.
// The known variables in the name are expanded (see expand); the name
// keeps the position where it is written.
func environment(n *node, known map[string]model.String) *model.Environment {
	if n.isNull() {
		return nil
	}
	env := &model.Environment{Pos: n.pos}
	if n.kind == scalarNode {
		env.Name = n.str()
	} else {
		env.Name = n.get("name").str()
		env.URL = n.get("url").str()
		env.Action = n.get("action").str()
		env.Tier = n.get("deployment_tier").str()
		env.OnStop = n.get("on_stop").str()
	}
	env.Name.Value = expand(env.Name.Value, known)
	if env.Action.Value == "" {
		env.Action.Value = "start"
	}
	return env
}
