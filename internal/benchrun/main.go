// Command benchrun times the pipelint binary end to end, as users run it:
// over the shared corpus, over the real workflows that ship with
// actionlint's module, over ten copies of them (growth must be linear), and
// on one small workflow (process start included). For each it prints the
// wall time, CPU time, CPU time per file, files per second and the peak
// RSS of the process;
// for the small workflow, whose target is CPU time, also the least CPU time
// of its runs, since other work on a shared machine only adds to it. It times
// actionlint (without shellcheck and pyflakes) on the same real workflows,
// and pipelint on one 4 MB file of every shape that once made a check
// slow (package hostile), each checked or refused by the limits of one
// file's check. Last, it times the steps of a check one by one on the real
// workflows.
//
// Run it from the repository root: go run ./internal/benchrun
package main

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/pipelint/pipelint/internal/benchrun/hostile"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
)

// The targets of issue 8, on 2 cores.
const (
	// CPU time (user and system) of checking one small workflow, process
	// start included.
	targetSingleFile  = 60 * time.Millisecond
	targetGrowth      = 11.0      // 10× the files in at most 11× the time
	targetPeakRSS     = 150 << 20 // bytes, for targetMemoryFiles files
	targetMemoryFiles = 10000

	memoryWorkload = "10,000 real workflows"
)

// The target of issue 13: CPU time (user and system) of checking one valid
// file under the file size limit, process start included.
const (
	targetLargeFile       = 2 * time.Second
	largeFileSize         = 4 << 20
	largeWorkloadPrefix   = "4 MB "
	invalidWorkloadPrefix = "4 MB, invalid: "
)

