// Package model is the contract between parsers and rules: one pipeline
// model that GitHub Actions workflows and actions, GitLab CI files,
// Jenkinsfiles, Azure Pipelines, CircleCI configs, Bitbucket Pipelines and
// Travis CI files are all turned into.
//
// The JSON field names of these types are the Rego `input` document (the
// engine converts a *Pipeline to an OPA value by those names), so renaming a
// tag is a breaking change for every policy. Every element a rule may point
// at carries a Pos; a rule returns that Pos and never searches for one.
//
// Names are system-neutral: a GitLab job, a Jenkins stage, a CircleCI
// workflow's job and a Bitbucket step are all Jobs; a `run:` step, a GitLab
// script line block and a Jenkins `sh` call are all Steps with a Script. What only one system has is either absent (nil or
// empty) on the others or expressed through a neutral field (Runner.Ephemeral,
// Step.When) that the parser fills from the system's own syntax.
package model

import (
	"cmp"
	"strings"
)

// System names the CI system a file belongs to.
type System string

const (
	GitHub    System = "github"
	GitLab    System = "gitlab"
	Jenkins   System = "jenkins"
	Azure     System = "azure"     // Azure Pipelines
	CircleCI  System = "circleci"  // CircleCI
	Bitbucket System = "bitbucket" // Bitbucket Pipelines
	Travis    System = "travis"    // Travis CI
)

// FileKind tells what a file is within its system.
const (
	KindWorkflow = "workflow" // a GitHub workflow, a GitLab pipeline, a Jenkinsfile
	KindAction   = "action"   // a GitHub action.yml (composite, docker or javascript)
)

// Pos is the source span of an element. Lines and columns are 1-based and
// columns count Unicode code points. EndColumn is exclusive: it is the column
// just after the last character, as in SARIF. File is the path relative to
// the repository root (the directory holding .git, else the directory
// scanned), with forward slashes; it differs from Pipeline.File when
// the value was written in an included file.
type Pos struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
}

// IsZero reports whether the position was never set.
func (p Pos) IsZero() bool { return p.Line == 0 }

// ComparePos orders positions by file, line and column: the one order of
// positions everywhere (findings, errors, model elements).
func ComparePos(a, b Pos) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// String is a scalar value together with where it was written. For a block
// scalar (`run: |`) Pos spans the content, not the `|` indicator.
type String struct {
	Value string `json:"value"`
	Pos   Pos    `json:"pos"`
}

// Var is a named value: an env or GitLab variable, an action input, a
// Jenkins environment entry or step argument. Value is the literal text as
// written; a reference such as ${{ secrets.X }}, $VAR or credentials('x')
// stays in Value and is also summarised by Source.
type Var struct {
	Name  String `json:"name"`
	Value String `json:"value"`
	// Source says where the value comes from at run time: "literal" for text
	// written in the file, "expression" for a value computed by the CI system
	// (${{ }}, Groovy interpolation), "secret" for a secret store reference
	// (${{ secrets.X }}, credentials(), a GitLab secrets: provider),
	// "variable" for a plain reference to another variable ($VAR, ${VAR}).
	Source string `json:"source"`
	// Type is a parameter's declared type: on GitHub string, number,
	// boolean, choice or environment (empty when not declared: a string);
	// on GitLab string, number, boolean or array, or choice when `options:`
	// are listed; on Jenkins the parameter's step (string, text,
	// booleanParam, choice, password, ...). Empty for other variables.
	Type string `json:"type"`
	// Expressions are the parts of Value that the CI system's own templating
	// computes before the step or action sees it: GitHub's `${{ }}` (in a
	// value of any kind: env, with, outputs, matrix values), and in
	// Jenkins step arguments and `environment {}` values the `${…}` and
	// `$name` of double-quoted and slashy strings and, in a `+`
	// concatenation, also every operand that is not a string literal (text
	// in single quotes is never one). Empty on GitLab, whose variables the
	// shell expands.
	Expressions []Expression `json:"expressions"`
	Pos         Pos          `json:"pos"`
}

