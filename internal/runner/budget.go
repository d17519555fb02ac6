package runner

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"time"

	"github.com/pipelint/pipelint/internal/engine"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/memlimit"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/parser/syntax"
)

// DefaultFileTimeout bounds the whole check of one file: no real CI file
// needs more than milliseconds, so hitting it means a pathological input
// or policy.
const DefaultFileTimeout = 10 * time.Second

// DefaultMaxModelValues bounds the pipeline of one file, counted in values
// of the rule input: strings, numbers, lists and objects. The largest real
// pipelines seen have about 160,000 (a GitLab pipeline with its includes)
// and 94,000 (a GitHub workflow); the rule input takes about 130 bytes a
// value, so this keeps it near 130 MB (docs/performance.md).
const DefaultMaxModelValues = 1_000_000

// DefaultMaxViewValues bounds the repository view (model.Repository) the
// files of a repository share, in values of the rule input: about 22 MB
// once converted, live while the repository is checked. The largest view
// of the corpus, astral-sh/uv's 41 workflows, has 230,000 values. Past the
// bound the view is cut (repositoryCheck), so that a directory of
// thousands of workflows is still checked in flat memory; a larger view
// would also make the collector mark it at every cycle of such a run
// (1,503 workflows in one directory: +40 % CPU at 250,000 values, four
// times the CPU at 500,000).
const DefaultMaxViewValues = 250_000

// DefaultMemoryLimit bounds how much the heap may grow while the rules are
// evaluated on one file, the rule input included: stopped there, a rule
// that builds ever larger values fails the file instead of the machine.
// The largest pipelines the size bound admits grow the live heap by up to
// about 250 MiB (docs/performance.md).
const DefaultMemoryLimit = 1 << 30

// maxAbandonedParses is how many parses past their deadline may go on in
// the background beside the workers' own. A parse cannot be interrupted:
// it is abandoned, and keeps its memory until it ends, so without a bound
// a repository of slow files would pile them up.
const maxAbandonedParses = 1

// parsesRunning counts the goroutines of every check that parse (a file,
// or the fixes' text: inBackground), abandoned ones included, so that a
// test can wait for them before it changes what they read
// (parser.Parsers).
var parsesRunning sync.WaitGroup

// budget is what one file's check may take.
type budget struct {
	timeout       time.Duration
	maxValues     int
	maxViewValues int
	memory        uint64 // bytes
	// parses holds a token for every parse running (inBackground),
	// abandoned ones included: its capacity bounds them.
	parses chan struct{}
}

func newBudget(opts Options) *budget {
	b := &budget{timeout: opts.FileTimeout, maxValues: opts.MaxModelValues, maxViewValues: opts.MaxViewValues, memory: opts.MemoryLimit}
	if b.timeout <= 0 {
		b.timeout = DefaultFileTimeout
	}
	if b.maxValues <= 0 {
		b.maxValues = DefaultMaxModelValues
	}
	if b.maxViewValues <= 0 {
		b.maxViewValues = DefaultMaxViewValues
	}
	if b.memory == 0 {
		b.memory = DefaultMemoryLimit
	}
	b.parses = make(chan struct{}, runtime.GOMAXPROCS(0)+maxAbandonedParses)
	return b
}

// acquire waits, for at most one timeout, for room to start a parse; the
// parse that follows gives it back when it ends, abandoned or not.
func (b *budget) acquire() error {
	select {
	case b.parses <- struct{}{}:
		return nil
	default:
	}
	wait := time.NewTimer(b.timeout)
	defer wait.Stop()
	select {
	case b.parses <- struct{}{}:
		return nil
	case <-wait.C:
		return fmt.Errorf("earlier files are still being parsed past their time limit of %s; the file was not checked", b.timeout)
	}
}

// parse parses f, after acquire, within the file's deadline; ok is false
// when the deadline came first (see inBackground).
func (b *budget) parse(ctx context.Context, f parser.File) (result syntax.Result, ok bool) {
	return inBackground(ctx, b, func() syntax.Result { return parser.ParseContext(ctx, f) })
}

