package shell_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser/github"
	"github.com/pipelint/pipelint/internal/parser/gitlab"
	"github.com/pipelint/pipelint/internal/parser/jenkins"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// These tests place the commands of scripts run by sh -c through each
// parser's own mapping of a script to its file: a YAML block, folded or
// quoted scalar, a Groovy string with its escapes.

func TestNestedCommandsInGitHubSteps(t *testing.T) {
	src := `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: bash -c "pip install -r req.txt"
      - run: |
          dash -c "python3 -m pip install build &&
            python3 -m build ."
      - run: 'sh -c ''make test'''
`
	p, err := github.Parse(".github/workflows/ci.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	wantCommands(t, p, []string{
		`bash@6:14-6:18 -c@6:19-6:21 "pip install -r req.txt"@6:22-6:46`,
		`pip@6:23-6:26 install@6:27-6:34 -r@6:35-6:37 req.txt@6:38-6:45`,
		`dash@8:11-8:15 -c@8:16-8:18 "python3 -m pip install build &&\n  python3 -m build ."@8:19-9:32`,
		`pip@8:31-8:34 install@8:35-8:42 build@8:43-8:48`,
		`build@9:24-9:29 .@9:30-9:31`,
		`sh@10:15-10:17 -c@10:18-10:20 "make test"@10:21-10:34`,
		`make@10:23-10:27 test@10:28-10:32`,
	})
}

func TestNestedCommandsInGitLabScripts(t *testing.T) {
	src := `test:
  script:
    - bash -lc 'make test'
    - >-
      sh -c "npm ci
      && npm test"
`
	result := gitlab.Parse(syntax.Input{Repo: fstest.MapFS{".gitlab-ci.yml": {Data: []byte(src)}}, Path: ".gitlab-ci.yml", Display: ".gitlab-ci.yml"})
	if result.Err != nil {
		t.Fatal(result.Err)
	}
	wantCommands(t, result.Pipeline, []string{
		`bash@3:7-3:11 -lc@3:12-3:15 "make test"@3:16-3:27`,
		`make@3:17-3:21 test@3:22-3:26`,
		`sh@5:7-5:9 -c@5:10-5:12 "npm ci && npm test"@5:13-6:19`,
		`npm@5:14-5:17 ci@5:18-5:20`,
		`npm@6:10-6:13 test@6:14-6:18`,
	})
}

func TestNestedCommandsInJenkinsSteps(t *testing.T) {
	src := `node {
  sh 'bash -c "make test"'
  sh """
    sh -c 'npm ci && npm test'
  """
  sh "bash -c \"make\""
}
`
	p, err := jenkins.Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	wantCommands(t, p, []string{
		`bash@2:7-2:11 -c@2:12-2:14 "make test"@2:15-2:26`,
		`make@2:16-2:20 test@2:21-2:25`,
		`sh@4:5-4:7 -c@4:8-4:10 "npm ci && npm test"@4:11-4:31`,
		`npm@4:12-4:15 ci@4:16-4:18`,
		`npm@4:22-4:25 test@4:26-4:30`,
		`bash@6:7-6:11 -c@6:12-6:14 make@6:15-6:23`,
		`make@6:17-6:21`,
	})
}

// wantCommands compares every command of the pipeline, rendered as its
// words with their spans, with want.
func wantCommands(t *testing.T, p *model.Pipeline, want []string) {
	t.Helper()
	var got []string
	for _, job := range p.Jobs {
		for _, step := range job.Steps {
			if step.Script == nil {
				continue
			}
			for _, c := range step.Script.Commands {
				words := []string{wordSpan(c.Name, false)}
				for _, arg := range c.Args {
					words = append(words, wordSpan(arg, strings.ContainsAny(arg.Value, " \n")))
				}
				got = append(got, strings.Join(words, " "))
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("commands:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func wordSpan(s model.String, quote bool) string {
	value := s.Value
	if quote {
		value = fmt.Sprintf("%q", value)
	}
	return fmt.Sprintf("%s@%d:%d-%d:%d", value, s.Pos.Line, s.Pos.Column, s.Pos.EndLine, s.Pos.EndColumn)
}
