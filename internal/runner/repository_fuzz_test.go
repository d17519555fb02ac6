package runner

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzRepository builds a small repository from the input and runs the
// whole check on it: CI files of every system, GitLab includes (globs
// among them) and child pipelines, and symbolic links to files, to
// directories, to themselves, in loops and out of the repository. Whatever
// the repository, the check must not panic or hang, and must not read
// outside the repository: no position names a file outside it, and
// nothing of the canary files kept next to it reaches a report.
//
// The layout is a list of operations of two bytes, an operation and its
// argument, which picks from a vocabulary, so that random bytes make
// repositories in which links and includes meet (see decodeRepository);
// text holds the contents of the files, separated by NUL bytes.
func FuzzRepository(f *testing.F) {
	if err := os.Symlink("target", filepath.Join(f.TempDir(), "link")); err != nil {
		f.Skipf("symbolic links cannot be made here: %v", err)
	}
	for _, seed := range append(repositorySeeds, fixtureRepositories(f)...) {
		layout, text := seed.encode(f)
		f.Add(layout, text)
	}
	// The sandbox and its canaries last the whole process; an input only
	// builds and removes sandbox/repo. Nothing is written through a link
	// (buildRepository), so the canaries stay as they are.
	sandbox := f.TempDir()
	writeCanaries(f, filepath.Join(sandbox, "outside"))
	repo := filepath.Join(sandbox, "repo")
	f.Fuzz(func(t *testing.T, layout, text []byte) {
		if bytes.Contains(bytes.ToLower(text), []byte(canary)) {
			t.Skip("the input names the canary")
		}
		if err := os.RemoveAll(repo); err != nil {
			t.Fatal(err)
		}
		buildRepository(t, sandbox, repo, decodeRepository(layout, text))
		result := checkBounded(t, []string{repo}, Options{Policy: PolicyOptions{NoConfig: true}})
		out := checkResult(t, repo, result)
		for _, line := range bytes.Split(out, []byte("\n")) {
			if bytes.Contains(bytes.ToLower(line), []byte(canary)) {
				t.Errorf("the report shows a file outside the repository: %s", bytes.TrimSpace(line))
			}
		}
	})
}

// canary is in every file outside the repository, in a value the
// unpinned-image rule quotes, so that a canary file that is read shows in
// the report; inputs that name it are skipped.
const canary = "pipelint-outside-canary"

// canaries are the files outside the repository, each a pipeline of its
// system named as it would be found.
var canaries = map[string]string{
	"secret.yml":         "canary_job:\n  image: " + canary + ":1\n  script: [make]\n",
	".gitlab-ci.yml":     "canary_job:\n  image: " + canary + ":1\n  script: [make]\n",
	"workflow.yml":       "on: push\njobs:\n  canary:\n    runs-on: ubuntu-latest\n    container: " + canary + ":1\n    steps:\n      - run: make\n",
	"Jenkinsfile":        "pipeline {\n  agent { docker { image '" + canary + ":1' } }\n  stages { stage('a') { steps { sh 'make' } } }\n}\n",
	"dir/secret.yml":     "canary_job:\n  image: " + canary + ":1\n  script: [make]\n",
	"dir/.gitlab-ci.yml": "canary_job:\n  image: " + canary + ":1\n  script: [make]\n",
}

