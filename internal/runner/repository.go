package runner

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
)

// byRepository splits files by repository, in the order their
// repositories first appear.
func byRepository(files []parser.File) [][]parser.File {
	var groups [][]parser.File
	index := map[string]int{}
	for _, f := range files {
		i, ok := index[f.Repository]
		if !ok {
			i = len(groups)
			index[f.Repository] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], f)
	}
	return groups
}

// repositoryView is the repository the files of one repository see: the
// pipeline of every file parsed and of every local callee of those, each
// file once, in file order, without the text of its files or its callees
// (which are there in their own right), within maxValues values in all. A
// pipeline past the bound is left out, with a warning: a rule would
// otherwise judge the repository on part of it without saying so.
func repositoryView(parsed []*parsedFile, maxValues int) (*model.Repository, []*model.ParseError) {
	byFile := map[string]*model.Pipeline{}
	for _, pf := range parsed {
		if p := pf.pipeline; p != nil {
			byFile[p.File] = p
			for i := range p.Callees {
				if _, known := byFile[p.Callees[i].File]; !known {
					byFile[p.Callees[i].File] = &p.Callees[i]
				}
			}
		}
	}
	view := &model.Repository{Pipelines: make([]model.Pipeline, 0, len(byFile))}
	var warnings []*model.ParseError
	values := 0
	for _, file := range slices.Sorted(maps.Keys(byFile)) {
		seen := *byFile[file]
		seen.Sources, seen.Callees, seen.Repository = nil, nil, nil
		n := modelValues(&seen, maxValues)
		if values+n > maxValues {
			warnings = append(warnings, &model.ParseError{
				Pos:     model.Pos{File: file, Line: 1, Column: 1},
				Message: fmt.Sprintf("the pipeline is left out of the repository view rules see: the repository's pipelines hold more than %d values", maxValues),
			})
			continue
		}
		values += n
		view.Pipelines = append(view.Pipelines, seen)
	}
	return view, warnings
}