// Expression is a piece of text the CI system computes and splices into
// a value before the step or action sees it: a GitHub `${{ }}`, a GitLab
// `$[[ ]]` input, a Jenkins Groovy interpolation. Whatever text it yields
// becomes part of a script, an argument or an input as if written there.
type Expression struct {
	// Value is the expression itself, without its delimiters:
	// `github.event.issue.title` for `${{ github.event.issue.title }}`,
	// `params.TAG` for Jenkins `${params.TAG}`.
	Value string `json:"value"`
	// Reads are the context paths the expression reads, sorted, each once:
	// properties joined by dots, lower case on GitHub (whose contexts
	// ignore case), `*` for any element (`github.event.commits.*.message`,
	// also an index that is a number or computed: `secrets[format(...)]`
	// reads `secrets.*`). A path that stops at an object (`toJSON(github)`)
	// reads everything under it.
	Reads []string `json:"reads"`
	// Flows are the paths of Reads whose text can become part of the
	// expression's value. Not those only compared, negated, passed to a
	// function that returns a boolean or a hash (`contains`, `startsWith`,
	// `hashFiles`, ...) or tested on the left of `&&` (in `a == 'x'`, `!a`,
	// `a && 'yes' || 'no'` nothing flows); the operands of `||`, `format`,
	// `join`, `toJSON` and `fromJSON` do.
	Flows []string `json:"flows"`
	// Pos spans the expression with its delimiters, `${{` to `}}`.
	Pos Pos `json:"pos"`
}

// Comment is a source comment, kept for inline ignores and for version
// hints such as `uses: x/y@<sha> # v4.1.0`.
type Comment struct {
	Text string `json:"text"` // without the leading # or //
	Pos  Pos    `json:"pos"`
}

// Pipeline is one analysed file.
type Pipeline struct {
	System System `json:"system"`
	Kind   string `json:"kind"` // KindWorkflow or KindAction
	File   string `json:"file"` // relative to the repository root, forward slashes
	Name   String `json:"name"`
	// Triggers are the events that start the pipeline: GitHub `on:` events,
	// GitLab workflow rules sources, Jenkins `triggers {}` entries.
	Triggers []Trigger `json:"triggers"`
	// Rules decide whether the pipeline is created at all, as written:
	// GitLab `workflow: rules:` (see Rule), Travis's root `if:` (one rule
	// with If). Empty elsewhere.
	Rules []Rule `json:"rules"`
	// Env holds pipeline-wide variables: GitHub top-level env, GitLab global
	// variables, Jenkins pipeline-level environment.
	Env []Var `json:"env"`
	// Parameters are values supplied when the pipeline starts: GitHub
	// workflow_dispatch/workflow_call and action inputs, GitLab spec inputs,
	// Jenkins parameters. Value holds the default, if any.
	Parameters []Var `json:"parameters"`
	// Outputs are the values the pipeline returns to its caller: a
	// reusable workflow's `on.workflow_call.outputs`, an action's
	// `outputs:` (Value is a composite action's `value:`).
	Outputs     []Var        `json:"outputs"`
	Permissions *Permissions `json:"permissions"`
	// PermissionsApply is true when the system lets the file scope the
	// token its jobs get (GitHub workflows' `permissions:`), so that a
	// file declaring none leaves the system's broad default: true for
	// every GitHub workflow, whether it declares permissions or not;
	// false for actions and on systems whose job token is scoped outside
	// the file (GitLab, Jenkins).
	PermissionsApply bool  `json:"permissions_apply"`
	Jobs             []Job `json:"jobs"`
	// Callees are the local reusable workflows (`uses:
	// ./.github/workflows/x.yml`, or `$/.github/workflows/x.yml`) and
	// actions (`uses: ./path` or `$/path`, read from path/action.yml or
	// action.yaml) that the jobs and steps call,
	// directly or through one another, each parsed once, in the order first
	// called, so that what they run counts for the caller. Job.Callee and
	// Step.Callee name them by File; their elements are positioned in their
	// own files. A callee has no Sources, Callees or Repository of its own:
	// the pipeline checked holds them. Remote workflows and actions are
	// never fetched, and at most 256 callees of 5 MiB in all are followed
	// from one file.
	Callees []Pipeline `json:"callees"`
	// References lists every external thing the pipeline pulls in by name:
	// actions, reusable workflows, images, includes and libraries, in
	// source order. Steps and jobs point at the same references.
	References []Reference `json:"references"`
	Comments   []Comment   `json:"comments"`
	// Sources holds the text of the file, of the local files it includes
	// and of the local workflows and actions it calls, so rules can look
	// for what no parser models, such as a token pasted anywhere.
	Sources []SourceFile `json:"sources"`
	// Repository is every pipeline of the repository the file belongs to,
	// set by the run for the file checked; null elsewhere.
	Repository *Repository `json:"repository"`
	// Resolved is what the GitHub server says of the refs the file's
	// actions and reusable workflows name, looked up by `pipelint check
	// --online` (never otherwise, so empty without it): one entry for
	// each `owner/repo@ref` of References, and for the version comment
	// of each one pinned to a commit (`owner/repo@v4.1.0` for `@<sha> #
	// v4.1.0`), sorted by repository and ref. A ref whose lookup failed
	// has no entry (the run warns instead). This is all a policy knows of
	// the network, which it never reaches.
	Resolved []ResolvedRef `json:"resolved"`
	// Groovy is what the code of a Jenkinsfile calls, reads, constructs,
	// annotates and imports, for rules about the code itself rather than
	// the steps it runs; null on other systems.
	Groovy *Groovy `json:"groovy"`
	Pos    Pos     `json:"pos"`
}

