package resolve

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/crane"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Digest is the digest ("sha256:…") of the manifest, or the multi-platform
// index, that image names, written as in a pipeline: node:20,
// ghcr.io/owner/image:tag, with docker.io and :latest implied as docker
// does. An image already named by digest (name@sha256:…, with or without a
// tag) is that digest, without a lookup. The registry is asked with the
// user's docker credentials (~/.docker/config.json and its credential
// helpers).
func (r *Resolver) Digest(ctx context.Context, image string) (string, error) {
	ref, err := name.ParseReference(image)
	if err != nil {
		return "", fmt.Errorf("image %q: %w", image, err)
	}
	if digest, ok := ref.(name.Digest); ok {
		return digest.DigestStr(), nil
	}
	key := ref.Name() // the image in full: index.docker.io/library/node:20
	return cached(ctx, r, "digest", key, "digest of "+key, func(ctx context.Context) (string, error) {
		digest, err := crane.Digest(key,
			crane.WithContext(ctx),
			crane.WithAuthFromKeychain(authn.DefaultKeychain),
			crane.WithTransport(httpsOnly{allowLocalhost: r.insecureLocalhost, next: remote.DefaultTransport}))
		if err != nil {
			return "", fmt.Errorf("digest of %s: %w", key, err)
		}
		return digest, nil
	})
}

// httpsOnly refuses requests in plain HTTP, but to this machine when
// allowLocalhost is set: go-containerregistry falls back to HTTP for
// registries on loopback and private addresses, and credentials must not
// travel in clear.
type httpsOnly struct {
	allowLocalhost bool
	next           http.RoundTripper
}

func (t httpsOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" && !(t.allowLocalhost && isLocalhost(req.URL.Host)) {
		return nil, fmt.Errorf("refusing %s://%s: registries are reached over https only", req.URL.Scheme, req.URL.Host)
	}
	return t.next.RoundTrip(req)
}

// isLocalhost reports whether registry (host[:port]) is this machine.
func isLocalhost(registry string) bool {
	host := registry
	if h, _, err := net.SplitHostPort(registry); err == nil {
		host = h
	}
	return host == "localhost" || net.ParseIP(host).IsLoopback()
}