// smallWorkflow is the file of the single-file run: what a pre-commit hook
// checks.
const smallWorkflow = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
`

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "directory of real CI files, one directory per system (github/, gitlab/, ...)")
	repeat := flag.Int("repeat", 3, "runs of each large workload; the median is reported")
	singleRuns := flag.Int("single-runs", 20, "runs of the single-file workload; the median and the least CPU time are reported")
	flag.Parse()
	if err := bench(*corpus, *repeat, *singleRuns); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

// workload is one command to time, and how many files it checks.
type workload struct {
	name  string
	bin   string
	dir   string // working directory
	args  []string
	files int
}

// measurement is the median run of a workload.
type measurement struct {
	workload
	wall    time.Duration
	cpu     time.Duration // user and system time of the process
	minCPU  time.Duration // the least cpu over the runs
	runs    int           // how many runs there were
	peakRSS int64         // bytes; the largest over the runs
	exit    int
	errors  int // lines on standard error but warnings: one per file that failed
}

func bench(corpus string, repeat, singleRuns int) error {
	tmp, err := os.MkdirTemp("", "pipelint-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Printf("%d CPUs, load average before: %s\n", runtime.NumCPU(), loadAverage())
	pipelint := filepath.Join(tmp, "pipelint")
	if err := goBuild(pipelint, "./cmd/pipelint"); err != nil {
		return err
	}
	var results []measurement
	measure := func(w workload, runs int) error {
		m, err := measureRuns(w, runs)
		if err != nil {
			return fmt.Errorf("%s: %w", w.name, err)
		}
		results = append(results, m)
		return nil
	}

	single := filepath.Join(tmp, "single")
	if err := writeFile(filepath.Join(single, ".github/workflows/ci.yml"), []byte(smallWorkflow)); err != nil {
		return err
	}
	if err := measure(workload{name: "one small workflow", bin: pipelint, dir: single, args: checkArgs("."), files: 1}, singleRuns); err != nil {
		return err
	}

	corpusWorkloads, err := corpusWorkloads(pipelint, corpus)
	if err != nil {
		return err
	}
	for _, w := range corpusWorkloads {
		if err := measure(w, repeat); err != nil {
			return err
		}
	}

	realworld := "" // the real workflows, once, when they are at hand
	dataset, err := actionlintDataset()
	if err != nil {
		fmt.Println("skipped the real workflows:", err)
	} else {
		n, err := workflowCount(dataset)
		if err != nil {
			return err
		}
		// The real workflows once, ten times over for linearity, and
		// 10,000 of them for the memory target.
		realworld = filepath.Join(tmp, fmt.Sprintf("workflows%d", n))
		for _, run := range []struct {
			name  string
			files int
		}{{"actionlint real workflows", n}, {"actionlint real workflows ×10", 10 * n}, {memoryWorkload, targetMemoryFiles}} {
			dir := filepath.Join(tmp, fmt.Sprintf("workflows%d", run.files))
			if err := extractWorkflows(dataset, dir, run.files); err != nil {
				return err
			}
			if err := measure(workload{name: run.name, bin: pipelint, dir: dir, args: checkArgs("."), files: run.files}, repeat); err != nil {
				return err
			}
		}
		if w, err := actionlintWorkload(tmp, realworld); err != nil {
			fmt.Println("skipped actionlint:", err)
		} else if err := measure(w, repeat); err != nil {
			return err
		}
	}

	// Large files, as hostile repositories hold them: what a run on each
	// costs, checked or stopped by the limits of one file's check
	// (docs/performance.md, Large files).
	for i, shape := range hostile.Shapes() {
		dir := filepath.Join(tmp, fmt.Sprintf("large%d", i))
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(shape.Path)), shape.File(largeFileSize)); err != nil {
			return err
		}
		name := largeWorkloadPrefix + shape.Name
		if shape.Invalid {
			name = invalidWorkloadPrefix + shape.Name
		}
		if err := measure(workload{name: name, bin: pipelint, dir: dir, args: checkArgs("."), files: 1}, repeat); err != nil {
			return err
		}
	}

	fmt.Printf("load average after: %s\n\n", loadAverage())
	printTable(os.Stdout, results)
	fmt.Println()
	printTargets(os.Stdout, results)
	if realworld != "" {
		fmt.Println()
		return printStages(os.Stdout, realworld)
	}
	return nil
}

// checkArgs is the pipelint command line of every workload: the JSON
// report is produced but thrown away, and file errors go to standard error.
func checkArgs(paths ...string) []string {
	return append([]string{"check", "--format", "json", "--output", os.DevNull}, paths...)
}

// corpusWorkloads checks the corpus one system at a time, every system
// pipelint reads, so that each system's time per file is reported. The
// corpus keeps GitHub workflows and Jenkinsfiles in flat directories, not
// where discovery looks for them, so they are named one by one with
// --system; the other systems' repositories are laid out as in their
// repositories (their pipelines include and import other files) and are
// checked as directories.
func corpusWorkloads(pipelint, corpus string) ([]workload, error) {
	if _, err := os.Stat(corpus); err != nil {
		fmt.Println("skipped the corpus:", err)
		return nil, nil
	}
	corpus, err := filepath.Abs(corpus)
	if err != nil {
		return nil, err
	}
	var workloads []workload
	for _, p := range parser.Parsers {
		system := string(p.System)
		root := filepath.Join(corpus, system)
		files, err := regularFiles(root)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			continue
		}
		var args []string
		switch p.System {
		case model.GitHub, model.Jenkins:
			args = slices.Insert(checkArgs(files...), 1, "--system", system)
		default:
			repositories, err := filepath.Glob(filepath.Join(root, "*"))
			if err != nil {
				return nil, err
			}
			args = checkArgs(repositories...)
		}
		workloads = append(workloads, workload{name: "corpus " + system, bin: pipelint, dir: root, args: args, files: len(files)})
	}
	return workloads, nil
}

func regularFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return files, err
}

// actionlintDataset is the archive of real workflows in the module cache,
// at the version of actionlint in go.mod.
func actionlintDataset() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/rhysd/actionlint").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m github.com/rhysd/actionlint: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("github.com/rhysd/actionlint is not in the module cache")
	}
	dataset := filepath.Join(dir, "testdata", "realworld", "dataset.zip")
	if _, err := os.Stat(dataset); err != nil {
		return "", err
	}
	return dataset, nil
}

// extractWorkflows writes count files under dir, going through the
// workflows of the archive as many times as needed, each pass a repository
// (copyN/.github/workflows) so that discovery finds them.
func extractWorkflows(archive, dir string, count int) error {
	r, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer r.Close()
	var workflows []*zip.File
	for _, f := range r.File {
		if !f.FileInfo().IsDir() {
			workflows = append(workflows, f)
		}
	}
	if len(workflows) == 0 {
		return fmt.Errorf("%s holds no workflows", archive)
	}
	for i := range count {
		f := workflows[i%len(workflows)]
		src, err := readZipFile(f)
		if err != nil {
			return err
		}
		name := filepath.Join(dir, fmt.Sprintf("copy%d", i/len(workflows)), ".github", "workflows", path.Base(f.Name))
		if err := writeFile(name, src); err != nil {
			return err
		}
	}
	return nil
}

// workflowCount is the number of workflows in the archive.
func workflowCount(archive string) (int, error) {
	r, err := zip.OpenReader(archive)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return len(slices.DeleteFunc(slices.Clone(r.File), func(f *zip.File) bool { return f.FileInfo().IsDir() })), nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// actionlintWorkload runs actionlint on the same real workflows, without
// the external shellcheck and pyflakes, built from the module cache.
func actionlintWorkload(tmp, realworld string) (workload, error) {
	bin := filepath.Join(tmp, "actionlint")
	if err := goBuild(bin, "github.com/rhysd/actionlint/cmd/actionlint"); err != nil {
		return workload{}, err
	}
	files, err := regularFiles(realworld)
	if err != nil {
		return workload{}, err
	}
	args := append([]string{"-shellcheck=", "-pyflakes=", "-no-color"}, files...)
	return workload{name: "actionlint (no shellcheck)", bin: bin, dir: realworld, args: args, files: len(files)}, nil
}

func goBuild(out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

// measureRuns runs a workload several times and keeps the run of median
// wall time, with the least CPU time and the largest peak RSS seen.
func measureRuns(w workload, runs int) (measurement, error) {
	var all []measurement
	for range max(runs, 1) {
		m, err := measureOnce(w)
		if err != nil {
			return measurement{}, err
		}
		all = append(all, m)
	}
	slices.SortFunc(all, func(a, b measurement) int { return cmp.Compare(a.wall, b.wall) })
	median := all[len(all)/2]
	median.runs = len(all)
	median.minCPU = median.cpu
	for _, m := range all {
		median.peakRSS = max(median.peakRSS, m.peakRSS)
		median.minCPU = min(median.minCPU, m.cpu)
	}
	return median, nil
}

func measureOnce(w workload) (measurement, error) {
	cmd := exec.Command(w.bin, w.args...)
	cmd.Dir = w.dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return measurement{}, err
	}
	exit := cmd.ProcessState.ExitCode()
	// Exit 1 means findings and 2 files that could not be parsed; a Go panic
	// also exits with 2, so look for its trace.
	if exit > 2 || exit < 0 || bytes.Contains(stderr.Bytes(), []byte("\ngoroutine ")) {
		return measurement{}, fmt.Errorf("exit %d:\n%s", exit, stderr.Bytes())
	}
	rusage := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return measurement{
		workload: w,
		wall:     wall,
		cpu:      time.Duration(rusage.Utime.Nano() + rusage.Stime.Nano()),
		peakRSS:  rusage.Maxrss << 10, // kilobytes on Linux
		exit:     exit,
		errors:   bytes.Count(stderr.Bytes(), []byte("\n")) - bytes.Count(stderr.Bytes(), []byte(": warning: ")),
	}, nil
}

func printTable(w io.Writer, results []measurement) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workload\tfiles\twall\tCPU\tCPU/file\tfiles/s\tpeak RSS\texit\terrors\t")
	for _, m := range results {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%.0f\t%d MB\t%d\t%d\t\n", m.name, m.files, m.wall.Round(time.Millisecond),
			m.cpu.Round(time.Millisecond), (m.cpu / time.Duration(max(m.files, 1))).Round(10*time.Microsecond),
			float64(m.files)/m.wall.Seconds(), m.peakRSS>>20, m.exit, m.errors)
	}
	tw.Flush()
}

// printTargets compares the measurements with the targets of issue 8.
func printTargets(w io.Writer, results []measurement) {
	find := func(name string) (measurement, bool) {
		i := slices.IndexFunc(results, func(m measurement) bool { return m.name == name })
		if i < 0 {
			return measurement{}, false
		}
		return results[i], true
	}
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	if m, ok := find("one small workflow"); ok {
		fmt.Fprintf(w, "one small workflow: %s of CPU, the least of %d runs (the median run: %s of CPU, %s wall) (target ≤ %s of CPU): %s\n",
			m.minCPU.Round(time.Millisecond), m.runs, m.cpu.Round(time.Millisecond), m.wall.Round(time.Millisecond), targetSingleFile, verdict(m.minCPU <= targetSingleFile))
	}
	one, ok1 := find("actionlint real workflows")
	ten, ok10 := find("actionlint real workflows ×10")
	if ok1 && ok10 {
		growth := ten.wall.Seconds() / one.wall.Seconds()
		fmt.Fprintf(w, "growth: %d× the files in %.1f× the time (target ≤ %.0f×): %s\n", ten.files/one.files, growth, targetGrowth, verdict(growth <= targetGrowth))
	}
	if m, ok := find(memoryWorkload); ok {
		fmt.Fprintf(w, "peak RSS for %d files: %d MB (target ≤ %d MB): %s\n", m.files, m.peakRSS>>20, targetPeakRSS>>20, verdict(m.peakRSS <= targetPeakRSS))
	}
	if other, ok := find("actionlint (no shellcheck)"); ok && ok1 {
		fmt.Fprintf(w, "real workflows: pipelint %s, actionlint %s (target: faster than actionlint): %s\n",
			one.wall.Round(time.Millisecond), other.wall.Round(time.Millisecond), verdict(one.wall < other.wall))
	}
	// A valid file counts as checked when no error was reported for it.
	var checked, refused, slow []string
	for _, m := range results {
		shape, ok := strings.CutPrefix(m.name, largeWorkloadPrefix)
		switch {
		case !ok:
		case m.errors > 0:
			refused = append(refused, shape)
		case m.cpu > targetLargeFile:
			slow = append(slow, fmt.Sprintf("%s (%s)", shape, m.cpu.Round(10*time.Millisecond)))
		default:
			checked = append(checked, shape)
		}
	}
	if total := len(checked) + len(refused) + len(slow); total > 0 {
		fmt.Fprintf(w, "valid large files: %d of %d checked within %s of CPU (target: all): %s\n", len(checked), total, targetLargeFile, verdict(len(checked) == total))
		if len(slow) > 0 {
			fmt.Fprintf(w, "  checked, but slower: %s\n", strings.Join(slow, ", "))
		}
		if len(refused) > 0 {
			fmt.Fprintf(w, "  not checked (over a limit of one file's check): %s\n", strings.Join(refused, ", "))
		}
	}
}

// loadAverage is the system load over the last 1, 5 and 15 minutes, which
// the figures depend on; "unknown" off Linux.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(data))
	return strings.Join(fields[:min(3, len(fields))], " ")
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
