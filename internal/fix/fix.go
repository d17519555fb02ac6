// Package fix applies the fixes rules propose. A rule says what to fix in
// model terms (finding.Fix: set this input of the step whose `uses:` is
// here, declare these permissions); this package, which knows the syntax,
// turns each fix into text edits at the model's exact spans and applies
// them, so that every byte outside an edit (comments, quoting,
// indentation, anchors, line endings) stays as it was.
//
// A fixed file is parsed again and must give the same model apart from
// the values fixed; otherwise File returns an error and nothing of the
// file may be written. Use it as `pipelint fix` does:
//
//	out, err := fix.File(ctx, fix.Source{Name: display, Src: src, Parse: parse}, findings, fix.Options{})
//	if err == nil && len(out.Fixed) > 0 { write(out.Src) }
package fix

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aymanbagabas/go-udiff"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// Resolver finds what a reference names now, for finding.PinReference
// fixes: *resolve.Resolver is one. Every call asks the network (or a cache
// of it) and must honour ctx.
type Resolver interface {
	// Pin returns the full commit SHA that ref (a tag or branch) names in
	// the GitHub repository owner/repo, and the version to write beside
	// the pin: the most specific tag at that commit when ref is a tag,
	// else "" (ref itself is written).
	Pin(ctx context.Context, owner, repo, ref string) (sha, version string, err error)
	// Digest returns the digest (sha256:...) that image (registry/repo:tag)
	// names.
	Digest(ctx context.Context, image string) (string, error)
}

// Options choose which fixes apply.
type Options struct {
	// Unsafe also applies the fixes that may change what the pipeline
	// does (finding.Fix.Unsafe).
	Unsafe bool
	// Resolver resolves references for PinReference fixes; nil leaves
	// them unapplied.
	Resolver Resolver
}

// Source is one file to fix.
type Source struct {
	Name string // display path: the File of the positions in it
	Src  []byte
	// Parse parses a version of the file's text the way the check parsed
	// the file.
	Parse func(src []byte) (*model.Pipeline, error)
	// Before, when set, is the model Parse gives of Src, which File then
	// need not parse again. File does not change it: others may read it.
	Before *model.Pipeline
}

// Outcome is what fixing one file did.
type Outcome struct {
	// Src is the fixed text; the original when nothing was fixed.
	Src []byte
	// Edits are the byte edits of the original text that give Src, sorted.
	Edits []udiff.Edit
	// Fixed are the findings whose fix was applied, each with the edits
	// of its fix (finding.Finding.Edits) as positions in the original text.
	Fixed []finding.Finding
	// Left are the findings with a fix that was not applied, and why.
	Left []Left
}

// Left is a finding whose fix was not applied.
type Left struct {
	Finding finding.Finding
	Reason  string
}

