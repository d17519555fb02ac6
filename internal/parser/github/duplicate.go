package github

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v4"

	"github.com/pipelint/pipelint/internal/model"
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
	names := &fakeNames{taken: map[string]bool{}, next: map[int]int64{}}
	for _, n := range c.src.scalars {
		names.taken[strings.ToLower(n.Value)] = true
	}
	var original []string // quoted fake name, quoted original name, ...
	renamed := map[*yaml.Node]bool{}
	for range maxRecoveryRounds {
		var keys []*yaml.Node
		for _, e := range errs {
			key := c.src.scalars[point{e.Line, e.Column}]
			if key == nil || renamed[key] || !duplicateName.MatchString(e.Message) {
				continue
			}
			fake, ok := names.unique(len([]rune(key.Value)))
			if ok && c.rename(lines, key, fake) {
				renamed[key] = true
				original = append(original, strconv.Quote(fake), strconv.Quote(key.Value))
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
		entries := c.entries(keys)
		unrename := strings.NewReplacer(original...)
		for _, e := range nextErrs {
			if !entries.hold(point{e.Line, e.Column}) {
				continue // reported by the earlier parse
			}
			e.Message = unrename.Replace(e.Message)
			errs = append(errs, e)
		}
		c.syntaxErrors(errs)
	}
	return wf
}

// fakeNames hands out names that no scalar of the file has.
type fakeNames struct {
	taken map[string]bool // lower-cased
	next  map[int]int64   // by length, the number to try first
}

// unique is a name of length runes that no scalar of the file, nor an
// earlier fake name, has, ignoring case: the next free number in base 36,
// padded with underscores.
func (f *fakeNames) unique(length int) (string, bool) {
	for i := f.next[length]; ; i++ {
		n := strconv.FormatInt(i, 36)
		if len(n) > length {
			f.next[length] = i
			return "", false
		}
		name := strings.Repeat("_", length-len(n)) + n
		if !f.taken[name] {
			f.taken[name] = true
			f.next[length] = i + 1
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

// spans are the entries of some keys, sorted by start, with the furthest
// end reached by each one and those before it.
type spans struct {
	starts, ends []point
}

// entries returns the spans of the entries of keys.
func (c *converter) entries(keys []*yaml.Node) spans {
	all := make([]model.Pos, len(keys))
	for i, key := range keys {
		all[i] = c.src.entry(key)
	}
	slices.SortFunc(all, model.ComparePos)
	var s spans
	for _, e := range all {
		end := point{e.EndLine, e.EndColumn}
		if n := len(s.ends); n > 0 && before(end, s.ends[n-1]) {
			end = s.ends[n-1]
		}
		s.starts = append(s.starts, point{e.Line, e.Column})
		s.ends = append(s.ends, end)
	}
	return s
}

// hold tells whether p lies in one of the entries: the last one starting
// at or before p, or one before it that reaches further.
func (s spans) hold(p point) bool {
	i := sort.Search(len(s.starts), func(i int) bool { return before(p, s.starts[i]) }) - 1
	return i >= 0 && !before(s.ends[i], p)
}

// before reports whether a comes before b.
func before(a, b point) bool {
	return a.line < b.line || a.line == b.line && a.col < b.col
}
