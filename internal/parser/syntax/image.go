package syntax

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

var imageDigest = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// dockerHub lists the names of Docker Hub, whose images are written
// without a registry.
var dockerHub = map[string]bool{
	"docker.io": true, "index.docker.io": true, "registry-1.docker.io": true, "registry.hub.docker.com": true,
}

// ImageReference parses `[user:password@][registry/]repository[:tag][@sha256:digest]`
// into Registry, Repo, Ref (the tag), Digest and Pinned. A user and
// password (docker://user:pass@registry/image) are dropped: an @ before
// the first / ends them, where a digest's @ comes after it.
func ImageReference(name string) model.Reference {
	var out model.Reference
	if at, slash := strings.Index(name, "@"), strings.Index(name, "/"); at >= 0 && at < slash {
		name = name[at+1:]
	}
	name, out.Digest, _ = strings.Cut(name, "@")
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name, out.Ref = name[:i], name[i+1:]
	}
	// As in Docker, the first component names a registry only when it looks
	// like a host.
	if first, rest, ok := strings.Cut(name, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		out.Registry, name = first, rest
		if dockerHub[out.Registry] {
			out.Registry = ""
		}
	}
	out.Repo = name
	out.Pinned = imageDigest.MatchString(out.Digest)
	return out
}
