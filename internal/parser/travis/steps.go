package travis

import (
	"io/fs"
	"path"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/shell"
)

// namedCaches are the caches `cache:` names (`cache: bundler`, `cache:
// {pip: true}`), each keeping a package manager's downloads.
var namedCaches = map[string]bool{
	"bundler": true, "pip": true, "npm": true, "yarn": true, "cargo": true,
	"ccache": true, "packages": true, "cocoapods": true, "apt": true,
}

// caches reads `cache:`. A job of a node_js build caches npm unless told
// not to (Travis's default since 2019), positioned at `language:`.
func (b *builder) caches(cache, language *node) []model.Cache {
	var out []model.Cache
	npmOff := false
	add := func(name *node) {
		out = append(out, model.Cache{Key: name.str(), Pos: name.pos})
	}
	for _, item := range cache.list() {
		switch {
		case item.isScalar() && namedCaches[item.value]:
			add(item)
		case item.isScalar() && strings.EqualFold(item.value, "false"):
			return []model.Cache{{Off: true, Pos: item.pos}}
		case item.isMap():
			for _, pr := range item.pairs {
				switch {
				case pr.key.value == "directories":
					c := model.Cache{Pos: syntax.Join(pr.key.pos, pr.value.pos)}
					for _, dir := range pr.value.list() {
						if dir.isScalar() {
							c.Paths = append(c.Paths, dir.str())
						}
					}
					out = append(out, c)
				case namedCaches[pr.key.value] && pr.value.truthy():
					add(pr.key)
				case pr.key.value == "npm" && strings.EqualFold(pr.value.text(), "false"):
					npmOff = true
				}
			}
		}
	}
	if language.text() == "node_js" && !npmOff && !hasKey(out, "npm") {
		out = append(out, model.Cache{Key: model.String{Value: "npm", Pos: language.pos}, Pos: language.pos})
	}
	if len(out) == 0 && npmOff {
		out = []model.Cache{{Off: true, Pos: cache.pos}}
	}
	return out
}

func hasKey(caches []model.Cache, key string) bool {
	for _, c := range caches {
		if c.Key.Value == key {
			return true
		}
	}
	return false
}

// addons turns `addons:` into the steps Travis runs before every phase,
// one for each addon (apt, snaps, homebrew, ...): an other step calling
// `addons.<name>` with its settings, each positioned. A list is one
// setting per item; the settings of a list's mappings are named by both
// keys, so an apt source from another repository reads as `sources.
// sourceline` and `sources.key_url`, the download Travis trusts it by.
func addons(n *node) []model.Step {
	if !n.isMap() {
		return nil
	}
	var steps []model.Step
	for _, addon := range n.pairs {
		step := model.Step{Kind: model.StepOther, Call: model.String{Value: "addons." + addon.key.value, Pos: addon.key.pos}, Pos: syntax.Join(addon.key.pos, addon.value.pos)}
		step.With = addonSettings("", addon.value)
		steps = append(steps, step)
	}
	return steps
}

// addonSettings flattens an addon's value: scalars named by the keys
// that lead to them, dotted; a list's item is positioned at itself.
func addonSettings(name string, n *node) []model.Var {
	switch {
	case n == nil:
		return nil
	case n.isScalar():
		return []model.Var{{Name: model.String{Value: name, Pos: n.pos}, Value: n.str(), Source: "literal", Pos: n.pos}}
	case n.isMap():
		var vars []model.Var
		for _, pr := range n.pairs {
			key := pr.key.value
			if name != "" {
				key = name + "." + key
			}
			for _, v := range addonSettings(key, pr.value) {
				if pr.value.isScalar() {
					v.Name.Pos, v.Pos = pr.key.pos, syntax.Join(pr.key.pos, v.Pos)
				}
				vars = append(vars, v)
			}
		}
		return vars
	}
	var vars []model.Var
	for _, item := range n.list() {
		vars = append(vars, addonSettings(name, item)...)
	}
	return vars
}

// deploys turns `deploy:` (one provider or a list) into steps: the script
// provider runs its script; any other is an other step calling the
// provider with its settings.
func (b *builder) deploys(key, value *node) []model.Step {
	var steps []model.Step
	for _, d := range value.list() {
		if !d.isMap() {
			if !d.null {
				b.p.errorf(d.pos, "a deploy must be a mapping with a provider")
			}
			continue
		}
		provider := d.get("provider")
		step := model.Step{Kind: model.StepOther, ID: model.String{Value: "deploy", Pos: d.pos}, Pos: d.pos}
		if key != nil {
			step.ID.Pos = key.pos
		}
		step.Name = model.String{Value: "deploy: " + provider.text(), Pos: d.pos}
		if provider.isScalar() {
			step.Name.Pos = provider.pos
		}
		if onKey, on := d.entry("on"); onKey != nil {
			step.Condition = condition(onKey, on)
		}
		if provider.text() == "script" {
			if run := b.scriptStep(nil, d.get("script"), ""); run != nil {
				step.Kind, step.Script = model.StepRun, run.Script
			}
			steps = append(steps, step)
			continue
		}
		step.Call = provider.str()
		for _, pr := range d.pairs {
			switch pr.key.value {
			case "provider", "on", "edge":
				continue
			}
			step.With = append(step.With, setting(pr)...)
		}
		steps = append(steps, step)
	}
	return steps
}

