// Package resolve answers the online questions behind pinning: which
// commit a tag or branch of a GitHub repository points at, which tags
// point at a commit, and which digest an image tag names. `pipelint fix`
// uses it to pin `uses: owner/repo@v4` to a commit SHA and `check --online`
// to verify existing pins.
//
// A Resolver is built once with options and is safe for concurrent use:
//
//	r, err := resolve.New(resolve.WithTimeout(10 * time.Second))
//	refs, err := r.Refs(ctx, "actions/checkout") // every branch and tag
//	sha, err := refs.Commit("v4")                // annotated tags peeled
//	tag, ok := refs.MostSpecificTag(sha)         // "v4.2.2"
//	digest, err := r.Digest(ctx, "node:20")      // "sha256:…"
//	reach, err := r.Reachable(ctx, "actions/checkout", sha) // not an impostor
//
// Refs are listed through the git protocol (smart HTTP, what `git
// ls-remote` does), with GITHUB_TOKEN or GH_TOKEN as the password when one
// is set; digests come from the image's registry, with the user's docker
// credentials. Answers are cached on disk for a time to live; in offline
// mode only the cache is read and a miss is an error matching ErrOffline.
// Nothing here prints or stores the token. docs/fix.md ("Resolving refs
// and digests") describes the behaviour for users.
package resolve

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults of the options.
const (
	DefaultGitHubURL = "https://github.com"
	DefaultTTL       = 24 * time.Hour
	DefaultTimeout   = 15 * time.Second
)

// ErrOffline is matched (errors.Is) by the error of a lookup that offline
// mode could not answer from the cache.
var ErrOffline = errors.New("not in the cache, and offline mode forbids looking it up")

// ErrUnknownRef is matched by the error of a ref that is neither a branch
// nor a tag of the repository.
var ErrUnknownRef = errors.New("no such branch or tag")

// Resolver looks up refs and digests, through its disk cache. It is safe
// for concurrent use.
type Resolver struct {
	githubURL         string
	token             string
	timeout           time.Duration
	offline           bool
	insecureLocalhost bool
	historyDepth      int
	cache             cache
}

type config struct {
	githubURL         string
	token             string
	cacheDir          string
	ttl               time.Duration
	timeout           time.Duration
	offline           bool
	insecureLocalhost bool
	historyDepth      int
	now               func() time.Time
}

// Option configures New.
type Option func(*config)

// WithGitHubURL sets the base URL of the GitHub server repositories are
// read from, such as a GitHub Enterprise Server (DefaultGitHubURL when not
// set); repository owner/repo is read from <url>/owner/repo.git.
func WithGitHubURL(baseURL string) Option {
	return func(c *config) { c.githubURL = baseURL }
}

// WithToken sets the token sent to the GitHub server (as the password of
// user x-access-token). When not set, GITHUB_TOKEN is used, else GH_TOKEN;
// an empty token sends no credentials.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithCacheDir sets the directory of the cache. When not set,
// PIPELINT_CACHE_DIR is used, else pipelint/resolve under the user's cache
// directory (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux).
func WithCacheDir(dir string) Option {
	return func(c *config) { c.cacheDir = dir }
}

// WithTTL sets how long a cached answer is used before it is looked up
// again (DefaultTTL when not set). Digests of an image named by digest are
// never looked up.
func WithTTL(ttl time.Duration) Option {
	return func(c *config) { c.ttl = ttl }
}

// WithTimeout bounds each lookup over the network (DefaultTimeout when not
// set); the caller's context bounds it too.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithOffline makes every lookup read the cache only, whatever the age of
// the cached answer; a miss is an error matching ErrOffline.
func WithOffline(offline bool) Option {
	return func(c *config) { c.offline = offline }
}

// WithInsecureLocalhost lets registries on localhost, 127.0.0.1 or ::1 be
// reached over plain HTTP, as test registries are. Other registries are
// always reached over HTTPS.
func WithInsecureLocalhost() Option {
	return func(c *config) { c.insecureLocalhost = true }
}

// WithHistoryDepth sets how many commits of each branch's and tag's
// history Reachable reads (DefaultHistoryDepth when not set).
func WithHistoryDepth(commits int) Option {
	return func(c *config) { c.historyDepth = commits }
}

// WithClock sets the clock the time to live is measured with (time.Now
// when not set).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// New builds a Resolver. It creates no file: the cache directory is made
// on the first answer stored.
func New(opts ...Option) (*Resolver, error) {
	cfg := config{
		githubURL:    DefaultGitHubURL,
		token:        tokenFromEnv(),
		cacheDir:     os.Getenv("PIPELINT_CACHE_DIR"),
		ttl:          DefaultTTL,
		timeout:      DefaultTimeout,
		historyDepth: DefaultHistoryDepth,
		now:          time.Now,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	// The URL is not quoted back: it may hold credentials.
	base, err := url.Parse(cfg.githubURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" || base.User != nil {
		return nil, errors.New("github url: want http(s)://host[/path], without credentials")
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("timeout %v: want a positive duration", cfg.timeout)
	}
	if cfg.historyDepth <= 0 {
		return nil, fmt.Errorf("history depth %d: want a positive number of commits", cfg.historyDepth)
	}
	if cfg.cacheDir == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("cache directory: %w (set PIPELINT_CACHE_DIR)", err)
		}
		cfg.cacheDir = filepath.Join(userCache, "pipelint", "resolve")
	}
	return &Resolver{
		githubURL:         strings.TrimSuffix(base.String(), "/"),
		token:             cfg.token,
		timeout:           cfg.timeout,
		offline:           cfg.offline,
		insecureLocalhost: cfg.insecureLocalhost,
		historyDepth:      cfg.historyDepth,
		cache:             cache{dir: cfg.cacheDir, ttl: cfg.ttl, now: cfg.now},
	}, nil
}

// tokenFromEnv is the token GitHub's own tools use: GITHUB_TOKEN, then
// GH_TOKEN.
func tokenFromEnv() string {
	if token := os.Getenv("GITHUB_TOKEN"); token != "" {
		return token
	}
	return os.Getenv("GH_TOKEN")
}
