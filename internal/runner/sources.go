package runner

import (
	"os"

	"github.com/pipelint/pipelint/internal/parser"
)

// sources finds the files a run's positions name by display path, for the
// snippets of the text report. Display paths are relative to each file's
// repository, so a scan of several repositories can show two files by one
// path; the first file checked is then the one shown.
type sources struct {
	files map[string]string // display path → absolute path
}

// newSources knows the files checked and the files they pulled in.
func newSources(files []parser.File, results []fileResult) *sources {
	s := &sources{files: map[string]string{}}
	for i, f := range files {
		for _, display := range append([]string{f.Display}, results[i].pulledIn...) {
			if _, known := s.files[display]; !known {
				s.files[display] = f.Abs(display)
			}
		}
	}
	return s
}

// read returns the text of a file by display path; nil when unknown.
func (s *sources) read(display string) []byte {
	abs, ok := s.files[display]
	if !ok {
		return nil
	}
	text, err := os.ReadFile(abs)
	if err != nil {
		return nil
	}
	return text
}
