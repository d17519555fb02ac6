package resolve

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Reachability is whether a commit is in the history of a branch or tag
// of a repository. A commit that is in none may still be fetched through
// the repository's name on GitHub, from a fork (an impostor commit).
type Reachability int

const (
	// Undecided: the commit is not in the part of the histories read, and
	// some history is longer than that.
	Undecided Reachability = iota
	// Reachable: a branch or tag points at the commit or has it in its
	// history.
	Reachable
	// Unreachable: every branch and tag history was read to its first
	// commit, and none holds the commit.
	Unreachable
)

func (r Reachability) String() string {
	switch r {
	case Undecided:
		return "undecided"
	case Reachable:
		return "reachable"
	case Unreachable:
		return "unreachable"
	}
	return fmt.Sprintf("Reachability(%d)", int(r))
}

// DefaultHistoryDepth is how many commits of each branch's and tag's
// history Reachable reads when the commit is not the head of one.
const DefaultHistoryDepth = 100

var fullSHA = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// IsCommitSHA reports whether ref is a full commit SHA, which Reachable
// takes, rather than a branch or tag name.
func IsCommitSHA(ref string) bool { return fullSHA.MatchString(ref) }

// Reachable says whether commit sha (full) is in the history of a branch
// or tag of repo. The head of a branch or a tagged commit is found in the
// refs alone. Any other commit takes fetching the last HistoryDepth
// commits of every branch and tag, with their files, into memory (the git
// protocol offers no way to ask for ancestry, and go-git none to leave the
// files out); the parents those commits name are found too. A commit older
// than that in every history is Undecided. Answers are cached like refs,
// keyed by the depth too.
func (r *Resolver) Reachable(ctx context.Context, repo, sha string) (Reachability, error) {
	if !IsCommitSHA(sha) {
		return Undecided, fmt.Errorf("commit %q: want a full SHA of 40 hexadecimal digits", sha)
	}
	sha = strings.ToLower(sha)
	refs, err := r.Refs(ctx, repo)
	if err != nil {
		return Undecided, err
	}
	if len(refs.TagsAt(sha)) > 0 || len(refs.BranchesAt(sha)) > 0 {
		return Reachable, nil
	}
	remoteURL := r.githubURL + "/" + repo + ".git"
	key := fmt.Sprintf("%s@%s depth %d", remoteURL, sha, r.historyDepth)
	return cached(ctx, r, "reachable", key, "reachability of "+sha+" in "+remoteURL, func(ctx context.Context) (Reachability, error) {
		reach, err := r.searchHistories(ctx, remoteURL, plumbing.NewHash(sha))
		if err != nil {
			return Undecided, fmt.Errorf("fetch histories of %s: %w", remoteURL, err)
		}
		return reach, nil
	})
}

// searchHistories fetches the last historyDepth commits of every branch
// and tag and looks for target among them.
func (r *Resolver) searchHistories(ctx context.Context, remoteURL string, target plumbing.Hash) (Reachability, error) {
	storage := memory.NewStorage()
	remote := git.NewRemote(storage, &gitconfig.RemoteConfig{Name: "origin", URLs: []string{remoteURL}})
	err := remote.FetchContext(ctx, &git.FetchOptions{
		RefSpecs: []gitconfig.RefSpec{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"},
		Depth:    r.historyDepth,
		Tags:     git.NoTags, // the refspec has them all
		Auth:     r.auth(),
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return Undecided, err
	}
	refs, err := storage.IterReferences()
	if err != nil {
		return Undecided, err
	}
	var queue []plumbing.Hash
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference {
			queue = append(queue, ref.Hash())
		}
		return nil
	})
	if err != nil {
		return Undecided, err
	}
	seen := map[plumbing.Hash]bool{}
	for len(queue) > 0 {
		hash := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[hash] {
			continue
		}
		seen[hash] = true
		if hash == target { // fetched, or named as the parent of a fetched commit
			return Reachable, nil
		}
		obj, err := storage.EncodedObject(plumbing.AnyObject, hash)
		if err != nil {
			continue // a parent of a commit at the depth read: not fetched
		}
		switch obj.Type() {
		case plumbing.TagObject:
			tag, err := object.DecodeTag(storage, obj)
			if err != nil {
				return Undecided, err
			}
			queue = append(queue, tag.Target)
		case plumbing.CommitObject:
			commit, err := object.DecodeCommit(storage, obj)
			if err != nil {
				return Undecided, err
			}
			queue = append(queue, commit.ParentHashes...)
		}
	}
	shallow, err := storage.Shallow()
	if err != nil {
		return Undecided, err
	}
	if len(shallow) > 0 {
		return Undecided, nil
	}
	return Unreachable, nil
}
