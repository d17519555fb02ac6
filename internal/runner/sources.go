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
	files        map[string]string // display path → absolute path
	repositories map[string]bool
}

// newSources knows the files checked and the files they pulled in.
func newSources(files []parser.File, results []fileResult) *sources {
	s := &sources{files: map[string]string{}, repositories: map[string]bool{}}
	for i, f := range files {
		for _, display := range append([]string{f.Display}, results[i].pulledIn...) {
			if _, known := s.files[display]; !known {
				s.files[display] = f.Abs(display)
			}
		}
		s.repositories[f.Repository] = true
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

// repository returns the repository every checked file belongs to, or ""
// when they belong to several (or there are none).
func (s *sources) repository() string {
	if len(s.repositories) != 1 {
		return ""
	}
	for r := range s.repositories {
		return r
	}
	return ""
}