// inBackground runs do, after acquire, within ctx's deadline; ok is false
// when the deadline came first. What cannot be interrupted (a parse) is
// then abandoned: it goes on in the background until it ends, and only
// then gives back its room.
func inBackground[T any](ctx context.Context, b *budget, do func() T) (result T, ok bool) {
	done := make(chan T, 1)
	parsesRunning.Add(1)
	go func() {
		defer parsesRunning.Done()
		defer func() { <-b.parses }()
		if ctx.Err() == nil {
			done <- do()
		}
	}()
	select {
	case result := <-done:
		if ctx.Err() == nil {
			return result, true
		}
	case <-ctx.Done():
	}
	return result, false
}

// parseIncluder is parse with a deadline of its own, for discovery
// (parser.Options.ParseIncluder), which parses a pipeline to tell whether
// it includes a file named on the command line.
func (b *budget) parseIncluder(ctx context.Context, f parser.File) (syntax.Result, error) {
	if err := b.acquire(); err != nil {
		return syntax.Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	result, ok := b.parse(ctx, f)
	if !ok {
		return syntax.Result{}, fmt.Errorf("parsing it took longer than %s", b.timeout)
	}
	return result, nil
}

func (b *budget) timedOut() error {
	return fmt.Errorf("checking the file took longer than %s; the file was not checked", b.timeout)
}

// errOverMemory is what evaluate returns when the memory bound stopped the
// evaluation.
var errOverMemory = errors.New("over the memory bound")

// evaluate runs the rules on p, stopping them once the heap has grown by
// more than the memory bound.
func (b *budget) evaluate(ctx context.Context, e *engine.Engine, p *model.Pipeline) ([]finding.Finding, error) {
	ctx, stop := memlimit.Watch(ctx, b.memory)
	defer stop()
	findings, err := e.Evaluate(ctx, p)
	if err != nil && errors.Is(context.Cause(ctx), memlimit.ErrExceeded) {
		return nil, errOverMemory
	}
	return findings, err
}

func (b *budget) overMemory() error {
	return fmt.Errorf("evaluating the rules took more than %d MiB of memory; the file was not checked", b.memory>>20)
}

// tooLarge returns an error when p is over the size limit.
func (b *budget) tooLarge(p *model.Pipeline) error {
	if modelValues(p, b.maxValues) > b.maxValues {
		return fmt.Errorf("the pipeline is too large to check: more than %d values (jobs, steps, commands, their words and positions); the file was not checked", b.maxValues)
	}
	return nil
}

// modelValues counts the values of a pipeline the way the rule input
// holds them, one per string, number, boolean, list and object, and stops
// counting past limit.
func modelValues(v any, limit int) int {
	c := counter{limit: limit}
	c.walk(reflect.ValueOf(v))
	return c.n
}

type counter struct{ n, limit int }

func (c *counter) walk(v reflect.Value) {
	if c.n > c.limit {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			c.n++
			return
		}
		c.walk(v.Elem())
	case reflect.Slice:
		c.n++
		switch v.Type().Elem().Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Struct:
		default: // the lines of a file, the words of a command
			c.n += v.Len()
			return
		}
		for i := range v.Len() {
			c.walk(v.Index(i))
		}
	case reflect.Struct:
		s := shapeOf(v.Type())
		c.n += 1 + s.scalars
		for _, i := range s.nested {
			c.walk(v.Field(i))
		}
	default:
		c.n++
	}
}

// shape is what counting needs of a struct type: how many exported
// fields are scalars, and which hold more values.
type shape struct {
	scalars int
	nested  []int
}

var shapes sync.Map // reflect.Type → *shape

func shapeOf(t reflect.Type) *shape {
	if s, ok := shapes.Load(t); ok {
		return s.(*shape)
	}
	s := &shape{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Struct:
			s.nested = append(s.nested, i)
		default:
			s.scalars++
		}
	}
	shapes.Store(t, s)
	return s
}
