package jenkins

import (
	"fmt"
	"slices"
	"strings"

	"github.com/albertocavalcante/groovy-parser-go/cst"
	"github.com/albertocavalcante/groovy-parser-go/token"
	"github.com/pipelint/pipelint/internal/model"
)

// Step.When values.
const (
	whenOnFailure = "on_failure"
	whenAlways    = "always"
	whenManual    = "manual"
)

// agent is where a job's steps run: a declarative agent, a scripted node,
// a pod template or a docker.image(...).inside block.
type agent struct {
	runner    model.Runner
	container *model.Image
	services  []model.Image
	caches    []model.Cache
}

// jobSlot is the job that the loose steps of a block go to. A scripted
// node or parallel branch creates its job only when a step needs one, so a
// node that holds only stages adds no empty job.
type jobSlot struct {
	job  *model.Job
	name model.String // id of the job created on demand; empty: the first step's call name
	at   *cst.Node    // where that job is written; nil: at the first step
}

// sequence holds the ids of the jobs that the next sequential job needs.
type sequence struct{ last []model.String }

// scope is what statements inherit from the blocks around them.
type scope struct {
	slot     *jobSlot
	seq      *sequence
	stages   []model.String // enclosing stage names, outermost first
	agent    *agent
	jobEnv   []model.Var // environment directives of enclosing stages
	when     model.String
	manual   bool        // an enclosing stage waits for input
	input    *model.Step // the input step that stage's directive stands for
	strategy *model.Strategy
	// For steps: variables bound by enclosing withEnv/withCredentials, and
	// the post condition, catch or finally they sit in.
	stepEnv       []model.Var
	stepWhen      string
	stepCondition model.String
	inlining      []string // the local functions being walked, against recursion
	depth         int
}

// file interprets the top level: a declarative pipeline, a scripted one, or
// a bare shared-library call.
func (b *builder) file(root *cst.Node) {
	b.declareMethods(root)
	b.block(statements(root), scope{slot: &jobSlot{}, seq: &sequence{}})
}

// block walks statements in order.
func (b *builder) block(stmts []*cst.Node, sc scope) {
	if len(stmts) == 0 || b.stopped {
		return
	}
	if sc.depth >= maxWalkDepth {
		b.limit(stmts[0], fmt.Sprintf("statements nested deeper than %d levels are not analysed", maxWalkDepth))
		return
	}
	sc.depth++
	for _, stmt := range stmts {
		if b.walked++; b.walked > maxStatements {
			b.limit(stmt, fmt.Sprintf("more than %d statements; the rest is not analysed", maxStatements))
		}
		if b.stopped {
			return
		}
		b.statement(stmt, &sc)
	}
}

// statement interprets one statement. A legacy `stage 'name'` without a
// body changes the job of the statements after it, hence the pointer.
func (b *builder) statement(n *cst.Node, sc *scope) {
	switch n.Kind() {
	case cst.ExpressionStmt, cst.ReturnStmt, cst.ThrowStmt:
		expr := firstNode(n)
		if c, ok := asCall(expr); ok && c.name == "stage" && c.body == nil {
			sc.slot = &jobSlot{job: b.newJob(b.nameArg(c), c.node, *sc)}
			return
		}
		b.expression(expr, *sc)
	case cst.VariableDecl:
		b.annotations(n)
		if value := afterAssign(n); value != nil && !b.idleImage(value) {
			b.expression(value, *sc)
		}
	case cst.FieldDecl, cst.ImportDecl, cst.MethodDecl, cst.ClassDecl, cst.InterfaceDecl, cst.EnumDecl, cst.TraitDecl:
		b.annotations(n) // definitions run only when called; their bodies are not steps
	case cst.TryStmt:
		b.try(n, *sc)
	case cst.IfStmt, cst.ForStmt, cst.ForInStmt, cst.WhileStmt, cst.DoWhileStmt, cst.SwitchStmt,
		cst.SynchronizedStmt, cst.LabeledStmt, cst.CaseClause, cst.DefaultClause:
		for _, child := range n.Children() {
			switch {
			case child.IsToken():
			case child.Kind() == cst.BlockStmt:
				b.block(statements(child), *sc)
			case isStatement(child.Kind()):
				b.block([]*cst.Node{child}, *sc)
			default: // a condition, a loop's collection, a case label
				b.nestedSteps(child, *sc)
			}
		}
	case cst.BlockStmt:
		b.block(statements(n), *sc)
	}
}

func isStatement(k cst.NodeKind) bool {
	return k >= cst.BlockStmt && k <= cst.LabeledStmt || k == cst.VariableDecl
}

// afterAssign returns the value assigned in a declaration or assignment.
func afterAssign(n *cst.Node) *cst.Node {
	seen := false
	for _, child := range n.Children() {
		if seen && !child.IsToken() {
			return child
		}
		seen = seen || child.IsToken() && child.Token().Kind == token.Assign
	}
	return nil
}

