package syntax

import "strings"

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
