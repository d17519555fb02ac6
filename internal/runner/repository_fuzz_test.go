package runner

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
// The input is text. A line "== NAME" starts the file NAME (a directory
// when NAME ends in /), and the lines up to the next header are its
// content. A line "-> NAME TARGET" makes NAME a symbolic link to TARGET:
// a relative target is written as is, and a target starting with / is
// taken from the sandbox that holds the repository (/repo) and the canary
// files (/outside), e.g. "-> ci/x.yml /outside/secret.yml".
//
//	== .gitlab-ci.yml
//	include: 'ci/*.yml'
//	== ci/a.yml
//	a: {script: [make]}
//	-> ci/up ..
func FuzzRepository(f *testing.F) {
	if err := os.Symlink("target", filepath.Join(f.TempDir(), "link")); err != nil {
		f.Skipf("symbolic links cannot be made here: %v", err)
	}
	for _, seed := range repositorySeeds {
		f.Add([]byte(seed))
	}
	for _, dir := range fixtureRepositories(f) {
		f.Add(dir)
	}
	// The sandbox and its canaries last the whole process; an input only
	// builds and removes sandbox/repo. Nothing is written through a link
	// (buildRepository), so the canaries stay as they are.
	sandbox := f.TempDir()
	writeCanaries(f, filepath.Join(sandbox, "outside"))
	repo := filepath.Join(sandbox, "repo")
	f.Fuzz(func(t *testing.T, spec []byte) {
		if bytes.Contains(bytes.ToLower(spec), []byte(canary)) {
			t.Skip("the input names the canary")
		}
		if err := os.RemoveAll(repo); err != nil {
			t.Fatal(err)
		}
		buildRepository(t, sandbox, repo, parseRepository(spec))
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

// Bounds that keep an input cheap.
const (
	maxEntries     = 12
	maxContent     = 4 << 10
	maxPathParts   = 5
	maxPartLength  = 40
	maxTargetParts = 8
)

// entry is one file, directory or symbolic link of a fuzzed repository.
type entry struct {
	name    string // slash path inside the repository
	dir     bool
	target  string // for a symbolic link, as written
	content []byte
}

// parseRepository reads the input format of FuzzRepository.
func parseRepository(spec []byte) []entry {
	var entries []entry
	var current *entry
	for _, line := range bytes.SplitAfter(spec, []byte("\n")) {
		text := strings.TrimRight(string(line), "\r\n")
		switch {
		case strings.HasPrefix(text, "== "):
			name := strings.TrimSpace(text[3:])
			entries = append(entries, entry{name: strings.TrimSuffix(name, "/"), dir: strings.HasSuffix(name, "/")})
			current = &entries[len(entries)-1]
		case strings.HasPrefix(text, "-> "):
			name, target, _ := strings.Cut(strings.TrimSpace(text[3:]), " ")
			entries = append(entries, entry{name: name, target: strings.TrimSpace(target)})
			current = nil
		case current != nil && !current.dir && len(current.content) < maxContent:
			current.content = append(current.content, line[:min(len(line), maxContent-len(current.content))]...)
		}
	}
	return entries[:min(len(entries), maxEntries)]
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

// repositorySeeds are repositories with links of every kind, each safe
// for the check as it is.
var repositorySeeds = []string{
	// A glob include next to a link to the parent directory and to itself.
	"== .gitlab-ci.yml\ninclude:\n  - local: 'ci/*.yml'\nbuild:\n  script: [make]\n== ci/a.yml\ntest:\n  script: [make test]\n-> ci/up ..\n-> ci/self .\n",
	// A link out of the repository that nothing includes.
	"== .gitlab-ci.yml\ninclude: ci/a.yml\n== ci/a.yml\ntest:\n  image: alpine:3\n  script: [make test]\n-> ci/secret.yml /outside/secret.yml\n-> ci/out ../../outside\n",
	// An include of a link to itself, and of a loop of two links.
	"== .gitlab-ci.yml\ninclude:\n  - local: ci/self.yml\n  - local: ci/loop-a.yml\nbuild:\n  script: [make]\n-> ci/self.yml self.yml\n-> ci/loop-a.yml loop-b.yml\n-> ci/loop-b.yml loop-a.yml\n",
	// Pipelines that are links: discovery does not follow them.
	"-> .gitlab-ci.yml /outside/.gitlab-ci.yml\n-> Jenkinsfile /outside/Jenkinsfile\n-> .github/workflows/ci.yml /outside/workflow.yml\n-> .github/workflows/out /outside\n",
	// A child pipeline through a link inside the repository, and a
	// missing one.
	"== .gitlab-ci.yml\nchild:\n  trigger:\n    include: ci/child.yml\nother:\n  trigger:\n    include: ci/missing.yml\n== ci/real.yml\nc:\n  script: [make]\n-> ci/child.yml real.yml\n",
	// Every system at once, with a directory link in the workflows.
	"== .github/workflows/ci.yml\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n== Jenkinsfile\npipeline {\n  agent any\n  stages { stage('b') { steps { sh 'make' } } }\n}\n== .gitlab-ci.yml\nc:\n  script: [make]\n-> .github/workflows/again ..\n",
	// A recursive glob over real directories only.
	"== .gitlab-ci.yml\ninclude: 'ci/**/*.yml'\n== ci/a/x.yml\nx:\n  script: [make]\n== ci/b/y.yml\ny:\n  script: [make]\n== empty/\n",
}

// fixtureRepositories are the rule fixtures that are folders (GitLab
// pipelines with the files they include), each as a FuzzRepository input.
func fixtureRepositories(f *testing.F) [][]byte {
	var seeds [][]byte
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "fixtures", "*", "*", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		var spec bytes.Buffer
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".out") {
				return err
			}
			src, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			spec.WriteString("== " + filepath.ToSlash(rel) + "\n")
			spec.Write(src)
			if len(src) > 0 && src[len(src)-1] != '\n' {
				spec.WriteByte('\n')
			}
			return err
		})
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, spec.Bytes())
	}
	return seeds
}
