package gitlab

import "github.com/pipelint/pipelint/internal/model"

func environment(n *node) *model.Environment {
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
	if env.Action.Value == "" {
		env.Action.Value = "start"
	}
	return env
}