// SourceFile is the text of one file, split into lines without their line
// breaks; line n of the file is Lines[n-1].
type SourceFile struct {
	File  string   `json:"file"`
	Lines []string `json:"lines"`
	// Callee is true for the file of one of `input.callees`. Such a file
	// is checked on its own as well, so a rule that reads the text
	// of every file skips it: what is found there is reported once, in
	// that file's own check.
	Callee bool `json:"callee"`
}

// Repository is the repository a checked file belongs to, as rules see
// it: a repository's pipelines together test, cache and deploy, so a rule
// may look beyond the file it reports on. Findings are still reported only
// in the file checked and the files it includes or calls.
//
// The repository is the directory holding .git, else the directory
// scanned. When pipelint checks only some of its files (a pre-commit hook
// naming the files changed), the other CI files of a repository found by
// its .git are parsed for this view too, at most 256 of them, but not
// checked: nothing is reported on them. The view holds at most 250,000
// values in all (the largest real repositories hold about 230,000): the
// files are taken in path order, then the child pipelines they start, and
// the view stops at the first pipeline that does not fit, with a warning.
//
// Rules judge the view's pipelines but report only on the file checked
// and its includes and callees, so the elements of Pipelines carry no
// position (every pos is zero): positions are half of a pipeline's
// values, and a large repository's view is held in memory for the whole
// check.
type Repository struct {
	// Pipelines are every GitHub workflow and action, GitLab pipeline
	// (with its includes and child pipelines) and Jenkinsfile of the
	// repository that could be parsed, and every local callee of those,
	// each file once, sorted by file, the file checked included: compare
	// their `file` with `input.file`. They have no `sources`, `callees`,
	// `repository` or `groovy`: a callee is found among them by its file.
	Pipelines []Pipeline `json:"pipelines"`
	// DependencyFiles are the repository's lock files and pip requirement
	// files, found by name, so that a rule can tell whether an install
	// follows a lock file, or installs what a requirement file leaves
	// unpinned, without reading the repository itself. They are searched
	// for under the repository's root (not in .git, node_modules, vendor,
	// testdata or virtual environments, nor through symbolic links), among
	// at most 50,000 files and directories; at most 512 are listed, and at
	// most 128 requirement files of at most 256 KiB are read, 5,000
	// requirement lines in all. Sorted by file; empty when pipelint was
	// given no repository (a rule's unit test).
	DependencyFiles []DependencyFile `json:"dependency_files"`
}

// DependencyFile is a file of the repository that decides what a package
// manager installs.
type DependencyFile struct {
	// File is the path relative to the repository root, forward slashes.
	File string `json:"file"`
	// Kind is the file's format: "npm-lock" (package-lock.json,
	// npm-shrinkwrap.json), "yarn-lock-v1" (the yarn.lock of Yarn 1),
	// "yarn-lock" (of Yarn 2 and later, or of no version it says),
	// "pnpm-lock", "bun-lock", or "requirements": a pip requirements or
	// constraints file, by its name (requirements*.txt, *requirements.in,
	// constraints*.txt, any .txt or .in of a directory named requirements).
	Kind string `json:"kind"`
	// Requirements are the lines of a requirements file as pip reads
	// them: a line continued with `\` joined to the next, comments and
	// blank lines left out, options (`-r other.txt`, `--hash=...`) kept;
	// Pos is where each starts. Empty for the other kinds.
	Requirements []String `json:"requirements"`
}

// InView returns p as Repository.Pipelines holds it: without the text of
// its files, its callees (there in their own right), a repository, its
// Groovy code or its resolved refs.
func (p Pipeline) InView() Pipeline {
	p.Sources, p.Callees, p.Repository, p.Groovy, p.Resolved = nil, nil, nil, nil, nil
	return p
}

// Lines returns the lines of one of the pipeline's files, nil when the
// pipeline was not built from it.
func (p *Pipeline) Lines(file string) []string {
	for _, s := range p.Sources {
		if s.File == file {
			return s.Lines
		}
	}
	return nil
}

