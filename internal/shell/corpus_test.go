package shell

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/corpustest"
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
	corpus := corpustest.Dir(t)
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
