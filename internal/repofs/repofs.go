// Package repofs reads what a repository holds, which pipelint does not
// trust: the CI files and what they include, the repository's
// configuration, a baseline. Every such read goes through FS, and every
// file pipelint writes (a report, a baseline) through Create, since the
// repository may have put something at its path.
package repofs

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// FS is os.DirFS of a repository's root, except that, since the
// repository is not trusted,
//
//   - a path that resolves outside the root through a symbolic link is
//     refused: a workflow, an include or a configuration file may link to
//     any file of the machine;
//   - only regular files and directories are opened, after a Stat that
//     opens nothing: opening a FIFO blocks until someone writes to it, and
//     a device or /dev/stdin may never end;
//   - a directory reached through a symbolic link is not listed, so that
//     a glob never follows links (two links back up make `ci/**` exponential),
//     as discovery does not; a file reached through a link inside the
//     repository is read.
//
// Its errors say what is wrong without naming the file, as syntax.Read
// expects.
type FS struct {
	root string // absolute, its own symbolic links resolved
	// ctx, when set, ends reading: once it is done, nothing more is read.
	ctx context.Context
}

var (
	_ fs.StatFS    = (*FS)(nil)
	_ fs.ReadDirFS = (*FS)(nil)
)

// New returns the file system of the repository at root.
func New(root string) *FS {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	return &FS{root: root}
}

// WithContext returns r that reads nothing more once ctx is done: the
// parsers cannot be interrupted, but a pipeline that pulls many files in
// stops pulling them.
func (r *FS) WithContext(ctx context.Context) *FS {
	c := *r
	c.ctx = ctx
	return &c
}

// Repository returns the repository that holds dir: the nearest directory
// at or above it that holds .git, else dir itself.
func Repository(dir string) string {
	for current := dir; ; current = filepath.Dir(current) {
		if _, err := os.Stat(filepath.Join(current, ".git")); err == nil {
			return current
		}
		if filepath.Dir(current) == current {
			return dir
		}
	}
}

// ForFile returns the FS of the repository that holds the file at path
// (absolute, or relative to the working directory), see Repository, and
// the file's name in it: for a file pipelint reads that the repository may
// have put in its way, such as its configuration, or a baseline named on
// the command line.
func ForFile(path string) (fsys *FS, name string, err error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	root := Repository(filepath.Dir(abs))
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return nil, "", err
	}
	return New(root), filepath.ToSlash(rel), nil
}

// refusedError is a file the parsers may not read, and why.
type refusedError struct{ why string }

func (e *refusedError) Error() string { return e.why }

var errOutOfTime = &refusedError{"was not read: the check of the file ran out of time"}

var errOutside = &refusedError{"resolves outside the repository through a symbolic link; it was not read"}

// maxLinks is how many symbolic links resolving one path may follow, as
// on Linux.
const maxLinks = 40

var errLoop = errors.New("too many levels of symbolic links")

// resolve returns the real path of name, and whether a symbolic link led
// there. It follows links one component at a time and refuses a link
// whose target lies outside the root as soon as it meets one, before
// looking at the target.
func (r *FS) resolve(op, name string) (real string, linked bool, err error) {
	if !fs.ValidPath(name) {
		return "", false, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if r.ctx != nil && r.ctx.Err() != nil {
		return "", false, errOutOfTime
	}
	current := r.root
	pending := strings.Split(name, "/")
	for links := 0; len(pending) > 0; {
		part := pending[0]
		pending = pending[1:]
		if part == "." || part == "" {
			continue
		}
		next := filepath.Join(current, part)
		info, err := os.Lstat(next)
		if err != nil {
			return "", false, &fs.PathError{Op: op, Path: name, Err: underlying(err)}
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			current = next
			continue
		}
		if links++; links > maxLinks {
			return "", false, &fs.PathError{Op: op, Path: name, Err: errLoop}
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", false, &fs.PathError{Op: op, Path: name, Err: underlying(err)}
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(current, target)
		}
		// The target is taken as written, `..` included, and resolved
		// again from the root: what is read is what was checked.
		rel, err := filepath.Rel(r.root, filepath.Clean(target))
		if err != nil || rel != "." && !filepath.IsLocal(rel) {
			return "", false, errOutside
		}
		linked = true
		current = r.root
		pending = append(strings.Split(filepath.ToSlash(rel), "/"), pending...)
	}
	return current, linked, nil
}

func (r *FS) Open(name string) (fs.File, error) {
	real, linked, err := r.resolve("open", name)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: underlying(err)}
	}
	switch {
	case info.Mode().IsRegular():
		// Non-blocking, in case a FIFO took the file's place since Stat.
		f, err := os.OpenFile(real, os.O_RDONLY|openNonBlocking, 0)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: underlying(err)}
		}
		if now, err := f.Stat(); err != nil || !os.SameFile(info, now) {
			f.Close()
			return nil, &refusedError{"changed while it was opened; it was not read"}
		}
		return f, nil
	case info.IsDir():
		if linked {
			return nil, errLinkedDir
		}
		return os.Open(real)
	}
	return nil, NotRegular(info.Mode())
}

