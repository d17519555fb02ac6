package jenkins

import (
	"regexp"
	"slices"
	"strings"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/shell"
)

// shells maps the script steps to the shell that runs their text.
var shells = map[string]string{"sh": "sh", "bat": "cmd", "powershell": "pwsh", "pwsh": "pwsh"}

// runStep interprets sh/bat/powershell/pwsh. A script that is not a string
// literal (built by concatenation or held in a variable) cannot be read
// statically and stays an opaque step of kind other.
func (b *builder) runStep(c *call, sc scope) {
	step := b.otherStep(c)
	scriptNode := c.named("script")
	if scriptNode == nil {
		scriptNode = c.positional(0)
	}
	if label := c.named("label"); label != nil {
		step.Name, _ = b.value(label)
	}
	text, s, ok := b.stringValue(scriptNode)
	if ok {
		shellName := shells[c.name]
		step.Kind = model.StepRun
		step.Script = &model.Script{
			Text: text, Shell: shellName,
			Commands: shell.Split(s.value, shellName, s.locator(b.pos)),
		}
	}
	b.addStep(step, c, sc)
}

// scriptedStage makes `stage('x') { … }` a job of its own.
func (b *builder) scriptedStage(c *call, sc scope) {
	name := b.nameArg(c)
	inner := sc
	inner.slot = &jobSlot{job: b.newJob(name, c.node, sc)}
	inner.stages = append(slices.Clone(sc.stages), name)
	b.block(statements(c.body), inner)
}

// node interprets `node('label') { … }`: loose steps inside form a job
// named after the label, stages inside run on it.
func (b *builder) node(c *call, sc scope) {
	runner := model.Runner{Pos: b.headPos(c)}
	name := b.pos.str(c.name, c.nameNode)
	label := c.positional(0)
	if label == nil {
		label = c.named("label")
	}
	if label != nil {
		value, _ := b.value(label)
		runner.Labels = []model.String{value}
		name = value
	}
	ag := &agent{runner: runner}
	if sc.agent != nil && sc.agent.runner.Ephemeral { // node(POD_LABEL) inside podTemplate
		ag = &agent{runner: runner, container: sc.agent.container, services: sc.agent.services, caches: sc.agent.caches}
		ag.runner.Ephemeral = true
	}
	inner := sc
	inner.agent = ag
	switch {
	case sc.slot.job != nil:
		if sc.slot.job.Runner.Pos.IsZero() {
			sc.slot.job.Runner = ag.runner
		}
	case sc.slot.name.Value == "": // a node inside a parallel branch keeps the branch's name
		inner.slot = &jobSlot{name: name, at: c.node}
	}
	b.block(statements(c.body), inner)
}

// parallel interprets `parallel a: { … }, b: { … }` and `parallel([a: { … }])`.
// Each branch starts after what came before; what follows waits for all
// branches. Outside a job each branch is a job named after its key. A map
// built at run time (`parallel branches`) is left to genericStep.
func (b *builder) parallel(c *call, sc scope) bool {
	var branches []arg
	for _, a := range c.args {
		if a.value.Kind() == cst.MapExpr {
			for _, entry := range a.value.ChildrenByKind(cst.MapEntry) {
				if key, value := mapEntry(entry); key != nil {
					branches = append(branches, arg{name: keyName(key), nameNode: key, value: value})
				}
			}
			continue
		}
		branches = append(branches, a)
	}
	branches = slices.DeleteFunc(branches, func(a arg) bool { return a.name == "" || a.value.Kind() != cst.ClosureExpr })
	if len(branches) == 0 {
		return false
	}
	var after []model.String
	for _, branch := range branches {
		inner := sc
		inner.seq = &sequence{last: slices.Clone(sc.seq.last)}
		if sc.slot.job == nil {
			inner.slot = &jobSlot{name: b.pos.str(branch.name, branch.nameNode), at: branch.value}
		}
		b.block(statements(branch.value), inner)
		after = appendUnique(after, inner.seq.last...)
	}
	sc.seq.last = after
	return true
}