// Trigger is one event that starts the pipeline.
type Trigger struct {
	Event    String   `json:"event"` // push, pull_request, schedule, workflow_dispatch, ...
	Branches []String `json:"branches"`
	// Tags are the tag patterns of a GitHub push trigger's `tags:` filter:
	// a push of a matching tag starts the pipeline (a release).
	Tags []String `json:"tags"`
	// Types are the activity types the trigger is limited to (GitHub
	// `types: [opened, labeled]`); empty for every type.
	Types []String `json:"types"`
	Pos   Pos      `json:"pos"`
}

// Permissions are the token permissions granted to a pipeline or job.
type Permissions struct {
	All    String `json:"all"` // read-all, write-all, or empty when scopes are listed
	Scopes []Var  `json:"scopes"`
	Pos    Pos    `json:"pos"`
}

// Job is a unit of work on one runner: a GitHub job, a GitLab job, a Jenkins
// stage with steps (or a scripted node block).
type Job struct {
	// ID names the job, and no other job of the pipeline: where a system
	// lets jobs of different stages or workflows share a name, it is
	// qualified as the system does (Azure `Stage.Job`; CircleCI
	// `workflow.job` when workflows share a job).
	ID    String `json:"id"`
	Name  String `json:"name"`
	Stage String `json:"stage"` // GitLab stage, Jenkins enclosing stage path
	// Runner is where the job runs.
	Runner Runner `json:"runner"`
	// Container is the image the job's steps run in, if any.
	Container *Image  `json:"container"`
	Services  []Image `json:"services"`
	// Environment is the deployment target the job declares, if any.
	Environment *Environment `json:"environment"`
	// Needs are the ids of jobs this one waits for.
	Needs []String `json:"needs"`
	// Condition is the job-level condition as written (GitHub `if:`, GitLab
	// rules if:, Jenkins `when {}`), When its normalised effect (see
	// Step.When), or "never" for a GitLab job that no pipeline runs: every
	// one of its rules says `when: never` (how a job an include defines is
	// switched off).
	Condition String `json:"condition"`
	When      string `json:"when"`
	// Rules are every rule of a GitLab job's `rules:` in order, as written
	// (Condition holds the first `if:` alone). Empty elsewhere, and for a
	// job that uses `only:`/`except:` (Condition renders those).
	Rules []Rule `json:"rules"`
	Env   []Var  `json:"env"`
	// IDTokens are the OpenID Connect tokens the CI system mints for the
	// job, each in a variable: GitLab `id_tokens:`, Name the variable,
	// Value its audience (`aud:`, a list written as "[a, b]"), Source
	// "secret". A GitHub job asks for one with the `id-token: write`
	// permission instead (Permissions).
	IDTokens []Var `json:"id_tokens"`
	// Caches are cache declarations of the job itself (GitLab `cache:`,
	// Jenkins `cache(...)` wrappers and cache volume mounts). GitHub caches
	// are steps (actions/cache, setup actions) and appear in Steps.
	Caches []Cache `json:"caches"`
	// Reports are result files the CI system ingests (GitLab
	// artifacts:reports, Jenkins junit), e.g. Kind "junit".
	Reports []Report `json:"reports"`
	// Artifacts are the paths (or glob patterns) of files the job keeps
	// after it ends, for later jobs or anyone who can download them:
	// GitLab `artifacts: paths:`, Jenkins archiveArtifacts and stash
	// includes, CircleCI store_artifacts and persist_to_workspace,
	// Bitbucket `artifacts:`, Azure `publish:` and the publish tasks.
	// GitHub keeps them with a step (actions/upload-artifact) and leaves
	// this empty.
	Artifacts   []String     `json:"artifacts"`
	Strategy    *Strategy    `json:"strategy"`
	Permissions *Permissions `json:"permissions"`
	// Uses is set when the whole job is a call to another pipeline (a GitHub
	// reusable workflow, a GitLab trigger); With are its inputs.
	// Outputs are the values the job makes available to the jobs that
	// need it (GitHub `outputs:`, read as `needs.<id>.outputs.<name>`).
	Outputs        []Var      `json:"outputs"`
	Uses           *Reference `json:"uses"`
	With           []Var      `json:"with"`
	SecretsInherit bool       `json:"secrets_inherit"`
	// Callee is the `file` of the local workflow Uses calls, one of the
	// pipelines of `input.callees`; "" when Uses is not a local workflow,
	// or when it could not be followed: it cannot be read, or it calls back
	// a file being followed (a cycle, which GitHub refuses). Either is a
	// warning.
	Callee string `json:"callee"`
	Steps  []Step `json:"steps"`
	Pos    Pos    `json:"pos"`
}

