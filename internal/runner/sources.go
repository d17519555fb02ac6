package runner

import (
	"slices"
	"sync"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/secret"
)

// sources finds the files a run's positions name by display path, for the
// snippets of the text report, with what masks their secrets. Display
// paths are relative to each file's repository, so a scan of several
// repositories can show two files by one path; the first file checked is
// then the one shown.
type sources struct {
	files map[string]*source // display path → how to read and mask it

	mu   sync.Mutex
	last string        // the display path read last
	read report.Source // and what read returned for it
}

type source struct {
	checked parser.File    // the file whose check read it first
	masker  *secret.Masker // that check's
	flagged []string       // the values every check that read it flagged
}

// newSources knows the files checked and the files they pulled in.
func newSources(files []parser.File, results []fileResult) *sources {
	s := &sources{files: map[string]*source{}}
	for i, f := range files {
		for _, display := range append([]string{f.Display}, results[i].pulledIn...) {
			known, ok := s.files[display]
			if !ok {
				known = &source{checked: f, masker: results[i].masker}
				s.files[display] = known
			}
			known.flagged = append(known.flagged, results[i].flagged...)
		}
	}
	for _, known := range s.files {
		slices.Sort(known.flagged)
		known.flagged = slices.Compact(known.flagged)
	}
	return s
}

// source returns a file by display path: its lines, as the model holds
// them, and what masks its secrets; no lines when it is unknown. The
// text report asks for one file's lines finding after finding, so the last
// file read is kept.
func (s *sources) source(display string) report.Source {
	s.mu.Lock()
	defer s.mu.Unlock()
	if display == s.last && s.read.Lines != nil {
		return s.read
	}
	known, ok := s.files[display]
	if !ok {
		return report.Source{}
	}
	// As the parsers read it: the file may be a FIFO, or link out of the
	// repository.
	text, err := parser.ReadSource(known.checked, display)
	if err != nil {
		return report.Source{}
	}
	s.last = display
	s.read = report.Source{
		Lines:   syntax.Source(display, text).Lines,
		Masker:  known.masker,
		Flagged: secret.NewValues(known.flagged),
	}
	return s.read
}

// flaggedValues returns the text at the span of every sensitive finding:
// the secrets the check found, to be masked wherever they are shown.
func flaggedValues(p *model.Pipeline, findings []finding.Finding) []string {
	var values []string
	for _, f := range findings {
		if !f.Sensitive {
			continue
		}
		if value, ok := secret.ValueAt(p.Lines(f.Pos.File), f.Pos); ok {
			values = append(values, value)
		}
	}
	return values
}