func writeCanaries(tb testing.TB, dir string) {
	tb.Helper()
	for name, content := range canaries {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// entry is one file, directory or symbolic link of a fuzzed repository.
type entry struct {
	name    string // slash path inside the repository
	dir     bool
	target  string // for a symbolic link, as written
	content []byte
}

// The vocabularies of FuzzRepository's layout. A link's target is
// relative to the link, or from the sandbox when it starts with /: the
// sandbox holds the repository (/repo) and the canaries (/outside).
var (
	fuzzNames = []string{
		".gitlab-ci.yml", "ci/a.yml", "ci/b.yml", "ci/sub/c.yml", "ci/sub", "ci",
		"ci/link", "ci/link.yml", "ci/sub/deeper/d.yml", "templates/t.yml", "child.yml",
		"Jenkinsfile", ".github/workflows/ci.yml", ".github/workflows", ".github", "README.md",
	}
	fuzzTargets = []string{
		"..", ".", "../..", "../../..", "a.yml", "b.yml", "link", "link.yml", "sub", "ci",
		"missing.yml", "ci/a.yml", "../ci/a.yml", "../.gitlab-ci.yml", ".gitlab-ci.yml", "../../outside",
		"/", "/repo", "/repo/ci", "/outside", "/outside/dir", "/outside/secret.yml",
		"/outside/.gitlab-ci.yml", "/outside/Jenkinsfile", "/outside/workflow.yml",
	}
	fuzzGlobs = []string{
		"ci/*.yml", "ci/**/*.yml", "**/*.yml", "ci/a.yml", "/ci/b.yml", "ci/sub/*.yml",
		"ci/link/*.yml", "ci/link.yml", "ci/**", "templates/*.yml", "ci/{a,b}.yml",
		"**/.gitlab-ci.yml", "*.yml", "ci/sub/**/*.yml", "child.yml", "ci/[ab].yml",
	}
)

// Operations of FuzzRepository's layout, the first byte of each modulo
// layoutOps; the second byte picks from a vocabulary.
const (
	opFile    = iota // the file fuzzNames[arg], with the next text
	opDir            // the directory fuzzNames[arg]
	opLink           // the link fuzzNames[arg] to fuzzTargets[a third byte]
	opInclude        // .gitlab-ci.yml includes fuzzGlobs[arg]
	opChild          // .gitlab-ci.yml starts fuzzNames[arg] as a child pipeline
	opRawFile        // a file whose name is the first line of the next text
	layoutOps
)

// Bounds that keep an input cheap.
const (
	maxOps         = 32
	maxEntries     = 16
	maxContent     = 4 << 10
	maxPathParts   = 5
	maxPartLength  = 40
	maxTargetParts = 8
)

// decodeRepository turns FuzzRepository's input into the entries of a
// repository. Includes and child pipelines are written at the end of
// .gitlab-ci.yml, after any text the layout gives it.
func decodeRepository(layout, text []byte) []entry {
	texts := bytes.Split(text, []byte{0})
	nextText := func() []byte {
		if len(texts) == 0 {
			return nil
		}
		t := texts[0]
		texts = texts[1:]
		return t[:min(len(t), maxContent)]
	}
	pick := func(vocabulary []string, b byte) string { return vocabulary[int(b)%len(vocabulary)] }
	var entries []entry
	var includes, children strings.Builder
	for i, ops := 0, 0; i+1 < len(layout) && ops < maxOps && len(entries) < maxEntries; i, ops = i+2, ops+1 {
		op, arg := layout[i]%layoutOps, layout[i+1]
		switch op {
		case opFile:
			entries = append(entries, entry{name: pick(fuzzNames, arg), content: nextText()})
		case opDir:
			entries = append(entries, entry{name: pick(fuzzNames, arg), dir: true})
		case opLink:
			var target byte
			if i+2 < len(layout) {
				target = layout[i+2]
				i++
			}
			entries = append(entries, entry{name: pick(fuzzNames, arg), target: pick(fuzzTargets, target)})
		case opInclude:
			if includes.Len() == 0 {
				includes.WriteString("include:\n")
			}
			fmt.Fprintf(&includes, "  - local: '%s'\n", pick(fuzzGlobs, arg))
		case opChild:
			fmt.Fprintf(&children, "child_%d:\n  trigger:\n    include: %s\n", i, pick(fuzzNames, arg))
		case opRawFile:
			name, content, _ := bytes.Cut(nextText(), []byte("\n"))
			entries = append(entries, entry{name: string(name), content: content})
		}
	}
	generated := includes.String() + children.String()
	if generated == "" {
		return entries
	}
	for i, e := range entries {
		if e.name == ".gitlab-ci.yml" && !e.dir && e.target == "" {
			content := append([]byte(nil), e.content...)
			if len(content) > 0 && content[len(content)-1] != '\n' {
				content = append(content, '\n')
			}
			entries[i].content = append(content, generated...)
			return entries
		}
	}
	return append(entries, entry{name: ".gitlab-ci.yml", content: []byte(generated)})
}

// buildRepository makes the entries in repo, with .git so that repo is
// the repository root. Files and directories come first, then the links,
// and nothing is made through a link, so that whatever the input every
// entry lands inside repo; a link's target is kept inside sandbox (see
// linkTarget). Entries that cannot be made are left out.
func buildRepository(t *testing.T, sandbox, repo string, entries []entry) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := entryName(e.name)
		if !ok || e.target != "" {
			continue
		}
		p := filepath.Join(repo, name)
		if e.dir {
			os.MkdirAll(p, 0o755)
			continue
		}
		if os.MkdirAll(filepath.Dir(p), 0o755) == nil {
			os.WriteFile(p, e.content, 0o644)
		}
	}
	links := map[string]bool{}
	for _, e := range entries {
		name, ok := entryName(e.name)
		if !ok || e.target == "" || throughLink(name, links) {
			continue
		}
		target, ok := linkTarget(sandbox, name, e.target)
		if !ok {
			continue
		}
		p := filepath.Join(repo, name)
		if os.MkdirAll(filepath.Dir(p), 0o755) == nil && os.Symlink(target, p) == nil {
			links[filepath.ToSlash(name)] = true
		}
	}
}