// Rule is one rule of a GitLab `rules:` list. GitLab reads the rules in
// order and the first whose `if:` holds (and whose `changes:` and
// `exists:`, not modelled, match) decides: When "never" leaves the job (or
// pipeline) out, any other value puts it in. A rule without `if:` always
// holds.
type Rule struct {
	If String `json:"if"`
	// When is the rule's `when:` as written: "" (on_success), "never",
	// "manual", "always", "on_failure" or "delayed".
	When String `json:"when"`
	Pos  Pos    `json:"pos"`
}

// Runner describes the machine a job runs on.
type Runner struct {
	Labels []String `json:"labels"`
	// Ephemeral is true when the machine is fresh for every run (GitHub-hosted
	// runners, Jenkins docker/kubernetes agents, GitLab shared runners), so
	// nothing survives between runs unless it is cached explicitly. False
	// for self-hosted runners and permanent Jenkins agents.
	Ephemeral bool `json:"ephemeral"`
	Pos       Pos  `json:"pos"`
}

// Image is a container image a job or service runs in.
type Image struct {
	Name String `json:"name"` // the image reference as written
	// Alias is the service's network name (GitHub service id, GitLab alias).
	Alias String `json:"alias"`
	// Env are the variables the container starts with: GitHub
	// `container.env` and `services.<id>.env`, GitLab service `variables:`.
	Env []Var `json:"env"`
	// Options are the `docker run` options the container is started with,
	// as written: GitHub `options:` of the job container or a service,
	// Jenkins `args` of a docker agent and the first argument of
	// `docker.image(...).inside(...)`, `withRun(...)` or `run(...)`.
	Options String `json:"options"`
	// Volumes are the volumes mounted into the container as written
	// (`/var/run/docker.sock:/var/run/docker.sock`): GitHub `volumes:`.
	Volumes []String `json:"volumes"`
	// Command are the arguments the container's entrypoint is started
	// with, as written: GitLab `command:` of a service (a docker:dind
	// service's daemon flags), the second argument of Jenkins
	// `docker.image(...).withRun(...)` or `run(...)`.
	Command []String `json:"command"`
	// Credentials are the registry login the CI system pulls the image
	// with, as written: GitHub `credentials:` (username, password) of a
	// job container or service, Bitbucket `username`, `password` and
	// `aws:` keys of an image.
	Credentials []Var `json:"credentials"`
	Pos         Pos   `json:"pos"`
}

// Environment is a deployment target.
type Environment struct {
	// Name is the environment's name. On GitLab its `$NAME` and `${NAME}`
	// references are expanded when the file gives the variable a plain
	// literal value the job sees (a global variable it inherits or its own,
	// not one that rules or a parallel matrix may set, whose value refers
	// to no other variable); `CI_*` and `GITLAB_*` names, unknown variables
	// and `$$` stay as written. Pos is where the name is written. A project,
	// group, instance or pipeline variable of the same name overrides the
	// file's value at run time, which the file cannot show.
	Name String `json:"name"`
	URL  String `json:"url"`
	// Action is what the job does to the environment: start (deploy, the
	// default), stop, prepare, verify or access.
	Action String `json:"action"`
	Tier   String `json:"tier"`    // GitLab deployment_tier
	OnStop String `json:"on_stop"` // the job that tears the environment down
	Pos    Pos    `json:"pos"`
}

// Cache is a cache declaration.
type Cache struct {
	Key    String   `json:"key"`
	Paths  []String `json:"paths"`
	Policy String   `json:"policy"` // pull, push, pull-push
	// Off is true for a declaration that switches caching off for the job
	// (GitLab `cache: []`, which also drops a `default:` or inherited
	// cache): a decision against a cache, unlike declaring none. Such an
	// entry has no key, paths or policy, and is the job's only cache.
	Off bool `json:"off"`
	Pos Pos  `json:"pos"`
}

// Report is a result file the CI system reads back, such as JUnit XML.
type Report struct {
	Kind  String   `json:"kind"` // junit, coverage, ...
	Paths []String `json:"paths"`
	Pos   Pos      `json:"pos"`
}

// Strategy is a job's matrix.
type Strategy struct {
	Matrix []Var `json:"matrix"` // one Var per dimension; Value is the raw list
	// Values are the scalar values the matrix gives its variables, each
	// where it is written (GitHub): every element of a dimension's list and
	// every entry of an `include:` item. Name is the variable, a dotted path
	// for a value inside a mapping (`config.image`).
	Values []Var `json:"values"`
	// Expressions are the `${{ }}` anywhere in the strategy: in dimension
	// lists, `include:` items, a whole matrix computed by
	// `fromJSON(...)`, `max-parallel`.
	Expressions []Expression `json:"expressions"`
	Pos         Pos          `json:"pos"`
}

