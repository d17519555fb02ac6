package github

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// duplicateName matches the error for an entry actionlint leaves out of its
// syntax tree because an earlier key of the same mapping has the same name,
// ignoring case: a job, an input, a service or a matrix row. These are the
// mappings of names the model takes from actionlint's tree.
var duplicateName = regexp.MustCompile(`^key ".*" is duplicated in "(jobs|inputs|services|matrix)" section\.`)

// maxRecoveryRounds bounds the parses spent on duplicates found inside
// entries that were themselves left out.
const maxRecoveryRounds = 4

// recoverDuplicates returns the syntax tree with the entries actionlint
// left out as duplicates, so that, say, a copy-pasted job whose name was
// not changed is still checked. The file is parsed again with each
// duplicate key renamed to a unique name of the same length, so that every
// position stays the same; the model reads names from the original nodes.
// The errors inside the recovered entries, which actionlint had not looked
// at, are reported under the original names.
func (c *converter) recoverDuplicates(src []byte, wf *actionlint.Workflow, errs []*actionlint.Error) *actionlint.Workflow {
	if !slices.ContainsFunc(errs, func(e *actionlint.Error) bool { return duplicateName.MatchString(e.Message) }) {
		return wf
	}
	lines := syntax.YAMLLines(strings.TrimPrefix(string(src), "\uFEFF"))
	taken := map[string]bool{}
	for _, n := range c.src.scalars {
		taken[strings.ToLower(n.Value)] = true
	}
	original := map[string]string{} // quoted fake name → quoted original name
	renamed := map[*yaml.Node]bool{}
	for range maxRecoveryRounds {
		var keys []*yaml.Node
		for _, e := range errs {
			key := c.src.scalars[point{e.Line, e.Column}]
			if key == nil || renamed[key] || !duplicateName.MatchString(e.Message) {
				continue
			}
			fake, ok := uniqueName(len([]rune(key.Value)), taken)
			if ok && c.rename(lines, key, fake) {
				renamed[key] = true
				original[strconv.Quote(fake)] = strconv.Quote(key.Value)
				keys = append(keys, key)
			}
		}
		if len(keys) == 0 {
			break
		}
		next, nextErrs := actionlint.Parse([]byte(strings.Join(lines, "")))
		if next == nil {
			break
		}
		wf, errs = next, nil
		for _, e := range nextErrs {
			if !c.inEntries(keys, point{e.Line, e.Column}) {
				continue // reported by the earlier parse
			}
			for fake, name := range original {
				e.Message = strings.ReplaceAll(e.Message, fake, name)
			}
			errs = append(errs, e)
		}
		c.syntaxErrors(errs)
	}
	return wf
}

// uniqueName is a name of length runes that no scalar of the file, nor an
// earlier fake name, has, ignoring case.
func uniqueName(length int, taken map[string]bool) (string, bool) {
	for i := int64(0); ; i++ {
		n := strconv.FormatInt(i, 36)
		if len(n) > length {
			return "", false
		}
		name := strings.Repeat("_", length-len(n)) + n
		if !taken[name] {
			taken[name] = true
			return name, true
		}
	}
}

// rename writes name over the text of key, a scalar written on one line
// without escapes, in lines; it reports whether it could.
func (c *converter) rename(lines []string, key *yaml.Node, name string) bool {
	text := c.src.string(key).Pos
	value := []rune(key.Value)
	if text.Line != text.EndLine || text.EndColumn-text.Column != len(value) || text.Line > len(lines) {
		return false
	}
	line := []rune(lines[text.Line-1])
	from := text.Column - 1
	if from+len(value) > len(line) || string(line[from:from+len(value)]) != key.Value {
		return false
	}
	copy(line[from:], []rune(name))
	lines[text.Line-1] = string(line)
	return true
}

// inEntries tells whether p lies in the entry of one of keys.
func (c *converter) inEntries(keys []*yaml.Node, p point) bool {
	for _, key := range keys {
		e := c.src.entry(key)
		after := p.line > e.Line || p.line == e.Line && p.col >= e.Column
		before := p.line < e.EndLine || p.line == e.EndLine && p.col <= e.EndColumn
		if after && before {
			return true
		}
	}
	return false
}
