package runner

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/secret"
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

// repositoryCheck checks the files of one repository. Every file is
// evaluated seeing the repository's pipelines (repositoryView), which must
// then be complete: the files, then the child pipelines they start, are
// parsed in order, a few per worker at a time, and kept while the view has
// room. When a pipeline does not fit, the view is final: the files kept are
// evaluated, and each later file as soon as it is parsed, then dropped, so
// that memory stays bounded however large the repository. Files only in
// view (parser.File.Context) are parsed while the view is open and never
// reported on; once it is closed, they are not read at all.
type repositoryCheck struct {
	ctx          context.Context
	limits       *budget
	governing    *policies
	reportUnused bool
	fixEdits     bool      // work out the edits of the findings' fixes
	online       *refFacts // nil unless checking online

	view       *repositoryView
	repository *model.Repository // the view, once final
	queue      []parser.File
	files      map[string]*queued // by absolute path
	kept       []*parsedFile      // parsed while the view is open

	checked  []parser.File // the files checked, and their results
	results  []fileResult
	warnings []*model.ParseError
}

// queued is what is known of a file found.
type queued struct {
	context bool // only in view, so far
	done    bool // evaluated, or dropped as only in view
}

func (c *repositoryCheck) run(files []parser.File) {
	c.view = newRepositoryView(c.limits.maxViewValues)
	if len(files) > 0 {
		c.view.dependencyFiles = parser.DependencyFiles(c.ctx, files[0].Repository)
	}
	c.files = map[string]*queued{}
	for _, f := range files {
		c.enqueue(f)
	}
	for len(c.queue) > 0 {
		batch := c.nextBatch()
		var ready []*parsedFile
		for _, pf := range inParallel(batch, func(f parser.File) *parsedFile { return parseFile(c.ctx, c.limits, f) }) {
			c.enqueueChildren(pf)
			if c.repository == nil && c.view.add(pf) {
				c.kept = append(c.kept, pf)
				continue
			}
			if c.repository == nil {
				c.close()
			}
			ready = append(ready, pf)
		}
		c.evaluate(ready)
	}
	if c.repository == nil {
		c.close()
	}
}

func (c *repositoryCheck) enqueue(f parser.File) {
	c.files[f.Abs(f.Display)] = &queued{context: f.Context}
	c.queue = append(c.queue, f)
}

// nextBatch takes the next files to parse off the queue, passing over the
// files only in view once the view is final.
func (c *repositoryCheck) nextBatch() []parser.File {
	var batch []parser.File
	for len(c.queue) > 0 && len(batch) < 4*runtime.GOMAXPROCS(0) {
		f := c.queue[0]
		c.queue = c.queue[1:]
		if q := c.files[f.Abs(f.Display)]; c.repository != nil && q.context {
			q.done = true
			continue
		}
		batch = append(batch, f)
	}
	return batch
}

// enqueueChildren queues the child pipelines a file starts. A child is
// checked when a file checked starts it, even one first found only in
// view; one already passed over is queued again.
func (c *repositoryCheck) enqueueChildren(pf *parsedFile) {
	checked := !c.files[pf.file.Abs(pf.file.Display)].context
	for _, child := range pf.result.children {
		abs := child.Abs(child.Display)
		q, found := c.files[abs]
		switch {
		case !found:
			child.Context = !checked
			c.enqueue(child)
		case checked && q.context:
			q.context = false
			if q.done {
				child.Context = false
				c.enqueue(child)
			}
		}
	}
}

// close makes the view final and evaluates the files kept for it.
func (c *repositoryCheck) close() {
	c.repository, c.warnings = c.view.repository()
	kept := c.kept
	c.kept = nil
	c.evaluate(kept)
}