// File applies the fixes of the findings that have one and are in the
// file. An error means the file is left as it is: it could not be parsed,
// or the fixed text does not parse to the same model apart from the
// values fixed (the error says where they differ).
func File(ctx context.Context, src Source, findings []finding.Finding, opts Options) (*Outcome, error) {
	out := &Outcome{Src: src.Src}
	var candidates []finding.Finding
	for _, f := range findings {
		switch {
		case f.Fix == nil:
		case f.Fix.Pos.File != src.Name:
			out.Left = append(out.Left, Left{f, fmt.Sprintf("the fix is in %s, not in the file fixed", f.Fix.Pos.File)})
		case f.Fix.Unsafe && !opts.Unsafe:
			out.Left = append(out.Left, Left{f, "the fix may change what the pipeline does; apply it with --unsafe"})
		default:
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		return out, nil
	}
	before := src.Before
	if before == nil {
		parsed, err := src.Parse(src.Src)
		if err != nil {
			return nil, fmt.Errorf("%s: parse before fixing: %w", src.Name, err)
		}
		before = parsed
	}
	doc := newDocument(src.Name, src.Src)
	finding.Sort(candidates) // which of two overlapping fixes wins does not depend on the input order
	doc.steps = indexSteps(before)
	doc.moves = doc.planMoves(before, candidates)
	var applied []appliedFix
	appliedByEdits := map[string]int{} // index in applied by editsKey
	for _, f := range candidates {
		edits, err := doc.plan(ctx, before, *f.Fix, opts.Resolver)
		if err != nil {
			out.Left = append(out.Left, Left{f, err.Error()})
			continue
		}
		key := editsKey(edits)
		if i, ok := appliedByEdits[key]; ok {
			applied[i].findings = append(applied[i].findings, f) // one fix for several findings
			continue
		}
		if other, clash := overlapping(applied, edits); clash {
			out.Left = append(out.Left, Left{f, fmt.Sprintf("it overlaps the fix of %s at %d:%d, which is applied", other.RuleID, other.Pos.Line, other.Pos.Column)})
			continue
		}
		appliedByEdits[key] = len(applied)
		applied = append(applied, appliedFix{fix: *f.Fix, edits: edits, findings: []finding.Finding{f}, moved: doc.moves[f.Fix.Pos].step})
	}
	if len(applied) == 0 {
		return out, nil
	}
	for _, a := range applied {
		out.Edits = append(out.Edits, a.edits...)
		textEdits := doc.textEdits(a.edits)
		for _, f := range a.findings {
			f.Edits = textEdits
			out.Fixed = append(out.Fixed, f)
		}
	}
	udiff.SortEdits(out.Edits)
	fixed, err := udiff.ApplyBytes(src.Src, out.Edits)
	if err != nil {
		return nil, fmt.Errorf("%s: apply the fixes: %w", src.Name, err)
	}
	after, err := src.Parse(fixed)
	if err != nil {
		return nil, fmt.Errorf("%s: not fixed: the fixed file does not parse: %w", src.Name, err)
	}
	if err := sameApartFrom(before, after, doc.steps, applied); err != nil {
		return nil, fmt.Errorf("%s: not fixed: %w", src.Name, err)
	}
	finding.Sort(out.Fixed)
	out.Src = fixed
	return out, nil
}

// applied is one fix whose edits are kept, and the findings it fixes.
type appliedFix struct {
	fix      finding.Fix
	edits    []udiff.Edit
	findings []finding.Finding
	moved    *movedStep // what the MoveToEnv fixes of a step change
}

// editsKey is a key that two lists of edits share when they are equal.
func editsKey(edits []udiff.Edit) string {
	var b strings.Builder
	for _, e := range edits {
		fmt.Fprintf(&b, "%d,%d,%d:%s", e.Start, e.End, len(e.New), e.New)
	}
	return b.String()
}

// overlapping returns the first finding of an applied fix whose edits
// touch the same bytes as edits, or insert at the same place.
func overlapping(kept []appliedFix, edits []udiff.Edit) (finding.Finding, bool) {
	for _, a := range kept {
		for _, x := range a.edits {
			for _, y := range edits {
				if x.Start < y.End && y.Start < x.End || x.Start == y.Start {
					return a.findings[0], true
				}
			}
		}
	}
	return finding.Finding{}, false
}

// document is a file's text, with its YAML nodes when it is YAML, to find
// where keys are written and how the file indents them. A Jenkinsfile is
// not: its references are pinned from the model's positions alone.
type document struct {
	name        string // the file's display name, for the positions of edits
	src         []byte
	bom         int   // bytes of a byte-order mark, which columns do not count
	lineStarts  []int // byte offset of each line
	lineBreak   string
	indent      int                   // columns a nested block mapping is indented by
	learned     bool                  // whether indent was read from the file
	collections map[[2]int]*yaml.Node // block mappings and sequences by line and column, the outer one kept
	root        *yaml.Node
	notYAML     error              // why the text has no YAML nodes, for the fixes that need them
	steps       stepIndex          // the steps of the model before fixing
	moves       map[model.Pos]move // the MoveToEnv fixes, planned step by step
}

func newDocument(name string, src []byte) *document {
	d := &document{name: name, src: src, lineBreak: "\n", indent: 2, collections: map[[2]int]*yaml.Node{}}
	text := string(src)
	if strings.HasPrefix(text, "\uFEFF") {
		d.bom = len("\uFEFF")
	}
	offset := d.bom
	for _, line := range syntax.YAMLLines(text[d.bom:]) {
		d.lineStarts = append(d.lineStarts, offset)
		offset += len(line)
	}
	if i := strings.IndexAny(text, "\r\n"); i >= 0 && strings.HasPrefix(text[i:], "\r\n") {
		d.lineBreak = "\r\n"
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		d.notYAML = fmt.Errorf("the file cannot be read as YAML: %w", err)
		return d
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		d.notYAML = errors.New("the file is not a YAML mapping")
		return d
	}
	d.root = root.Content[0]
	d.index(d.root)
	return d
}

// index records the collections by position and learns the file's
// indentation from its first block mapping nested in another.
func (d *document) index(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		key := [2]int{n.Line, n.Column}
		if _, seen := d.collections[key]; !seen {
			d.collections[key] = n
		}
	}
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && !d.learned {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && v.Line > n.Content[i].Line {
				d.indent = v.Column - n.Content[i].Column
				d.learned = true
				break
			}
		}
	}
	for _, c := range n.Content {
		d.index(c)
	}
}