func appendUnique(list []model.String, items ...model.String) []model.String {
	for _, item := range items {
		if !slices.ContainsFunc(list, func(s model.String) bool { return s.Value == item.Value }) {
			list = append(list, item)
		}
	}
	return list
}

// podTemplate interprets a Kubernetes pod template: its containers' images
// are the job's container (the first) and services (the rest).
func (b *builder) podTemplate(c *call, sc scope) {
	ag := &agent{runner: model.Runner{Ephemeral: true, Pos: b.headPos(c)}}
	if label := c.named("label"); label != nil {
		value, _ := b.value(label)
		ag.runner.Labels = []model.String{value}
	}
	var images []model.Image
	for _, item := range listItems(c.named("containers")) {
		if tmpl, ok := asCall(item); ok && tmpl.name == "containerTemplate" {
			if image := tmpl.named("image"); image != nil {
				images = append(images, b.imageOf(image, "agent"))
			}
		}
	}
	if _, pod, ok := b.stringValue(c.named("yaml")); ok {
		images = append(images, b.podYAMLImages(pod)...)
	}
	if len(images) > 0 {
		ag.container = &images[0]
		ag.services = images[1:]
	}
	inner := sc
	inner.agent = ag
	b.wrapper(c, sc, inner)
}

// podImageLine finds `image: name` in a pod spec, the one field read from
// the embedded YAML.
var podImageLine = regexp.MustCompile(`(?m)^[ \t-]*image:[ \t]*["']?([^"'\s#]+)`)

// podYAMLImages records the images of a Kubernetes pod YAML string.
func (b *builder) podYAMLImages(s *groovyString) []model.Image {
	var images []model.Image
	for _, m := range podImageLine.FindAllStringSubmatchIndex(s.value, -1) {
		images = append(images, b.image(b.substring(s, m[2], m[3]), s.interpolated(), "agent"))
	}
	return images
}

// pullingImageMethods are the methods of docker.image('x') that pull the
// image, or run it.
var pullingImageMethods = []string{"inside", "withRun", "run", "pull"}

// idleImages returns where a bare docker.image('x') is assigned to a
// variable no pulling method is ever called on: after
// `foo = docker.image('x')`, `foo.imageName()` pulls nothing. assigned
// holds, by variable, where such calls are assigned to it.
func idleImages(assigned map[string][]int, g *model.Groovy) map[int]bool {
	pulled := map[string]bool{}
	for _, c := range g.Calls {
		if c.Kind == model.CallMethod && c.ReceiverKind == model.ReceiverName && slices.Contains(pullingImageMethods, c.Name.Value) {
			pulled[c.Receiver.Value] = true
		}
	}
	idle := map[int]bool{}
	for name, offsets := range assigned {
		for _, offset := range offsets {
			idle[offset] = !pulled[name]
		}
	}
	return idle
}

// idleImage reports whether value is one of the idle images.
func (b *builder) idleImage(value *cst.Node) bool {
	start, _ := textSpan(value)
	return b.idleImages[start]
}

// localImageMethods act on an image already on the node (built or pulled
// before) without pulling it: docker.image('x').push() publishes what the
// pipeline made, no image it runs.
var localImageMethods = []string{"push", "tag", "imageName", "id"}

// dockerImage interprets docker.image('x') and the methods called on it:
// inside { } runs the body in the container, withRun { } starts it as a
// service next to the body, run() and pull() fetch it.
func (b *builder) dockerImage(c *call, sc scope) {
	imageCall := c
	if c.receiver != nil && c.receiver.name == "docker.image" {
		imageCall = c.receiver
	}
	method := strings.TrimPrefix(strings.TrimPrefix(c.name, "docker.image"), ".")
	usage := "container"
	if method == "withRun" || method == "run" {
		usage = "service"
	}
	var img *model.Image
	if n := imageCall.positional(0); n != nil && !slices.Contains(localImageMethods, method) {
		image := b.imageOf(n, usage)
		image.Options, _, _ = b.stringValue(c.positional(0))
		if command, _, ok := b.stringValue(c.positional(1)); ok && usage == "service" {
			image.Command = []model.String{command}
		}
		img = &image
	}
	b.dockerRun(c, sc, img, usage, c.positional(0))
}