// Step kinds.
const (
	StepRun   = "run"   // a shell script
	StepUses  = "uses"  // a call to an action or image
	StepOther = "other" // anything else, e.g. a Jenkins junit(...) call
)

// Step is one thing a job does.
type Step struct {
	Kind string `json:"kind"` // StepRun, StepUses or StepOther
	ID   String `json:"id"`
	Name String `json:"name"`
	// Script is the shell of a run step.
	Script *Script `json:"script"`
	// Uses is the action or image a uses step calls.
	Uses *Reference `json:"uses"`
	// Callee is the `file` of the local action Uses calls, one of the
	// pipelines of `input.callees`, or "" as for Job.Callee. A `./` path
	// is a path in the workspace: after actions/checkout with `path:
	// src/app`, `./src/app/x` is the repository's x, and a checkout of
	// another repository hides the repository's files. A `$/` path is
	// always the repository's.
	Callee string `json:"callee"`
	// Call is the step function of an other step (Jenkins `junit`, `cache`,
	// a shared-library step), With its arguments. A Jenkins stage's `input
	// { … }` directive is the job's first step, an `input` call whose With
	// are the directive's settings (`message`, `submitter`, ...).
	Call String `json:"call"`
	With []Var  `json:"with"`
	Env  []Var  `json:"env"`
	// Condition is the step's condition as written. When is its normalised
	// effect, filled by the parser from the system's syntax: "" (runs when
	// everything before succeeded), "on_failure" (only after a failure:
	// `if: failure()`, `when: on_failure`, Jenkins post { failure } or a
	// catch block), "always" (`always()`, after_script, post { always },
	// finally) or "manual".
	Condition       String `json:"condition"`
	When            string `json:"when"`
	ContinueOnError bool   `json:"continue_on_error"`
	Pos             Pos    `json:"pos"`
}

// Script is shell code and the commands it runs.
type Script struct {
	Text String `json:"text"`
	// Shell is bash, sh, pwsh, cmd, python, ... as declared or defaulted.
	// A GitLab job's shell is its runner's: pwsh when a runner tag has a
	// word (a run of letters and digits) windows, win, win32, win64,
	// win11, ..., pwsh or powershell (saas-windows-medium-amd64,
	// windows-1809, win32-ps), as GitLab Runner defaults to PowerShell on
	// Windows; bash otherwise.
	Shell string `json:"shell"`
	// WorkingDirectory is the directory the script runs in, as declared:
	// GitHub `working-directory:` of the step, else of the job's or the
	// workflow's `defaults.run`, relative to the workspace unless absolute.
	// Empty when none is declared: the workspace (or the directory a
	// Jenkins `dir {}` block or GitLab sets, which are not read).
	WorkingDirectory String `json:"working_directory"`
	// Expressions are the CI system's expressions in Text (GitHub `${{ }}`,
	// GitLab `$[[ ]]`), substituted into the script before the shell reads
	// it: an expression's text is shell code. Jenkins scripts keep theirs
	// in the step's argument (Step.With).
	Expressions []Expression `json:"expressions"`
	// Commands are the simple commands of Text in source order, with
	// wrappers (sudo, env, time, npx, ...) already stripped by the splitter.
	// The commands of a script that Text runs with sh -c (bash -lc, sudo
	// sh -c, ...) follow that shell's command, placed where they are
	// written in its string; scripts run elsewhere (docker run, ssh) are
	// not read.
	Commands []Command `json:"commands"`
}

// Command is one simple command of a script.
type Command struct {
	Name String   `json:"name"`
	Args []String `json:"args"`
	// Substituted is true for a command inside a command or process
	// substitution ($(...), `...`, <(...)): the shell runs it for its
	// output, which becomes words of another command or a variable's value.
	Substituted bool `json:"substituted"`
	// Piped is true for a command whose input is the output of the
	// pipeline element written before it: `b` and `c` of `a | b |& c`,
	// `iex` of PowerShell's `iwr $url | iex`. Only a simple command that is
	// itself an element is marked, not the commands of a compound one
	// (`a | { b; }`, `a | while read l; do b; done`).
	Piped bool `json:"piped"`
	// Writes are the files the command's output is redirected to (`>`,
	// `>>`, `&>`), as written (`$GITHUB_ENV`, `"$GITHUB_OUTPUT"`), those
	// of the compound commands around it (`{ ...; } >> f`, a loop's `done
	// > f`) included, the command's own first. Empty for PowerShell and
	// cmd scripts, which are split line by line.
	Writes []String `json:"writes"`
	Pos    Pos      `json:"pos"`
}

