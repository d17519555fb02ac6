package fix

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/github"
	"github.com/pipelint/pipelint/internal/resolve"
	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

// The pin cases write REGISTRY for the host:port of the test's registry,
// and the goldens GITHUB for the git server's URL, which change from run
// to run.
const registryPlaceholder, githubPlaceholder = "REGISTRY", "GITHUB"

// pinServer is a resolver reading the servers pinServers starts.
type pinServer struct {
	resolver  *resolve.Resolver
	registry  string // host:port
	githubURL string
}

// placeholders writes the servers' addresses in text as the placeholders.
func (s pinServer) placeholders(text string) string {
	return strings.NewReplacer(s.githubURL, githubPlaceholder, s.registry, registryPlaceholder).Replace(text)
}

// pinServers starts the git server and the registry the pin cases name,
// and a resolver reading them with a cache of its own:
//
//   - actions/checkout: v4.1.0 (annotated) at one commit; v4.2.2
//     (annotated) and v4 (lightweight) at the next; main one further.
//   - octo/workflows: v1, v1.3.0 and v1.3 at one commit.
//   - octo/tools: main, and the tag nightly at main's parent.
//   - images library/node:20, octo/redis:7 and octo/app:1.2.
func pinServers(t *testing.T) pinServer {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	git := resolvetest.NewGitServer(t, "")
	checkout := git.NewRepo(t, "actions/checkout")
	v410 := checkout.Commit("v4.1.0")
	checkout.AnnotatedTag("v4.1.0", v410)
	v422 := checkout.Commit("v4.2.2", v410)
	checkout.AnnotatedTag("v4.2.2", v422)
	checkout.SetRef("refs/tags/v4", v422)
	checkout.SetRef("refs/heads/main", checkout.Commit("main", v422))
	workflows := git.NewRepo(t, "octo/workflows")
	w := workflows.Commit("workflows")
	for _, tag := range []string{"v1", "v1.3", "v1.3.0"} {
		workflows.SetRef("refs/tags/"+tag, w)
	}
	workflows.SetRef("refs/heads/main", w)
	tools := git.NewRepo(t, "octo/tools")
	nightly := tools.Commit("nightly")
	tools.SetRef("refs/tags/nightly", nightly)
	tools.SetRef("refs/heads/main", tools.Commit("main", nightly))

	_, host := resolvetest.NewRegistry(t, "", "")
	for _, image := range []string{"library/node:20", "octo/redis:7", "octo/app:1.2"} {
		resolvetest.PushImage(t, host+"/"+image)
	}
	r, err := resolve.New(resolve.WithGitHubURL(git.URL), resolve.WithCacheDir(t.TempDir()), resolve.WithInsecureLocalhost())
	if err != nil {
		t.Fatal(err)
	}
	return pinServer{resolver: r, registry: host, githubURL: git.URL}
}

// pinFindings proposes, as unpinned-action and unpinned-image do, to pin
// every reference to an action, a workflow or an image that is not
// pinned, local or computed.
func pinFindings(p *model.Pipeline) []finding.Finding {
	var findings []finding.Finding
	for _, ref := range p.References {
		if ref.Pinned || ref.Local || ref.Dynamic || ref.Kind != model.RefImage && ref.Ref == "" {
			continue
		}
		rule := "unpinned-action"
		if ref.Kind == model.RefImage {
			rule = "unpinned-image"
		}
		findings = append(findings, finding.Finding{RuleID: rule, Message: "m", Pos: ref.Value.Pos,
			Fix: &finding.Fix{Kind: finding.PinReference, Pos: ref.Value.Pos}})
	}
	return findings
}

// TestPinGolden pins every reference of each testdata/pin/<system>-<case>
// against the local git server and registry, and compares the text with
// <case>.fixed and the fixes left with <case>.left, the servers' addresses
// written as placeholders. go test -update rewrites them.
func TestPinGolden(t *testing.T) {
	servers := pinServers(t)
	cases, err := filepath.Glob("testdata/pin/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range cases {
		if strings.HasSuffix(path, ".fixed") || strings.HasSuffix(path, ".left") {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := []byte(strings.ReplaceAll(string(text), registryPlaceholder, servers.registry))
			out, err := pinFile(t, filepath.Base(path), src, servers.resolver)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Fixed) == 0 {
				t.Error("nothing pinned")
			}
			var left strings.Builder
			for _, l := range out.Left {
				fmt.Fprintf(&left, "%d:%d %s: %s\n", l.Finding.Pos.Line, l.Finding.Pos.Column, l.Finding.RuleID, l.Reason)
			}
			golden(t, path+".fixed", []byte(servers.placeholders(string(out.Src))))
			golden(t, path+".left", []byte(servers.placeholders(left.String())))
		})
	}
}

// pinFile writes src as name (whose first word is its system) in a
// directory of its own, and pins its references as `pipelint fix` does.
func pinFile(t *testing.T, name string, src []byte, resolver Resolver) (*Outcome, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	system, _, _ := strings.Cut(name, "-")
	files, _, err := parser.Discover([]string{path}, parser.Options{System: model.System(system)})
	if err != nil || len(files) != 1 {
		t.Fatalf("discover %s: %d files, %v", path, len(files), err)
	}
	parse := func(text []byte) (*model.Pipeline, error) {
		result := parser.ParseText(context.Background(), files[0], text)
		return result.Pipeline, result.Err
	}
	p, err := parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return File(context.Background(), Source{Name: files[0].Display, Src: src, Parse: parse}, pinFindings(p), Options{Resolver: resolver})
}

// Without a resolver, pins are left with the reason, and the other fixes
// of the file still apply.
func TestPinWithoutResolver(t *testing.T) {
	src := []byte(twoCheckouts)
	p, err := github.Parse("ci.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	findings := append(checkoutFixes(t, "ci.yml", src), pinFindings(p)...)
	out, err := File(context.Background(), Source{Name: "ci.yml", Src: src, Parse: parseAs("ci.yml")}, findings, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, l := range out.Left {
		if l.Finding.RuleID == "unpinned-action" {
			reasons = append(reasons, l.Reason)
		}
	}
	if len(reasons) != 2 || reasons[0] != "pinning a reference needs to resolve it, which this run does not do" || len(out.Fixed) != 2 {
		t.Errorf("left %q, fixed %d", reasons, len(out.Fixed))
	}
}
