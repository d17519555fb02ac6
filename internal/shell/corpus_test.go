package shell

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCorpusRunScripts splits every GitHub `run:` script and GitLab
// `script:` line of the corpus: each must parse as a shell script (the
// ${{ }} masking is what makes most of them parse), and every command must
// lie inside its script.
func TestCorpusRunScripts(t *testing.T) {
	scripts := corpusScripts(t)
	if len(scripts) == 0 {
		t.Skip("no GitHub or GitLab scripts in the corpus")
	}
	var unparsed []string
	for _, script := range scripts {
		if _, ok := parseScript(script, shellKindOf("").lang); !ok {
			unparsed = append(unparsed, script)
		}
		lines := strings.Count(script, "\n") + 1
		for _, command := range Split(script, "bash", locate) {
			if command.Name.Value == "" {
				t.Errorf("empty command name in %q", script)
			}
			if command.Pos.Line < 1+lineOffset || command.Pos.EndLine > lines+lineOffset || command.Pos.EndLine < command.Pos.Line {
				t.Errorf("command %q at %+v outside its script of %d lines", command.Name.Value, command.Pos, lines)
			}
		}
	}
	t.Logf("%d scripts, %d do not parse", len(scripts), len(unparsed))
	// A handful of corpus scripts are not bash (or use syntax the parser
	// lacks); many more would mean the splitter broke.
	if len(unparsed)*100 > len(scripts) {
		t.Errorf("%d of %d scripts do not parse, more than 1%%; first: %q", len(unparsed), len(scripts), unparsed[0])
	}
}

// corpusScripts returns the bash scripts of the corpus: `run:` values of
// steps without another shell, and GitLab script lines.
func corpusScripts(t *testing.T) []string {
	t.Helper()
	corpus := corpusDir(t)
	var scripts []string
	for _, system := range []string{"github", "gitlab"} {
		root := filepath.Join(corpus, system)
		if _, err := os.Stat(root); err != nil {
			continue
		}
		err := filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
			if err != nil || entry.IsDir() || !strings.HasSuffix(path, ".yml") && !strings.HasSuffix(path, ".yaml") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var document yaml.Node
			if yaml.Unmarshal(src, &document) != nil {
				return nil // not this test's concern
			}
			scripts = appendScripts(scripts, &document)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return scripts
}

// repoRoot is the repository root, from this package's directory.
const repoRoot = "../.."

// corpusDir returns the corpus of real CI files, an absolute path, and
// skips the test when it is absent. The corpus is not part of the
// repository: it is ../shared/corpus beside the checkout, or the directory
// PIPELINT_CORPUS names (a relative one from the repository root).
//
// go test caches a package's result with the files its tests opened, but
// ignores files outside the module, the corpus among them: a run without
// the corpus would be replayed once it is there. So corpusDir reads
// PIPELINT_CORPUS with os.Getenv, and enters every directory of the corpus
// (or, while it is absent, its nearest existing parent) with os.Chdir: go
// test records both wherever they point, a directory with its modification
// time, so adding or removing the corpus or anything in it runs the tests
// again. (A file edited in place is not noticed: use -count=1.) As it
// moves the working directory for a moment, no parallel test may call it.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PIPELINT_CORPUS")
	if dir == "" {
		dir = "../shared/corpus"
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repoRoot, dir)
	}
	dir, err := filepath.Abs(dir)
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

func appendScripts(scripts []string, node *yaml.Node) []string {
	if node.Kind == yaml.MappingNode {
		shell := ""
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == "shell" {
				shell = node.Content[i+1].Value
			}
		}
		for i := 0; i+1 < len(node.Content); i += 2 {
			key, value := node.Content[i].Value, node.Content[i+1]
			switch {
			case key == "run" && value.Kind == yaml.ScalarNode && (shell == "" || strings.HasPrefix(shell, "bash")):
				scripts = append(scripts, value.Value)
			case key == "script" || key == "before_script" || key == "after_script":
				if value.Kind == yaml.SequenceNode {
					for _, line := range value.Content {
						if line.Kind == yaml.ScalarNode {
							scripts = append(scripts, line.Value)
						}
					}
				}
			}
		}
	}
	for _, child := range node.Content {
		scripts = appendScripts(scripts, child)
	}
	return scripts
}