// withDockerContainer interprets the step docker.image('x').inside calls:
// withDockerContainer(image: 'x', args: '-v …') { … }.
func (b *builder) withDockerContainer(c *call, sc scope) {
	n := c.named("image")
	if n == nil {
		n = c.positional(0)
	}
	var img *model.Image
	if n != nil {
		image := b.imageOf(n, "container")
		image.Options, _, _ = b.stringValue(c.named("args"))
		img = &image
	}
	b.dockerRun(c, sc, img, "container", c.named("args"))
}

// dockerRun walks the body of a call that runs img as usage ("container":
// the body runs in it; "service": next to the body), given docker run
// arguments args. A call without a body is a step.
func (b *builder) dockerRun(c *call, sc scope, img *model.Image, usage string, args *cst.Node) {
	if c.body == nil {
		b.addStep(b.otherStep(c), c, sc)
		return
	}
	ag := &agent{}
	if sc.agent != nil {
		ag = &agent{runner: sc.agent.runner, container: sc.agent.container,
			services: slices.Clone(sc.agent.services), caches: slices.Clone(sc.agent.caches)}
	}
	var caches []model.Cache
	if _, args, ok := b.stringValue(args); ok {
		caches = b.volumeCaches(args)
	}
	ag.caches = append(ag.caches, caches...)
	// Steps inside run in a container started for this run, whatever node
	// it is started on: nothing they leave outside a mount survives it.
	inContainer := img != nil && usage == "container"
	if inContainer {
		ag.container = img
		ag.runner.Ephemeral = true
	} else if img != nil {
		ag.services = append(ag.services, *img)
	}
	inner := sc
	inner.agent = ag
	if job := sc.slot.job; job != nil {
		if inContainer && job.Container == nil {
			job.Container = img
			job.Runner.Ephemeral = true
		} else if img != nil && usage == "service" {
			job.Services = append(job.Services, *img)
		}
		job.Caches = append(job.Caches, caches...)
	}
	b.wrapper(c, sc, inner)
}

// volumeFlag matches the volume options of `docker run` arguments.
var volumeFlag = regexp.MustCompile(`(?:^|\s)(-v|--volume|--mount)(?:\s+|=)(\S+)`)

// volumeCaches returns the volumes mounted by docker run arguments
// (`-v $HOME/.m2:/root/.m2`): what survives the container between builds.
// Each cache is positioned on the mount as written and its path is the
// directory inside the container, which tells a package cache from, say,
// the docker socket.
func (b *builder) volumeCaches(args *groovyString) []model.Cache {
	var caches []model.Cache
	for _, m := range volumeFlag.FindAllStringSubmatchIndex(args.value, -1) {
		spec := args.value[m[4]:m[5]]
		parse := bindTarget
		if args.value[m[2]:m[3]] == "--mount" {
			parse = mountTarget
		}
		from, to, readOnly := parse(spec)
		if from == to {
			continue
		}
		policy := "pull-push"
		if readOnly {
			policy = "pull"
		}
		caches = append(caches, model.Cache{
			Paths:  []model.String{b.substring(args, m[4]+from, m[4]+to)},
			Policy: model.String{Value: policy},
			Pos:    b.substring(args, m[4], m[5]).Pos,
		})
	}
	return caches
}

// bindTarget returns where the container path of `-v [source:]target[:options]`
// lies in spec and whether the options make it read-only.
func bindTarget(spec string) (from, to int, readOnly bool) {
	source, rest, found := strings.Cut(spec, ":")
	if !found {
		return 0, len(spec), false // an anonymous volume: the spec is the target
	}
	from = len(source) + 1
	target, options, _ := strings.Cut(rest, ":")
	return from, from + len(target), slices.Contains(strings.Split(options, ","), "ro")
}