// Reference kinds.
const (
	RefAction           = "action"
	RefReusableWorkflow = "reusable-workflow"
	RefImage            = "image"
	RefInclude          = "include"
	RefLibrary          = "library"
	// RefPipeline is another project's pipeline that a job starts (a GitLab
	// multi-project trigger): it runs on its own, nothing is pulled in.
	RefPipeline = "pipeline"
)

// Reference is something the pipeline pulls in by name.
type Reference struct {
	Kind string `json:"kind"` // one of the Ref* constants
	// Usage says where the reference appears: for images "container",
	// "service", "step" (uses: docker://), "action" (an action.yml runs.image),
	// "agent" or "machine" (a virtual machine image its provider keeps,
	// CircleCI `machine: image:`, pinned by a dated release); for includes
	// "local", "project", "remote", "template" or "component"; for actions
	// "orb" (a CircleCI orb, pinned by a full x.y.z version), else empty.
	Usage string `json:"usage"`
	// Value is the whole reference as written, except an image named by
	// variables the file sets: GitLab variables are expanded as in
	// Environment.Name; a Jenkins variable the whole file assigns once, to
	// a string without interpolation (`def IMAGE = 'node:20'`, an
	// `environment {}` entry), and never binds otherwise (a parameter, a
	// loop, withEnv), is read as that string, as is a string interpolating
	// only such variables (`"${REGISTRY}/app:${TAG}"`). When the name ends
	// with a variable (`$IMAGE`, `python:$VERSION`, `${TAG}`), Pos is
	// where that variable's value is written, which sets the tag.
	Value String `json:"value"`
	// Parsed parts. For actions and workflows Owner/Repo/Path; for images
	// Registry, Repo (the repository path) and Ref (the tag); for includes
	// Repo is the project or URL and Path the file.
	Registry string `json:"registry"`
	Owner    string `json:"owner"`
	Repo     string `json:"repo"`
	Path     string `json:"path"`
	// Ref is the git ref (tag, branch or commit) or image tag; empty when none
	// was given. Digest is an image digest (sha256:...).
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
	// Pinned is true when the reference cannot change under the user: a full
	// 40-hex commit SHA, an image digest, a remote include with integrity.
	Pinned bool `json:"pinned"`
	// Local is true for references into the same repository (./path, $/path,
	// include: local) that are pinned by the repository itself.
	Local bool `json:"local"`
	// Dynamic is true when the reference is computed at run time (an
	// expression or variable such as ${{ matrix.image }} or $IMAGE), so
	// what it points at cannot be judged from the file.
	Dynamic bool `json:"dynamic"`
	// VersionComment is the version written in a trailing comment
	// (`@<sha> # v4.1.0`), the usual hint when a SHA hides the version.
	VersionComment string `json:"version_comment"`
	// VersionCommentPos is where that version is written in the comment
	// (the `v4.1.0` of `# tag=v4.1.0`); zero when there is none.
	VersionCommentPos Pos `json:"version_comment_pos"`
	// Integrity is a remote include's integrity hash, if given.
	Integrity String `json:"integrity"`
	Pos       Pos    `json:"pos"`
}

// ResolvedRef kinds.
const (
	ResolvedTag    = "tag"
	ResolvedBranch = "branch"
	ResolvedCommit = "commit"
)

// Reachable values of a ResolvedRef.
const (
	ReachableYes       = "yes"
	ReachableNo        = "no"
	ReachableUndecided = "undecided"
)

// ResolvedRef is what the server of a GitHub repository says a ref of it
// names, at the time of the check (see Pipeline.Resolved).
type ResolvedRef struct {
	// Repo is the repository, `owner/name` as written (an action's path
	// left out); Ref the ref as written. Rules find the entry of a
	// reference by both (data.pipelint.lib.refs.resolved).
	Repo string `json:"repo"`
	Ref  string `json:"ref"`
	// Kind is what Ref names: a ResolvedTag (of a name that is both a tag
	// and a branch too, as git resolves it first), a ResolvedBranch, a
	// ResolvedCommit for a full 40-hex SHA, or "" when the repository has
	// no branch or tag of that name.
	Kind string `json:"kind"`
	// Commit is the full SHA, in lower case, of the commit Ref names (an
	// annotated tag peeled to its commit); "" when Kind is "".
	Commit string `json:"commit"`
	// TagsAtCommit and BranchesAtCommit are the names of the tags and
	// branches that point at Commit, sorted.
	TagsAtCommit     []string `json:"tags_at_commit"`
	BranchesAtCommit []string `json:"branches_at_commit"`
	// Ambiguous is true when Ref is both a branch and a tag, so what runs
	// depends on which one the resolver picks (ref confusion).
	Ambiguous bool `json:"ambiguous"`
	// Reachable says whether Commit is in the history of a branch or tag
	// of Repo: ReachableYes, ReachableNo (every history read to its first
	// commit, and none holds it: a commit from a fork, fetched through the
	// parent's name), or ReachableUndecided (older than the part of each
	// history read, or the histories could not be read). Always "yes" for a
	// tag or branch; "" when Kind is "".
	Reachable string `json:"reachable"`
}

