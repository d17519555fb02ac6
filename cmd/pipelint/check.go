package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pipelint/pipelint/internal/advisory"
	"github.com/pipelint/pipelint/internal/baseline"
	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/model"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/repofs"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/resolve"
	"github.com/pipelint/pipelint/internal/runner"
	"github.com/pipelint/pipelint/internal/secret"
)

type checkOptions struct {
	formats              []string
	output               string
	failOn               string
	minSeverity          string
	system               string
	skipUnknown          bool
	verbose              bool
	quiet                bool
	policy               policyFlags
	baseline             string
	writeBaseline        string
	reportUnusedIgnores  bool
	sarifIncludeSuppress bool
	sarifCategory        string
	fileTimeout          time.Duration
	advisories           string
	online               bool
	githubURL            string
}

// policyFlags choose the configuration and the policies; `rules` and
// `config print` take them too.
type policyFlags struct{ runner.PolicyOptions }

func (o *policyFlags) register(cmd *cobra.Command) {
	flags := cmd.Flags()
	flags.StringVar(&o.ConfigFile, "config", "", "configuration file for every file (default: for each file, the .pipelint.yaml found walking up from it to its repository root)")
	flags.BoolVar(&o.NoConfig, "no-config", false, "ignore any configuration file")
	flags.StringArrayVar(&o.PolicyDirs, "policy", nil, "directory of custom Rego policies (repeatable)")
	cmd.MarkFlagsMutuallyExclusive("config", "no-config")
}

