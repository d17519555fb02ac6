package github

import (
	"path"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Parser is GitHub Actions for the registry: workflows directly in
// .github/workflows and action metadata files anywhere.
var Parser = syntax.Parser{
	System:   model.GitHub,
	Files:    ".github/workflows/*.yml, action.yml",
	Detect:   detect,
	NearMiss: nearMiss,
	Parse:    parse,
}

func isYAML(name string) bool {
	ext := path.Ext(name)
	return ext == ".yml" || ext == ".yaml"
}

func inWorkflows(dir string) bool {
	return dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")
}

func detect(slashPath string) bool {
	base := path.Base(slashPath)
	return (inWorkflows(path.Dir(slashPath)) && isYAML(base)) || base == "action.yml" || base == "action.yaml"
}

func nearMiss(slashPath string) string {
	if !isYAML(slashPath) {
		return ""
	}
	if _, below, ok := strings.Cut("/"+slashPath, "/.github/workflows/"); ok && strings.Contains(below, "/") {
		return "GitHub runs only the workflows directly in .github/workflows, not in its subdirectories"
	}
	return ""
}
