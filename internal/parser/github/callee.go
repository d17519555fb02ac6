package github

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Bounds on following local callees. Real repositories nest two or three
// levels and follow a few dozen callees from one file.
const (
	// maxWorkflowDepth is how deep reusable workflows are followed:
	// GitHub connects at most ten levels of workflows, the caller and
	// nine called ones.
	maxWorkflowDepth = 9
	// maxActionDepth is how deep local actions are followed: GitHub runs
	// at most ten composite actions nested in one another.
	maxActionDepth = 10
	// maxCallees bounds the callees followed from one file, counting each
	// place one is followed: actions that each call another several times
	// would otherwise multiply at every level.
	maxCallees = 256
)

// parse parses the file in.Path of in.Repo and follows the local reusable
// workflows and actions it calls (see model.Job.Callee). A callee that
// cannot be followed is a warning of the caller, never an error: the
// caller itself is fine.
func parse(in syntax.Input) syntax.Result {
	src, err := syntax.ReadInput(in)
	if err != nil {
		return syntax.Result{Err: err}
	}
	p, err := Parse(in.Display, src)
	if p == nil {
		return syntax.Result{Err: err}
	}
	p.Sources = []model.SourceFile{syntax.Source(in.Display, src)}
	f := &follower{in: in, top: p, files: map[string]*calleeFile{}, sourced: map[string]bool{}, warned: map[string]bool{}}
	f.follow(p, nil, nil)
	return syntax.Result{Pipeline: p, Err: err, Warnings: f.warnings}
}

// follower follows the local callees of one file.
type follower struct {
	in       syntax.Input
	top      *model.Pipeline
	files    map[string]*calleeFile // by the path inside in.Repo they were looked up by
	sourced  map[string]bool        // display paths of the callees in top.Sources
	followed int
	// overLimit is the `uses:` where more than maxCallees were first called.
	overLimit *model.Reference
	warnings  []*model.ParseError
	warned    map[string]bool // position and message of each warning
}

// calleeFile is a callee file, read and parsed once however often it is
// called: its pipeline with no callees of its own followed, or why it
// cannot be followed.
type calleeFile struct {
	path     string // inside in.Repo
	source   model.SourceFile
	pipeline *model.Pipeline
	problem  string
}

// call is one callee being followed: the chain of calls from the file
// parsed down to a callee.
type call struct {
	path string // of the callee file
	kind string // model.KindWorkflow or model.KindAction
	uses *model.Reference
}

// follow attaches their callees to the jobs and steps of p, which the
// chain of calls reached; p is the caller's own copy. The steps of an
// action continue the workspace of the step that called it; each job of a
// workflow starts with a fresh one.
func (f *follower) follow(p *model.Pipeline, chain []call, ws workspace) {
	p.Jobs = slices.Clone(p.Jobs)
	for i := range p.Jobs {
		job := &p.Jobs[i]
		if ref := job.Uses; isLocal(ref) {
			job.Callee = f.callee(chain, ref, path.Clean(ref.Path), model.KindWorkflow, nil)
		}
		jobWorkspace := ws
		if p.Kind == model.KindWorkflow {
			jobWorkspace = nil
		}
		f.followSteps(job, chain, jobWorkspace)
	}
}

func (f *follower) followSteps(job *model.Job, chain []call, ws workspace) {
	cloned := false
	for i, step := range job.Steps {
		if ref := step.Uses; ref != nil && ref.Kind == model.RefAction && isLocal(ref) {
			if dir, ok := ws.resolve(path.Clean(ref.Path)); ok {
				if callee := f.callee(chain, ref, dir, model.KindAction, ws); callee != nil {
					if !cloned {
						job.Steps, cloned = slices.Clone(job.Steps), true
					}
					job.Steps[i].Callee = callee
				}
			}
		}
		ws = ws.after(step)
	}
}

func isLocal(ref *model.Reference) bool {
	return ref != nil && ref.Local && !ref.Dynamic && strings.HasPrefix(ref.Value.Value, "./")
}

// callee returns the pipeline a local reference calls, with its own
// callees followed, or nil. target is the workflow file, or the action's
// directory. Problems are warned about once, at the file's own `uses:`:
// a callee's own problems are its own check's, and a cycle or a chain too
// deep is warned about where the chain starts.
func (f *follower) callee(chain []call, uses *model.Reference, target, kind string, ws workspace) *model.Pipeline {
	origin := uses
	if len(chain) > 0 {
		origin = chain[0].uses
	}
	file := f.read(target, kind)
	if file.problem != "" {
		if len(chain) == 0 {
			f.warn(uses, fmt.Sprintf("local %s %q is not followed: %s", kindName(kind), uses.Value.Value, file.problem))
		}
		return nil
	}
	if file.path == f.in.Path || slices.ContainsFunc(chain, func(c call) bool { return c.path == file.path }) {
		names := []string{f.in.Display}
		for _, c := range chain {
			names = append(names, f.in.DisplayOf(c.path))
		}
		names = append(names, f.in.DisplayOf(file.path))
		f.warn(origin, fmt.Sprintf("local calls go round in a cycle (%s); it is followed once", strings.Join(names, " → ")))
		return nil
	}
	depth, limit := 1, maxWorkflowDepth
	if kind == model.KindAction {
		limit = maxActionDepth
	}
	for _, c := range chain {
		if c.kind == kind {
			depth++
		}
	}
	if depth > limit {
		f.warn(origin, fmt.Sprintf("local %ss nest deeper than the %d levels followed; the deeper ones are not followed", kindName(kind), limit))
		return nil
	}
	if f.followed == maxCallees {
		if f.overLimit == nil { // one warning for the file, where it first happened
			f.overLimit = origin
		}
		f.warn(f.overLimit, fmt.Sprintf("more than %d local workflows and actions are called from this file, counting repeats; the rest are not followed", maxCallees))
		return nil
	}
	f.followed++
	if !f.sourced[file.source.File] {
		f.sourced[file.source.File] = true
		f.top.Sources = append(f.top.Sources, file.source)
	}
	callee := *file.pipeline
	f.follow(&callee, append(slices.Clip(chain), call{path: file.path, kind: kind, uses: uses}), ws)
	return &callee
}

