package parser

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/repofs"
)

// Parse reads and parses one file with the parser of its system. Positions
// in the result name files by display path, like every report. When the
// file is only partly understood, both a pipeline and an error are
// returned.
func Parse(f File) syntax.Result {
	return ParseContext(context.Background(), f)
}

// ParseContext is Parse that stops reading files once ctx is done: the
// parsers themselves cannot be interrupted, but a pipeline that pulls
// many files in stops pulling them.
func ParseContext(ctx context.Context, f File) syntax.Result {
	p, ok := Lookup(f.System)
	if !ok {
		return syntax.Result{Err: fileError(f, fmt.Sprintf("unknown system %q (want %s)", f.System, SystemNames()))}
	}
	repo := repofs.New(f.Root).WithContext(ctx)
	if f.StartedAt != nil {
		if _, err := fs.Stat(repo, f.Path); errors.Is(err, fs.ErrNotExist) {
			return syntax.Result{Err: &model.ParseError{Pos: *f.StartedAt, Message: fmt.Sprintf("the child pipeline file %q does not exist", f.Display)}}
		}
	}
	result := p.Parse(syntax.Input{Repo: repo, Path: f.Path, Display: f.Display})
	if result.Pipeline != nil {
		result.Pipeline.File = f.Display
	}
	return result
}

// ReadSource reads a file that checking f named by display path (f itself
// or a file it pulled in) the way the parsers read it: from f's root,
// never through a link out of it, never a special file. Its error names
// no file.
func ReadSource(f File, display string) ([]byte, error) {
	rel, err := filepath.Rel(f.Root, f.Abs(display))
	if err != nil || !filepath.IsLocal(rel) {
		return nil, errors.New("is not under the directory of the file checked")
	}
	return syntax.Read(repofs.New(f.Root), filepath.ToSlash(rel))
}

func fileError(f File, msg string) error {
	return &model.ParseError{Pos: model.Pos{File: f.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, Message: msg}
}

// Children lists the files a parsed file starts as child pipelines; they
// are checked like discovered files, of the same system.
func Children(f File, result syntax.Result) []File {
	var children []File
	for _, child := range result.Children {
		started := child.Pos
		c := f
		c.Path = child.Value
		c.Display = displayPath(f.Repository, filepath.Join(f.Root, filepath.FromSlash(child.Value)))
		c.StartedAt = &started
		children = append(children, c)
	}
	return children
}

// ParseText parses f as if its text were src, reading anything it pulls
// in as Parse does: to tell what an edit of the file would make of it.
func ParseText(ctx context.Context, f File, src []byte) syntax.Result {
	p, ok := Lookup(f.System)
	if !ok {
		return syntax.Result{Err: fileError(f, fmt.Sprintf("unknown system %q (want %s)", f.System, SystemNames()))}
	}
	repo := textOverlay{FS: repofs.New(f.Root).WithContext(ctx), path: f.Path, text: src}
	result := p.Parse(syntax.Input{Repo: repo, Path: f.Path, Display: f.Display})
	if result.Pipeline != nil {
		result.Pipeline.File = f.Display
	}
	return result
}

// textOverlay is a file system in which one file holds text.
type textOverlay struct {
	fs.FS
	path string
	text []byte
}

func (o textOverlay) Open(name string) (fs.File, error) {
	if name == o.path {
		return fstest.MapFS{name: {Data: o.text, Mode: 0o644}}.Open(name)
	}
	return o.FS.Open(name)
}