// NotRegular is the error for reading a file of the given mode, neither a
// regular file nor a directory, which FS refuses without opening it:
// "is a named pipe, not a regular file; it was not read". Another reader
// of untrusted files (policy directories) refuses them with it too.
func NotRegular(mode fs.FileMode) error {
	return &refusedError{describeMode(mode) + ", not a regular file; it was not read"}
}

var errLinkedDir = &refusedError{"is a directory reached through a symbolic link, which is not searched"}

func (r *FS) Stat(name string) (fs.FileInfo, error) {
	real, _, err := r.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: underlying(err)}
	}
	return renamedInfo{info, path.Base(name)}, nil
}

func (r *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	real, linked, err := r.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	if linked {
		return nil, errLinkedDir
	}
	return os.ReadDir(real)
}

// renamedInfo is a FileInfo under the name it was asked by, as fs.Stat
// returns it, rather than the name of the link's target.
type renamedInfo struct {
	fs.FileInfo
	name string
}

func (i renamedInfo) Name() string { return i.name }

// Create opens the file at path for writing, created or emptied: a report
// or a baseline, whose path often lies in the checkout of the repository
// checked. Only a regular file is written, or os.DevNull: a symbolic link
// there is refused, neither followed (it may lead to a shell profile or a
// git hook) nor replaced, and a FIFO or a device is refused without being
// opened (opening a FIFO waits for a reader). Refusing, rather than
// writing a file beside it and renaming it over the path, leaves alone
// what a user put there on purpose (/dev/stderr, a link to a shared
// report, a FIFO another process reads), never replaces a system file when
// run as root, and says that the checkout holds a trap. Links among the
// directories on the way are the caller's, and followed.
func Create(path string) (*os.File, error) {
	if path == os.DevNull {
		return os.OpenFile(path, os.O_WRONLY, 0)
	}
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		return nil, refusedWrite(info.Mode())
	}
	// A link or a FIFO put at the path since Lstat is refused, not
	// followed or waited on.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|openNoFollow|openNonBlocking, 0o666)
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && !info.Mode().IsRegular() {
			return nil, refusedWrite(info.Mode())
		}
		return nil, underlying(err)
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = refusedWrite(info.Mode())
	}
	if err == nil {
		err = f.Truncate(0)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func refusedWrite(mode fs.FileMode) error {
	return &refusedError{describeMode(mode) + ", not a regular file; it was not written (the repository checked may have put it there): remove it or name another file"}
}

func describeMode(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeSymlink != 0:
		return "is a symbolic link"
	case mode.IsDir():
		return "is a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "is a named pipe"
	case mode&fs.ModeSocket != 0:
		return "is a socket"
	case mode&fs.ModeCharDevice != 0:
		return "is a character device"
	case mode&fs.ModeDevice != 0:
		return "is a device"
	}
	return "is a special file"
}

// underlying is the error of the operating system without the real path,
// which the repository's paths do not show.
func underlying(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}
