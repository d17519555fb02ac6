// Package parser finds CI files and hands each to the parser of its system.
package parser

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// skippedDirs are never searched: VCS metadata and vendored dependencies
// hold other people's CI files.
// testdata holds test inputs by Go's convention, not the repository's CI.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, "testdata": true}

// File is a CI file to check.
type File struct {
	// Root is the directory the file's references are resolved against:
	// the directory given on the command line, or for a file named
	// explicitly, the repository that contains it.
	Root string
	// Path is the file's path inside Root, with forward slashes.
	Path string
	// Display is the path reports show: relative to the working directory
	// when the file is under it, otherwise as given.
	Display string
	System  model.System
}

// Detect tells which system a file belongs to from its path inside a
// repository, the way the systems themselves find their files; it returns
// "" for anything else.
func Detect(slashPath string) model.System {
	base := path.Base(slashPath)
	dir := path.Dir(slashPath)
	switch {
	case (strings.HasSuffix(dir, ".github/workflows") || dir == ".github/workflows") && (path.Ext(base) == ".yml" || path.Ext(base) == ".yaml"):
		return model.GitHub
	case base == "action.yml" || base == "action.yaml":
		return model.GitHub
	case base == ".gitlab-ci.yml":
		return model.GitLab
	case base == "Jenkinsfile" || strings.HasPrefix(base, "Jenkinsfile.") ||
		strings.HasSuffix(base, ".jenkinsfile") || strings.HasSuffix(base, ".Jenkinsfile"):
		return model.Jenkins
	}
	return ""
}

// Discover lists the CI files under each of paths. A directory is searched
// recursively; a file named explicitly is always checked, as system force
// says or else as Detect says. The result is sorted by display path. A path
// that cannot be used (missing, a symlink loop, an unrecognised file) is a
// *model.ParseError in the returned error, joined with the others, and the
// files of the other paths are still returned.
func Discover(paths []string, force model.System) ([]File, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var files []File
	var errs []error
	seen := map[string]bool{}
	add := func(f File) {
		if !seen[f.Display] {
			seen[f.Display] = true
			files = append(files, f)
		}
	}
	for _, p := range paths {
		pathError := func(err error) {
			errs = append(errs, &model.ParseError{Pos: model.Pos{File: displayPath(cwd, p), Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, Message: err.Error()})
		}
		info, err := os.Stat(p)
		if err != nil {
			pathError(err)
			continue
		}
		if !info.IsDir() {
			f, err := explicitFile(cwd, p, force)
			if err != nil {
				pathError(err)
				continue
			}
			add(f)
			continue
		}
		found, err := walk(cwd, p, force)
		if err != nil {
			pathError(err)
		}
		for _, f := range found {
			add(f)
		}
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Display, b.Display) })
	return files, errors.Join(errs...)
}

func walk(cwd, root string, force model.System) ([]File, error) {
	// Files are detected by their whole path, so that a scan of
	// .github/workflows itself finds the workflows.
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var files []File
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() { // symlinks are not followed: no loops, no escapes
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		system := Detect(path.Join(filepath.ToSlash(absRoot), rel))
		if system == "" || (force != "" && system != force) {
			return nil
		}
		f := File{Root: root, Path: rel, Display: displayPath(cwd, p), System: system}
		if system == model.GitLab {
			// A .gitlab-ci.yml is its repository's root file: local
			// includes resolve from its directory, wherever the scan began
			// (a scan of many checkouts, or of a monorepo's projects).
			f.Root, f.Path = filepath.Dir(p), path.Base(rel)
		}
		files = append(files, f)
		return nil
	})
	return files, err
}

func explicitFile(cwd, p string, force model.System) (File, error) {
	system := force
	if system == "" {
		system = Detect(filepath.ToSlash(p))
	}
	if system == "" {
		system = detectByName(filepath.Base(p))
	}
	if system == "" {
		return File{}, errors.New("not a known CI file; name the system with --system github|gitlab|jenkins")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return File{}, err
	}
	root := filepath.Dir(abs)
	if system == model.GitLab { // local includes are relative to the repository
		root = repositoryRoot(root)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return File{}, err
	}
	return File{Root: root, Path: filepath.ToSlash(rel), Display: displayPath(cwd, p), System: system}, nil
}

// detectByName recognises a file named explicitly outside its usual
// directory, such as a workflow passed by a pre-commit hook.
func detectByName(base string) model.System {
	if strings.HasSuffix(base, ".gitlab-ci.yml") {
		return model.GitLab
	}
	return ""
}

// repositoryRoot is the nearest directory at or above dir holding .git, or
// dir itself when there is none.
func repositoryRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

func displayPath(cwd, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if rel, err := filepath.Rel(cwd, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}
