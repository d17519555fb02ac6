package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkedAs names the file a fuzzed input is written to for each system,
// as each system would find it.
var checkedAs = map[string]string{
	"github":  "ci.yml",
	"gitlab":  ".gitlab-ci.yml",
	"jenkins": "Jenkinsfile",
}

// FuzzCheck runs the whole check, parser, rules and JSON report, on one
// file, as each system: whatever the bytes, pipelint must not panic, must
// exit 0, 1 or 2 and must write a valid JSON report.
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"testdata/fixtures", "testdata/examples"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasSuffix(path, ".out") {
				return err
			}
			src, err := os.ReadFile(path)
			f.Add(src)
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for system, name := range checkedAs {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, src, 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"check", "--no-config", "--system", system, "--format", "json", path}, &stdout, &stderr)
			if code != exitClean && code != exitFindings && code != exitError {
				t.Errorf("%s: exit %d\nstderr: %s", system, code, stderr.String())
			}
			if !json.Valid(stdout.Bytes()) {
				t.Errorf("%s: exit %d, not a JSON report:\n%s\nstderr: %s", system, code, stdout.String(), stderr.String())
			}
		}
	})
}
