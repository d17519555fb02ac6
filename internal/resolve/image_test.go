package resolve

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/pipelint/pipelint/internal/resolve/resolvetest"
)

func TestDigest(t *testing.T) {
	srv, host := resolvetest.NewRegistry(t, "", "")
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	index, err := random.Index(64, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(mustParse(t, host+"/octo/app:1"), img); err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(mustParse(t, host+"/octo/app:multi"), index); err != nil {
		t.Fatal(err)
	}
	imgDigest, _ := img.Digest()
	indexDigest, _ := index.Digest()

	cacheDir := t.TempDir()
	r := newTestResolver(t, "https://github.invalid", WithCacheDir(cacheDir), WithInsecureLocalhost())
	for image, want := range map[string]string{
		host + "/octo/app:1":     imgDigest.String(),
		host + "/octo/app:multi": indexDigest.String(), // the index, not one platform's image
	} {
		if got, err := r.Digest(context.Background(), image); err != nil || got != want {
			t.Errorf("Digest(%q) = %q, %v; want %q", image, got, err, want)
		}
	}
	if _, err := r.Digest(context.Background(), host+"/octo/app:2"); err == nil || !strings.Contains(err.Error(), host+"/octo/app:2") {
		t.Errorf("Digest of a missing tag: %v; want an error naming it", err)
	}

	srv.Close()
	if got, err := r.Digest(context.Background(), host+"/octo/app:1"); err != nil || got != imgDigest.String() {
		t.Errorf("cached Digest = %q, %v; want %q", got, err, imgDigest)
	}

	// An image named by digest is its digest, looked up nowhere.
	offline := newTestResolver(t, "https://github.invalid", WithCacheDir(t.TempDir()), WithOffline(true))
	for _, image := range []string{"node@" + imgDigest.String(), "node:20@" + imgDigest.String()} {
		if got, err := offline.Digest(context.Background(), image); err != nil || got != imgDigest.String() {
			t.Errorf("Digest(%q) = %q, %v; want %q", image, got, err, imgDigest)
		}
	}
	// Docker's defaults are applied before the cache is asked.
	if _, err := offline.Digest(context.Background(), "node:20"); !errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), "index.docker.io/library/node:20") {
		t.Errorf("offline Digest(node:20): %v; want ErrOffline naming index.docker.io/library/node:20", err)
	}
	if _, err := offline.Digest(context.Background(), "Node::20"); err == nil || errors.Is(err, ErrOffline) || !strings.Contains(err.Error(), `"Node::20"`) {
		t.Errorf("Digest of an invalid name: %v; want an error naming it", err)
	}
}

func TestDigestHTTPSOnly(t *testing.T) {
	_, host := resolvetest.NewRegistry(t, "", "")
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(mustParse(t, host+"/octo/app:1"), img); err != nil {
		t.Fatal(err)
	}
	_, err = newTestResolver(t, "https://github.invalid").Digest(context.Background(), host+"/octo/app:1")
	if err == nil || !strings.Contains(err.Error(), "https only") {
		t.Errorf("Digest over plain HTTP without WithInsecureLocalhost: %v; want it refused", err)
	}
	for host, want := range map[string]bool{
		"localhost:5000": true, "127.0.0.1:5000": true, "127.0.0.2": true, "[::1]:5000": true,
		"10.0.0.1:5000": false, "192.168.1.1": false, "localhost.example.com": false, "ghcr.io": false,
	} {
		if got := isLocalhost(host); got != want {
			t.Errorf("isLocalhost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestDigestDockerCredentials(t *testing.T) {
	const user, password = "robot", "registry-s3cret"
	_, host := resolvetest.NewRegistry(t, user, password)
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	auth := remote.WithAuth(&authn.Basic{Username: user, Password: password})
	if err := remote.Write(mustParse(t, host+"/octo/app:1"), img, auth); err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()

	r := newTestResolver(t, "https://github.invalid", WithInsecureLocalhost())
	if _, err := r.Digest(context.Background(), host+"/octo/app:1"); err == nil {
		t.Error("Digest without credentials was answered")
	}
	config := `{"auths": {"` + host + `": {"auth": "` + base64.StdEncoding.EncodeToString([]byte(user+":"+password)) + `"}}}`
	if err := os.WriteFile(filepath.Join(os.Getenv("DOCKER_CONFIG"), "config.json"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := r.Digest(context.Background(), host+"/octo/app:1")
	if err != nil || got != want.String() {
		t.Errorf("Digest with the docker config's credentials = %q, %v; want %q", got, err, want)
	}
}

func mustParse(t *testing.T, image string) name.Reference {
	t.Helper()
	ref, err := name.ParseReference(image)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