func kindName(kind string) string {
	if kind == model.KindAction {
		return "action"
	}
	return "workflow"
}

// read reads and parses a callee once: a workflow file, or the
// action.yml or action.yaml of an action's directory.
func (f *follower) read(target, kind string) *calleeFile {
	key := kind + ":" + target
	if file, ok := f.files[key]; ok {
		return file
	}
	file := &calleeFile{path: target}
	f.files[key] = file
	var src []byte
	var err error
	switch {
	case !fs.ValidPath(target):
		err = fmt.Errorf("%q is not a path inside the repository", target)
	case kind == model.KindAction:
		src, file.path, err = f.readAction(target)
	default:
		src, err = syntax.Read(f.in.Repo, target)
		if err != nil {
			err = fmt.Errorf("%s %w", f.in.DisplayOf(target), err)
		}
	}
	if err != nil {
		file.problem = err.Error()
		return file
	}
	display := f.in.DisplayOf(file.path)
	p, err := Parse(display, src)
	if p == nil {
		file.problem, _, _ = strings.Cut(err.Error(), "\n")
		return file
	}
	// A callee in error is followed as far as it could be parsed; its
	// errors are reported when it is checked.
	file.pipeline = p
	file.source = syntax.Source(display, src)
	file.source.Callee = true
	return file
}

// readAction reads the metadata file of the action in dir.
func (f *follower) readAction(dir string) (src []byte, file string, err error) {
	for _, name := range []string{"action.yml", "action.yaml"} {
		file = path.Join(dir, name)
		src, err = syntax.Read(f.in.Repo, file)
		if err == nil || err.Error() != "does not exist" {
			if err != nil {
				err = fmt.Errorf("%s %w", f.in.DisplayOf(file), err)
			}
			return src, file, err
		}
	}
	return nil, "", fmt.Errorf("%s has no action.yml or action.yaml", f.in.DisplayOf(dir))
}

// warn warns about a problem at a reference once, however often the
// calls that reach it are followed.
func (f *follower) warn(at *model.Reference, msg string) {
	key := fmt.Sprint(at.Value.Pos, msg)
	if f.warned[key] {
		return
	}
	f.warned[key] = true
	f.warnings = append(f.warnings, &model.ParseError{Pos: at.Value.Pos, Message: msg})
}

// workspace is where the steps of a job so far checked repositories out,
// latest last: the path of a local action is a path in the workspace, the
// repository's own files only where it was checked out.
type workspace []checkout

type checkout struct {
	dir string // inside the workspace, "." for the workspace itself
	own bool   // this repository, not another one
}

// after returns the workspace after step, which may check a repository
// out with actions/checkout.
func (ws workspace) after(step model.Step) workspace {
	ref := step.Uses
	if ref == nil || ref.Kind != model.RefAction || !strings.EqualFold(ref.Owner, "actions") || !strings.EqualFold(ref.Repo, "checkout") || ref.Path != "" {
		return ws
	}
	dir, repository := "", ""
	for _, in := range step.With {
		switch in.Name.Value {
		case "path":
			dir = in.Value.Value
		case "repository":
			repository = in.Value.Value
		}
	}
	if strings.Contains(dir, "${{") {
		return ws // where it goes is not known; the workspace is left as it was
	}
	own := repository == "" || strings.Join(strings.Fields(repository), "") == "${{github.repository}}"
	return append(slices.Clip(ws), checkout{dir: path.Clean(dir), own: own})
}

// resolve returns the directory of this repository that a local action's
// directory in the workspace is, and false when it lies in another
// repository's checkout or outside the workspace. With no checkout seen,
// the repository is taken to be the workspace, as after a plain
// actions/checkout, which a caller may have done.
func (ws workspace) resolve(dir string) (string, bool) {
	if !fs.ValidPath(dir) {
		return "", false
	}
	// The deepest checkout holding dir wins, and among checkouts to one
	// directory the latest.
	best, bestDepth := -1, -1
	for i, c := range ws {
		depth := strings.Count(c.dir, "/") + 1
		if c.dir == "." {
			depth = 0
		} else if dir != c.dir && !strings.HasPrefix(dir, c.dir+"/") {
			continue
		}
		if depth >= bestDepth {
			best, bestDepth = i, depth
		}
	}
	switch {
	case best < 0:
		return dir, true
	case !ws[best].own:
		return "", false
	case ws[best].dir == ".":
		return dir, true
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(dir, ws[best].dir), "/")
	if rel == "" {
		rel = "."
	}
	return rel, true
}
