// Package syntax is what the parsers of every CI system share: the
// contract a system package fulfils to be checked by pipelint (Parser), the
// limits every parser applies to what it reads, and reading a file under
// those limits.
//
// A system package knows its syntax and nothing of policy: it turns files
// into the model (internal/model) and exports one Parser value, which the
// registry in package parser lists.
package syntax

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/model"
)

// Parser is one CI system as pipelint sees it.
type Parser struct {
	// System is the system's name, as --system takes it.
	System model.System
	// Files describes the files Detect recognises, for help text.
	Files string
	// Detect reports whether a file is one of the system's top-level
	// pipeline files, from its slash-separated path (the way the system
	// itself finds its files).
	Detect func(slashPath string) bool
	// Named, when set, also recognises a file named on the command line
	// outside its usual place, such as a workflow passed by a pre-commit
	// hook (`ci.gitlab-ci.yml`).
	Named func(slashPath string) bool
	// NearMiss, when set, says why a file that looks like one of the
	// system's is not checked ("" when it does not look like one), so that
	// --verbose can mention it.
	NearMiss func(slashPath string) string
	// Includer, when set, is the path inside a repository of the pipeline
	// that may pull other files of the repository in (GitLab's
	// .gitlab-ci.yml and its includes). A file named on the command line
	// that it pulls in is checked through it, never on its own.
	Includer string
	// Parse builds the pipeline of the file at path inside repo.
	Parse func(in Input) Result
}

// Input is one file to parse.
type Input struct {
	// Repo is the file system the file and anything it pulls in are read
	// from: its repository, or the scanned directory.
	Repo fs.FS
	// Path is the file's slash-separated path inside Repo.
	Path string
	// Display is the path reports show for the file. Positions are written
	// with display paths: a file the pipeline pulls in is shown as its path
	// inside Repo with the same prefix (DisplayOf).
	Display string
}

// DisplayOf returns the display path of another file of the same Repo.
func (in Input) DisplayOf(path string) string {
	return strings.TrimSuffix(in.Display, in.Path) + path
}

// Result is what parsing a file produced.
type Result struct {
	// Pipeline is as much as could be built, with the Sources of every file
	// it was built from; nil when nothing could.
	Pipeline *model.Pipeline
	// Err is nil or *model.ParseError values joined with errors.Join.
	Err error
	// Warnings are what the system accepts but is likely a mistake.
	Warnings []*model.ParseError
	// Children are further pipelines this one starts, each a path inside
	// Repo positioned where it is named; they are checked like discovered
	// files.
	Children []model.String
}

// SortByPosition orders parse errors or warnings as reports list them: by
// position, and the messages of one position in order, whatever order the
// parser found them in.
func SortByPosition(list []*model.ParseError) {
	slices.SortStableFunc(list, func(a, b *model.ParseError) int {
		return cmp.Or(model.ComparePos(a.Pos, b.Pos), cmp.Compare(a.Message, b.Message))
	})
}

// JoinErrors sorts parse errors by position and joins them into one error
// for Result.Err; nil for none.
func JoinErrors(list []*model.ParseError) error {
	SortByPosition(list)
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// Limits every parser applies. CI files are kilobytes; real ones stay far
// below every limit, so hitting one means a mistake or an attack.
const (
	// MaxFileSize is the largest file read, included ones too.
	MaxFileSize = 5 << 20
	// MaxDepth bounds the nesting of YAML collections: deep nesting
	// exhausts the stack of every recursive step after the YAML library.
	MaxDepth = 200
	// MaxNodes bounds the values a YAML file expands to through its
	// aliases (a "billion laughs" file expands exponentially).
	MaxNodes = 1_000_000
)

// Read reads a file of repo under MaxFileSize, refusing binary files. Its
// error says what is wrong with the file without naming it ("does not
// exist", "is 6000000 bytes, over ..."), for the caller to place.
func Read(repo fs.FS, path string) ([]byte, error) {
	f, err := repo.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("does not exist")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, errors.New("is a directory")
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("is %d bytes, over the %d-byte limit for CI files", info.Size(), MaxFileSize)
	}
	// The limit holds even if the file grew after Stat.
	src, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxFileSize {
		return nil, fmt.Errorf("is over the %d-byte limit for CI files", MaxFileSize)
	}
	if bytes.IndexByte(src[:min(len(src), 8000)], 0) >= 0 {
		return nil, errors.New("is binary (it contains NUL bytes)")
	}
	return src, nil
}

