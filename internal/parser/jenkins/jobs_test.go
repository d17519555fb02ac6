package jenkins

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

func parseJobs(t *testing.T, src string) []model.Job {
	t.Helper()
	p, err := Parse("Jenkinsfile", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return p.Jobs
}

func str(value string, line, column, endLine, endColumn int) model.String {
	return model.String{Value: value, Pos: at(line, column, endLine, endColumn)}
}

// TestInsideIsEphemeral checks that steps run by docker.image(...).inside
// get a fresh container, whatever node the block sits on, while withRun
// only starts a service next to the node.
func TestInsideIsEphemeral(t *testing.T) {
	tests := []struct {
		name, src string
		id        string
		ephemeral bool
		container string
	}{
		{"inside in a stage", "node('linux') {\n  stage('build') {\n    docker.image('maven:3').inside { sh 'mvn' }\n  }\n}", "build", true, "maven:3"},
		{"inside as the node's job", "node('linux') {\n  docker.image('maven:3').inside('-v /m2:/root/.m2') { sh 'mvn' }\n}", "linux", true, "maven:3"},
		{"inside a declarative script", "pipeline {\n  agent { label 'linux' }\n  stages { stage('build') { steps { script {\n    docker.image('maven:3').inside { sh 'mvn' }\n  } } } }\n}", "build", true, "maven:3"},
		{"withRun", "node('linux') {\n  stage('build') {\n    docker.image('mysql:8').withRun { sh 'mvn' }\n  }\n}", "build", false, ""},
		{"plain node", "node('linux') {\n  stage('build') { sh 'mvn' }\n}", "build", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := parseJobs(t, tt.src)
			if len(jobs) != 1 || jobs[0].ID.Value != tt.id {
				t.Fatalf("want one job %q, got %+v", tt.id, jobs)
			}
			job := jobs[0]
			if job.Runner.Ephemeral != tt.ephemeral {
				t.Errorf("ephemeral = %v, want %v", job.Runner.Ephemeral, tt.ephemeral)
			}
			if len(job.Runner.Labels) != 1 || job.Runner.Labels[0].Value != "linux" {
				t.Errorf("labels = %+v, want the node's label", job.Runner.Labels)
			}
			container := ""
			if job.Container != nil {
				container = job.Container.Name.Value
			}
			if container != tt.container {
				t.Errorf("container = %q, want %q", container, tt.container)
			}
		})
	}
}

