package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"github.com/pipelint/pipelint/internal/finding"
	"github.com/pipelint/pipelint/internal/fix"
	"github.com/pipelint/pipelint/internal/parser"
	"github.com/pipelint/pipelint/internal/report"
	"github.com/pipelint/pipelint/internal/resolve"
	"github.com/pipelint/pipelint/internal/runner"
	"github.com/pipelint/pipelint/internal/secret"
)

type fixOptions struct {
	dryRun      bool
	rules       []string
	unsafe      bool
	system      string
	skipUnknown bool
	quiet       bool
	offline     bool
	githubURL   string
	policy      policyFlags
}

func newFixCommand() *cobra.Command {
	var opts fixOptions
	cmd := &cobra.Command{
		Use:   "fix [PATH...]",
		Short: "Fix in place what the rules know how to fix in the CI files under the given paths",
		Long: `Fix checks the CI files under each PATH as check does (same discovery,
configuration and inline ignores) and applies the fixes the rules propose,
editing only the text each fix is about: comments, quoting, indentation and
line endings stay as they were. A fixed file is parsed again and must give
the same pipeline apart from the values fixed; otherwise it is left as it
is and the reason is printed.

Fixes that may change what a pipeline does (listed as unsafe in each rule's
page) are applied only with --unsafe.

Pinning an action or a reusable workflow to a commit, or an image to its
digest, looks the ref up: over the network (the git server at --github-url,
with GITHUB_TOKEN or GH_TOKEN when set; the image's registry, with your
docker credentials), through a cache on disk (PIPELINT_CACHE_DIR, else
pipelint/resolve in your cache directory). With --offline only the cache is
read, and what it lacks is left unpinned, with the reason. docs/fix.md says
more.

Exit codes: 0 nothing left to fix, 1 findings remain that could not be
fixed, 2 a usage error, a configuration that cannot be used, or a file that
could not be read, parsed, fixed or written.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return fixFiles(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args, opts)
		},
	}
	flags := cmd.Flags()
	flags.BoolVar(&opts.dryRun, "dry-run", false, "print the changes as a unified diff and change nothing")
	flags.StringArrayVar(&opts.rules, "rule", nil, "fix only the findings of this rule (repeatable)")
	flags.BoolVar(&opts.unsafe, "unsafe", false, "also apply the fixes that may change what the pipeline does")
	flags.StringVar(&opts.system, "system", "", "treat every file as this system: "+parser.SystemNames())
	flags.BoolVar(&opts.skipUnknown, "skip-unknown", false, "skip files named on the command line that are not CI files and that no pipeline includes (for hooks that pass every changed YAML file)")
	flags.BoolVarP(&opts.quiet, "quiet", "q", false, "print no warnings, notes or fixes left, only the diff and errors")
	flags.BoolVar(&opts.offline, "offline", false, "pin refs and images from the cache only, looking nothing up over the network")
	flags.StringVar(&opts.githubURL, "github-url", resolve.DefaultGitHubURL, "base URL of the GitHub server actions and reusable workflows are read from, such as a GitHub Enterprise Server's")
	opts.policy.register(cmd)
	return cmd
}

func fixFiles(ctx context.Context, stdout, stderr io.Writer, paths []string, opts fixOptions) error {
	system, err := systemFlag(opts.system)
	if err != nil {
		return err
	}
	// Building the resolver reads nothing and connects nowhere: only the
	// pins of the findings fixed look refs up.
	resolver, err := resolve.New(resolve.WithGitHubURL(opts.githubURL), resolve.WithOffline(opts.offline))
	if err != nil {
		return fmt.Errorf("resolving refs: %w", err)
	}
	result, err := runner.Check(ctx, paths, runner.Options{
		Policy:      opts.policy.PolicyOptions,
		Discovery:   parser.Options{System: system, SkipUnknown: opts.skipUnknown},
		ToolVersion: pipelintVersion(),
	})
	var configErr *runner.ConfigError
	if errors.As(err, &configErr) {
		return reportConfigError(stderr, configErr.Err)
	}
	if err != nil {
		return err
	}
	for _, id := range opts.rules {
		if !slices.ContainsFunc(result.Run.Rules, func(r finding.Rule) bool { return r.ID == id }) {
			return fmt.Errorf("--rule: no rule %q (pipelint rules lists them)", id)
		}
	}
	if !opts.quiet {
		printNotes(stderr, paths, result, false)
	}
	errorCount := len(result.Run.Errors)
	for _, e := range result.Run.Errors {
		fmt.Fprintf(stderr, "%s:%d:%d: %s\n", report.EscapeFileName(e.Pos.File), e.Pos.Line, e.Pos.Column, report.Escape(e.Message))
	}
	fixedFindings, fixedFiles, left := 0, 0, 0
	for _, checked := range result.Checked {
		findings := slices.DeleteFunc(slices.Clone(checked.Findings), func(f finding.Finding) bool {
			return len(opts.rules) > 0 && !slices.Contains(opts.rules, f.RuleID)
		})
		left += len(findings)
		if !slices.ContainsFunc(findings, func(f finding.Finding) bool { return f.Fix != nil }) {
			continue
		}
		src, out, err := runner.FixFile(ctx, checked.File, findings, fix.Options{Unsafe: opts.unsafe, Resolver: resolver})
		if err != nil {
			fmt.Fprintf(stderr, "%s\n", report.Escape(secret.Default().Mask(err.Error())))
			errorCount++
			continue
		}
		if !opts.quiet {
			for _, l := range out.Left {
				fmt.Fprintf(stderr, "%s:%d:%d: %s: not fixed: %s\n", report.EscapeFileName(l.Finding.Pos.File), l.Finding.Pos.Line, l.Finding.Pos.Column, l.Finding.RuleID, report.Escape(secret.Default().Mask(l.Reason)))
			}
		}
		if len(out.Fixed) == 0 {
			continue
		}
		if err := writeFix(stdout, checked.File, src, out, opts.dryRun); err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", report.EscapeFileName(checked.File.Display), report.Escape(err.Error()))
			errorCount++
			continue
		}
		fixedFindings += len(out.Fixed)
		fixedFiles++
		left -= len(out.Fixed)
	}
	if !opts.quiet {
		verb := "fixed"
		if opts.dryRun {
			verb = "would fix"
		}
		fmt.Fprintf(stderr, "%s %s in %s; %s left\n", verb, report.Plural(fixedFindings, "finding"), report.Plural(fixedFiles, "file"), report.Plural(left, "finding"))
	}
	switch {
	case errorCount > 0:
		return &exitCodeError{exitError}
	case left > 0:
		return &exitCodeError{exitFindings}
	}
	return nil
}

// writeFix writes a fixed file in place, or with dryRun prints its
// changes as a unified diff. The diff quotes the file, so the secrets it
// holds are masked, as in every report.
func writeFix(stdout io.Writer, f parser.File, src []byte, out *fix.Outcome, dryRun bool) error {
	path := f.Abs(f.Display)
	if dryRun {
		diff, err := udiff.ToUnified("a/"+f.Display, "b/"+f.Display, string(src), out.Edits, udiff.DefaultContextLines)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, secret.Default().Mask(diff))
		return err
	}
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return errors.New("not written: it is not a regular file")
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".pipelint-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out.Src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
