// Command pipelint checks CI/CD pipeline definitions (GitHub Actions,
// GitLab CI, Jenkins) against security and reliability policies written in
// Rego.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/report"
)

// Exit codes. They are decided here and nowhere else.
const (
	exitClean    = 0 // no findings at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // bad usage, or a file that could not be read or parsed
)

// memoryFloor is the memory the garbage collector leaves alone: a scan of
// thousands of files keeps only findings, so its live heap stays well
// below it, and collecting only near this size instead of every time the
// heap doubles takes a quarter off the time of a large scan. The floor
// counts the compiled rules (17 MB live with 26 rules) and the runtime's
// fragmented spans (30-40 MB): at 100 MiB the heap of a 1,503-file scan
// had a third of its live size to grow into, and collecting took a third
// of the CPU (docs/performance.md).
const memoryFloor = 160 << 20

func main() {
	setMemoryPolicy()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// setMemoryPolicy lets the heap grow to memoryFloor, or past the live heap
// by heapRoom when that is more: the proportional trigger is off, and a
// soft memory limit takes its place that follows the live heap after
// every collection (GOGC=50 above the floor, with at least minHeapRoom to
// grow into). A limit fixed at the floor made the collector run nearly
// nonstop once the live heap passed it (a large file, the report of a huge
// scan); GOGC=100 above the floor would cost 30-40 MB more at the end of a
// 10,000-file scan, when its findings are live (docs/performance.md).
// GOGC or GOMEMLIMIT, when set, win: the runtime's own policy then
// applies, untouched.
func setMemoryPolicy() {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if gogc || limit {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(memoryFloor)
	followLiveHeap()
}

// followLiveHeap sets the memory limit after each collection to the
// larger of memoryFloor and the live heap with room to grow (heapRoom)
// plus the runtime's memory besides the heap (its metadata, stacks, the
// unused parts of heap spans, 30-40 MB in a long scan). The limit counts that memory too: without it,
// a live heap just under the floor's share left the heap no room to grow,
// and the collector ran after every few megabytes (1,000 collections, half
// the CPU, in a 10,000-file scan). The runtime has no hook for the end of
// a collection; a finalizer on an unreachable object runs after the
// collection that found it, and re-arms itself.
func followLiveHeap() {
	sentinel := &gcSentinel{}
	runtime.SetFinalizer(sentinel, func(*gcSentinel) {
		debug.SetMemoryLimit(memoryLimit(heapUse()))
		followLiveHeap()
	})
}

// memoryLimit is the soft memory limit for a live heap and the runtime's
// memory besides heap objects and free pages.
func memoryLimit(live, overhead int64) int64 {
	return max(memoryFloor, live+heapRoom(live)+overhead)
}

// minHeapRoom is the least the heap may grow by between collections once
// past the floor. Half the live heap alone made a large file's check (a
// live heap of 100-200 MB, allocating gigabytes) collect every 50-100 MB,
// a quarter of its CPU; and a scan of thousands of files, whose live
// heap stays near the floor until the report, collect as often.
// 128 MiB took 7-20 % off such scans and 3-20 % off files at the size
// bound, for 40-100 MB more peak RSS (docs/performance.md, "The heap's
// least room").
const minHeapRoom = 128 << 20

// heapRoom is how much the heap may grow by before the next collection:
// half the live heap, as GOGC=50 would allow, and at least minHeapRoom.
func heapRoom(live int64) int64 { return max(live/2, minHeapRoom) }

// gcSentinel is big enough for its own allocation: the tiny allocator packs
// smaller pointer-free objects together, and their finalizers may never run.
type gcSentinel struct{ _ [32]byte }

// heapUse returns the heap the last collection found live and the memory
// the runtime holds besides heap objects and free pages.
func heapUse() (live, overhead int64) {
	samples := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(samples)
	var v [5]int64
	for i, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			v[i] = int64(s.Value.Uint64())
		}
	}
	return v[0], max(v[1]-v[2]-v[3]-v[4], 0)
}

// exitCodeError carries an exit code out of a command without printing.
type exitCodeError struct{ code int }

func (e *exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// run executes the command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "pipelint",
		Short:         "Check CI/CD pipelines (GitHub Actions, GitLab CI, Jenkins) for security and reliability problems",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCheckCommand(), newRulesCommand(), newConfigCommand(), newInitCommand(), newPolicyCommand(), newInspectCommand(), newFixCommand(), newVersionCommand())
	err := root.Execute()
	var exit *exitCodeError
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &exit):
		return exit.code
	default:
		fmt.Fprintf(stderr, "pipelint: %s\n", report.Escape(err.Error()))
		return exitError
	}
}

// version is set at link time by release builds and packagers:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/pipelint
//
// It wins over everything the build info says.
var version string

// pipelintVersion is the version pipelint reports (`pipelint version`,
// SARIF tool.driver.version, the JSON report's tool.version).
func pipelintVersion() string {
	info, _ := debug.ReadBuildInfo()
	return versionOf(version, info)
}

// unversioned is what a build reports that carries no version at all: no
// -ldflags value, no module version and no version control information
// (say, a build from a source archive with -buildvcs=false).
const unversioned = "(devel, unversioned)"

// versionOf picks the version of a build: the -ldflags value when set; else
// the main module's version when it is a real one (`go install
// module@version`, or `go build` in a repository since Go 1.24, which
// derives it from the commit); else a Go-style pseudo version made from the
// version control settings the build recorded,
// v0.0.0-<commit time, UTC>-<12 hex digits of the revision>, with +dirty
// when the tree had changes; else unversioned.
func versionOf(linked string, info *debug.BuildInfo) string {
	if linked != "" {
		return linked
	}
	if info == nil {
		return unversioned
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	revision := settings["vcs.revision"]
	if revision == "" {
		return unversioned
	}
	stamp := "unknown"
	if t, err := time.Parse(time.RFC3339Nano, settings["vcs.time"]); err == nil {
		stamp = t.UTC().Format("20060102150405")
	}
	v := "v0.0.0-" + stamp + "-" + revision[:min(len(revision), 12)]
	if settings["vcs.modified"] == "true" {
		v += "+dirty"
	}
	return v
}

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the pipelint version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "pipelint %s\n", pipelintVersion())
			return nil
		},
	}
}
