package github

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// The local workflows and actions followed from one file are bounded in
// number and, together, in size, as one file is (syntax.MaxFileSize). Each
// is parsed once however often it is called, so this bounds the work and
// the memory whatever the calls' depth; real files call a few dozen
// callees of a few kilobytes.
const (
	maxCallees     = 256
	maxCalleeBytes = syntax.MaxFileSize
)

// parse parses the file in.Path of in.Repo and follows the local reusable
// workflows and actions it calls (see model.Pipeline.Callees). A callee
// that cannot be followed is a warning of the caller, never an error: the
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
	f := &follower{in: in, files: map[string]*calleeFile{}, warned: map[string]bool{}}
	f.follow(p, []string{in.Path}, nil, nil)
	for _, callee := range f.followed {
		p.Callees = append(p.Callees, *callee.pipeline)
		p.Sources = append(p.Sources, callee.source)
	}
	return syntax.Result{Pipeline: p, Err: err, Warnings: f.warnings}
}

// follower follows the local callees of one file.
type follower struct {
	in       syntax.Input
	files    map[string]*calleeFile // by kind and the path they were looked up by
	followed []*calleeFile          // in the order first called
	bytes    int                    // of the callees followed
	// overLimit is the `uses:` where the bounds were first passed.
	overLimit *model.Reference
	warnings  []*model.ParseError
	warned    map[string]bool // position and message of each warning
}

// calleeFile is a callee file, read and parsed once however often it is
// called, or why it cannot be followed.
type calleeFile struct {
	path     string // inside in.Repo
	size     int    // in bytes
	source   model.SourceFile
	pipeline *model.Pipeline
	problem  string
	// overBudget is true for a file that would take the callees over
	// maxCalleeBytes when first called.
	overBudget bool
	followed   bool
}

// follow resolves the local callees of the jobs and steps of p, the file
// at the end of stack (the files being followed, from the file parsed),
// and follows each the first time it is called. origin is the `uses:` of
// the file parsed that led to p. The steps of an action continue the
// workspace of the step that called it; each job of a workflow starts
// with a fresh one.
func (f *follower) follow(p *model.Pipeline, stack []string, origin *model.Reference, ws workspace) {
	for i := range p.Jobs {
		job := &p.Jobs[i]
		if ref := job.Uses; isLocal(ref) {
			job.Callee = f.callee(stack, cmp.Or(origin, ref), ref, path.Clean(ref.Path), model.KindWorkflow, nil)
		}
		jobWorkspace := ws
		if p.Kind == model.KindWorkflow {
			jobWorkspace = nil
		}
		for s := range job.Steps {
			step := &job.Steps[s]
			if ref := step.Uses; ref != nil && ref.Kind == model.RefAction && isLocal(ref) {
				dir, ok := path.Clean(ref.Path), true
				if strings.HasPrefix(ref.Value.Value, "./") { // else $/, the repository whatever the workspace
					dir, ok = jobWorkspace.resolve(dir)
				}
				if ok {
					step.Callee = f.callee(stack, cmp.Or(origin, ref), ref, dir, model.KindAction, jobWorkspace)
				}
			}
			jobWorkspace = jobWorkspace.after(*step)
		}
	}
}

// isLocal tells a reference into the repository: `./path`, a path in the
// workspace, or `$/path`, a path in the repository at the commit running.
func isLocal(ref *model.Reference) bool {
	return ref != nil && ref.Local && !ref.Dynamic
}

// callee returns the display path of the file a local reference calls,
// followed, or "" when it cannot be. target is the workflow file, or the
// action's directory. A callee that cannot be read is warned about at the
// file's own `uses:` only, since a callee's own calls are its own check's
// business; a cycle, and too many callees, at the `uses:` where the calls
// leading to them start.
func (f *follower) callee(stack []string, origin, uses *model.Reference, target, kind string, ws workspace) string {
	file := f.read(target, kind)
	if file.problem != "" {
		if len(stack) == 1 {
			f.warn(uses, fmt.Sprintf("local %s %q is not followed: %s", kindName(kind), uses.Value.Value, file.problem))
		}
		return ""
	}
	if slices.Contains(stack, file.path) {
		names := make([]string, 0, len(stack)+1)
		for _, path := range append(stack, file.path) {
			names = append(names, f.in.DisplayOf(path))
		}
		f.warn(origin, fmt.Sprintf("local calls go round in a cycle (%s); the call back is not followed", strings.Join(names, " → ")))
		return ""
	}
	if !file.followed {
		if len(f.followed) == maxCallees || file.overBudget {
			if f.overLimit == nil { // one warning for the file, where it first happened
				f.overLimit = origin
			}
			f.warn(f.overLimit, fmt.Sprintf("this file calls more than %d local workflows and actions, or more than %d bytes of them; the rest are not followed", maxCallees, maxCalleeBytes))
			return ""
		}
		file.followed = true
		f.followed = append(f.followed, file)
		f.bytes += file.size
		f.follow(file.pipeline, append(slices.Clip(stack), file.path), origin, ws)
	}
	return file.pipeline.File
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
	file.size = len(src)
	if f.bytes+file.size > maxCalleeBytes { // not parsed: it cannot be followed
		file.overBudget = true
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
// calls that lead to it are followed.
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