func newCheckCommand() *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check CI files under the given paths (default: the current directory)",
		Long: `Check finds the CI files under each PATH (` + parser.FileNames() + `)
and reports what the rules find. A directory is searched; a file is checked
whatever its name, or through the pipeline that includes it. Paths in every
report are relative to the repository root of each file (the directory
holding .git, else the directory scanned).

--format may be given several times, each as FORMAT or FORMAT=FILE, so that
one run writes a SARIF file for code scanning and text for people:
  pipelint check --format sarif=pipelint.sarif --format text

Check makes no network request unless --online asks it to look up, on
GitHub (or --github-url), the refs that actions and reusable workflows name,
to verify pins; a ref it cannot look up is a warning, not an error.

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 a usage error,
a configuration that cannot be used, or a file that could not be read or
parsed. The other files are still checked, and the other repositories when a
repository's own .pipelint.yaml cannot be used (its files are not); a --config
file, a --policy directory or a --baseline file that cannot be used stops the
run.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return check(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args, opts)
		},
	}
	flags := cmd.Flags()
	flags.StringArrayVarP(&opts.formats, "format", "f", []string{"text"}, "output format, optionally with a file: "+strings.Join(report.Formats, ", ")+" (repeatable, FORMAT=FILE)")
	flags.StringVarP(&opts.output, "output", "o", "", "write the report to this file instead of standard output (with a single --format)")
	flags.StringVar(&opts.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: critical, high, medium, low, info, or never to exit 0 whatever is found")
	flags.StringVar(&opts.minSeverity, "min-severity", "info", "lowest severity to report")
	flags.StringVar(&opts.system, "system", "", "treat every file as this system: "+parser.SystemNames())
	flags.BoolVar(&opts.skipUnknown, "skip-unknown", false, "skip files named on the command line that are not CI files and that no pipeline includes (for hooks that pass every changed YAML file)")
	flags.BoolVarP(&opts.verbose, "verbose", "v", false, "also mention files that look like CI files but are not checked")
	flags.BoolVarP(&opts.quiet, "quiet", "q", false, "print no warnings or notes, only the report and errors")
	opts.policy.register(cmd)
	flags.StringVar(&opts.baseline, "baseline", "", "report only findings that are not in this baseline file")
	flags.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in this baseline file")
	flags.BoolVar(&opts.reportUnusedIgnores, "report-unused-ignores", false, "report inline ignores that suppress nothing")
	flags.BoolVar(&opts.sarifIncludeSuppress, "sarif-include-suppressed", false, "list suppressed findings in SARIF, with their suppression")
	flags.StringVar(&opts.sarifCategory, "sarif-category", "", "code scanning category for SARIF (automationDetails.id)")
	flags.StringVar(&opts.advisories, "advisories", "", "security advisories about actions for known-vulnerable-action, beyond the built-in ones: an OSV JSON file or a directory of them, such as GitHub's advisory database export (read locally, never fetched)")
	flags.BoolVar(&opts.online, "online", false, "look up on GitHub the refs that actions and reusable workflows name, to verify pins (impostor-commit, ref-version-mismatch, ref-confusion, and known-vulnerable-action by the tags of a pinned commit); uses GITHUB_TOKEN or GH_TOKEN when set, and a cache")
	flags.StringVar(&opts.githubURL, "github-url", resolve.DefaultGitHubURL, "with --online, the base URL of the GitHub server, such as a GitHub Enterprise Server")
	flags.DurationVar(&opts.fileTimeout, "file-timeout", runner.DefaultFileTimeout, "time limit for checking one file, parse and rules; a file that takes longer is reported as an error and the others are still checked")
	return cmd
}

// output is one report to write: a format and where to.
type output struct {
	reporter report.Reporter
	path     string // "" for standard output
}

func check(ctx context.Context, stdout, stderr io.Writer, paths []string, opts checkOptions) error {
	failOn, err := parseFailOn(opts.failOn)
	if err != nil {
		return err
	}
	minSeverity, err := finding.ParseSeverity(opts.minSeverity)
	if err != nil {
		return fmt.Errorf("--min-severity: %w", err)
	}
	system, err := systemFlag(opts.system)
	if err != nil {
		return err
	}
	if opts.fileTimeout <= 0 {
		return fmt.Errorf("--file-timeout must be positive, not %s", opts.fileTimeout)
	}
	outputs, err := parseOutputs(stdout, opts)
	if err != nil {
		return err
	}
	if opts.advisories != "" {
		if opts.policy.Advisories, err = advisory.Load(opts.advisories); err != nil {
			return fmt.Errorf("--advisories: %w", err)
		}
	}
	var resolver *resolve.Resolver
	switch {
	case opts.online:
		if resolver, err = resolve.New(resolve.WithGitHubURL(opts.githubURL)); err != nil {
			return fmt.Errorf("--online: %w", err)
		}
	case opts.githubURL != resolve.DefaultGitHubURL:
		return errors.New("--github-url is used only with --online")
	}
	result, err := runner.Check(ctx, paths, runner.Options{
		Policy:              opts.policy.PolicyOptions,
		Discovery:           parser.Options{System: system, SkipUnknown: opts.skipUnknown},
		Baseline:            opts.baseline,
		ReportUnusedIgnores: opts.reportUnusedIgnores,
		ToolVersion:         pipelintVersion(),
		FileTimeout:         opts.fileTimeout,
		Resolver:            resolver,
		FixEdits:            slices.ContainsFunc(outputs, func(o output) bool { return report.ShowsFixes(o.reporter) }),
	})
	var configErr *runner.ConfigError
	if errors.As(err, &configErr) {
		return reportConfigError(stderr, configErr.Err)
	}
	if err != nil {
		return err
	}
	run := result.Run
	if !opts.quiet {
		printNotes(stderr, paths, result, opts.verbose)
	}
	if opts.writeBaseline != "" {
		if err := writeBaseline(opts.writeBaseline, run.Findings); err != nil {
			return err
		}
	}
	run.Findings = slices.DeleteFunc(run.Findings, func(f finding.Finding) bool { return f.Severity.Rank() < minSeverity.Rank() })

	for _, out := range outputs {
		if sarif, ok := out.reporter.(*report.SARIF); ok {
			if notice := sarif.LeftOutNotice(run); notice != "" {
				run.Notices = append(run.Notices, notice)
			}
		}
	}
	for _, out := range outputs {
		if err := writeReport(stdout, out, run); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(outputs, func(o output) bool { return o.path == "" && isText(o.reporter) }) {
		for _, e := range run.Errors { // people must see errors even when the report is for machines
			fmt.Fprintf(stderr, "%s:%d:%d: %s\n", report.EscapeFileName(e.Pos.File), e.Pos.Line, e.Pos.Column, report.Escape(e.Message))
		}
	}
	switch {
	case len(run.Errors) > 0:
		return &exitCodeError{exitError}
	case opts.writeBaseline != "":
		return nil // the findings were just accepted
	case slices.ContainsFunc(run.Findings, func(f finding.Finding) bool { return f.Severity.Rank() >= failOn }):
		return &exitCodeError{exitFindings}
	}
	return nil
}

// printNotes prints what is worth a look besides the report: the CI
// systems' warnings, a scan that found nothing, and with verbose the files
// that look like CI files but were not checked. What the repository chose
// (file names, the values messages quote) is escaped for terminals and CI
// logs, as in the text report.
func printNotes(stderr io.Writer, paths []string, result *runner.Result, verbose bool) {
	for _, w := range result.Warnings { // accepted by the CI system, so not errors
		fmt.Fprintf(stderr, "%s:%d:%d: warning: %s\n", report.EscapeFileName(w.Pos.File), w.Pos.Line, w.Pos.Column, report.Escape(w.Message))
	}
	if verbose {
		for _, s := range result.Skipped {
			fmt.Fprintf(stderr, "%s: not checked: %s\n", report.EscapeFileName(s.Path), report.Escape(s.Reason))
		}
	}
	if result.Run.FilesChecked == 0 && len(result.Run.Errors) == 0 {
		fmt.Fprintf(stderr, "note: no CI files found in %s: pipelint looks for %s; name another file with --system to check it\n", report.Escape(strings.Join(paths, ", ")), parser.FileNames())
	}
}

// parseOutputs reads the --format and --output flags.
func parseOutputs(stdout io.Writer, opts checkOptions) ([]output, error) {
	var outputs []output
	toStdout := 0
	files := map[string]bool{}
	for _, spec := range opts.formats {
		format, path, _ := strings.Cut(spec, "=")
		if path == "" && len(opts.formats) == 1 {
			path = opts.output
		}
		if path == "" {
			toStdout++
		} else {
			key := filepath.Clean(path)
			if files[key] {
				return nil, fmt.Errorf("two --format values write to %s; give each its own file", path)
			}
			files[key] = true
		}
		reporter, err := report.New(format, report.Options{
			Color:             path == "" && useColor(stdout),
			SARIFCategory:     opts.sarifCategory,
			IncludeSuppressed: opts.sarifIncludeSuppress,
		})
		if err != nil {
			return nil, err
		}
		outputs = append(outputs, output{reporter: reporter, path: path})
	}
	if toStdout > 1 {
		return nil, errors.New("only one --format can write to standard output; give the others a file (FORMAT=FILE)")
	}
	if opts.output != "" && len(opts.formats) > 1 {
		return nil, errors.New("--output works with a single --format; write FORMAT=FILE instead")
	}
	return outputs, nil
}

func isText(r report.Reporter) bool {
	_, ok := r.(*report.Text)
	return ok
}

func writeReport(stdout io.Writer, out output, run *report.Run) error {
	if out.path == "" {
		return out.reporter.Report(stdout, run)
	}
	f, err := repofs.Create(out.path)
	if err != nil {
		return fmt.Errorf("report %s: %w", out.path, err)
	}
	if err := out.reporter.Report(f, run); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// reportConfigError prints a configuration or policy error, which names
// its file and line, and ends the run with exit code 2. It may quote the
// file, so secrets are masked as in errors of the files checked.
func reportConfigError(stderr io.Writer, err error) error {
	var lines []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			lines = append(lines, e.Error())
		}
	} else {
		lines = append(lines, err.Error())
	}
	for _, line := range lines {
		fmt.Fprintf(stderr, "%s\n", report.Escape(secret.Default().Mask(line)))
	}
	return &exitCodeError{exitError}
}

func writeBaseline(path string, findings []finding.Finding) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := repofs.Create(path)
	if err != nil {
		return fmt.Errorf("baseline %s: %w", path, err)
	}
	if err := baseline.Write(f, findings); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseFailOn turns --fail-on into the lowest failing severity rank;
// "never" is a rank no finding reaches.
func parseFailOn(value string) (int, error) {
	if value == "never" {
		return len(finding.Severities) + 1, nil
	}
	severity, err := finding.ParseSeverity(value)
	if err != nil {
		return 0, fmt.Errorf("--fail-on: %w (or never)", err)
	}
	return severity.Rank(), nil
}

// useColor is true when w is a terminal and colour is allowed.
func useColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && colorAllowed() && term.IsTerminal(int(f.Fd()))
}

// colorAllowed is false when NO_COLOR is set to a non-empty value
// (https://no-color.org).
func colorAllowed() bool { return os.Getenv("NO_COLOR") == "" }

// systemFlag is the system --system names ("" for none): check and fix
// take it alike.
func systemFlag(name string) (model.System, error) {
	system := model.System(name)
	if _, known := parser.Lookup(system); system != "" && !known {
		return "", fmt.Errorf("unknown --system %q (want %s)", name, parser.SystemNames())
	}
	return system, nil
}