// try walks a try statement: catch blocks run on failure, finally always.
func (b *builder) try(n *cst.Node, sc scope) {
	for _, child := range n.Children() {
		inner := sc
		switch child.Kind() {
		case cst.BlockStmt:
			b.block(statements(child), sc)
			continue
		case cst.CatchClause:
			inner.stepWhen, inner.stepCondition = whenOnFailure, b.pos.str("catch", child.FirstToken())
		case cst.FinallyClause:
			inner.stepWhen, inner.stepCondition = whenAlways, b.pos.str("finally", child.FirstToken())
		default:
			continue
		}
		b.block(statements(child.ChildByKind(cst.BlockStmt)), inner)
	}
}

// expression interprets an expression statement: calls are steps, and so
// is a call whose result is assigned (`def out = sh(...)`). Steps used as
// values inside it run first.
func (b *builder) expression(n *cst.Node, sc scope) {
	if n == nil {
		return
	}
	if n.Kind() == cst.AssignExpr && afterAssign(n) != nil {
		if n = afterAssign(n); b.idleImage(n) {
			return
		}
	}
	found := calls(n)
	if len(found) == 0 { // `!sh(...)`, `x == sh(...)`
		b.nestedSteps(n, sc)
		return
	}
	for _, c := range found {
		for r := c; r != nil; r = r.receiver {
			for _, a := range r.args {
				b.nestedSteps(a.value, sc)
			}
		}
		b.call(c, sc)
	}
}

// nestedSteps records the steps an expression calls for their value — in
// a condition, as an operand or as another call's argument — innermost
// first, as they run: script steps and local functions. Other nested
// calls are left alone, since most are arguments that are no steps
// (string(...) in withCredentials([...]), logRotator(...)); closures run
// only when called.
func (b *builder) nestedSteps(n *cst.Node, sc scope) {
	if n == nil || n.IsToken() || n.Kind() == cst.ClosureExpr {
		return
	}
	for _, child := range n.Children() {
		b.nestedSteps(child, sc)
	}
	if n.Kind() != cst.CallExpr {
		return
	}
	if c, ok := asCall(n); ok && (shells[c.name] != "" || b.methodFor(c, sc) != nil) {
		b.call(c, sc)
	}
}

// call interprets one call: a structural block, a known step or a generic
// step.
func (b *builder) call(c *call, sc scope) {
	// `sh(...).trim().isEmpty()`: the step is the call the methods are
	// chained on.
	if innermost := chainStart(c); innermost != c && innermost.name != "" && !strings.Contains(innermost.name, ".") {
		b.call(innermost, sc)
		return
	}
	if r := c.receiver; r != nil && r.name == "docker.image" {
		b.dockerImage(c, sc)
		return
	}
	switch c.name {
	case "pipeline":
		if c.body != nil {
			b.declarative(c, sc)
			return
		}
	case "sh", "bat", "powershell", "pwsh":
		b.runStep(c, sc)
		return
	case "stage":
		b.scriptedStage(c, sc)
		return
	case "node":
		b.node(c, sc)
		return
	case "parallel":
		if b.parallel(c, sc) {
			return
		}
	case "podTemplate":
		b.podTemplate(c, sc)
		return
	case "script":
		b.block(statements(c.body), sc)
		return
	case "withCredentials":
		inner := sc
		inner.stepEnv = append(slices.Clone(sc.stepEnv), b.credentialBindings(c)...)
		b.wrapper(c, sc, inner)
		return
	case "withEnv":
		inner := sc
		inner.stepEnv = append(slices.Clone(sc.stepEnv), b.envBindings(c)...)
		b.wrapper(c, sc, inner)
		return
	case "cache":
		b.cache(c, sc)
		return
	case "library":
		if id := c.named("identifier"); id != nil {
			b.library(id)
		} else if name := c.positional(0); name != nil {
			b.library(name)
		}
		return
	case "properties":
		b.properties(c)
		return
	case "docker.image":
		b.dockerImage(c, sc)
		return
	case "withDockerContainer":
		b.withDockerContainer(c, sc)
		return
	}
	b.genericStep(c, sc)
}

// chainStart returns the call a chain of method calls without closures
// starts with: sh(...) in sh(...).trim().split().
func chainStart(c *call) *call {
	for c.body == nil && c.receiver != nil {
		c = c.receiver
	}
	return c
}

// genericStep records any other call as a step of kind other. A call with
// a body is a wrapper (timeout, retry, dir, a library's own): its body's
// calls are steps of the same job. A call of a function of the file walks
// the function's body.
func (b *builder) genericStep(c *call, sc scope) {
	if m := b.methodFor(c, sc); m != nil && b.inline(c, m, sc) {
		return
	}
	if c.body != nil {
		b.wrapper(c, sc, sc)
		return
	}
	step := b.otherStep(c)
	switch c.name {
	case "junit":
		b.addStep(step, c, sc)
		b.junitReport(c, sc)
		return
	case "input":
		step.When = whenManual
	case "archiveArtifacts", "archive", "stash":
		b.addStep(step, c, sc)
		b.keptFiles(c, sc)
		return
	}
	b.addStep(step, c, sc)
}

