package gitlab

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// parseOne parses a single-file pipeline that must have no errors.
func parseOne(t *testing.T, src string) *model.Pipeline {
	t.Helper()
	p, errs := parseMap(t, map[string]string{".gitlab-ci.yml": src})
	wantErrors(t, errs)
	return p
}

func findJob(t *testing.T, p *model.Pipeline, id string) *model.Job {
	t.Helper()
	for i := range p.Jobs {
		if p.Jobs[i].ID.Value == id {
			return &p.Jobs[i]
		}
	}
	t.Fatalf("no job %q", id)
	return nil
}

// envValues renders the values of variables as value@position, one per
// line.
func envValues(vars []model.Var) string {
	var lines []string
	for _, v := range vars {
		lines = append(lines, v.Name.Value+" "+str(v.Value))
	}
	return strings.Join(lines, "\n")
}

func refs(p *model.Pipeline) string {
	var lines []string
	for i := range p.References {
		lines = append(lines, ref(&p.References[i]))
	}
	return strings.Join(lines, "\n")
}

func wantText(t *testing.T, what, got, want string) {
	t.Helper()
	want = strings.TrimSpace(want)
	if got != want {
		t.Errorf("%s:\n%s\nwant:\n%s", what, got, want)
	}
}

// TestAnchoredAndTaggedValues checks that a value with properties (an
// anchor, a tag, both, or the value on the next line) spans the value
// alone, and that an alias points where the anchored value is written.
func TestAnchoredAndTaggedValues(t *testing.T) {
	p := parseOne(t, `variables:
  API_TOKEN: &tok 9f8e7d6c5b4a3f2e1d0c
  COPY: *tok
  TAGGED: !!str 12345
  BOTH: &both !custom both-props
  LATER: &later # the value follows
    next-line
  EMPTY: &empty
  QUOTED: &q "in quotes"
build:
  image: &img node:20
  script: &s |
    echo hi
  cache: &c
    paths: [vendor/]
test:
  image: *img
  script: *s
  cache: *c
`)
	wantText(t, "global variables", envValues(p.Env), `
API_TOKEN "9f8e7d6c5b4a3f2e1d0c"@.gitlab-ci.yml:2:19-2:39
COPY "9f8e7d6c5b4a3f2e1d0c"@.gitlab-ci.yml:2:19-2:39
TAGGED "12345"@.gitlab-ci.yml:4:17-4:22
BOTH "both-props"@.gitlab-ci.yml:5:23-5:33
LATER "next-line"@.gitlab-ci.yml:7:5-7:14
EMPTY ""@-
QUOTED "in quotes"@.gitlab-ci.yml:9:15-9:24`)
	// An empty anchored value stays on its line, after the anchor.
	if got := pos(p.Env[5].Pos); got != ".gitlab-ci.yml:8:3-8:16" {
		t.Errorf("EMPTY spans %s", got)
	}
	wantText(t, "references", refs(p), `
image/container "node:20"@.gitlab-ci.yml:11:15-11:22 repo="node" ref="20" @.gitlab-ci.yml:11:15-11:22`)
	for _, id := range []string{"build", "test"} {
		job := findJob(t, p, id)
		if got := str(job.Container.Name); got != `"node:20"@.gitlab-ci.yml:11:15-11:22` {
			t.Errorf("%s: image %s", id, got)
		}
		if got := str(job.Steps[0].Script.Text); got != `"echo hi\n"@.gitlab-ci.yml:13:5-13:12` {
			t.Errorf("%s: script %s", id, got)
		}
		if got := pos(job.Caches[0].Pos); got != ".gitlab-ci.yml:15:5-15:20" {
			t.Errorf("%s: cache at %s", id, got)
		}
	}
	cmd := findJob(t, p, "test").Steps[0].Script.Commands[0]
	if got := str(cmd.Name); got != `"echo"@.gitlab-ci.yml:13:5-13:9` {
		t.Errorf("aliased script command %s", got)
	}
}

// TestQuotedValuesSpanTheirContent checks that a quoted scalar spans its
// content, from its first character to just before the closing quote,
// escapes included, and that a block scalar spans its content only.
func TestQuotedValuesSpanTheirContent(t *testing.T) {
	p := parseOne(t, `job:
  variables:
    DQ: "Zq8xY"
    SQ: 'it''s'
    ESC: "a\tb\u00e9"
    EMPTY: ""
    KEY_"Q": x
  script:
    - "echo \"hi\""
  after_script: | # not part of the script
    echo after
  before_script: >-
    folded
    text
`)
	job := findJob(t, p, "job")
	wantText(t, "variables", envValues(job.Env), `
DQ "Zq8xY"@.gitlab-ci.yml:3:10-3:15
SQ "it's"@.gitlab-ci.yml:4:10-4:15
ESC "a\tbé"@.gitlab-ci.yml:5:11-5:21
EMPTY ""@.gitlab-ci.yml:6:13-6:13
KEY_"Q" "x"@.gitlab-ci.yml:7:14-7:15`)
	var got []string
	for _, s := range job.Steps {
		got = append(got, str(s.Script.Text))
	}
	wantText(t, "scripts", strings.Join(got, "\n"), `
"folded text"@.gitlab-ci.yml:13:5-14:9
"echo \"hi\""@.gitlab-ci.yml:9:8-9:19
"echo after\n"@.gitlab-ci.yml:11:5-11:15`)
}

