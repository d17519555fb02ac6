package resolve

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/storage/memory"
)

// RefSet is every branch and tag of a repository with the commit it points
// at, as listed at one moment.
type RefSet struct {
	Repo     string            `json:"repo"`     // owner/name
	Branches map[string]string `json:"branches"` // branch name → commit SHA
	Tags     map[string]string `json:"tags"`     // tag name → commit SHA; annotated tags are peeled
}

// repoName is what GitHub allows as owner and repository names.
var repoName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// Refs lists the branches and tags of the GitHub repository repo
// ("owner/name"; an action's path after the name is the caller's to cut).
func (r *Resolver) Refs(ctx context.Context, repo string) (*RefSet, error) {
	owner, name, _ := strings.Cut(repo, "/")
	if !repoName.MatchString(repo) || owner == "." || owner == ".." || name == "." || name == ".." {
		return nil, fmt.Errorf("repository %q: want owner/name", repo)
	}
	remoteURL := r.githubURL + "/" + repo + ".git"
	return cached(ctx, r, "refs", remoteURL, "refs of "+remoteURL, func(ctx context.Context) (*RefSet, error) {
		refs, err := r.listRemote(ctx, remoteURL)
		if err != nil {
			return nil, fmt.Errorf("list refs of %s: %w", remoteURL, err)
		}
		return newRefSet(repo, refs), nil
	})
}

// listRemote is `git ls-remote`, with the peeled commit of each annotated
// tag listed as <tag>^{}.
func (r *Resolver) listRemote(ctx context.Context, remoteURL string) ([]*plumbing.Reference, error) {
	remote := git.NewRemote(memory.NewStorage(), &gitconfig.RemoteConfig{Name: "origin", URLs: []string{remoteURL}})
	return remote.ListContext(ctx, &git.ListOptions{Auth: r.auth(), PeelingOption: git.AppendPeeled})
}

// auth is the token as GitHub takes it over HTTPS, or nil without one.
func (r *Resolver) auth() transport.AuthMethod {
	if r.token == "" {
		return nil
	}
	return &githttp.BasicAuth{Username: "x-access-token", Password: r.token}
}

func newRefSet(repo string, refs []*plumbing.Reference) *RefSet {
	set := &RefSet{Repo: repo, Branches: map[string]string{}, Tags: map[string]string{}}
	peeled := map[string]string{}
	for _, ref := range refs {
		if ref.Type() != plumbing.HashReference {
			continue // HEAD
		}
		name, sha := ref.Name().String(), ref.Hash().String()
		if branch, ok := strings.CutPrefix(name, "refs/heads/"); ok {
			set.Branches[branch] = sha
		} else if tag, ok := strings.CutPrefix(name, "refs/tags/"); ok {
			if annotated, ok := strings.CutSuffix(tag, "^{}"); ok {
				peeled[annotated] = sha
			} else {
				set.Tags[tag] = sha
			}
		}
	}
	for tag, sha := range peeled {
		set.Tags[tag] = sha
	}
	return set
}

// Commit is the commit ref points at: a branch or tag name, or a full
// refs/heads/… or refs/tags/… name. A name that is both a tag and a branch
// is the tag, as git's own order has it (gitrevisions(7)); Ambiguous tells
// those names. A name that is neither is an error matching ErrUnknownRef.
func (s *RefSet) Commit(ref string) (string, error) {
	if tag, ok := strings.CutPrefix(ref, "refs/tags/"); ok {
		if sha, ok := s.Tags[tag]; ok {
			return sha, nil
		}
	} else if branch, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
		if sha, ok := s.Branches[branch]; ok {
			return sha, nil
		}
	} else if sha, ok := s.Tags[ref]; ok {
		return sha, nil
	} else if sha, ok := s.Branches[ref]; ok {
		return sha, nil
	}
	return "", fmt.Errorf("%s@%s: %w", s.Repo, ref, ErrUnknownRef)
}

// Ambiguous reports whether name is both a branch and a tag, so that what
// it resolves to depends on who resolves it (ref confusion).
func (s *RefSet) Ambiguous(name string) bool {
	_, tag := s.Tags[name]
	_, branch := s.Branches[name]
	return tag && branch
}

// TagsAt is the sorted names of the tags pointing at commit sha (full,
// in either case).
func (s *RefSet) TagsAt(sha string) []string {
	return namesAt(s.Tags, sha)
}

// BranchesAt is the sorted names of the branches whose head is commit sha.
func (s *RefSet) BranchesAt(sha string) []string {
	return namesAt(s.Branches, sha)
}

func namesAt(refs map[string]string, sha string) []string {
	sha = strings.ToLower(sha)
	var names []string
	for name, at := range refs {
		if at == sha {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// versionTag is a version number as tags spell it: v4, 4.2, v4.2.2.
var versionTag = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*$`)

// MostSpecificTag is the version tag at commit sha that says the most, for
// the comment beside a pin: of the tags like v4, v4.2 or v4.2.2 pointing
// at sha, the one with the most numbers, and of those the first in byte
// order. A major tag v4 at the commit of v4.2.2 gives v4.2.2. ok is false
// when no version tag points at sha.
func (s *RefSet) MostSpecificTag(sha string) (tag string, ok bool) {
	versions := slices.DeleteFunc(s.TagsAt(sha), func(tag string) bool { return !versionTag.MatchString(tag) })
	if len(versions) == 0 {
		return "", false
	}
	return slices.MinFunc(versions, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(b, "."), strings.Count(a, ".")), cmp.Compare(a, b))
	}), true
}