// evaluate evaluates the files checked among parsed files, which are then
// dropped. The memory bound of an evaluation is on the process's heap,
// which the other workers grow too: a file stopped at the bound while
// others were evaluated is evaluated again, alone, and only then reported
// over the bound.
func (c *repositoryCheck) evaluate(parsed []*parsedFile) {
	parsed = slices.DeleteFunc(parsed, func(pf *parsedFile) bool {
		q := c.files[pf.file.Abs(pf.file.Display)]
		q.done = true
		return q.context
	})
	if c.online != nil {
		c.online.resolve(c.ctx, parsed)
	}
	evaluate := func(pf *parsedFile, alone bool) fileResult {
		pol, err := c.governing.of(pf.file)
		if err != nil {
			return fileResult{errs: secret.Default().MaskErrors(flattenErrors(pf.file.Display, err), nil), masker: secret.Default()}
		}
		result := pf.evaluate(c.ctx, c.limits, pol, c.repository, c.reportUnused, alone)
		if c.fixEdits && !result.overMemory {
			result = pf.withEditsInBudget(c.ctx, c.limits, result)
		}
		return result
	}
	alone := min(runtime.GOMAXPROCS(0), len(parsed)) == 1
	results := inParallel(parsed, func(pf *parsedFile) fileResult { return evaluate(pf, alone) })
	for i, r := range results {
		if r.overMemory {
			results[i] = evaluate(parsed[i], true)
		}
	}
	for i, pf := range parsed {
		pf.file.Context = false
		c.checked = append(c.checked, pf.file)
		c.results = append(c.results, results[i])
	}
}

// repositoryView gathers the view of a repository as its files are
// parsed: the pipeline of every file and of every local callee of those,
// each file once, without the text of its files or its callees (which are
// there in their own right), within maxValues values in all. It is cut at
// the first pipeline that does not fit.
type repositoryView struct {
	maxValues int
	values    int
	byFile    map[string]*model.Pipeline
	counted   map[string]int // values of each pipeline in byFile
	cutAt     string         // the file of the first pipeline left out
	// dependencyFiles are the repository's, found once for all its files.
	dependencyFiles []model.DependencyFile
}

func newRepositoryView(maxValues int) *repositoryView {
	return &repositoryView{maxValues: maxValues, byFile: map[string]*model.Pipeline{}, counted: map[string]int{}}
}

// add adds a parsed file's pipeline and its callees, and reports whether
// they fit.
func (v *repositoryView) add(pf *parsedFile) bool {
	p := pf.pipeline
	if p == nil {
		return true
	}
	added := map[*model.Pipeline]int{p: modelValues(p.InView(), v.maxValues)}
	// The file's own pipeline replaces the one read as another's callee.
	values := added[p] - v.counted[p.File]
	for i := range p.Callees {
		if c := &p.Callees[i]; v.byFile[c.File] == nil {
			added[c] = modelValues(c.InView(), v.maxValues)
			values += added[c]
		}
	}
	if v.values+values > v.maxValues {
		v.cutAt = p.File
		return false
	}
	v.values += values
	for q, n := range added {
		v.byFile[q.File], v.counted[q.File] = q, n
	}
	return true
}

// repository returns the view, in file order, and a warning when it was
// cut: a rule would otherwise judge the repository on part of it without
// saying so.
func (v *repositoryView) repository() (*model.Repository, []*model.ParseError) {
	view := &model.Repository{Pipelines: make([]model.Pipeline, 0, len(v.byFile)), DependencyFiles: v.dependencyFiles}
	for _, file := range slices.Sorted(maps.Keys(v.byFile)) {
		view.Pipelines = append(view.Pipelines, v.byFile[file].InView())
	}
	if v.cutAt == "" {
		return view, nil
	}
	return view, []*model.ParseError{{
		Pos:     model.Pos{File: v.cutAt, Line: 1, Column: 1},
		Message: fmt.Sprintf("the repository view rules see leaves out this pipeline and the ones checked after it: the repository's pipelines hold more than %d values", v.maxValues),
	}}
}
