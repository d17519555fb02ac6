package main

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMemoryPolicyChild is not a test: it is the child process of
// TestMemoryPolicyNoCollectionStorm. Under the CLI's memory policy it
// keeps liveMiB of live heap, then allocates churnMiB of garbage, and
// prints how many collections the garbage took.
func TestMemoryPolicyChild(t *testing.T) {
	if os.Getenv("PIPELINT_MEMORY_CHILD") == "" {
		t.Skip("only runs as the child process of TestMemoryPolicyNoCollectionStorm")
	}
	const liveMiB, churnMiB = 200, 2048
	setMemoryPolicy()
	live := make([][]byte, liveMiB)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	before := gcCycles()
	for range churnMiB * 16 {
		garbage = make([]byte, 64<<10)
	}
	os.Stdout.WriteString(strconv.FormatUint(gcCycles()-before, 10) + "\n")
	runtime.KeepAlive(live)
	os.Exit(0)
}

var garbage []byte

func gcCycles() uint64 {
	sample := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// TestMemoryPolicyNoCollectionStorm: once the live heap passes the soft
// memory limit, the collector must not run nearly nonstop. With 200 MiB
// live, 2 GiB of garbage is about twenty collections when the heap may
// grow by half its live size between them (fewer than ten at Go's default
// pace); the former limit fixed below the live heap made it 75 to 96. It
// counts collections, not time.
func TestMemoryPolicyNoCollectionStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 2 GiB")
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestMemoryPolicyChild$")
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(v string) bool {
		return strings.HasPrefix(v, "GOGC=") || strings.HasPrefix(v, "GOMEMLIMIT=")
	}), "PIPELINT_MEMORY_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	cycles, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("child printed %q", out)
	}
	if cycles > 40 {
		t.Errorf("%d collections for 2 GiB of garbage over 200 MiB of live heap, want at most 40: the collector storms", cycles)
	}
	t.Logf("%d collections", cycles)
}

// TestMemoryLimitLeavesTheHeapRoom: the limit counts the runtime's memory
// besides the heap, so a live heap just under the floor's share still may
// grow by minHeapRoom, and a large one by half. A 10,000-file scan holds
// 55-65 MiB live and 35-40 MiB of metadata and fragmented spans: a limit
// of the floor alone left the heap 1-3 MiB to grow into, and the
// collector ran 1,000 times (half the CPU).
func TestMemoryLimitLeavesTheHeapRoom(t *testing.T) {
	const mib = 1 << 20
	for _, tt := range []struct{ live, overhead, want int64 }{
		{10 * mib, 10 * mib, memoryFloor},                   // a small scan: the floor
		{90 * mib, 38 * mib, 90*mib + 128*mib + 38*mib},     // over the floor's share: the least room
		{200 * mib, 40 * mib, 200*mib + 128*mib + 40*mib},   // a large file's check: the least room
		{400 * mib, 40 * mib, 400*mib + 400*mib/2 + 40*mib}, // a larger heap grows by half
	} {
		got := memoryLimit(tt.live, tt.overhead)
		if got != tt.want {
			t.Errorf("memoryLimit(%d MiB live, %d MiB besides) = %d MiB, want %d MiB", tt.live/mib, tt.overhead/mib, got/mib, tt.want/mib)
		}
		if room := got - tt.overhead - tt.live; room < max(tt.live/2, minHeapRoom) {
			t.Errorf("%d MiB live, %d MiB besides: the heap may grow by %d MiB, less than half or minHeapRoom", tt.live/mib, tt.overhead/mib, room/mib)
		}
	}
}