// setting is one deploy setting: a value, `secure:` encrypted, or a list
// (one Var per item).
func setting(pr pair) []model.Var {
	if secure := pr.value.get("secure"); secure.isScalar() {
		return []model.Var{{Name: pr.key.str(), Value: secure.str(), Source: "secret", Pos: syntax.Join(pr.key.pos, pr.value.pos)}}
	}
	var vars []model.Var
	for _, v := range pr.value.list() {
		if !v.isScalar() {
			continue
		}
		source := "literal"
		if plainVariable.MatchString(v.value) {
			source = "variable"
		}
		vars = append(vars, model.Var{Name: pr.key.str(), Value: v.str(), Source: source, Pos: syntax.Join(pr.key.pos, v.pos)})
	}
	return vars
}

// condition renders a deploy's `on:` as written, `branch: main, tags:
// true`, positioned at it.
func condition(key, on *node) model.String {
	if on.isScalar() {
		return on.str()
	}
	var parts []string
	for _, pr := range on.pairs {
		values := make([]string, 0, 1)
		for _, v := range pr.value.list() {
			values = append(values, v.text())
		}
		parts = append(parts, pr.key.value+": "+strings.Join(values, ", "))
	}
	return model.String{Value: strings.Join(parts, "; "), Pos: syntax.Join(key.pos, on.pos)}
}

// defaults are the steps Travis runs for a language when the file gives no
// install or script, positioned at `language:` (see the package doc).
func (b *builder) defaults(phase string, language *node) []model.Step {
	if !language.isScalar() {
		return nil
	}
	exists := func(name string) bool {
		_, err := fs.Stat(b.p.in.Repo, path.Join(path.Dir(b.p.in.Path), name))
		return err == nil
	}
	var commands []string
	switch lang := strings.ToLower(language.value); phase + " " + lang {
	case "install node_js":
		switch {
		case exists("package-lock.json") || exists("npm-shrinkwrap.json"):
			commands = []string{"npm ci"}
		case exists("yarn.lock"):
			commands = []string{"yarn --frozen-lockfile"}
		case exists("package.json"):
			commands = []string{"npm install"}
		}
	case "script node_js":
		commands = []string{"npm test"}
	case "install ruby":
		if exists("Gemfile") {
			commands = []string{"bundle install --jobs=3 --retry=3"}
		}
	case "script ruby":
		commands = []string{"bundle exec rake"}
	case "install python":
		if exists("requirements.txt") {
			commands = []string{"pip install -r requirements.txt"}
		}
	case "script rust":
		commands = []string{"cargo build --verbose", "cargo test --verbose"}
	case "script go":
		commands = []string{"go test -v ./..."}
		if exists("Makefile") {
			commands = []string{"make"}
		}
	case "install java", "script java":
		commands = javaDefaults(phase, exists)
	case "script php":
		commands = []string{"phpunit"}
	case "script scala":
		commands = []string{"sbt ++$TRAVIS_SCALA_VERSION test"}
	case "install elixir":
		commands = []string{"mix deps.get"}
	case "script elixir":
		commands = []string{"mix test"}
	case "script c", "script cpp", "script c++":
		commands = []string{"./configure && make && make test"}
	}
	if len(commands) == 0 {
		return nil
	}
	at := func(int, int) model.Pos { return language.pos }
	text := strings.Join(commands, "\n")
	id := model.String{Value: phase, Pos: language.pos}
	return []model.Step{{
		Kind: model.StepRun, ID: id, Name: id, Pos: language.pos,
		Script: &model.Script{Text: model.String{Value: text, Pos: language.pos}, Shell: "bash", Commands: shell.Split(text, "bash", at)},
	}}
}

// javaDefaults are Travis's Gradle or Maven defaults, by build file.
func javaDefaults(phase string, exists func(string) bool) []string {
	gradle := "gradle"
	if exists("gradlew") {
		gradle = "./gradlew"
	}
	switch {
	case exists("build.gradle") || exists("build.gradle.kts"):
		if phase == "install" {
			return []string{gradle + " assemble"}
		}
		return []string{gradle + " check"}
	case exists("pom.xml"):
		if phase == "install" {
			return []string{"mvn install -DskipTests=true -Dmaven.javadoc.skip=true -B -V"}
		}
		return []string{"mvn test -B"}
	}
	return nil
}
