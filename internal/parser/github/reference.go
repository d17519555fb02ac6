package github

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

var (
	commitSHA   = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	versionLike = regexp.MustCompile(`^v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?$`)
)

// reference records what value pulls in, kind being model.RefAction,
// RefReusableWorkflow or RefImage.
func (c *converter) reference(value model.String, kind, usage string) model.Reference {
	var ref model.Reference
	if kind == model.RefImage {
		ref = syntax.ImageReference(strings.TrimPrefix(value.Value, "docker://"))
	} else {
		ref = actionReference(value.Value)
	}
	ref.Kind, ref.Usage = kind, usage
	ref.Value, ref.Pos = value, value.Pos
	ref.Dynamic = strings.Contains(value.Value, "${{")
	if comment, ok := c.commentAt[value.Pos.EndLine]; ok && comment.Pos.Column >= value.Pos.EndColumn {
		ref.VersionComment, ref.VersionCommentPos = versionInComment(comment)
	}
	c.references = append(c.references, ref)
	return ref
}

// actionReference parses `owner/repo[/path]@ref`, `./path` or the
// self-repository form `$/path`.
func actionReference(value string) model.Reference {
	if strings.HasPrefix(value, "./") || strings.HasPrefix(value, "$/") {
		return model.Reference{Local: true, Path: value[2:]}
	}
	name, ref, _ := strings.Cut(value, "@")
	parts := strings.SplitN(name, "/", 3)
	out := model.Reference{Owner: parts[0], Ref: ref, Pinned: commitSHA.MatchString(ref)}
	if len(parts) > 1 {
		out.Repo = parts[1]
	}
	if len(parts) > 2 {
		out.Path = parts[2]
	}
	return out
}

// commentWord is a word of a comment.
var commentWord = regexp.MustCompile(`\S+`)

// versionInComment finds the version in a comment after a pinned reference,
// and where it is written: `v4.1.1`, `tag=v4.1.1`, `pin@v4` or a lone word
// such as `main`.
func versionInComment(comment model.Comment) (string, model.Pos) {
	words := commentWord.FindAllStringIndex(comment.Text, -1)
	at := func(start, end int) model.Pos {
		// Text is trimmed: its first character follows the # and the
		// blanks the comment's span holds before it.
		first := comment.Pos.EndColumn - utf8.RuneCountInString(comment.Text)
		pos := comment.Pos
		pos.Column = first + utf8.RuneCountInString(comment.Text[:start])
		pos.EndColumn = pos.Column + utf8.RuneCountInString(comment.Text[start:end])
		return pos
	}
	for _, w := range words {
		start := w[0] + strings.LastIndexAny(comment.Text[w[0]:w[1]], "@=") + 1
		if version := comment.Text[start:w[1]]; versionLike.MatchString(version) {
			return version, at(start, w[1])
		}
	}
	if len(words) == 1 && !strings.ContainsAny(comment.Text, ":[]") {
		return comment.Text, at(words[0][0], words[0][1])
	}
	return "", model.Pos{}
}
