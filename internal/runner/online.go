package runner

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/resolve"
)

// maxConcurrentLookups bounds the repositories looked up at once: lookups
// wait on the network, not on the processor.
const maxConcurrentLookups = 8

// refFacts looks up, for `pipelint check --online`, what the server says
// of the refs the files name (model.Pipeline.Resolved), each ref once per
// run however many files name it. Its methods are called by one goroutine
// at a time.
type refFacts struct {
	resolver *resolve.Resolver
	found    map[refName]refLookup
}

// refName is a ref of a repository as written: owner/repo and the ref.
type refName struct{ repo, ref string }

func (n refName) String() string { return n.repo + "@" + n.ref }

// refLookup is what was found of one ref. entry is nil when the
// repository's refs could not be listed; err is set then, and when the
// reachability of a commit could not be decided (entry says "undecided").
type refLookup struct {
	entry *model.ResolvedRef
	err   error
}

func newRefFacts(resolver *resolve.Resolver) *refFacts {
	return &refFacts{resolver: resolver, found: map[refName]refLookup{}}
}

// namesOf lists the refs a pipeline's actions and reusable workflows name
// (not orbs, which CircleCI's registry publishes, not GitHub),
// with each reference they are written at, and the version comment of each
// one pinned to a commit (with no reference: a comment is not a ref the
// workflow runs).
func namesOf(p *model.Pipeline) map[refName][]model.Reference {
	names := map[refName][]model.Reference{}
	for _, ref := range p.References {
		if ref.Kind != model.RefAction && ref.Kind != model.RefReusableWorkflow || ref.Usage == "orb" || ref.Local || ref.Dynamic || ref.Owner == "" || ref.Repo == "" || ref.Ref == "" {
			continue
		}
		repo := ref.Owner + "/" + ref.Repo
		name := refName{repo, ref.Ref}
		names[name] = append(names[name], ref)
		if ref.Pinned && ref.VersionComment != "" && ref.VersionComment != ref.Ref {
			comment := refName{repo, ref.VersionComment}
			names[comment] = append(names[comment], model.Reference{})
		}
	}
	return names
}

// resolve sets the Resolved refs of the parsed files' pipelines, looking up
// those not looked up yet, and adds a warning at each reference whose ref
// could not be resolved or names nothing.
func (f *refFacts) resolve(ctx context.Context, parsed []*parsedFile) {
	byRepo := map[string][]string{}
	for _, pf := range parsed {
		if pf.pipeline == nil {
			continue
		}
		for name := range namesOf(pf.pipeline) {
			if _, done := f.found[name]; !done && !slices.Contains(byRepo[name.repo], name.ref) {
				byRepo[name.repo] = append(byRepo[name.repo], name.ref)
			}
		}
	}
	f.lookUp(ctx, byRepo)
	for _, pf := range parsed {
		if pf.pipeline != nil {
			f.apply(pf)
		}
	}
}

// lookUp looks up refs by repository, a few repositories at a time.
func (f *refFacts) lookUp(ctx context.Context, byRepo map[string][]string) {
	repos := make([]string, 0, len(byRepo))
	for repo := range byRepo {
		repos = append(repos, repo)
	}
	results := make([]map[refName]refLookup, len(repos))
	var g errgroup.Group
	g.SetLimit(maxConcurrentLookups)
	for i, repo := range repos {
		g.Go(func() error {
			results[i] = f.lookUpRepo(ctx, repo, byRepo[repo])
			return nil
		})
	}
	_ = g.Wait() // lookups report their errors in their results
	for _, found := range results {
		for name, lookup := range found {
			f.found[name] = lookup
		}
	}
}

// lookUpRepo lists the refs of one repository and answers each ref from
// them; a commit SHA is looked for in the branches' and tags' histories.
func (f *refFacts) lookUpRepo(ctx context.Context, repo string, refs []string) map[refName]refLookup {
	found := map[refName]refLookup{}
	set, err := f.resolver.Refs(ctx, repo)
	for _, ref := range refs {
		name := refName{repo, ref}
		if err != nil {
			found[name] = refLookup{err: err}
			continue
		}
		entry := &model.ResolvedRef{Repo: repo, Ref: ref}
		var lookupErr error
		if resolve.IsCommitSHA(ref) {
			entry.Kind, entry.Commit = model.ResolvedCommit, strings.ToLower(ref)
			reach, err := f.resolver.Reachable(ctx, repo, ref)
			entry.Reachable, lookupErr = reachable(reach), err
		} else if commit, err := set.Commit(ref); err == nil {
			entry.Kind, entry.Commit, entry.Reachable = model.ResolvedBranch, commit, model.ReachableYes
			if _, tag := set.Tags[strings.TrimPrefix(ref, "refs/tags/")]; tag && !strings.HasPrefix(ref, "refs/heads/") {
				entry.Kind = model.ResolvedTag
			}
			entry.Ambiguous = set.Ambiguous(ref)
		}
		if entry.Commit != "" {
			entry.TagsAtCommit, entry.BranchesAtCommit = set.TagsAt(entry.Commit), set.BranchesAt(entry.Commit)
		}
		found[name] = refLookup{entry: entry, err: lookupErr}
	}
	return found
}

func reachable(r resolve.Reachability) string {
	switch r {
	case resolve.Reachable:
		return model.ReachableYes
	case resolve.Unreachable:
		return model.ReachableNo
	}
	return model.ReachableUndecided
}

// apply sets one file's Resolved refs and warns at the references that
// could not be resolved.
func (f *refFacts) apply(pf *parsedFile) {
	p := pf.pipeline
	p.Resolved = nil
	for name, refs := range namesOf(p) {
		lookup := f.found[name]
		if lookup.entry != nil {
			p.Resolved = append(p.Resolved, *lookup.entry)
		}
		var problem string
		switch {
		case lookup.err != nil:
			// go-git ends some errors with an empty detail ("repository not found: ").
			problem = fmt.Sprintf("could not check %s online: %s", name, strings.TrimSuffix(lookup.err.Error(), ": "))
		case lookup.entry.Kind == "":
			problem = fmt.Sprintf("%q is no branch or tag of %s", name.ref, name.repo)
		default:
			continue
		}
		for _, ref := range refs {
			if !ref.Pos.IsZero() { // not a version comment
				pf.result.warnings = append(pf.result.warnings, &model.ParseError{Pos: ref.Pos, Message: problem})
			}
		}
	}
	slices.SortFunc(p.Resolved, func(a, b model.ResolvedRef) int {
		return cmp.Or(strings.Compare(a.Repo, b.Repo), strings.Compare(a.Ref, b.Ref))
	})
}