// wrapper records a call with a body as a step when it already sits in a
// job and walks its closures in inner: those passed as arguments
// (tryFinally({ … }, { … })), then the body.
func (b *builder) wrapper(c *call, sc, inner scope) {
	var stmts []*cst.Node
	for _, a := range c.args {
		if a.name == "" && a.value.Kind() == cst.ClosureExpr {
			stmts = append(stmts, statements(a.value)...)
		}
	}
	b.wrapped(c, append(stmts, statements(c.body)...), sc, inner)
}

// wrapped records c as a step when it already sits in a job and walks
// stmts in inner. Outside any job it starts none unless the statements
// yield nothing: a library step configured by a closure
// (`standardBuild { … }`) is then the job's one step.
func (b *builder) wrapped(c *call, stmts []*cst.Node, sc, inner scope) {
	if sc.slot.job != nil {
		b.addStep(b.otherStep(c), c, sc)
		b.block(stmts, inner)
		return
	}
	jobs := len(b.jobs)
	b.block(stmts, inner)
	if len(b.jobs) == jobs && sc.slot.job == nil {
		b.addStep(b.otherStep(c), c, sc)
	}
}

func (b *builder) otherStep(c *call) model.Step {
	return model.Step{Kind: model.StepOther, Call: b.callName(c), With: b.argVars(c), Pos: b.headPos(c)}
}

// callName returns the step function, or the callee's source text when it
// is computed.
func (b *builder) callName(c *call) model.String {
	if c.name != "" {
		return b.pos.str(c.name, c.nameNode)
	}
	return b.pos.str(b.pos.sourceText(c.nameNode), c.nameNode)
}

// headPos spans a call without its trailing closure.
func (b *builder) headPos(c *call) model.Pos {
	if c.body == nil {
		return b.pos.node(c.node)
	}
	start, _ := textSpan(c.node)
	end := start
	for _, child := range c.node.Children() {
		if child.Kind() == cst.ClosureExpr && child.Span() == c.body.Span() {
			break
		}
		if _, e := textSpan(child); e > end {
			end = e
		}
	}
	return b.pos.span(start, end)
}

// addStep appends a step to the scope's job, creating the job on demand.
func (b *builder) addStep(step model.Step, c *call, sc scope) {
	job := sc.slot.job
	if job == nil {
		id := sc.slot.name
		if id.Value == "" {
			id = step.Call
			if step.Call.Value == "" {
				id = b.pos.str(c.name, c.nameNode)
			}
		}
		at := sc.slot.at
		if at == nil {
			at = c.node
		}
		job = b.newJob(id, at, sc)
		sc.slot.job = job
	}
	if step.When == "" {
		step.When = sc.stepWhen
	}
	step.Condition = sc.stepCondition
	step.Env = slices.Clone(sc.stepEnv)
	job.Steps = append(job.Steps, step)
}

// newJob starts a job for a stage, node or branch; it needs the jobs that
// ran before it in sequence.
func (b *builder) newJob(id model.String, n *cst.Node, sc scope) *model.Job {
	job := &model.Job{
		ID: id, Name: id, Pos: b.pos.node(n),
		Env: slices.Clone(sc.jobEnv), Condition: sc.when, Strategy: sc.strategy,
		Needs: slices.Clone(sc.seq.last),
	}
	if len(sc.stages) > 0 {
		names := make([]string, len(sc.stages))
		for i, s := range sc.stages {
			names[i] = s.Value
		}
		job.Stage = model.String{Value: strings.Join(names, " / "), Pos: sc.stages[len(sc.stages)-1].Pos}
	}
	if sc.manual {
		job.When = whenManual
	}
	if sc.input != nil {
		input := *sc.input
		input.With = slices.Clone(input.With)
		job.Steps = append(job.Steps, input)
	}
	if a := sc.agent; a != nil {
		job.Runner = a.runner
		job.Container = a.container
		job.Services = slices.Clone(a.services)
		job.Caches = slices.Clone(a.caches)
	}
	sc.seq.last = []model.String{id}
	b.jobs = append(b.jobs, job)
	return job
}

// nameArg returns a stage's name: `stage('x')`, `stage 'x'`, `stage(name: 'x')`.
func (b *builder) nameArg(c *call) model.String {
	n := c.positional(0)
	if n == nil {
		n = c.named("name")
	}
	if n == nil {
		return b.pos.str(c.name, c.nameNode)
	}
	value, _ := b.value(n)
	return value
}

// annotations records @Library('name@version') on a declaration.
func (b *builder) annotations(n *cst.Node) {
	for _, ann := range n.ChildrenByKind(cst.AnnotationNode) {
		name := ""
		for _, child := range ann.Children() {
			if child.IsToken() && isName(child.Token().Kind) {
				name = child.Token().Text
				break
			}
		}
		if name != "Library" {
			continue
		}
		for _, child := range ann.Children() {
			if child.Kind() == cst.AssignExpr { // @Library(value = 'x', changelog = false)
				if identText(firstNode(child)) != "value" {
					continue
				}
				child = afterAssign(child)
			}
			if child == nil || child.IsToken() || child.Kind() == cst.AssignExpr {
				continue
			}
			for _, item := range listItems(child) {
				b.library(item)
			}
		}
	}
}
