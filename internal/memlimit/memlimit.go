// Package memlimit stops work that takes too much memory: a context that
// is cancelled once the heap has grown past a bound. Go cannot tell which
// goroutine allocated what, so the bound is on the growth of the process's
// live heap while the work runs: a caller that runs several pieces of work
// at once cannot know, from the cancellation alone, which of them grew it
// (the runner checks such a file again on its own).
package memlimit

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"time"
)

// ErrExceeded is the cause of a context Watch cancelled.
var ErrExceeded = errors.New("memory limit exceeded")

// interval is how often the heap is looked at. Cancelling stops an OPA
// evaluation between steps and inside the builtins that build large
// values, so a runaway rule gets little further than the bound.
const interval = time.Millisecond

// Watch returns a context that is cancelled, with cause ErrExceeded, once
// the live heap has grown by more than limit bytes since the call; stop
// ends the watch and releases the context. A watch that cancels its work
// collects, once the work has returned, what it left, so that the next
// watch does not start from the live heap of a runaway.
func Watch(ctx context.Context, limit uint64) (_ context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := newWatch(limit, cancel)
	done := make(chan struct{})
	go func() {
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				if w.look() {
					return
				}
			}
		}
	}()
	return ctx, func() {
		close(done)
		if errors.Is(context.Cause(ctx), ErrExceeded) {
			// Twice: pools (OPA's evaluators) keep what they hold
			// through one collection.
			runtime.GC()
			runtime.GC()
		}
		cancel(nil)
	}
}

// watch is the state of one Watch. The live heap is known after each
// collection: the runtime collects as the heap grows (at twice the live
// heap by default; the command line at one and a half times or 128 MiB
// more, or near its floor), so a runaway is seen at the end of the
// collection it causes.
// Growth is measured from the live heap of the last collection before the
// watch, so what the caller allocated since counts as the work's.
type watch struct {
	start, limit uint64
	cancel       context.CancelCauseFunc
}

func newWatch(limit uint64, cancel context.CancelCauseFunc) *watch {
	return &watch{start: read(liveBytes), limit: limit, cancel: cancel}
}

// look reads the heap once, and reports whether it cancelled the work.
// When the collector is off (GOGC=off), nothing else learns what is live:
// look collects whenever the heap, garbage included, is past twice the
// bound, as often as GOGC=100 would for work at its bound.
func (w *watch) look() bool {
	if !w.over() {
		if read(heapBytes) <= w.start+2*w.limit {
			return false
		}
		runtime.GC()
		if !w.over() {
			return false
		}
	}
	w.cancel(ErrExceeded)
	return true
}

// over reports whether the live heap of the last collection is past the
// bound. A live heap under the start shows that some of what was live
// then has been freed: growth is measured from it instead, for what is
// left of the caller's heap can only be less.
func (w *watch) over() bool {
	live := read(liveBytes)
	w.start = min(w.start, live)
	return live-w.start > w.limit
}

const (
	// heapBytes is the size of the heap's objects, live and not yet swept.
	heapBytes = "/memory/classes/heap/objects:bytes"
	// liveBytes is the live heap the last collection found.
	liveBytes = "/gc/heap/live:bytes"
)

func read(metric string) uint64 {
	sample := []metrics.Sample{{Name: metric}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
