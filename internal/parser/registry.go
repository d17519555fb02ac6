// Package parser finds CI files and hands each to the parser of its
// system. The systems are listed once, in Parsers; discovery, --system,
// help text and inspect all read that list.
package parser

import (
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/azure"
	"github.com/pipelint/pipelint/internal/parser/bitbucket"
	"github.com/pipelint/pipelint/internal/parser/circleci"
	"github.com/pipelint/pipelint/internal/parser/github"
	"github.com/pipelint/pipelint/internal/parser/gitlab"
	"github.com/pipelint/pipelint/internal/parser/jenkins"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/parser/travis"
)

// Parsers is every CI system pipelint reads. Adding a system adds its
// package's Parser here.
var Parsers = []syntax.Parser{github.Parser, gitlab.Parser, jenkins.Parser, azure.Parser, circleci.Parser, bitbucket.Parser, travis.Parser}

// Lookup returns the parser of a system.
func Lookup(system model.System) (syntax.Parser, bool) {
	i := slices.IndexFunc(Parsers, func(p syntax.Parser) bool { return p.System == system })
	if i < 0 {
		return syntax.Parser{}, false
	}
	return Parsers[i], true
}

// SystemNames lists the systems' names, for help text and messages:
// "github, gitlab or jenkins".
func SystemNames() string {
	names := make([]string, len(Parsers))
	for i, p := range Parsers {
		names[i] = string(p.System)
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// FileNames describes the files discovery recognises, for help text.
func FileNames() string {
	names := make([]string, len(Parsers))
	for i, p := range Parsers {
		names[i] = p.Files
	}
	return strings.Join(names, "; ")
}

// Detect tells which system a file belongs to from its slash-separated
// path, the way the systems themselves find their files; "" for anything
// else.
func Detect(slashPath string) model.System {
	for _, p := range Parsers {
		if p.Detect(slashPath) {
			return p.System
		}
	}
	return ""
}

// detectNamed is Detect for a file named on the command line, which may
// also go by a looser name (a pre-commit hook passes `ci.gitlab-ci.yml`).
func detectNamed(slashPath string) model.System {
	if system := Detect(slashPath); system != "" {
		return system
	}
	for _, p := range Parsers {
		if p.Named != nil && p.Named(slashPath) {
			return p.System
		}
	}
	return ""
}

// nearMiss says why a file that looks like a CI file is not checked, or "".
func nearMiss(slashPath string) string {
	for _, p := range Parsers {
		if p.NearMiss != nil {
			if why := p.NearMiss(slashPath); why != "" {
				return why
			}
		}
	}
	return ""
}
