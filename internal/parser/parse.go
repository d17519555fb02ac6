package parser

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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
	src, err := read(f)
	if err != nil {
		return nil, err
	}
	var p *model.Pipeline
	switch f.System {
	case model.GitHub:
		p, err = github.Parse(f.Path, src)
	case model.GitLab:
		p, err = gitlab.Parse(os.DirFS(f.Root), f.Path)
	case model.Jenkins:
		p, err = jenkins.Parse(f.Path, src)
	default:
		return nil, fileError(f, fmt.Sprintf("unknown system %q", f.System))
	}
	if prefix := strings.TrimSuffix(f.Display, f.Path); prefix != "" {
		rebase(p, prefix)
		rebase(err, prefix)
	}
	return p, err
}

func read(f File) ([]byte, error) {
	full := filepath.Join(f.Root, filepath.FromSlash(f.Path))
	info, err := os.Stat(full)
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

// rebase prefixes the File of every Pos reachable from v (a pipeline or a
// parse error), turning paths inside the scanned root into display paths.
func rebase(v any, prefix string) {
	if v == nil {
		return
	}
	if joined, ok := v.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			rebase(e, prefix)
		}
		return
	}
	rebaseValue(reflect.ValueOf(v), prefix, map[uintptr]bool{})
}

// rebaseValue walks v; done holds the addresses of positions already
// rebased, since a model may point at one value from two places (a step's
// Uses and the pipeline's References).
func rebaseValue(v reflect.Value, prefix string, done map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			rebaseValue(v.Elem(), prefix, done)
		}
	case reflect.Slice:
		for i := range v.Len() {
			rebaseValue(v.Index(i), prefix, done)
		}
	case reflect.Struct:
		if v.Type() == posType {
			if !v.CanAddr() || done[v.UnsafeAddr()] {
				return
			}
			done[v.UnsafeAddr()] = true
			if file := v.FieldByName("File"); file.String() != "" && v.CanSet() {
				file.SetString(prefix + file.String())
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rebaseValue(v.Field(i), prefix, done)
			}
		}
	}
}
