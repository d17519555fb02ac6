package fix

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
)

// stepPlace is where a step is in a pipeline's jobs.
type stepPlace struct{ job, step int }

// stepIndex finds a pipeline's steps by the positions fixes name: of a
// step's `uses:` value, and of an expression in its script. It is built
// once per file: looking each fix's step up by a walk of every step would
// cost steps × fixes on a large file. Several steps may be at one
// position, when YAML aliases repeat a step; they are in the order of the
// jobs.
type stepIndex struct {
	byUses       map[model.Pos][]stepPlace
	byExpression map[model.Pos][]stepPlace
}

func indexSteps(p *model.Pipeline) stepIndex {
	index := stepIndex{byUses: map[model.Pos][]stepPlace{}, byExpression: map[model.Pos][]stepPlace{}}
	for j := range p.Jobs {
		for s, st := range p.Jobs[j].Steps {
			at := stepPlace{j, s}
			if st.Uses != nil {
				index.byUses[st.Uses.Value.Pos] = append(index.byUses[st.Uses.Value.Pos], at)
			}
			if st.Script != nil {
				for _, e := range st.Script.Expressions {
					if places := index.byExpression[e.Pos]; len(places) == 0 || places[len(places)-1] != at {
						index.byExpression[e.Pos] = append(places, at)
					}
				}
			}
		}
	}
	return index
}

// setInput sets an input of a step: the value of its `with:` entry, or a
// new entry at the end of its `with:` block, or a new `with:` block just
// after the `uses:` line.
func (d *document) setInput(p *model.Pipeline, fix finding.Fix) ([]udiff.Edit, error) {
	places := d.steps.byUses[fix.Pos]
	if len(places) == 0 {
		return nil, fmt.Errorf("no step uses what is at %d:%d", fix.Pos.Line, fix.Pos.Column)
	}
	step := &p.Jobs[places[0].job].Steps[places[0].step]
	m := d.collections[[2]int{step.Pos.Line, step.Pos.Column}]
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 {
		return nil, errors.New("the step is not written as a block mapping")
	}
	usesKey, _ := keyOf(m, "uses")
	withKey, with := keyOf(m, "with")
	if usesKey == nil {
		return nil, errors.New("the step's uses: key is not in its own mapping")
	}
	entry := fix.Input + ": " + scalar(fix.Value)
	if withKey == nil {
		at, prefix := d.nextLine(lastLine(fix.Pos))
		indent := strings.Repeat(" ", usesKey.Column-1)
		text := indent + "with:" + d.lineBreak + indent + strings.Repeat(" ", d.indent) + entry
		return []udiff.Edit{{Start: at, End: at, New: endLines(prefix, text, d.lineBreak)}}, nil
	}
	if with.Kind != yaml.MappingNode || with.Style&yaml.FlowStyle != 0 || len(with.Content) == 0 {
		return nil, errors.New("the step's with: is not a block mapping")
	}
	last := step.With[0].Pos
	for _, v := range step.With {
		if v.Name.Value == fix.Input {
			return d.replaceValue(v, with, fix.Value)
		}
		if comparePos(v.Pos, last) > 0 {
			last = v.Pos
		}
	}
	// Unset: a new entry after the last one, indented as the first.
	at, prefix := d.nextLine(lastLine(last))
	text := strings.Repeat(" ", with.Content[0].Column-1) + entry
	return []udiff.Edit{{Start: at, End: at, New: endLines(prefix, text, d.lineBreak)}}, nil
}

