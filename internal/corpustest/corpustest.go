// Package corpustest finds the corpus of real CI files that tests and
// benchmarks read when it is present, and skips them cleanly when it is not.
package corpustest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus of real CI files, an absolute path, and
// skips the test when it is absent. The corpus is not part of the
// repository: see Locate.
//
// go test caches a package's result with the files its tests opened, but
// ignores files outside the module, the corpus among them: a run without
// the corpus would be replayed once it is there. So Dir reads
// PIPELINT_CORPUS with os.Getenv, and enters every directory of the corpus
// (or, while it is absent, its nearest existing parent) with os.Chdir: go
// test records both wherever they point, a directory with its modification
// time, so adding or removing the corpus or anything in it runs the tests
// again. (A file edited in place is not noticed: use -count=1.) As it
// moves the working directory for a moment, no parallel test may call it.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := Locate()
	if err != nil {
		tb.Fatal(err)
	}
	var visit []string
	info, statErr := os.Stat(dir)
	if statErr == nil && info.IsDir() {
		resolved, err := filepath.EvalSymlinks(dir) // WalkDir does not enter a link
		if err != nil {
			tb.Fatal(err)
		}
		err = filepath.WalkDir(resolved, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				visit = append(visit, path)
			}
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	} else {
		parent := filepath.Dir(dir) // the nearest existing one, where the corpus would appear
		for parent != filepath.Dir(parent) {
			if _, err := os.Stat(parent); err == nil {
				break
			}
			parent = filepath.Dir(parent)
		}
		visit = append(visit, parent)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range visit {
		_ = os.Chdir(d) // for the record only
	}
	if err := os.Chdir(wd); err != nil {
		panic(err) // every later relative path would be wrong
	}
	if statErr != nil {
		tb.Skipf("no corpus at %s: %v", dir, statErr)
	}
	if !info.IsDir() {
		tb.Fatalf("corpus %s is not a directory", dir)
	}
	return dir
}

// Locate returns where the corpus is expected, an absolute path, whether
// it is there or not: the directory PIPELINT_CORPUS names (a relative one
// from the repository root), else ../shared/corpus beside the checkout.
// Tests call Dir; a command that reads the corpus calls Locate.
func Locate() (string, error) {
	dir := os.Getenv("PIPELINT_CORPUS")
	if dir == "" {
		dir = "../shared/corpus"
	}
	if !filepath.IsAbs(dir) {
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, dir)
	}
	return filepath.Abs(dir)
}

// moduleRoot is the directory of go.mod, found walking up from the
// working directory (a test's is its package directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("corpus: no go.mod above the working directory")
		}
		dir = filepath.Dir(dir)
	}
}
