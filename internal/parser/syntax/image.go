package syntax

import (
	"regexp"
	"strings"

	"github.com/pipelint/pipelint/internal/model"
)

// ParseImage splits an image reference,
// `[user:password@][registry/]repository[:tag][@digest]`. The registry is the first path component when it looks like a host (has
// a dot or a port, or is localhost); an implicit Docker Hub stays empty. A
// user and password are dropped: an @ before the first / ends them, where
// a digest's @ comes after it.
func ParseImage(s string) (registry, repo, tag, digest string) {
	if at, slash := strings.Index(s, "@"), strings.Index(s, "/"); at >= 0 && at < slash {
		s = s[at+1:]
	}
	name, digest, _ := strings.Cut(s, "@")
	if slash := strings.LastIndex(name, "/"); strings.LastIndex(name, ":") > slash {
		colon := strings.LastIndex(name, ":")
		name, tag = name[:colon], name[colon+1:]
	}
	if first, rest, ok := strings.Cut(name, "/"); ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return first, rest, tag, digest
	}
	return "", name, tag, digest
}

var imageDigest = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// dockerHub lists the names of Docker Hub, whose images are written
// without a registry.
var dockerHub = map[string]bool{
	"docker.io": true, "index.docker.io": true, "registry-1.docker.io": true, "registry.hub.docker.com": true,
}

// ImageReference is ParseImage as a Reference: Docker Hub's own names
// left out of Registry, Pinned set for a sha256 digest.
func ImageReference(name string) model.Reference {
	var out model.Reference
	out.Registry, out.Repo, out.Ref, out.Digest = ParseImage(name)
	if dockerHub[out.Registry] {
		out.Registry = ""
	}
	out.Pinned = imageDigest.MatchString(out.Digest)
	return out
}