// mountTarget returns where the target of `--mount type=…,source=…,target=…`
// lies in spec and whether it is read-only.
func mountTarget(spec string) (from, to int, readOnly bool) {
	offset := 0
	for field := range strings.SplitSeq(spec, ",") {
		key, value, _ := strings.Cut(field, "=")
		switch key {
		case "target", "dst", "destination":
			from, to = offset+len(key)+1, offset+len(field)
		case "readonly", "ro":
			readOnly = value == "" || value == "true" || value == "1"
		}
		offset += len(field) + 1
	}
	return from, to, readOnly
}

// cache interprets the jobcacher plugin's cache(caches: [...]) { … }.
func (b *builder) cache(c *call, sc scope) {
	var caches []model.Cache
	for _, item := range listItems(c.named("caches")) {
		entry, ok := asCall(item)
		if !ok {
			continue
		}
		cache := model.Cache{Pos: b.pos.node(item), Policy: model.String{Value: "pull-push"}}
		for _, key := range []string{"cacheValidityDecidingFile", "cacheName"} {
			if n := entry.named(key); n != nil && cache.Key.Value == "" {
				cache.Key, _ = b.value(n)
			}
		}
		if n := entry.named("path"); n != nil {
			path, _ := b.value(n)
			cache.Paths = []model.String{path}
		}
		switch {
		case isTrue(c.named("skipSave")):
			cache.Policy.Value = "pull"
		case isTrue(c.named("skipRestore")):
			cache.Policy.Value = "push"
		}
		caches = append(caches, cache)
	}
	if job := sc.slot.job; job != nil {
		job.Caches = append(job.Caches, caches...)
	}
	inner := sc
	if len(caches) > 0 {
		ag := &agent{}
		if sc.agent != nil {
			*ag = *sc.agent
		}
		ag.caches = append(slices.Clone(ag.caches), caches...)
		inner.agent = ag
	}
	b.wrapper(c, sc, inner)
}

func isTrue(n *cst.Node) bool {
	return n != nil && n.Kind() == cst.BoolExpr && strings.TrimSpace(n.Text()) == "true"
}

// junitReport adds the test results a junit step publishes to its job.
func (b *builder) junitReport(c *call, sc scope) {
	n := c.named("testResults")
	if n == nil {
		n = c.positional(0)
	}
	report := model.Report{Kind: b.pos.str("junit", c.nameNode), Pos: b.pos.node(c.node)}
	if n != nil {
		path, _ := b.value(n)
		report.Paths = []model.String{path}
	}
	sc.slot.job.Reports = append(sc.slot.job.Reports, report)
}

// keptFilesArgument names, per step, the argument that lists the files
// the step keeps after the job: archived with the build, or stashed for
// later stages.
var keptFilesArgument = map[string]string{"archiveArtifacts": "artifacts", "archive": "includes", "stash": "includes"}

// keptFiles adds the files an archiveArtifacts, archive or stash step
// keeps to its job's Artifacts: each pattern of the argument, which Ant
// separates by commas or spaces, where it is written. A stash without
// includes keeps every file, which no pattern says, and is left out.
func (b *builder) keptFiles(c *call, sc scope) {
	job := sc.slot.job
	if job == nil {
		return
	}
	n := c.named(keptFilesArgument[c.name])
	if n == nil && c.name != "stash" {
		n = c.positional(0) // the first positional argument of stash is its name
	}
	_, s, ok := b.stringValue(n)
	if !ok {
		return
	}
	start := -1
	for i := 0; i <= len(s.value); i++ {
		separator := i == len(s.value) || s.value[i] == ',' || s.value[i] == ' ' || s.value[i] == '\t' || s.value[i] == '\n'
		switch {
		case separator && start >= 0:
			job.Artifacts = append(job.Artifacts, b.substring(s, start, i))
			start = -1
		case !separator && start < 0:
			start = i
		}
	}
}

// credentialVariables are the arguments of withCredentials bindings that
// name a variable holding (part of) the secret.
var credentialVariables = []string{
	"variable", "usernameVariable", "passwordVariable", "keyFileVariable", "passphraseVariable",
	"keystoreVariable", "aliasVariable", "accessKeyVariable", "secretKeyVariable",
}