// entryName cleans an entry's name to a short local path that is not in
// .git; ok is false when it cannot be one.
func entryName(name string) (string, bool) {
	clean := path.Clean(name)
	parts := strings.Split(clean, "/")
	if !filepath.IsLocal(filepath.FromSlash(clean)) || clean == "." || parts[0] == ".git" || len(parts) > maxPathParts || strings.ContainsRune(clean, 0) {
		return "", false
	}
	for _, part := range parts {
		if len(part) > maxPartLength {
			return "", false
		}
	}
	return filepath.FromSlash(clean), true
}

// throughLink reports whether a parent directory of name is one of the
// links made so far.
func throughLink(name string, links map[string]bool) bool {
	slash := filepath.ToSlash(name)
	for i := range len(slash) {
		if slash[i] == '/' && links[slash[:i]] {
			return true
		}
	}
	return false
}

// linkTarget returns what the link name (a path inside sandbox/repo)
// points to. A target starting with / is taken from the sandbox and made
// absolute. A relative target may climb with leading .. no higher than the
// sandbox, then descends without .., so that however links chain, every
// link resolves inside the sandbox: a link's own directory is never
// reached through another link (see throughLink).
func linkTarget(sandbox, name, target string) (string, bool) {
	if target == "" || strings.ContainsRune(target, 0) {
		return "", false
	}
	if strings.HasPrefix(target, "/") {
		rest := path.Clean(target)[1:]
		if strings.Contains("/"+rest+"/", "/../") || strings.Count(rest, "/") >= maxTargetParts {
			return "", false
		}
		return filepath.Join(sandbox, filepath.FromSlash(rest)), true
	}
	parts := strings.Split(target, "/")
	climb := 0
	for climb < len(parts) && parts[climb] == ".." {
		climb++
	}
	for _, part := range parts[climb:] {
		if part == ".." {
			return "", false
		}
	}
	// The link's directory is depth levels below the sandbox: repo and
	// the directories of name.
	depth := 1 + strings.Count(filepath.ToSlash(name), "/")
	if climb > depth || len(parts) > maxTargetParts {
		return "", false
	}
	return filepath.FromSlash(target), true
}

// repoSeed is a FuzzRepository input written for people; encode turns
// it into the layout and text. Names, link targets and include globs come
// from the vocabularies, except the names of files not in fuzzNames,
// which are written raw.
type repoSeed struct {
	files    [][2]string // name, content
	dirs     []string
	links    [][2]string // name, target
	includes []string
	children []string
}

