package memlimit

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"testing"
)

const limit = 32 << 20

// newTestWatch starts a watch on a collected heap, with the collector off
// unless the test collects.
func newTestWatch(t *testing.T) (*watch, context.Context) {
	t.Helper()
	runtime.GC()
	gcPercent := debug.SetGCPercent(-1)
	ctx, cancel := context.WithCancelCause(context.Background())
	t.Cleanup(func() {
		cancel(nil)
		debug.SetGCPercent(gcPercent)
	})
	return newWatch(limit, cancel), ctx
}

func forcedCollections() uint32 {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	return s.NumForcedGC
}

func garbage(bytes int) {
	for range bytes >> 20 {
		runtime.KeepAlive(make([]byte, 1<<20))
	}
}

// TestGrowthIsStopped: work that keeps what it allocates is cancelled at
// the first look after a collection finds its live heap past the bound,
// not before.
func TestGrowthIsStopped(t *testing.T) {
	w, ctx := newTestWatch(t)
	half := make([]byte, limit/2)
	runtime.GC()
	if w.look() || ctx.Err() != nil {
		t.Fatalf("cancelled at half the bound: %v", context.Cause(ctx))
	}
	more := make([]byte, limit*3/4)
	if w.look() {
		t.Fatalf("cancelled before a collection saw the growth")
	}
	runtime.GC()
	if !w.look() {
		t.Fatalf("not cancelled after holding %d MiB of a bound of %d MiB", (len(half)+len(more))>>20, limit>>20)
	}
	if cause := context.Cause(ctx); !errors.Is(cause, ErrExceeded) {
		t.Errorf("cause %v, want %v", cause, ErrExceeded)
	}
	runtime.KeepAlive(half)
	runtime.KeepAlive(more)
}

// TestGrowthWithTheCollectorOff: with no collection to learn the live heap
// from, the look forces one once the heap has grown by twice the bound.
func TestGrowthWithTheCollectorOff(t *testing.T) {
	w, ctx := newTestWatch(t)
	before := forcedCollections()
	kept := make([]byte, limit*5/2)
	if !w.look() || forcedCollections()-before != 1 {
		t.Fatalf("holding %d MiB of a bound of %d MiB: cancelled %v after %d collections", len(kept)>>20, limit>>20, context.Cause(ctx), forcedCollections()-before)
	}
	runtime.KeepAlive(kept)
}

// TestGarbageIsNotGrowth: work that allocates past the bound but keeps
// less goes on, with the collector off: the look collects, past twice the
// bound, before it cancels.
func TestGarbageIsNotGrowth(t *testing.T) {
	w, ctx := newTestWatch(t)
	before := forcedCollections()
	kept := make([]byte, limit*9/10)
	lookAfterGarbage := func(bytes int, wantCollections uint32) {
		t.Helper()
		garbage(bytes)
		if w.look() || ctx.Err() != nil {
			t.Fatalf("cancelled by garbage: %v", context.Cause(ctx))
		}
		if n := forcedCollections() - before; n != wantCollections {
			t.Errorf("%d collections forced, want %d", n, wantCollections)
		}
	}
	lookAfterGarbage(limit*4/5, 0)  // under twice the bound: nothing to learn
	lookAfterGarbage(limit*3/5, 1)  // past it: collected, and under the bound
	lookAfterGarbage(limit*9/10, 1) // under it again
	lookAfterGarbage(limit*2/5, 2)
	runtime.KeepAlive(kept)
}

// TestWatch: the watch cancels work that keeps growing, as the runtime
// collects, and once the work has returned, collects what it left, so
// that the next watch starts from the heap the work found.
func TestWatch(t *testing.T) {
	runtime.GC()
	before := read(liveBytes)
	ctx, stop := Watch(context.Background(), limit)
	var kept [][]byte
	for ctx.Err() == nil {
		if len(kept) > 64*limit>>20 {
			t.Fatalf("not cancelled after holding %d MiB of a bound of %d MiB", len(kept), limit>>20)
		}
		kept = append(kept, make([]byte, 1<<20))
		runtime.Gosched()
	}
	if cause := context.Cause(ctx); !errors.Is(cause, ErrExceeded) {
		t.Fatalf("cause %v, want %v", cause, ErrExceeded)
	}
	kept = nil
	stop()
	if after := read(liveBytes); after > before+limit/2 {
		t.Errorf("the live heap is %d MiB after the watch, %d MiB before it", after>>20, before>>20)
	}
	runtime.KeepAlive(kept)
}