// offset is the byte offset of a 1-based line and column counted in code
// points; a column past the end of the line is the line's end.
func (d *document) offset(line, column int) (int, error) {
	if line < 1 || line > len(d.lineStarts) || column < 1 {
		return 0, fmt.Errorf("position %d:%d is not in the file", line, column)
	}
	start := d.lineStarts[line-1]
	rest := string(d.src[start:d.lineEnd(line)])
	for range column - 1 {
		if rest == "" {
			return 0, fmt.Errorf("position %d:%d is past the end of its line", line, column)
		}
		_, size := utf8.DecodeRuneInString(rest)
		start += size
		rest = rest[size:]
	}
	return start, nil
}

// textEdits are byte edits of the text as positions in it.
func (d *document) textEdits(edits []udiff.Edit) []finding.TextEdit {
	sorted := slices.Clone(edits)
	udiff.SortEdits(sorted)
	out := make([]finding.TextEdit, len(sorted))
	for i, e := range sorted {
		startLine, startColumn := d.point(e.Start)
		endLine, endColumn := d.point(e.End)
		out[i] = finding.TextEdit{Pos: model.Pos{File: d.name, Line: startLine, Column: startColumn, EndLine: endLine, EndColumn: endColumn}, New: e.New}
	}
	return out
}

// point is the 1-based line and column, in code points, of a byte offset.
func (d *document) point(offset int) (line, column int) {
	offset = max(offset, d.lineStarts[0])                 // not inside a byte-order mark
	line, _ = slices.BinarySearch(d.lineStarts, offset+1) // the line starting after offset, 1-based
	return line, utf8.RuneCount(d.src[d.lineStarts[line-1]:offset]) + 1
}

// trailingBreak is the YAML line break a line ends with, "" for none.
func trailingBreak(line string) string {
	return line[len(strings.TrimRight(line, syntax.YAMLLineBreaks)):]
}

// lineEnd is the byte offset of the end of a line's text, before its break.
func (d *document) lineEnd(line int) int {
	end := len(d.src)
	if line < len(d.lineStarts) {
		end = d.lineStarts[line]
	}
	return end - len(trailingBreak(string(d.src[d.lineStarts[line-1]:end])))
}

// nextLine is the offset of the start of the line after line, and the
// break to write first when line is the last and has none.
func (d *document) nextLine(line int) (int, string) {
	if line < len(d.lineStarts) {
		return d.lineStarts[line], ""
	}
	if trailingBreak(string(d.src[d.lineStarts[line-1]:])) == "" {
		return len(d.src), d.lineBreak
	}
	return len(d.src), ""
}

// plan turns one fix into edits of the original text.
func (d *document) plan(ctx context.Context, p *model.Pipeline, fix finding.Fix, resolver Resolver) ([]udiff.Edit, error) {
	switch fix.Kind {
	case finding.SetInput:
		if d.notYAML != nil {
			return nil, d.notYAML
		}
		return d.setInput(p, fix)
	case finding.AddPermissions:
		if d.notYAML != nil {
			return nil, d.notYAML
		}
		return d.addPermissions(p, fix)
	case finding.PinReference:
		if resolver == nil {
			return nil, errors.New("pinning a reference needs to resolve it, which this run does not do")
		}
		return d.pin(ctx, p, fix, resolver)
	case finding.MoveToEnv:
		planned, ok := d.moves[fix.Pos]
		if !ok {
			return nil, errors.New("the move was not planned")
		}
		return planned.edits, planned.err
	}
	return nil, fmt.Errorf("fixes of kind %s are not applied yet", fix.Kind)
}

// keyOf returns the key node of an entry of a block mapping.
func keyOf(m *yaml.Node, name string) (key, value *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// scalar writes a value as a YAML scalar: plain when it reads back as
// itself, else double-quoted.
func scalar(value string) string {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+value), &n); err == nil && len(n.Content) == 1 {
		if m := n.Content[0]; len(m.Content) == 2 && m.Content[1].Kind == yaml.ScalarNode && m.Content[1].Value == value && m.Content[1].Line == 1 && value != "" {
			return value
		}
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range value {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comparePos orders positions by start, then end.
func comparePos(a, b model.Pos) int {
	return cmp.Or(model.ComparePos(a, b), cmp.Compare(a.EndLine, b.EndLine), cmp.Compare(a.EndColumn, b.EndColumn))
}
