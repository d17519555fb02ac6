package gitlab

import (
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// image reads an image or service (a string or {name, alias, ...}) and
// records it as a Reference, its known variables expanded (see expand).
// The reference is where the name is written, or, when the name ends with
// a known variable (`$IMAGE`, `python:$VERSION`), where that variable's
// value is written: that is where its tag is set and is pinned.
func (p *parser) image(n *node, usage string, known map[string]model.String) *model.Image {
	if n.isNull() {
		return nil
	}
	img := &model.Image{Pos: n.pos}
	if n.kind == scalarNode {
		img.Name = n.str()
	} else {
		img.Name = n.get("name").str()
		img.Alias = n.get("alias").str()
		img.Env = variables(n.get("variables"))
		for _, arg := range p.flatten(n.get("command")) {
			img.Command = append(img.Command, arg.str())
		}
	}
	if img.Name.Value == "" {
		return img
	}
	name := model.String{Value: expand(img.Name.Value, known), Pos: img.Name.Pos}
	if value, ok := trailingVariable(img.Name.Value, known); ok {
		name.Pos = value.Pos
	}
	ref := model.Reference{Kind: model.RefImage, Usage: usage, Value: name, Pos: name.Pos, Dynamic: dynamic(name.Value)}
	ref.Registry, ref.Repo, ref.Ref, ref.Digest = syntax.ParseImage(name.Value)
	ref.Pinned = ref.Digest != ""
	p.addRef(ref)
	return img
}