// TestMultiProjectTrigger checks that a trigger of another project's
// pipeline is the job's Uses and no include reference: it runs that
// project's own configuration rather than pulling it in.
func TestMultiProjectTrigger(t *testing.T) {
	p := parseOne(t, `downstream:
  trigger:
    project: acme/downstream
    branch: main
short:
  trigger: acme/other
child:
  trigger:
    include: ci/child.yml
`)
	wantText(t, "references", refs(p), `
include/local "ci/child.yml"@.gitlab-ci.yml:9:14-9:26 path="ci/child.yml" local @.gitlab-ci.yml:9:14-9:26`)
	var got []string
	for _, j := range p.Jobs {
		got = append(got, ref(j.Uses))
	}
	wantText(t, "uses", strings.Join(got, "\n"), `
pipeline/trigger "acme/downstream"@.gitlab-ci.yml:3:14-3:29 repo="acme/downstream" ref="main" @.gitlab-ci.yml:3:14-3:29
pipeline/trigger "acme/other"@.gitlab-ci.yml:6:12-6:22 repo="acme/other" @.gitlab-ci.yml:6:12-6:22
include/local "ci/child.yml"@.gitlab-ci.yml:9:14-9:26 path="ci/child.yml" local @.gitlab-ci.yml:9:14-9:26`)
}

// TestImageFromVariable checks that an image written as a variable with a
// literal value is checked at the value, and stays dynamic when the value
// is unknown or may change.
func TestImageFromVariable(t *testing.T) {
	p := parseOne(t, `variables:
  BUILDER: registry.example.com/tools/builder:2.1
  NESTED: $BUILDER
  BASE: {value: "alpine:3.19", description: base image}
  RULED: alpine:3.18
workflow:
  rules:
    - if: $CI_COMMIT_TAG
      variables: {RULED: alpine:edge}
    - when: always
build:
  image: $BUILDER
  services: ["${BASE}"]
  script: make
override:
  variables:
    BUILDER: ghcr.io/acme/builder@sha256:abc
  image: {name: "${BUILDER}", entrypoint: [""]}
  script: make
nested:
  image: $NESTED
  script: make
unknown:
  image: $CI_REGISTRY_IMAGE
  script: make
isolated:
  inherit: {variables: [BASE]}
  image: $BUILDER
  services: [$BASE]
  script: make
by-job-rules:
  image: $BASE
  rules:
    - variables: {BASE: alpine:edge}
  script: make
by-matrix:
  image: $BASE
  parallel:
    matrix:
      - BASE: [alpine:3.19, alpine:3.20]
  script: make
by-workflow-rules:
  image: $RULED
  script: make
`)
	wantText(t, "references", refs(p), `
image/container "registry.example.com/tools/builder:2.1"@.gitlab-ci.yml:2:12-2:50 registry="registry.example.com" repo="tools/builder" ref="2.1" @.gitlab-ci.yml:2:12-2:50
image/service "alpine:3.19"@.gitlab-ci.yml:4:18-4:29 repo="alpine" ref="3.19" @.gitlab-ci.yml:4:18-4:29
image/container "ghcr.io/acme/builder@sha256:abc"@.gitlab-ci.yml:17:14-17:45 registry="ghcr.io" repo="acme/builder" digest="sha256:abc" pinned @.gitlab-ci.yml:17:14-17:45
image/container "$NESTED"@.gitlab-ci.yml:21:10-21:17 repo="$NESTED" dynamic @.gitlab-ci.yml:21:10-21:17
image/container "$CI_REGISTRY_IMAGE"@.gitlab-ci.yml:24:10-24:28 repo="$CI_REGISTRY_IMAGE" dynamic @.gitlab-ci.yml:24:10-24:28
image/container "$BUILDER"@.gitlab-ci.yml:28:10-28:18 repo="$BUILDER" dynamic @.gitlab-ci.yml:28:10-28:18
image/container "$BASE"@.gitlab-ci.yml:32:10-32:15 repo="$BASE" dynamic @.gitlab-ci.yml:32:10-32:15
image/container "$BASE"@.gitlab-ci.yml:37:10-37:15 repo="$BASE" dynamic @.gitlab-ci.yml:37:10-37:15
image/container "$RULED"@.gitlab-ci.yml:43:10-43:16 repo="$RULED" dynamic @.gitlab-ci.yml:43:10-43:16`)
	// The image itself stays as written.
	if got := str(findJob(t, p, "build").Container.Name); got != `"$BUILDER"@.gitlab-ci.yml:12:10-12:18` {
		t.Errorf("build image %s", got)
	}
}

// TestCacheWithoutPaths checks that a cache is recorded only when it
// caches something: a path, or the untracked files.
func TestCacheWithoutPaths(t *testing.T) {
	p := parseOne(t, `cache: {key: $CI_COMMIT_REF_SLUG}
key-only:
  script: x
untracked:
  cache: {key: k, untracked: true}
  script: x
listed:
  cache:
    - {key: a}
    - {key: b, paths: [vendor/]}
    - {key: c, paths: []}
  script: x
`)
	var got []string
	for _, j := range p.Jobs {
		for _, c := range j.Caches {
			got = append(got, j.ID.Value+" "+str(c.Key)+" "+strs(c.Paths)+" @"+pos(c.Pos))
		}
	}
	wantText(t, "caches", strings.Join(got, "\n"), `
untracked "k"@.gitlab-ci.yml:5:16-5:17 [] @.gitlab-ci.yml:5:10-5:34
listed "b"@.gitlab-ci.yml:10:13-10:14 ["vendor/"@.gitlab-ci.yml:10:24-10:31] @.gitlab-ci.yml:10:7-10:31`)
}
