package shell

import (
	"slices"
	"strings"
)

// wrapper is a command that runs another command given in its arguments.
type wrapper struct {
	name string   // the wrapper's command word, e.g. "uv"
	sub  []string // the subcommand that makes it a wrapper, e.g. "run"
	// valueOptions take the next word as their value.
	valueOptions []string
	// otherUse are options that make the call something else than running a
	// command, such as `command -v npm`, which only looks npm up.
	otherUse []string
	// commandOption is the option whose value is the command (python -m).
	commandOption string
	// assignments is true when NAME=value words may precede the command.
	assignments bool
	// positionals is the number of words between the options and the
	// command, such as timeout's duration.
	positionals int
	// runsPackage is true when the command word names a package to fetch and
	// run (npx @scope/tool@1), which is no path.
	runsPackage bool
}

var (
	npxOptions     = strings.Fields("-p --package")
	npmExecOptions = strings.Fields("-p --package -w --workspace --prefix")
	pnpmOptions    = strings.Fields("-C --dir -F --filter --filter-prod --reporter --package")
	uvOptions      = strings.Fields("--from --with --with-editable --with-requirements -p --python " +
		"--project --directory --package --extra --group --only-group --env-file " +
		"--index --default-index -i --index-url --extra-index-url -f --find-links")
)

// wrappers are tried in order; the first that matches is stripped.
var wrappers = []wrapper{
	// Privilege, environment and process-control wrappers.
	{name: "sudo", valueOptions: strings.Fields("-u --user -g --group -p --prompt -C --close-from -D --chdir -r --role -t --type -T --command-timeout -U --other-user"), assignments: true},
	{name: "doas", valueOptions: strings.Fields("-u -C")},
	{name: "env", valueOptions: strings.Fields("-u --unset -C --chdir"), otherUse: strings.Fields("-S --split-string"), assignments: true},
	{name: "time", valueOptions: strings.Fields("-f --format -o --output")},
	{name: "nohup"},
	{name: "exec", valueOptions: strings.Fields("-a")},
	{name: "command", otherUse: strings.Fields("-v -V")},
	{name: "nice", valueOptions: strings.Fields("-n --adjustment")},
	{name: "timeout", valueOptions: strings.Fields("-s --signal -k --kill-after"), positionals: 1},
	{name: "xargs", valueOptions: strings.Fields("-a --arg-file -d --delimiter -E -I -L -n --max-args -P --max-procs -s --max-chars")},
	{name: "&"},    // PowerShell's call operator: & "C:\tools\x.exe" args
	{name: "call"}, // cmd runs a batch file such as npm.cmd this way

	// Travis CI's shell function that reruns a failed command.
	{name: "travis_retry"},

	// Package managers that run a tool, fetched or installed.
	{name: "npx", valueOptions: npxOptions, otherUse: strings.Fields("-c --call"), runsPackage: true},
	{name: "npm", sub: []string{"exec"}, valueOptions: npmExecOptions, otherUse: strings.Fields("-c --call"), runsPackage: true},
	{name: "npm", sub: []string{"x"}, valueOptions: npmExecOptions, otherUse: strings.Fields("-c --call"), runsPackage: true},
	{name: "pnpm", sub: []string{"exec"}, valueOptions: pnpmOptions},
	{name: "pnpm", sub: []string{"dlx"}, valueOptions: pnpmOptions, runsPackage: true},
	{name: "yarn", sub: []string{"dlx"}, valueOptions: npxOptions, runsPackage: true},
	{name: "bunx", valueOptions: npxOptions, runsPackage: true},
	{name: "bun", sub: []string{"x"}, valueOptions: npxOptions, runsPackage: true},
	{name: "uvx", valueOptions: uvOptions, runsPackage: true},
	{name: "uv", sub: []string{"tool", "run"}, valueOptions: uvOptions, runsPackage: true},
	{name: "uv", sub: []string{"run"}, valueOptions: uvOptions},
	{name: "poetry", sub: []string{"run"}, valueOptions: strings.Fields("-C --directory -P --project")},
	{name: "pipenv", sub: []string{"run"}},
	{name: "bundle", sub: []string{"exec"}, valueOptions: strings.Fields("--gemfile")},
	{name: "dotnet", sub: []string{"tool", "run"}},
	{name: "conda", sub: []string{"run"}, valueOptions: strings.Fields("-n --name -p --prefix --cwd")},

	// python -m pytest runs pytest: rules know tools by name, not modules.
	{name: "python", commandOption: "-m", valueOptions: strings.Fields("-W -X")},
}

// unwrap strips the wrappers at the front of words and returns the index of
// the real command, and whether that word names a package rather than a
// path. It strips nothing that would leave no command, so `sudo -i` stays
// sudo.
func unwrap(words []word) (command int, runsPackage bool) {
	for {
		next, ok, fetches := unwrapOnce(words[command:])
		if !ok {
			return command, runsPackage
		}
		command += next
		runsPackage = fetches
	}
}

func unwrapOnce(words []word) (command int, ok, runsPackage bool) {
	if !words[0].literal {
		return 0, false, false
	}
	name := commandKey(words[0].value)
	if pythonName.MatchString(name) {
		name = "python"
	}
	for _, w := range wrappers {
		if w.name != name {
			continue
		}
		if command, ok := w.match(words); ok {
			return command, true, w.runsPackage
		}
	}
	return 0, false, false
}

// match returns the index of the command that w runs in words, whose first
// word is w's name.
func (w wrapper) match(words []word) (int, bool) {
	i := 1
	if len(w.sub) > 0 {
		// Global options may come before the subcommand: pnpm -r exec.
		i = w.skipOptions(words, i)
		for _, sub := range w.sub {
			if i >= len(words) || !words[i].literal || words[i].value != sub {
				return 0, false
			}
			i++
		}
	}
	for i < len(words) && words[i].isOption() {
		option := words[i].value
		i++
		switch {
		case option == "--":
			return w.command(words, i)
		case slices.Contains(w.otherUse, option):
			return 0, false
		case option == w.commandOption:
			return i, i < len(words)
		case slices.Contains(w.valueOptions, option):
			i++
		}
	}
	return w.command(words, i)
}

// command finishes a match once the options end at i.
func (w wrapper) command(words []word, i int) (int, bool) {
	if w.commandOption != "" {
		return 0, false // python script.py or python -c '...' runs no tool
	}
	for w.assignments && i < len(words) && isAssignment(words[i]) {
		i++
	}
	i += w.positionals
	return i, i < len(words)
}

func (w wrapper) skipOptions(words []word, i int) int {
	for i < len(words) && words[i].isOption() && words[i].value != "--" {
		if slices.Contains(w.valueOptions, words[i].value) {
			i++
		}
		i++
	}
	return i
}

// isAssignment reports whether a word is NAME=value, as env and sudo take.
func isAssignment(w word) bool {
	name, _, found := strings.Cut(w.value, "=")
	if !found || name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
