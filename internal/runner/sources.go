package runner

import (
	"github.com/pipelint/pipelint/internal/parser"
)

// sources finds the files a run's positions name by display path, for the
// snippets of the text report. Display paths are relative to each file's
// repository, so a scan of several repositories can show two files by one
// path; the first file checked is then the one shown.
type sources struct {
	files map[string]parser.File // display path → the file whose check read it
}

// newSources knows the files checked and the files they pulled in.
func newSources(files []parser.File, results []fileResult) *sources {
	s := &sources{files: map[string]parser.File{}}
	for i, f := range files {
		for _, display := range append([]string{f.Display}, results[i].pulledIn...) {
			if _, known := s.files[display]; !known {
				s.files[display] = f
			}
		}
	}
	return s
}

// read returns the text of a file by display path; nil when unknown.
func (s *sources) read(display string) []byte {
	f, ok := s.files[display]
	if !ok {
		return nil
	}
	// As the parsers read it: the file may be a FIFO, or link out of the
	// repository.
	text, err := parser.ReadSource(f, display)
	if err != nil {
		return nil
	}
	return text
}