// credentialBindings returns the variables withCredentials([...]) binds:
// Name is the variable, Value the credentials id, Source "secret".
func (b *builder) credentialBindings(c *call) []model.Var {
	var vars []model.Var
	for _, item := range listItems(c.positional(0)) {
		args := namedArgs(item)
		id := model.String{}
		for _, a := range args {
			if a.name == "credentialsId" {
				id, _ = b.value(a.value)
			}
		}
		for _, a := range args {
			if !slices.Contains(credentialVariables, a.name) {
				continue
			}
			if name, _, ok := b.stringValue(a.value); ok {
				vars = append(vars, model.Var{Name: name, Value: id, Source: sourceSecret, Pos: b.pos.node(item)})
			}
		}
	}
	return vars
}

// namedArgs returns the named arguments of a call or the entries of a map
// literal ([$class: 'X', credentialsId: 'y']).
func namedArgs(n *cst.Node) []arg {
	if c, ok := asCall(n); ok {
		return c.args
	}
	var args []arg
	if n.Kind() == cst.MapExpr || n.Kind() == cst.ListExpr {
		for _, entry := range n.ChildrenByKind(cst.MapEntry) {
			if key, value := mapEntry(entry); key != nil {
				args = append(args, arg{name: keyName(key), nameNode: key, value: value})
			}
		}
	}
	return args
}

// envBindings returns the variables of withEnv(['A=b', "C=${d}"]).
func (b *builder) envBindings(c *call) []model.Var {
	var vars []model.Var
	for _, item := range listItems(c.positional(0)) {
		text, s, ok := b.stringValue(item)
		if !ok {
			continue
		}
		eq := strings.IndexByte(s.value, '=')
		if eq <= 0 {
			continue
		}
		source := sourceLiteral
		for _, in := range s.interpolations {
			if in.end > s.sourceOffsets[eq] {
				source = sourceExpression
			}
		}
		vars = append(vars, model.Var{
			Name: b.substring(s, 0, eq), Value: b.substring(s, eq+1, len(s.value)),
			Source: source, Pos: text.Pos,
		})
	}
	return vars
}

// properties reads job properties set from a scripted pipeline:
// properties([parameters([...]), pipelineTriggers([...])]).
func (b *builder) properties(c *call) {
	for _, item := range listItems(c.positional(0)) {
		prop, ok := asCall(item)
		if !ok {
			continue
		}
		switch prop.name {
		case "parameters":
			b.parameters(listItems(prop.positional(0)))
		case "pipelineTriggers":
			b.triggers(listItems(prop.positional(0)))
		}
	}
}

// parameters records build parameters: string(name: 'X', defaultValue: 'y'),
// booleanParam(...), choice(name: 'X', choices: [...]), password(...).
// The default (or, for a choice, the list of choices) is the Value.
func (b *builder) parameters(items []*cst.Node) {
	for _, item := range items {
		param, ok := asCall(item)
		if !ok {
			continue
		}
		nameNode := param.named("name")
		if nameNode == nil {
			continue
		}
		name, _ := b.value(nameNode)
		v := model.Var{Name: name, Source: sourceLiteral, Type: param.name, Pos: b.pos.node(item)}
		for _, key := range []string{"defaultValue", "choices", "value"} {
			if n := param.named(key); n != nil {
				v.Value, v.Source = b.value(n)
				break
			}
		}
		b.pipeline.Parameters = append(b.pipeline.Parameters, v)
	}
}

// triggers records cron('…'), pollSCM('…'), upstream(…) and the like;
// Event is the trigger's name as written.
func (b *builder) triggers(items []*cst.Node) {
	for _, item := range items {
		if trigger, ok := asCall(item); ok && trigger.name != "" {
			b.pipeline.Triggers = append(b.pipeline.Triggers, model.Trigger{
				Event: b.pos.str(trigger.name, trigger.nameNode), Pos: b.pos.node(item),
			})
		}
	}
}