// replaceValue replaces the value written for v, an entry of with, keeping
// its quotes.
func (d *document) replaceValue(v model.Var, with *yaml.Node, value string) ([]udiff.Edit, error) {
	pos := v.Value.Pos
	_, node := keyOf(with, v.Name.Value)
	if node == nil || node.Kind != yaml.ScalarNode || pos.Line != pos.EndLine || pos.IsZero() || node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, fmt.Errorf("the value of %s is not a scalar on one line", v.Name.Value)
	}
	start, err := d.offset(pos.Line, pos.Column)
	if err != nil {
		return nil, err
	}
	end, err := d.offset(pos.EndLine, pos.EndColumn)
	if err != nil {
		return nil, err
	}
	text := scalar(value)
	if quote := node.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle); quote != 0 {
		if strings.ContainsAny(value, `"'\`) {
			return nil, fmt.Errorf("the value of %s is quoted and %q would need escapes", v.Name.Value, value)
		}
		text = value // between the quotes written, which the span leaves out
	}
	return []udiff.Edit{{Start: start, End: end, New: text}}, nil
}

// addPermissions declares permissions at the top of a workflow that has
// none, just before `jobs:` (and the comments right above it).
func (d *document) addPermissions(p *model.Pipeline, fix finding.Fix) ([]udiff.Edit, error) {
	if p.Permissions != nil {
		return nil, errors.New("the file declares permissions already")
	}
	if d.root.Style&yaml.FlowStyle != 0 {
		return nil, errors.New("the file is written as a flow mapping")
	}
	jobs, _ := keyOf(d.root, "jobs")
	if jobs == nil {
		return nil, errors.New("the file has no jobs: key to put permissions before")
	}
	line := jobs.Line
	for line > 1 && strings.HasPrefix(strings.TrimSpace(d.lineText(line-1)), "#") {
		line--
	}
	indent := strings.Repeat(" ", jobs.Column-1)
	var b strings.Builder
	b.WriteString(indent + "permissions:" + d.lineBreak)
	for _, perm := range fix.Permissions {
		b.WriteString(indent + strings.Repeat(" ", d.indent) + perm.Scope + ": " + perm.Level + d.lineBreak)
	}
	if line > 1 && strings.TrimSpace(d.lineText(line-1)) == "" {
		b.WriteString(d.lineBreak) // keep the blank line that set jobs: apart
	}
	at := d.lineStarts[line-1]
	return []udiff.Edit{{Start: at, End: at, New: b.String()}}, nil
}

// pin replaces the ref of an action or reusable workflow with the commit
// it names, the version in a trailing comment, or adds the digest to an
// image. The reference must be written where the model says, as it is
// named: an image whose name is put together from variables is not.
func (d *document) pin(ctx context.Context, p *model.Pipeline, fix finding.Fix, resolver Resolver) ([]udiff.Edit, error) {
	var ref *model.Reference
	for i := range p.References {
		if p.References[i].Value.Pos == fix.Pos {
			ref = &p.References[i]
			break
		}
	}
	switch {
	case ref == nil:
		return nil, fmt.Errorf("no reference is at %d:%d", fix.Pos.Line, fix.Pos.Column)
	case ref.Pinned || ref.Local || ref.Dynamic:
		return nil, fmt.Errorf("%q is pinned, local or computed at run time", ref.Value.Value)
	case fix.Pos.Line != fix.Pos.EndLine:
		return nil, fmt.Errorf("%q is not written on one line", ref.Value.Value)
	}
	valueStart, err := d.offset(fix.Pos.Line, fix.Pos.Column)
	if err != nil {
		return nil, err
	}
	valueEnd, err := d.offset(fix.Pos.EndLine, fix.Pos.EndColumn)
	if err != nil {
		return nil, err
	}
	if written := string(d.src[valueStart:valueEnd]); written != ref.Value.Value {
		return nil, fmt.Errorf("%q is written %q, not as it is named", ref.Value.Value, written)
	}
	switch ref.Kind {
	case model.RefAction, model.RefReusableWorkflow:
		at := strings.LastIndex(ref.Value.Value, "@")
		if at < 0 || ref.Ref == "" {
			return nil, fmt.Errorf("%q names no ref", ref.Value.Value)
		}
		sha, version, err := resolver.Pin(ctx, ref.Owner, ref.Repo, ref.Ref)
		if err != nil {
			return nil, fmt.Errorf("resolve %q: %w", ref.Value.Value, err)
		}
		if version == "" {
			version = ref.Ref
		}
		comment, err := d.versionComment(p, fix.Pos, version)
		if err != nil {
			return nil, err
		}
		return []udiff.Edit{{Start: valueStart + at + 1, End: valueEnd, New: sha}, comment}, nil
	case model.RefImage:
		digest, err := resolver.Digest(ctx, strings.TrimPrefix(ref.Value.Value, "docker://"))
		if err != nil {
			return nil, fmt.Errorf("resolve %q: %w", ref.Value.Value, err)
		}
		return []udiff.Edit{{Start: valueEnd, End: valueEnd, New: "@" + digest}}, nil
	}
	return nil, fmt.Errorf("references of kind %s are not pinned", ref.Kind)
}

// versionComment writes `# tag` after the value at pos: in place of the
// comment on its line, or at the line's end when it has none.
func (d *document) versionComment(p *model.Pipeline, pos model.Pos, tag string) (udiff.Edit, error) {
	for _, c := range p.Comments {
		if c.Pos.Line == pos.Line && c.Pos.Column >= pos.EndColumn {
			start, err := d.offset(c.Pos.Line, c.Pos.Column)
			if err != nil {
				return udiff.Edit{}, err
			}
			end, err := d.offset(c.Pos.EndLine, c.Pos.EndColumn)
			if err != nil {
				return udiff.Edit{}, err
			}
			return udiff.Edit{Start: start, End: end, New: "# " + tag}, nil
		}
	}
	end := d.lineEnd(pos.Line)
	text := strings.TrimRight(string(d.src[d.lineStarts[pos.Line-1]:end]), " \t")
	end = d.lineStarts[pos.Line-1] + len(text)
	return udiff.Edit{Start: end, End: end, New: " # " + tag}, nil
}

// endLines makes lines inserted at the start of a line end with a break;
// after a last line without one (prefix is then its break), they end as
// the file did, without.
func endLines(prefix, text, lineBreak string) string {
	if prefix != "" {
		return prefix + text
	}
	return text + lineBreak
}

// lastLine is the line of the last character of a span: a span that ends
// at the start of a line (a block scalar's) ends on the line before.
func lastLine(pos model.Pos) int {
	if pos.EndColumn <= 1 && pos.EndLine > pos.Line {
		return pos.EndLine - 1
	}
	return max(pos.EndLine, pos.Line)
}

// lineText is a line without its break.
func (d *document) lineText(line int) string {
	return string(d.src[d.lineStarts[line-1]:d.lineEnd(line)])
}