// ReadInput reads the file to parse, with Read; its error is a
// *model.ParseError at the start of the file.
func ReadInput(in Input) ([]byte, error) {
	src, err := Read(in.Repo, in.Path)
	if err != nil {
		return nil, &model.ParseError{Pos: model.Pos{File: in.Display, Line: 1, Column: 1, EndLine: 1, EndColumn: 1}, Message: "file " + err.Error()}
	}
	return src, nil
}

// OneFile adapts the parse function of a system whose pipeline is one file
// that pulls nothing in: it reads the file and gives the pipeline its text.
func OneFile(parse func(display string, src []byte) (*model.Pipeline, error)) func(Input) Result {
	return func(in Input) Result {
		src, err := ReadInput(in)
		if err != nil {
			return Result{Err: err}
		}
		p, err := parse(in.Display, src)
		if p != nil {
			p.Sources = []model.SourceFile{Source(in.Display, src)}
		}
		return Result{Pipeline: p, Err: err}
	}
}

// Source is the model's copy of a file's text.
func Source(display string, src []byte) model.SourceFile {
	return model.SourceFile{File: display, Lines: lines(src)}
}

// YAMLLineBreaks are the characters YAML 1.1, and so the YAML libraries,
// count lines by: LF, CR (CRLF being one break), NEL, LS and PS.
const YAMLLineBreaks = "\r\n\u0085\u2028\u2029"

// YAMLLines splits text after each YAML line break; every line keeps its
// break.
func YAMLLines(text string) []string {
	lines := make([]string, 0, strings.Count(text, "\n")+1)
	start := 0
	for i, r := range text {
		if !strings.ContainsRune(YAMLLineBreaks, r) || (r == '\r' && strings.HasPrefix(text[i+1:], "\n")) {
			continue // CRLF breaks after its LF
		}
		end := i + utf8.RuneLen(r)
		lines = append(lines, text[start:end])
		start = end
	}
	return append(lines, text[start:])
}

// InvalidUTF8 returns an error at the first byte of a YAML file that is not
// UTF-8, nil when there is none: the YAML libraries refuse such a file
// without saying where. Lines are counted as they count them (YAMLLines),
// and columns in code points after a byte-order mark.
func InvalidUTF8(file string, src []byte) *model.ParseError {
	if utf8.Valid(src) {
		return nil
	}
	bad := 0
	for {
		r, size := utf8.DecodeRune(src[bad:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		bad += size
	}
	lines := YAMLLines(strings.TrimPrefix(string(src[:bad]), "\uFEFF"))
	line, column := len(lines), utf8.RuneCountInString(lines[len(lines)-1])+1
	return &model.ParseError{
		Pos:     model.Pos{File: file, Line: line, Column: column, EndLine: line, EndColumn: column + 1},
		Message: fmt.Sprintf("invalid UTF-8 (byte %#x)", src[bad]),
	}
}

// Ranges are half-open ranges [from, to) of columns, such as those a
// line's scalars cover, which Covers tests a column against in
// logarithmic time however many there are.
type Ranges struct {
	spans [][2]int
	// reach[i] is the furthest end of spans[:i+1], once sorted by start.
	reach []int
}

// Add adds the range [from, to).
func (r *Ranges) Add(from, to int) {
	r.spans = append(r.spans, [2]int{from, to})
	r.reach = nil
}

// Covers reports whether a range holds x.
func (r *Ranges) Covers(x int) bool {
	if r == nil {
		return false
	}
	if r.reach == nil {
		slices.SortFunc(r.spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
		r.reach = make([]int, len(r.spans))
		for i, s := range r.spans {
			r.reach[i] = s[1]
			if i > 0 {
				r.reach[i] = max(s[1], r.reach[i-1])
			}
		}
	}
	i := sort.Search(len(r.spans), func(i int) bool { return r.spans[i][0] > x }) - 1
	return i >= 0 && x < r.reach[i]
}

// lines splits a file's text into lines without their line breaks, as
// model.SourceFile holds them: lines end at \n, \r\n or a lone \r (as the
// parsers count them), and a byte-order mark, which takes no column, is
// left out.
func lines(src []byte) []string {
	text := strings.TrimPrefix(string(src), "\uFEFF")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}
