package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// skippedDirs are never searched: VCS metadata and vendored dependencies
// hold other people's CI files, and testdata holds test inputs by Go's
// convention, not the repository's CI.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, "testdata": true}

// File is a CI file to check.
type File struct {
	// Repository is the absolute directory display paths are relative to:
	// the repository holding the file (the nearest directory with .git),
	// else the directory scanned.
	Repository string
	// Root is the absolute directory the file's references are resolved
	// against: its repository, or for a pipeline that pulls files in, its
	// own directory.
	Root string
	// Path is the file's path inside Root, with forward slashes.
	Path string
	// Display is the path reports show: relative to Repository, with
	// forward slashes.
	Display string
	System  model.System
	// StartedAt is where a parent pipeline starts this one as a child, so
	// that a missing child is reported there; nil for discovered files.
	StartedAt *model.Pos
	// Context is true for a file listed only for the repository view of
	// the files checked (Options.Context): it is parsed, but neither
	// checked nor reported on.
	Context bool
}

// Abs returns the absolute path of a file that checking f names by display
// path: f itself or a file it pulls in.
func (f File) Abs(display string) string {
	return filepath.Join(f.Repository, filepath.FromSlash(display))
}

// Skipped is a file that looks like a CI file but is not checked, and why.
type Skipped struct {
	Path   string // as found or given
	Reason string
}

// Options tune discovery.
type Options struct {
	// System, when set, checks every file named on the command line as
	// this system's and keeps only this system's files in directories.
	System model.System
	// SkipUnknown skips a file named on the command line that is neither a
	// CI file nor pulled in by a pipeline of its repository, instead of
	// reporting it as an error: a pre-commit hook passes every YAML file
	// that changed.
	SkipUnknown bool
	// ParseIncluder parses a pipeline that may pull in a file named on the
	// command line, to tell whether it does, within a time budget: an
	// error means the budget ran out. The runner passes the budget of a
	// file's check, so that a hostile pipeline cannot hang discovery; nil
	// parses with Parse, without a limit, for trusted files.
	ParseIncluder func(File) (syntax.Result, error)
	// Context also lists the other CI files of the repositories of the
	// files found, marked File.Context, so that a file named alone (by a
	// pre-commit hook) is still judged beside its repository's other
	// pipelines. Only a repository found by its .git is searched, as a
	// directory is (same names, same skipped directories), unless a path
	// searched covers it already; at most MaxContextFiles from each.
	Context bool
}

// MaxContextFiles bounds the CI files Options.Context lists from one
// repository: each is parsed on every run, to be seen, not checked.
const MaxContextFiles = 256

