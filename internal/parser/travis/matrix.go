package travis

import (
	"fmt"
	"strconv"

	"github.com/pipelint/pipelint/internal/model"
)

// maxJobs bounds the jobs one file expands to; a real matrix has dozens.
const maxJobs = 256

// matrixKeys are the root keys whose list of values multiplies the jobs
// of the build matrix (the language versions, and where a job runs), in
// the order Travis expands them. `env:` is one too (envEntries).
var matrixKeys = []string{
	"os", "dist", "arch", "osx_image", "compiler",
	"rvm", "gemfile", "jdk", "node_js", "python", "php", "go", "rust",
	"perl", "scala", "dart", "julia", "elixir", "otp_release", "ghc",
	"crystal", "d", "haxe", "r", "smalltalk", "mono", "dotnet", "solution",
	"xcode_scheme", "xcode_sdk", "xcode_project", "xcode_workspace",
}

var isMatrixKey = func() map[string]bool {
	m := map[string]bool{"env": true}
	for _, k := range matrixKeys {
		m[k] = true
	}
	return m
}()

// jobConfig is what one job of the matrix is made of: an include entry
// (nil for a job of the root's matrix), the matrix value it takes for
// each key, and its `env:` entries.
type jobConfig struct {
	entry  *node
	chosen map[string]*node
	env    []*node
	pos    model.Pos
	stage  model.String
}

// expand lists the jobs of the build matrix.
func (b *builder) expand() []jobConfig {
	jobsKey := "jobs"
	if b.root.get("jobs") == nil && b.root.get("matrix") != nil {
		jobsKey = "matrix"
	}
	jobs := b.root.get(jobsKey)
	includes := jobs.get("include").list()
	var configs []jobConfig
	if rootBuilds(b.root, len(includes)) {
		configs = b.rootMatrix(jobs.get("exclude").list())
	}
	stage := model.String{Value: "test"}
	for _, entry := range includes {
		if !entry.isMap() {
			b.p.errorf(entry.pos, "a jobs include entry must be a mapping of job keys")
			continue
		}
		if s := entry.get("stage"); s.isScalar() {
			stage = s.str()
		}
		c := jobConfig{entry: entry, chosen: map[string]*node{}, pos: entry.pos, stage: stage}
		for _, key := range matrixKeys {
			if entry.get(key) == nil {
				if values := b.root.get(key).list(); len(values) > 0 {
					c.chosen[key] = values[0] // an include takes the root's first value
				}
			}
		}
		c.env = envList(entry.get("env"))
		configs = append(configs, c)
	}
	if len(configs) > maxJobs {
		b.p.warnf(configs[maxJobs].pos, "the build matrix has %d jobs: only the first %d are checked", len(configs), maxJobs)
		configs = configs[:maxJobs]
	}
	return configs
}

// rootBuilds says whether the root's own matrix makes jobs: always without
// includes; with them, only when a matrix key is written at the root.
func rootBuilds(root *node, includes int) bool {
	if includes == 0 {
		return true
	}
	for _, key := range matrixKeys {
		if root.get(key) != nil {
			return true
		}
	}
	return len(rootEnvEntries(root)) > 0
}

// rootEnvEntries are the entries of the root's `env:` that make jobs: a
// list or string, or its `jobs:` (or `matrix:`) part.
func rootEnvEntries(root *node) []*node {
	env := root.get("env")
	if env.isMap() {
		if jobs := env.get("jobs"); jobs != nil {
			return jobs.list()
		}
		return env.get("matrix").list()
	}
	return env.list()
}

// rootMatrix is the product of the root's matrix keys, less the excluded
// combinations; each job is positioned at the first value it takes from
// a list of more than one.
func (b *builder) rootMatrix(excludes []*node) []jobConfig {
	configs := []jobConfig{{chosen: map[string]*node{}, stage: model.String{Value: "test"}}}
	for _, key := range append(matrixKeys, "env") {
		var values []*node
		if key == "env" {
			values = rootEnvEntries(b.root)
		} else {
			values = b.root.get(key).list()
		}
		if len(values) == 0 {
			continue
		}
		var next []jobConfig
		for _, c := range configs {
			for _, v := range values {
				if len(next) > maxJobs {
					break
				}
				n := jobConfig{chosen: map[string]*node{}, env: c.env, pos: c.pos, stage: c.stage}
				for k, chosen := range c.chosen {
					n.chosen[k] = chosen
				}
				if key == "env" {
					n.env = []*node{v}
				} else {
					n.chosen[key] = v
				}
				if n.pos.IsZero() && len(values) > 1 {
					n.pos = v.pos
				}
				next = append(next, n)
			}
		}
		configs = next
	}
	kept := configs[:0]
	for _, c := range configs {
		if !excluded(c, excludes) {
			kept = append(kept, c)
		}
	}
	for i := range kept {
		if kept[i].pos.IsZero() {
			kept[i].pos = b.rootPos()
		}
	}
	return kept
}

// rootPos is where a job made by the root alone is positioned: its
// `language:`, else the start of the file.
func (b *builder) rootPos() model.Pos {
	if l := b.root.get("language"); l.isScalar() {
		return l.pos
	}
	return model.Pos{File: b.p.in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}
}

// excluded says whether an exclude entry matches every value it names.
func excluded(c jobConfig, excludes []*node) bool {
	for _, ex := range excludes {
		if !ex.isMap() || len(ex.pairs) == 0 {
			continue
		}
		match := true
		for _, pr := range ex.pairs {
			switch {
			case pr.key.value == "env":
				match = match && len(c.env) == 1 && c.env[0].text() == pr.value.text()
			case isMatrixKey[pr.key.value]:
				match = match && c.chosen[pr.key.value].text() == pr.value.text()
			}
		}
		if match {
			return true
		}
	}
	return false
}

// sectioned says whether an `env:` mapping has sections (global, jobs,
// matrix) rather than being a variable itself (`secure:`) or variables
// (NAME: value).
func sectioned(env *node) bool {
	return env.get("global") != nil || env.get("jobs") != nil || env.get("matrix") != nil
}

// envList is a job's own `env:`: one entry, a list of them, or a mapping
// whose `jobs:` gives them.
func envList(env *node) []*node {
	if sectioned(env) {
		return append(env.get("global").list(), append(env.get("jobs").list(), env.get("matrix").list()...)...)
	}
	return env.list()
}

// jobID is a job's `name:`, else its number in the build, as Travis shows
// it; made unique.
func jobID(c jobConfig, number int, seen map[string]bool) model.String {
	id := model.String{Value: strconv.Itoa(number), Pos: c.pos}
	if name := c.entry.get("name"); name.isScalar() && name.value != "" {
		id = name.str()
	}
	base := id.Value
	for n := 2; seen[id.Value]; n++ {
		id.Value = fmt.Sprintf("%s (%d)", base, n)
	}
	seen[id.Value] = true
	return id
}