// TestVolumeCaches checks the caches recorded for docker volume mounts:
// Paths holds the path inside the container, Pos the mount as written.
func TestVolumeCaches(t *testing.T) {
	tests := []struct {
		name, args string
		want       []model.Cache
	}{
		{"docker socket", "-v /var/run/docker.sock:/var/run/docker.sock", []model.Cache{{
			Paths:  []model.String{str("/var/run/docker.sock", 2, 61, 2, 81)},
			Policy: model.String{Value: "pull-push"}, Pos: at(2, 40, 2, 81),
		}}},
		{"read-only mount", "-v $HOME/.m2:/root/.m2:ro --rm", []model.Cache{{
			Paths:  []model.String{str("/root/.m2", 2, 50, 2, 59)},
			Policy: model.String{Value: "pull"}, Pos: at(2, 40, 2, 62),
		}}},
		{"anonymous volume and long flags", "--volume=/data --mount type=bind,source=/h,target=/root/.gradle", []model.Cache{
			{Paths: []model.String{str("/data", 2, 46, 2, 51)}, Policy: model.String{Value: "pull-push"}, Pos: at(2, 46, 2, 51)},
			{Paths: []model.String{str("/root/.gradle", 2, 87, 2, 100)}, Policy: model.String{Value: "pull-push"}, Pos: at(2, 60, 2, 100)},
		}},
		{"read-only long mount", "--mount type=volume,src=m2,dst=/root/.m2,readonly", []model.Cache{{
			Paths:  []model.String{str("/root/.m2", 2, 68, 2, 77)},
			Policy: model.String{Value: "pull"}, Pos: at(2, 45, 2, 86),
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "pipeline {\n  agent { docker { image 'x'; args '" + tt.args + "' } }\n  stages { stage('a') { steps { sh 'make' } } }\n}\n"
			jobs := parseJobs(t, src)
			if len(jobs) != 1 {
				t.Fatalf("want one job, got %+v", jobs)
			}
			if got := jobs[0].Caches; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("caches =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestJobCacherCaches checks that each arbitraryFileCache of a Job Cacher
// cache(...) step is a cache of its path, keyed by its validity file.
func TestJobCacherCaches(t *testing.T) {
	src := "node('linux') {\n" +
		"  cache(maxCacheSize: 250, skipSave: true, caches: [\n" +
		"    arbitraryFileCache(path: '.m2', cacheValidityDecidingFile: 'pom.xml'),\n" +
		"    arbitraryFileCache(path: 'node_modules')]) {\n" +
		"    sh 'mvn verify'\n" +
		"  }\n}\n"
	jobs := parseJobs(t, src)
	if len(jobs) != 1 {
		t.Fatalf("want one job, got %+v", jobs)
	}
	want := []model.Cache{
		{Key: str("pom.xml", 3, 65, 3, 72), Paths: []model.String{str(".m2", 3, 31, 3, 34)},
			Policy: model.String{Value: "pull"}, Pos: at(3, 5, 3, 74)},
		{Paths: []model.String{str("node_modules", 4, 31, 4, 43)},
			Policy: model.String{Value: "pull"}, Pos: at(4, 5, 4, 45)},
	}
	if got := jobs[0].Caches; !reflect.DeepEqual(got, want) {
		t.Errorf("caches =\n%+v\nwant\n%+v", got, want)
	}
}

// TestPostJobs checks where post blocks go: a stage's post into the
// stage's job, the pipeline's post into a job "post" that needs every
// other job.
func TestPostJobs(t *testing.T) {
	src := `pipeline {
  agent any
  stages {
    stage('a') { steps { sh 'a' } }
    stage('b') {
      parallel {
        stage('b1') { steps { sh 'b1' } }
        stage('b2') { steps { sh 'b2' } }
      }
      post { always { sh 'pb' } }
    }
    stage('c') { steps { sh 'c' } post { failure { sh 'pc' } } }
  }
  post {
    failure { sh 'rollback' }
  }
}
`
	jobs := parseJobs(t, src)
	type summary struct {
		id    string
		needs []string
		when  []string // of each step
	}
	var got []summary
	for _, job := range jobs {
		s := summary{id: job.ID.Value}
		for _, need := range job.Needs {
			s.needs = append(s.needs, need.Value)
		}
		for _, step := range job.Steps {
			s.when = append(s.when, step.When)
		}
		got = append(got, s)
	}
	want := []summary{
		{"a", nil, []string{""}},
		{"b1", []string{"a"}, []string{""}},
		{"b2", []string{"a"}, []string{""}},
		{"b", []string{"b1", "b2"}, []string{"always"}},
		{"c", []string{"b"}, []string{"", "on_failure"}},
		{"post", []string{"a", "b1", "b2", "b", "c"}, []string{"on_failure"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("jobs =\n%+v\nwant\n%+v", got, want)
	}
	post := jobs[len(jobs)-1]
	if post.Pos != at(14, 3, 16, 4) || post.When != "" || post.Steps[0].Condition != str("failure", 15, 5, 15, 12) {
		t.Errorf("post job at %+v when %q, condition %+v", post.Pos, post.When, post.Steps[0].Condition)
	}
	if c := jobs[4]; c.Steps[1].Condition != str("failure", 12, 42, 12, 49) {
		t.Errorf("stage post condition = %+v", c.Steps[1].Condition)
	}
}

// TestNestedSteps checks steps that are not statements of their own:
// script steps used for their value, bodies of the file's functions and
// closures passed as arguments. Each step prints as call@line:column,
// with its script text if it has one.
func TestNestedSteps(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"condition", "node {\n  if (sh(script: 'test -f x', returnStatus: true) == 0) { echo 'a' } else if (isUnix()) { echo 'b' }\n}",
			[]string{"sh@2:7 test -f x", "echo@2:59", "echo@2:91"}},
		{"negated chain", "node {\n  if ( !sh( script: 'command -v docker', returnStdout: true ).trim().isEmpty() ) {\n    sh 'docker image prune -f'\n  }\n}",
			[]string{"sh@2:9 command -v docker", "sh@3:5 docker image prune -f"}},
		{"argument", "node {\n  echo \"rev ${sh(script: 'git rev-parse HEAD', returnStdout: true)}\"\n}",
			[]string{"sh@2:15 git rev-parse HEAD", "echo@2:3"}},
		{"assigned chain", "node {\n  def files = sh(returnStdout: true, script: 'ls').trim().split()\n}",
			[]string{"sh@2:15 ls"}},
		{"loop collection", "node {\n  for (f in sh(script: 'ls', returnStdout: true).split()) { sh \"cat $f\" }\n}",
			[]string{"sh@2:13 ls", "sh@2:61 cat $f"}},
		{"function", "def configure() {\n  withCredentials([string(credentialsId: 'c', variable: 'TOKEN')]) {\n    sh \"jf c add --access-token=$TOKEN\"\n  }\n}\nnode('linux') {\n  stage('build') { configure() }\n}",
			[]string{"configure@7:20", "withCredentials@2:3", "sh@3:5 jf c add --access-token=$TOKEN"}},
		{"function in a condition", "boolean released() { sh(script: 'git tag --points-at', returnStatus: true) == 0 }\nnode {\n  if (released()) { sh 'deploy' }\n}",
			[]string{"sh@1:22 git tag --points-at", "sh@3:21 deploy"}},
		{"recursion", "def again() {\n  sh 'a'\n  again()\n}\nnode { again() }",
			[]string{"sh@2:3 a", "again@3:3"}},
		{"overloads", "def b(String a) { sh 'one' }\ndef b(String a, Map<String, String> c = [:], int d) { sh 'two' }\nnode { b('x', 'y') }",
			[]string{"sh@2:55 two"}},
		{"named arguments are one map", "def b(Map args) { sh 'map' }\ndef b(String a, String c) { sh 'two' }\nnode { b(a: 'x', c: 'y') }",
			[]string{"sh@1:19 map"}},
		{"closure arguments", "def tryFinally(Closure main, Closure... f) { main() }\nnode { tryFinally({ sh 'main' }, { sh 'cleanup' }) }",
			[]string{"sh@2:21 main", "sh@2:36 cleanup"}},
		{"string before a call in a closure argument", "node {\n  stage('s') {\n    retry(3, {\n      String a = \"${x}\"\n      withEnv(['A=b']) { sh 'y' }\n    })\n  }\n}",
			[]string{"retry@3:5", "withEnv@5:7", "sh@5:26 y"}},
		{"not a step", "node {\n  stage('s') { withCredentials([string(credentialsId: 'c', variable: 'T')]) { sh 'x' } }\n}",
			[]string{"withCredentials@2:16", "sh@2:79 x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := parseJobs(t, tt.src)
			if len(jobs) != 1 {
				t.Fatalf("want one job, got %d", len(jobs))
			}
			var got []string
			for _, step := range jobs[0].Steps {
				s := fmt.Sprintf("%s@%d:%d", step.Call.Value, step.Pos.Line, step.Pos.Column)
				if step.Script != nil {
					s += " " + step.Script.Text.Value
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("steps =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestFunctionSecrets checks that a function's steps see the bindings of
// the wrappers around them, in the function and around its call.
func TestFunctionSecrets(t *testing.T) {
	src := "def publish() {\n  sh \"curl -u $USER:$PASS https://x\"\n}\n" +
		"node {\n  withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'USER', passwordVariable: 'PASS')]) {\n    publish()\n  }\n}\n"
	jobs := parseJobs(t, src)
	if len(jobs) != 1 || len(jobs[0].Steps) != 1 {
		t.Fatalf("want one job with one step, got %+v", jobs)
	}
	sh := jobs[0].Steps[0]
	var names []string
	for _, v := range sh.Env {
		names = append(names, v.Name.Value+"="+v.Source)
	}
	if sh.Pos != at(2, 3, 2, 37) || !reflect.DeepEqual(names, []string{"USER=secret", "PASS=secret"}) {
		t.Errorf("sh at %+v with env %v", sh.Pos, names)
	}
}