// Discover lists the CI files under each of paths. A directory is searched
// recursively. A file named explicitly is checked as opts.System says, or
// else as its name says; a file that a pipeline of its repository pulls in
// (a GitLab include) is checked through that pipeline instead. The result
// is sorted by absolute path. A path that cannot be used (missing, a
// symlink loop, an unrecognised file, a file whose repository's pipeline
// could not be parsed in time to tell whether it pulls the file in) is a
// *model.ParseError in the
// returned error, joined with the others, and the files of the other paths
// are still returned.
func Discover(paths []string, opts Options) ([]File, []Skipped, error) {
	if opts.ParseIncluder == nil {
		opts.ParseIncluder = func(f File) (syntax.Result, error) { return Parse(f), nil }
	}
	d := discovery{opts: opts, repositories: map[string]string{}, seen: map[string]bool{}, pulled: map[string]pulled{}}
	var errs []error
	for _, p := range paths {
		pathError := func(err error) {
			errs = append(errs, &model.ParseError{Pos: model.Pos{File: filepath.ToSlash(p), Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, Message: err.Error()})
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			pathError(err)
			continue
		}
		info, err := os.Stat(abs)
		if err != nil {
			pathError(err)
			continue
		}
		if info.IsDir() {
			d.walked = append(d.walked, abs)
			if err := d.walk(abs, false); err != nil {
				pathError(err)
			}
			continue
		}
		if err := d.named(abs, p); err != nil {
			pathError(err)
		}
	}
	if opts.Context {
		d.addContext()
	}
	slices.SortFunc(d.files, func(a, b File) int { return strings.Compare(a.Abs(a.Display), b.Abs(b.Display)) })
	return d.files, d.skipped, errors.Join(errs...)
}

type discovery struct {
	opts         Options
	repositories map[string]string // directory → its repository, "" for none
	seen         map[string]bool   // absolute paths of the files found
	pulled       map[string]pulled // includer → the files it pulls in
	walked       []string          // the directories searched
	files        []File
	skipped      []Skipped
}

func (d *discovery) add(f File) {
	if abs := f.Abs(f.Display); !d.seen[abs] {
		d.seen[abs] = true
		d.files = append(d.files, f)
	}
}

// walk finds the CI files under root. Files are recognised by their whole
// path, so that a scan of .github/workflows itself finds the workflows.
// For context, it lists them as such, at most MaxContextFiles, and
// mentions no near miss.
func (d *discovery) walk(root string, context bool) error {
	listed := 0
	return filepath.WalkDir(root, func(p string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.IsDir() {
			if p != root && skippedDirs[entry.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if !entry.Type().IsRegular() { // symlinks are not followed: no loops, no escapes
			return nil
		}
		slashPath := filepath.ToSlash(p)
		system := Detect(slashPath)
		if system == "" {
			if why := nearMiss(slashPath); why != "" && !context {
				d.skipped = append(d.skipped, Skipped{Path: displayPath(root, p), Reason: why})
			}
			return nil
		}
		if d.opts.System != "" && system != d.opts.System {
			return nil
		}
		f := d.file(root, p, system)
		if f.Context = context; context && d.seen[f.Abs(f.Display)] {
			return nil
		}
		d.add(f)
		if listed++; context && listed == MaxContextFiles {
			return filepath.SkipAll
		}
		return nil
	})
}

// addContext lists, as context, the CI files of the repositories of the
// files found that no directory searched covers.
func (d *discovery) addContext() {
	repositories := map[string]bool{}
	for _, f := range d.files {
		repositories[f.Repository] = true
	}
	for _, repository := range slices.Sorted(maps.Keys(repositories)) {
		if _, err := os.Stat(filepath.Join(repository, ".git")); err != nil || d.covered(repository) {
			continue
		}
		// A repository that cannot be searched only lacks context: its
		// files were found.
		_ = d.walk(repository, true)
	}
}

// covered reports whether searching the directories walked searched dir.
func (d *discovery) covered(dir string) bool {
	for _, root := range d.walked {
		rel, err := filepath.Rel(root, dir)
		if err != nil || !within(root, dir) {
			continue
		}
		if !slices.ContainsFunc(strings.Split(rel, string(filepath.Separator)), func(part string) bool { return skippedDirs[part] }) {
			return true
		}
	}
	return false
}

// named adds a file named on the command line (given as written).
func (d *discovery) named(abs, written string) error {
	slashPath := filepath.ToSlash(abs)
	system := d.opts.System
	if system == "" {
		system = detectNamed(slashPath)
	}
	scanRoot := filepath.Dir(abs)
	if cwd, err := os.Getwd(); err == nil && within(cwd, abs) {
		scanRoot = cwd
	}
	// A file that the repository's pipeline pulls in is checked through
	// that pipeline: on its own it is a fragment, not a pipeline.
	if Detect(slashPath) == "" {
		parent, ok, err := d.includer(scanRoot, abs)
		if err != nil {
			return err
		}
		if ok {
			d.add(parent)
			return nil
		}
	}
	switch {
	case system != "":
		d.add(d.file(scanRoot, abs, system))
	case d.opts.SkipUnknown:
		d.skipped = append(d.skipped, Skipped{Path: filepath.ToSlash(written), Reason: "not a CI file, and no pipeline of its repository includes it"})
	default:
		return errors.New("not a known CI file; name the system with --system " + strings.ReplaceAll(SystemNames(), ", ", "|"))
	}
	return nil
}

// includer returns the pipeline of abs's repository that pulls abs in, if
// there is one, or an error when a pipeline that may could not be parsed
// within its budget.
func (d *discovery) includer(scanRoot, abs string) (File, bool, error) {
	repository := d.repository(filepath.Dir(abs), scanRoot)
	for _, p := range Parsers {
		if p.Includer == "" || (d.opts.System != "" && p.System != d.opts.System) {
			continue
		}
		candidate := filepath.Join(repository, filepath.FromSlash(p.Includer))
		if candidate == abs {
			continue
		}
		if info, err := os.Stat(candidate); err != nil || !info.Mode().IsRegular() {
			continue
		}
		parent := d.file(repository, candidate, p.System)
		found, done := d.pulled[candidate]
		if !done {
			found.files, found.err = d.pulledIn(parent)
			d.pulled[candidate] = found
		}
		if found.err != nil {
			return File{}, false, fmt.Errorf("could not tell whether %s includes the file: %w; the file was not checked", parent.Display, found.err)
		}
		if found.files[abs] {
			return parent, true, nil
		}
	}
	return File{}, false, nil
}

// pulled is what checking an includer reads besides itself, or why that
// is not known.
type pulled struct {
	files map[string]bool // absolute paths
	err   error
}

// pulledIn returns the absolute paths of the files checking f reads: its
// includes, the child pipelines it starts and theirs.
func (d *discovery) pulledIn(f File) (map[string]bool, error) {
	files := map[string]bool{}
	queue := []File{f}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		result, err := d.opts.ParseIncluder(next)
		if err != nil {
			return nil, err
		}
		if result.Pipeline != nil {
			for _, s := range result.Pipeline.Sources {
				files[next.Abs(s.File)] = true
			}
		}
		for _, child := range Children(next, result) {
			if abs := child.Abs(child.Display); !files[abs] {
				files[abs] = true
				queue = append(queue, child)
			}
		}
	}
	return files, nil
}

// file describes the file at abs of a system, found under scanRoot.
func (d *discovery) file(scanRoot, abs string, system model.System) File {
	repository := d.repository(filepath.Dir(abs), scanRoot)
	f := File{Repository: repository, Root: repository, Path: displayPath(repository, abs), System: system}
	f.Display = f.Path
	if p, _ := Lookup(system); p.Includer != "" {
		// A pipeline that pulls files in resolves them from its own
		// directory, wherever the scan began (a scan of many checkouts,
		// or of a monorepo's projects).
		f.Root, f.Path = filepath.Dir(abs), filepath.Base(abs)
	}
	return f
}

// repository returns the repository holding dir: the nearest directory at
// or above it with .git, else scanRoot.
func (d *discovery) repository(dir, scanRoot string) string {
	var visited []string
	found := ""
	for current := dir; ; current = filepath.Dir(current) {
		if known, ok := d.repositories[current]; ok {
			found = known
			break
		}
		visited = append(visited, current)
		if _, err := os.Stat(filepath.Join(current, ".git")); err == nil {
			found = current
			break
		}
		if filepath.Dir(current) == current {
			break
		}
	}
	for _, v := range visited {
		d.repositories[v] = found
	}
	if found == "" {
		return scanRoot
	}
	return found
}

// displayPath is the slash path of abs relative to base, or abs itself
// when it is not under base.
func displayPath(base, abs string) string {
	if rel, err := filepath.Rel(base, abs); err == nil && within(base, abs) {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// within reports whether abs is dir or lies under it.
func within(dir, abs string) bool {
	rel, err := filepath.Rel(dir, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