func (s repoSeed) encode(tb testing.TB) (layout, text []byte) {
	tb.Helper()
	index := func(vocabulary []string, word string) byte {
		i := slices.Index(vocabulary, word)
		if i < 0 {
			tb.Fatalf("seed: %q is not in the vocabulary", word)
		}
		return byte(i)
	}
	var texts [][]byte
	for _, file := range s.files {
		if i := slices.Index(fuzzNames, file[0]); i >= 0 {
			layout = append(layout, opFile, byte(i))
			texts = append(texts, []byte(file[1]))
		} else {
			layout = append(layout, opRawFile, 0)
			texts = append(texts, []byte(file[0]+"\n"+file[1]))
		}
	}
	for _, dir := range s.dirs {
		layout = append(layout, opDir, index(fuzzNames, dir))
	}
	for _, link := range s.links {
		layout = append(layout, opLink, index(fuzzNames, link[0]), index(fuzzTargets, link[1]))
	}
	for _, glob := range s.includes {
		layout = append(layout, opInclude, index(fuzzGlobs, glob))
	}
	for _, child := range s.children {
		layout = append(layout, opChild, index(fuzzNames, child))
	}
	return layout, bytes.Join(texts, []byte{0})
}

// repositorySeeds are repositories with links of every kind, each safe
// for the check as it is.
var repositorySeeds = []repoSeed{
	{ // a glob include next to a link to the parent directory and to itself
		files:    [][2]string{{".gitlab-ci.yml", "build:\n  script: [make]\n"}, {"ci/a.yml", "test:\n  script: [make test]\n"}},
		links:    [][2]string{{"ci/link", ".."}, {"ci/sub", "."}},
		includes: []string{"ci/*.yml"},
	},
	{ // links out of the repository that nothing includes
		files:    [][2]string{{"ci/a.yml", "test:\n  image: alpine:3\n  script: [make test]\n"}},
		links:    [][2]string{{"ci/link.yml", "/outside/secret.yml"}, {"ci/link", "../../outside"}},
		includes: []string{"ci/a.yml"},
	},
	{ // includes of a link to itself and of a loop of two links
		files:    [][2]string{{".gitlab-ci.yml", "build:\n  script: [make]\n"}},
		links:    [][2]string{{"ci/link.yml", "link.yml"}, {"ci/a.yml", "b.yml"}, {"ci/b.yml", "a.yml"}},
		includes: []string{"ci/link.yml", "ci/a.yml"},
	},
	{ // pipelines that are links: discovery does not follow them
		links: [][2]string{
			{".gitlab-ci.yml", "/outside/.gitlab-ci.yml"}, {"Jenkinsfile", "/outside/Jenkinsfile"},
			{".github/workflows", "/outside"},
		},
	},
	{ // a child pipeline through a link inside the repository, and a missing one
		files:    [][2]string{{"ci/a.yml", "c:\n  script: [make]\n"}},
		links:    [][2]string{{"child.yml", "ci/a.yml"}},
		children: []string{"child.yml", "ci/b.yml"},
	},
	{ // every system at once, with a directory link in the workflows
		files: [][2]string{
			{".github/workflows/ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"},
			{"Jenkinsfile", "pipeline {\n  agent any\n  stages { stage('b') { steps { sh 'make' } } }\n}\n"},
			{".gitlab-ci.yml", "c:\n  script: [make]\n"},
		},
		links: [][2]string{{"ci", "../.gitlab-ci.yml"}},
	},
	{ // a recursive glob over real directories only
		files:    [][2]string{{"ci/sub/c.yml", "x:\n  script: [make]\n"}, {"ci/sub/deeper/d.yml", "y:\n  script: [make]\n"}},
		dirs:     []string{"templates/t.yml"},
		includes: []string{"ci/**/*.yml"},
	},
}

// fixtureRepositories are the rule fixtures that are folders (GitLab
// pipelines with the files they include), each as a FuzzRepository seed.
func fixtureRepositories(f *testing.F) []repoSeed {
	var seeds []repoSeed
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "fixtures", "*", "*", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		var seed repoSeed
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".out") {
				return err
			}
			src, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			seed.files = append(seed.files, [2]string{filepath.ToSlash(rel), string(src)})
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, seed)
	}
	return seeds
}
