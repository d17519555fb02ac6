// Package azure parses Azure Pipelines YAML files (azure-pipelines.yml and
// the pipelines kept under .azure-pipelines/ or .pipelines/) into the
// common pipeline model.
//
// Templates are expanded the way Azure expands them before a run: local
// `template:` includes of stages, jobs, steps and variables, with their
// `parameters:`, and `extends:` templates, read from the repository;
// template expressions `${{ }}` (parameters, `if`/`elseif`/`else` and
// `each` directives) are evaluated where their inputs are literal. A
// template of another repository (`x.yml@alias`) is not fetched: it is a
// Reference of kind include, usage "project" (another project's file),
// pinned as its
// `resources.repositories` entry's `ref:` says. An expression that cannot be
// evaluated keeps its text and is listed among the value's Expressions.
package azure

import (
	"path"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Parser is Azure Pipelines for the registry.
var Parser = syntax.Parser{
	System:   model.Azure,
	Files:    "azure-pipelines.yml, .azure-pipelines/*.yml, .pipelines/*.yml",
	Detect:   detect,
	NearMiss: nearMiss,
	Parse:    Parse,
}

func isYAML(name string) bool {
	ext := path.Ext(name)
	return ext == ".yml" || ext == ".yaml"
}

// isMainFile reports whether the file goes by the name Azure suggests for
// a pipeline, which is a pipeline wherever it is.
func isMainFile(slashPath string) bool {
	base := path.Base(slashPath)
	return base == "azure-pipelines.yml" || base == "azure-pipelines.yaml"
}

// inPipelineDir reports whether the file is under a directory conventionally
// holding pipelines and their templates.
func inPipelineDir(slashPath string) bool {
	dir := "/" + path.Dir(slashPath) + "/"
	return strings.Contains(dir, "/.azure-pipelines/") || strings.Contains(dir, "/.pipelines/")
}

func detect(slashPath string) bool {
	return isMainFile(slashPath) || (isYAML(slashPath) && inPipelineDir(slashPath))
}

func nearMiss(slashPath string) string {
	switch path.Base(slashPath) {
	case "azure-pipelines.yml.disabled", ".azure-pipelines.yml", ".azure-pipelines.yaml":
		return "Azure Pipelines reads the YAML file a pipeline is set up with; check this one with --system azure"
	}
	return ""
}

// pipelineKeys are the top-level keys only a pipeline, never a template,
// declares. A file under .azure-pipelines/ or .pipelines/ without any is
// taken for a template, which is read through the pipelines that include
// it.
var pipelineKeys = []string{"trigger", "pr", "schedules", "resources", "pool", "extends", "name", "lockBehavior", "appendCommitMessageToRunName"}
