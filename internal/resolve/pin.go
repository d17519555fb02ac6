package resolve

import (
	"context"
	"strings"
)

// Pin is the commit to pin ref, a tag or branch of the GitHub repository
// owner/repo, to, and the version to write beside the pin: for a tag, the
// most specific version tag at that commit (v4.2.2 for v4), or "" when no
// version tag points there; for a branch, "" (the branch's name is what
// to write). A Resolver is the resolver of package fix.
func (r *Resolver) Pin(ctx context.Context, owner, repo, ref string) (sha, version string, err error) {
	refs, err := r.Refs(ctx, owner+"/"+repo)
	if err != nil {
		return "", "", err
	}
	if sha, err = refs.Commit(ref); err != nil {
		return "", "", err
	}
	if _, tag := refs.Tags[strings.TrimPrefix(ref, "refs/tags/")]; tag {
		version, _ = refs.MostSpecificTag(sha)
	}
	return sha, version, nil
}
