package accuracy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pipelint/pipelint/internal/finding"
)

// Label is what a person decided about a finding, read in its repository.
type Label string

const (
	// TP is a finding the repository's maintainers should act on.
	TP Label = "TP"
	// FP is a finding they should not: the rule is wrong there.
	FP Label = "FP"
	// Debatable is a finding reasonable maintainers could decide either
	// way; it counts for neither side of precision.
	Debatable Label = "debatable"
)

// Place is where a finding is. A judgement names the finding it is about
// by its place; several findings of one rule on one line are told apart
// by their number only (see score).
type Place struct {
	Repository string // <system>/<owner__repo>, as the corpus names it
	File       string // the display path: relative to the repository's root
	Line       int
	Rule       string
}

func (p Place) String() string {
	return fmt.Sprintf("%s %s:%d [%s]", p.Repository, p.File, p.Line, p.Rule)
}

// Judgement is one line of a judgement file.
type Judgement struct {
	Place
	Label  Label
	Reason string // one line
	Source string // file:line of the judgement
}

// header is the first line of every judgement file.
const header = "repository\tfile\tline\trule\tlabel\treason"

// ReadJudgements reads the judgement files of dir, one <rule>.tsv per rule
// (other files are not judgements). A missing dir holds none. Each
// malformed line is an error naming its file and line.
func ReadJudgements(dir string) ([]Judgement, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var all []Judgement
	var errs []error
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".tsv" {
			continue
		}
		name := filepath.Join(dir, e.Name())
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		js, err := parseJudgements(filepath.ToSlash(name), f)
		f.Close()
		all = append(all, js...)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return all, nil
}

// parseJudgements reads one judgement file, name being its path: its base
// name is the rule every line must be about.
func parseJudgements(name string, r io.Reader) ([]Judgement, error) {
	rule := strings.TrimSuffix(path.Base(name), ".tsv")
	var judgements []Judgement
	var errs []error
	scanner := bufio.NewScanner(r)
	for line := 1; scanner.Scan(); line++ {
		source := fmt.Sprintf("%s:%d", name, line)
		text := scanner.Text()
		if line == 1 {
			if text != header {
				errs = append(errs, fmt.Errorf("%s: the first line must be the header %q", source, header))
			}
			continue
		}
		j, err := parseJudgement(text, rule)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", source, err))
			continue
		}
		j.Source = source
		judgements = append(judgements, j)
	}
	if err := scanner.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return judgements, errors.Join(errs...)
}

func parseJudgement(text, rule string) (Judgement, error) {
	fields := strings.Split(text, "\t")
	if len(fields) != 6 {
		return Judgement{}, fmt.Errorf("%d tab-separated fields, want 6: %s", len(fields), header)
	}
	j := Judgement{Place: Place{Repository: fields[0], File: fields[1], Rule: fields[3]}, Label: Label(fields[4]), Reason: fields[5]}
	system, repo, ok := strings.Cut(j.Repository, "/")
	var err error
	j.Line, err = strconv.Atoi(fields[2])
	switch {
	case !ok || system == "" || repo == "" || strings.Contains(repo, "/"):
		return j, fmt.Errorf("repository %q is not <system>/<owner__repo>", j.Repository)
	case !filepath.IsLocal(filepath.FromSlash(j.File)) || path.Clean(j.File) != j.File:
		return j, fmt.Errorf("file %q is not a clean path relative to the repository's root", j.File)
	case err != nil || j.Line < 1:
		return j, fmt.Errorf("line %q is not a line number", fields[2])
	case j.Rule != rule:
		return j, fmt.Errorf("rule %q in the judgements of %s", j.Rule, rule)
	case !finding.ValidRuleID(j.Rule):
		return j, fmt.Errorf("%q is not a rule id", j.Rule)
	case j.Label != TP && j.Label != FP && j.Label != Debatable:
		return j, fmt.Errorf("label %q is not %s, %s or %s", j.Label, TP, FP, Debatable)
	case strings.TrimSpace(j.Reason) == "":
		return j, errors.New("no reason")
	}
	return j, nil
}
