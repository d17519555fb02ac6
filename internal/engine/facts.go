package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
	"weak"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/pipelint/pipelint/internal/model"
)

// factsQuery is what the rules know of a repository as a whole, judged
// from input.repository alone (rules/lib/pipeline.rego). Every file of a
// repository sees the same facts, so the engine judges them once per
// repository and hands them to each file's evaluation as
// input.repository.facts; judged in every file's evaluation, they made a
// repository of N files cost N² (docs/performance.md).
const factsQuery = "data.pipelint.lib.pipeline.repository_facts"

var (
	repositoryKey = ast.StringTerm("repository")
	factsKey      = ast.StringTerm("facts")
)

// repositoryFacts holds the facts of the repositories in use, by
// repository; an entry goes when its Repository is collected.
type repositoryFacts struct {
	query        rego.PreparedEvalQuery
	byRepository sync.Map // weak.Pointer[model.Repository] → *judgedFacts
}

// judgedFacts are the facts of one repository, once judged. The files of
// a repository wait for the first to judge them; a judgement its caller
// gave up on (its file's time or memory ran out) is not kept, and the next
// file judges again.
type judgedFacts struct {
	mu   sync.Mutex
	done bool
	term *ast.Term // nil when the policies judge no facts
	err  error
}

// of returns the facts of r, judging them on first use within the engine's
// time limit.
func (f *repositoryFacts) of(ctx context.Context, r *model.Repository, timeout time.Duration) (*ast.Term, error) {
	key := weak.Make(r)
	entry, loaded := f.byRepository.LoadOrStore(key, &judgedFacts{})
	if !loaded {
		runtime.AddCleanup(r, func(key weak.Pointer[model.Repository]) { f.byRepository.Delete(key) }, key)
	}
	judged := entry.(*judgedFacts)
	judged.mu.Lock()
	defer judged.mu.Unlock()
	if judged.done {
		return judged.term, judged.err
	}
	term, err := f.judge(ctx, r, timeout)
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	judged.term, judged.err, judged.done = term, err, true
	return term, err
}

func (f *repositoryFacts) judge(ctx context.Context, r *model.Repository, timeout time.Duration) (*ast.Term, error) {
	view, err := repositoryTerm(r)
	if err != nil {
		return nil, fmt.Errorf("build the repository view: %w", err)
	}
	evalCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	input := ast.NewObject([2]*ast.Term{repositoryKey, view})
	results, err := f.query.Eval(evalCtx, rego.EvalParsedInput(input))
	if errors.Is(evalCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		return nil, fmt.Errorf("judging the repository took longer than %s", timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("judge the repository: %w", err)
	}
	if len(results) == 0 || len(results[0].Expressions) == 0 {
		return nil, nil
	}
	term, ok := results[0].Expressions[0].Value.(*ast.Term)
	if !ok {
		return nil, fmt.Errorf("judge the repository: facts of type %T", results[0].Expressions[0].Value)
	}
	return term, nil
}

// withFacts returns input with facts added to its repository. The
// repository's own term is shared by every file of the repository and is
// left as it is.
func withFacts(input ast.Value, facts *ast.Term) ast.Value {
	obj, ok := input.(ast.Object)
	if !ok {
		return input
	}
	repoTerm := obj.Get(repositoryKey)
	if repoTerm == nil {
		return input
	}
	repo, ok := repoTerm.Value.(ast.Object)
	if !ok {
		return input
	}
	pairs := make([][2]*ast.Term, 0, repo.Len()+1)
	repo.Foreach(func(k, v *ast.Term) { pairs = append(pairs, [2]*ast.Term{k, v}) })
	pairs = append(pairs, [2]*ast.Term{factsKey, facts})
	obj.Insert(repositoryKey, ast.NewTerm(ast.NewObject(pairs...)))
	return obj
}
