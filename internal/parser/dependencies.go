package parser

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/repofs"
)

// Bounds of the search for dependency files (model.Repository.DependencyFiles):
// it runs once per repository checked, whatever the repository holds.
const (
	maxDependencyVisits    = 50_000 // files and directories looked at
	maxDependencyFiles     = 512    // files listed
	maxRequirementFiles    = 128    // requirement files read
	maxRequirementFileSize = 256 << 10
	maxRequirementLines    = 5_000 // requirement lines kept, in all
)

// requirementsKind is the kind of pip's requirement files.
const requirementsKind = "requirements"

// A yarn.lock of Yarn 1 says so in its header, within its first bytes.
const (
	yarnLockHeaderSize = 512
	yarnLockV1Marker   = "# yarn lockfile v1"
)

// lockFileKinds are the lock files by name.
var lockFileKinds = map[string]string{
	"package-lock.json":   "npm-lock",
	"npm-shrinkwrap.json": "npm-lock",
	"yarn.lock":           "yarn-lock",
	"pnpm-lock.yaml":      "pnpm-lock",
	"bun.lock":            "bun-lock",
	"bun.lockb":           "bun-lock",
}

// requirementName matches the names of pip requirement and constraints
// files.
var requirementName = regexp.MustCompile(`(?i)^(.*requirements.*\.(txt|in)|constraints.*\.txt)$`)

// skippedDependencyDirs hold installed packages or other projects' files,
// not the repository's own dependency files.
var skippedDependencyDirs = map[string]bool{
	".venv": true, "venv": true, ".tox": true, ".nox": true, "site-packages": true, "__pycache__": true, "bower_components": true,
}

// DependencyFiles finds the lock files and pip requirement files of the
// repository at root, within the bounds above, and reads the requirement
// lines of the requirement files. What cannot be read is left out: the
// files are facts for rules, never a reason to fail a check.
func DependencyFiles(ctx context.Context, root string) []model.DependencyFile {
	fsys := repofs.New(root).WithContext(ctx)
	var found []model.DependencyFile
	visits, requirementFiles, lines := 0, 0, 0
	_ = fs.WalkDir(fsys, ".", func(name string, entry fs.DirEntry, err error) error {
		if visits++; visits > maxDependencyVisits || len(found) == maxDependencyFiles || ctx.Err() != nil {
			return fs.SkipAll
		}
		if err != nil {
			if entry != nil && entry.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if entry.IsDir() {
			if name != "." && (skippedDirs[entry.Name()] || skippedDependencyDirs[entry.Name()]) {
				return fs.SkipDir
			}
			return nil
		}
		if !entry.Type().IsRegular() { // symbolic links are not followed
			return nil
		}
		switch kind, ok := dependencyKind(name); {
		case !ok:
		case kind == requirementsKind:
			if requirementFiles == maxRequirementFiles || lines == maxRequirementLines {
				return nil
			}
			requirements, err := readRequirements(fsys, name, maxRequirementLines-lines)
			if err != nil {
				return nil
			}
			requirementFiles++
			lines += len(requirements)
			found = append(found, model.DependencyFile{File: name, Kind: kind, Requirements: requirements})
		case kind == "yarn-lock":
			found = append(found, model.DependencyFile{File: name, Kind: yarnLockKind(fsys, name)})
		default:
			found = append(found, model.DependencyFile{File: name, Kind: kind})
		}
		return nil
	})
	slices.SortFunc(found, func(a, b model.DependencyFile) int { return strings.Compare(a.File, b.File) })
	return found
}

// dependencyKind is the kind of the file at name, if it is a dependency
// file.
func dependencyKind(name string) (string, bool) {
	base := path.Base(name)
	if kind, ok := lockFileKinds[base]; ok {
		return kind, true
	}
	if requirementName.MatchString(base) {
		return requirementsKind, true
	}
	if path.Base(path.Dir(name)) == "requirements" && (path.Ext(base) == ".txt" || path.Ext(base) == ".in") {
		return requirementsKind, true
	}
	return "", false
}

// yarnLockKind tells Yarn 1's lock file, whose header says so, from later
// versions'.
func yarnLockKind(fsys fs.FS, name string) string {
	f, err := fsys.Open(name)
	if err != nil {
		return "yarn-lock"
	}
	defer f.Close()
	header := make([]byte, yarnLockHeaderSize)
	n, _ := io.ReadFull(f, header)
	if bytes.Contains(header[:n], []byte(yarnLockV1Marker)) {
		return "yarn-lock-v1"
	}
	return "yarn-lock"
}

var errTooLarge = errors.New("too large")

// readRequirements reads the requirement lines of a requirements file, at
// most limit of them.
func readRequirements(fsys fs.FS, name string, limit int) ([]model.String, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRequirementFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRequirementFileSize {
		return nil, errTooLarge
	}
	return requirementLines(name, data, limit), nil
}

// requirementLines splits the text of a pip requirements file into its
// requirement lines (see model.DependencyFile.Requirements), at most limit.
func requirementLines(file string, data []byte, limit int) []model.String {
	var lines []model.String
	var pending strings.Builder
	var start model.Pos
	scanner := bufio.NewScanner(bytes.NewReader(data))
	scanner.Buffer(nil, maxRequirementFileSize+1)
	for n := 1; scanner.Scan() && len(lines) < limit; n++ {
		raw := strings.TrimRight(scanner.Text(), "\r")
		if pending.Len() == 0 {
			start = model.Pos{File: file, Line: n, Column: 1}
		}
		// As pip does: a line ending in `\` goes on with the next, unless
		// it is a comment.
		text, continued := strings.CutSuffix(raw, `\`)
		if continued && commentStart(raw) < 0 {
			pending.WriteString(text)
			continue
		}
		pending.WriteString(raw)
		line := pending.String()
		pending.Reset()
		// pip reads `#` as a comment at the start of a line or after
		// whitespace.
		if i := commentStart(line); i >= 0 {
			line = line[:i]
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		lead := len([]rune(line[:strings.Index(line, trimmed)]))
		start.Column = lead + 1
		start.EndLine = n
		start.EndColumn = len([]rune(raw)) + 1
		lines = append(lines, model.String{Value: trimmed, Pos: start})
	}
	return lines
}

func commentStart(line string) int {
	for i, r := range line {
		if r == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return i
		}
	}
	return -1
}