// Groovy is the code of a Jenkinsfile as Groovy reads it, wherever it is
// written: in steps and script blocks, in functions and classes whether
// they are called or not, in field initialisers, closures, annotations'
// arguments and string interpolations. Each list is in source order.
type Groovy struct {
	// Calls are in the order they start; of those starting at the same
	// place, the outer first (`a.b().c()` is c, then b).
	Calls       []GroovyCall       `json:"calls"`
	Annotations []GroovyAnnotation `json:"annotations"`
	Imports     []GroovyImport     `json:"imports"`
}

// GroovyCall kinds.
const (
	// CallMethod is a method call: `x.m(...)`, `m(...)`, `m 'a'`, a step
	// call included; a method pointer `X.&m` counts as one.
	CallMethod = "method"
	// CallProperty is a property read, `x.p`, which Groovy performs by
	// calling the getter (`Jenkins.instance` calls `getInstance()`).
	CallProperty = "property"
	// CallConstructor is `new X(...)`.
	CallConstructor = "constructor"
)

// Receiver kinds of a GroovyCall.
const (
	ReceiverName   = "name"   // a dotted name: Runtime, jenkins.model.Jenkins, this.class, env
	ReceiverString = "string" // a string literal, interpolated or not, or a parenthesised `+` concatenation holding one
	ReceiverList   = "list"   // a list literal
	ReceiverOther  = "other"  // anything else: a call's result, an index, a closure, ...
)

// GroovyCall is a method call, property read or constructor call.
type GroovyCall struct {
	Kind string `json:"kind"` // CallMethod, CallProperty or CallConstructor
	// Receiver is what the method is called or the property read on: for
	// a dotted name, the name as written (`?.` read as `.`); for anything
	// else an empty value at the receiver's position. Zero when there is
	// none: a constructor, or a call of a step or of the script's own
	// methods (`sh 'x'`, `evaluate(x)`).
	Receiver String `json:"receiver"`
	// ReceiverKind is one of the Receiver* constants, "" when there is no
	// receiver.
	ReceiverKind string `json:"receiver_kind"`
	// Name is the method, the property or the class constructed, as
	// written: `exec`, `classLoader`, `java.lang.ProcessBuilder` (a
	// generic class without its type arguments).
	Name String `json:"name"`
	// Function is the function of the file whose body holds the call:
	// its name, `Class.method` for a method of a class; "" outside any.
	// A closure belongs to the function it is written in.
	Function string `json:"function"`
	Pos      Pos    `json:"pos"` // the whole expression, receiver and arguments
}

// GroovyAnnotation is an annotation (`@NonCPS`, `@Grab('g:a:v')`),
// those nested in another's arguments (`@Grapes([@Grab(...)])`) included.
type GroovyAnnotation struct {
	// Name is the annotation as written, without the `@`: `Grab`,
	// `groovy.lang.Grab`.
	Name String `json:"name"`
	// Arguments are the text between its parentheses as written; empty
	// when it has none.
	Arguments String `json:"arguments"`
	// Target is the kind of declaration it is written on: "method",
	// "class", "variable" (a variable or field), "import" or "other".
	Target string `json:"target"`
	// Declares is the name that declaration declares: the function as in
	// GroovyCall.Function, the class, the variable or the import's name.
	Declares string `json:"declares"`
	Pos      Pos    `json:"pos"`
}

// GroovyImport is an import declaration.
type GroovyImport struct {
	// Name is what is imported, as written: a class
	// (`jenkins.model.Jenkins`), a static member
	// (`java.lang.Runtime.getRuntime`) or all of a package or class
	// (`groovy.json.*`).
	Name   String `json:"name"`
	Static bool   `json:"static"`
	Pos    Pos    `json:"pos"`
}
