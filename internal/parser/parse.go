package parser

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/github"
	"github.com/pipelint/pipelint/internal/parser/gitlab"
	"github.com/pipelint/pipelint/internal/parser/jenkins"
)

// MaxFileSize is the largest file Parse reads; CI files are kilobytes, so
// anything bigger is a mistake or an attack.
const MaxFileSize = 5 << 20

// Parse reads and parses one file. Positions in the result are relative
// to the working directory (File.Display), like every report. When the file
// is only partly understood, both a pipeline and an error are returned.
func Parse(f File) (*model.Pipeline, error) {
	p, _, err := ParseWithWarnings(f)
	return p, err
}

// ParseWithWarnings is Parse that also returns what the CI system accepts
// but is likely a mistake, such as a duplicate key in a GitLab file.
func ParseWithWarnings(f File) (*model.Pipeline, []*model.ParseError, error) {
	src, err := read(f)
	if err != nil {
		return nil, nil, err
	}
	var p *model.Pipeline
	var warnings []*model.ParseError
	// A GitHub or Jenkins file is parsed under its display path. A GitLab
	// pipeline reads its includes from the file's root, so it is parsed
	// under its path there and its positions are rebased afterwards.
	switch f.System {
	case model.GitHub:
		p, err = github.Parse(f.Display, src)
	case model.GitLab:
		p, warnings, err = gitlab.ParseWithWarnings(os.DirFS(f.Root), f.Path)
		if prefix := strings.TrimSuffix(f.Display, f.Path); prefix != "" {
			rebase(p, prefix)
			rebase(err, prefix)
			for _, w := range warnings {
				rebase(w, prefix)
			}
		}
	case model.Jenkins:
		p, err = jenkins.Parse(f.Display, src)
	default:
		return nil, nil, fileError(f, fmt.Sprintf("unknown system %q", f.System))
	}
	if p != nil {
		p.File = f.Display
		attachSources(p, f, src)
	}
	return p, warnings, err
}

func read(f File) ([]byte, error) {
	full := filepath.Join(f.Root, filepath.FromSlash(f.Path))
	info, err := os.Stat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fileError(f, "the file does not exist")
	}
	if err != nil {
		return nil, fileError(f, err.Error())
	}
	if info.Size() > MaxFileSize {
		return nil, fileError(f, fmt.Sprintf("file is %d bytes, over the %d-byte limit for CI files", info.Size(), MaxFileSize))
	}
	src, err := os.ReadFile(full)
	if err != nil {
		return nil, fileError(f, err.Error())
	}
	if bytes.IndexByte(src[:min(len(src), 8000)], 0) >= 0 {
		return nil, fileError(f, "binary file (it contains NUL bytes)")
	}
	return src, nil
}

func fileError(f File, msg string) error {
	return &model.ParseError{Pos: model.Pos{File: f.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, Message: msg}
}

var posType = reflect.TypeFor[model.Pos]()

// rebase prefixes the File of every position in v (a pipeline or a parse
// error), turning paths inside the scanned root into display paths.
func rebase(v any, prefix string) {
	if joined, ok := v.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			rebase(e, prefix)
		}
		return
	}
	eachPos(v, func(pos *model.Pos) {
		if pos.File != "" {
			pos.File = prefix + pos.File
		}
	})
}

// eachPos calls fn once for every Pos reachable from v through exported
// fields, slices and pointers. A model may point at one value from two
// places (a step's Uses and the pipeline's References), so positions are
// visited by address, once.
func eachPos(v any, fn func(*model.Pos)) {
	if v == nil {
		return
	}
	seen := map[uintptr]bool{}
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			if v.Type() == posType {
				if v.CanAddr() && !seen[v.UnsafeAddr()] {
					seen[v.UnsafeAddr()] = true
					fn(v.Addr().Interface().(*model.Pos))
				}
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(v))
}

// attachSources gives the pipeline the text of its file and of every other
// file its positions point into (GitLab includes; pipelines of the other
// systems come from one file, so their positions need no walk).
func attachSources(p *model.Pipeline, f File, src []byte) {
	p.Sources = []model.SourceFile{{File: f.Display, Lines: splitLines(src)}}
	if f.System != model.GitLab {
		return
	}
	others := map[string]bool{}
	eachPos(p, func(pos *model.Pos) {
		if pos.File != "" && pos.File != f.Display {
			others[pos.File] = true
		}
	})
	prefix := strings.TrimSuffix(f.Display, f.Path)
	for _, file := range slices.Sorted(maps.Keys(others)) {
		inRoot := filepath.Join(f.Root, filepath.FromSlash(strings.TrimPrefix(file, prefix)))
		if text, err := os.ReadFile(inRoot); err == nil {
			p.Sources = append(p.Sources, model.SourceFile{File: file, Lines: splitLines(text)})
		}
	}
}

func splitLines(src []byte) []string {
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// Children lists the files a parsed file starts as child pipelines (GitLab
// `trigger: include: local`); they are checked like discovered files.
func Children(f File, p *model.Pipeline) []File {
	if f.System != model.GitLab || p == nil {
		return nil
	}
	prefix := strings.TrimSuffix(f.Display, f.Path)
	var children []File
	for _, path := range gitlab.ChildPipelines(p) {
		children = append(children, File{Root: f.Root, Path: path, Display: prefix + path, System: model.GitLab})
	}
	return children
}
