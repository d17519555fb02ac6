package shell

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// TestSplitNestedPositions: the commands of a script run by sh -c are
// placed where each of their characters is written, through the calling
// shell's quotes and escapes.
func TestSplitNestedPositions(t *testing.T) {
	tests := []struct {
		name, script string
		want         []model.Command
	}{{
		name:   "double quotes",
		script: `bash -c "npm ci && npm test"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 29), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w("npm ci && npm test", 1, 9, 29)),
			cmd(span(1, 10, 1, 16), w("npm", 1, 10, 13), w("ci", 1, 14, 16)),
			cmd(span(1, 20, 1, 28), w("npm", 1, 20, 23), w("test", 1, 24, 28)),
		},
	}, {
		name:   "single quotes through sudo",
		script: "sudo -E sh -c 'apt-get update && apt-get install -y jq'",
		want: []model.Command{
			cmd(span(1, 1, 1, 56), w("sh", 1, 9, 11), w("-c", 1, 12, 14), w("apt-get update && apt-get install -y jq", 1, 15, 56)),
			cmd(span(1, 16, 1, 30), w("apt-get", 1, 16, 23), w("update", 1, 24, 30)),
			cmd(span(1, 34, 1, 55), w("apt-get", 1, 34, 41), w("install", 1, 42, 49), w("-y", 1, 50, 52), w("jq", 1, 53, 55)),
		},
	}, {
		name:   "a pipeline in the script",
		script: "sudo sh -c 'curl -s x | bash'",
		want: []model.Command{
			cmd(span(1, 1, 1, 30), w("sh", 1, 6, 8), w("-c", 1, 9, 11), w("curl -s x | bash", 1, 12, 30)),
			cmd(span(1, 13, 1, 22), w("curl", 1, 13, 17), w("-s", 1, 18, 20), w("x", 1, 21, 22)),
			fromPipe(cmd(span(1, 25, 1, 29), w("bash", 1, 25, 29))),
		},
	}, {
		name:   "multi-line single-quoted script",
		script: "set -e\nsh -c '\n  cd app\n  pip install -r req.txt\n'",
		want: []model.Command{
			cmd(span(1, 1, 1, 7), w("set", 1, 1, 4), w("-e", 1, 5, 7)),
			cmd(span(2, 1, 5, 2), w("sh", 2, 1, 3), w("-c", 2, 4, 6),
				model.String{Value: "\n  cd app\n  pip install -r req.txt\n", Pos: span(2, 7, 5, 2)}),
			cmd(span(3, 3, 3, 9), w("cd", 3, 3, 5), w("app", 3, 6, 9)),
			cmd(span(4, 3, 4, 25), w("pip", 4, 3, 6), w("install", 4, 7, 14), w("-r", 4, 15, 17), w("req.txt", 4, 18, 25)),
		},
	}, {
		// The calling shell removes the escaped newline: the nested script
		// sees one line, whose last word is still placed on its own line.
		name:   "multi-line double-quoted script with a line continuation",
		script: "bash -lc \"\n  apt-get update\n  apt-get install -y \\\n    jq\n\"",
		want: []model.Command{
			cmd(span(1, 1, 5, 2), w("bash", 1, 1, 5), w("-lc", 1, 6, 9),
				model.String{Value: "\n  apt-get update\n  apt-get install -y     jq\n", Pos: span(1, 10, 5, 2)}),
			cmd(span(2, 3, 2, 17), w("apt-get", 2, 3, 10), w("update", 2, 11, 17)),
			cmd(span(3, 3, 4, 7), w("apt-get", 3, 3, 10), w("install", 3, 11, 18), w("-y", 3, 19, 21), w("jq", 4, 5, 7)),
		},
	}, {
		// An escaped character is placed from its backslash.
		name:   "escapes inside double quotes",
		script: `bash -c "echo \"a b\" && mysql -p\$PASS db"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 44), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w(`echo "a b" && mysql -p$PASS db`, 1, 9, 44)),
			cmd(span(1, 10, 1, 22), w("echo", 1, 10, 14), w("a b", 1, 15, 22)),
			cmd(span(1, 26, 1, 43), w("mysql", 1, 26, 31), w("-p$PASS", 1, 32, 40), w("db", 1, 41, 43)),
		},
	}, {
		// $DIR and $(nproc) are expanded by the calling shell, which runs
		// nproc: the nested script has them as opaque words, not commands.
		name:   "the calling shell's expansions",
		script: `bash -c "cd $DIR && make -j$(nproc)"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 37), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w(`"cd $DIR && make -j$(nproc)"`, 1, 9, 37)),
			cmd(span(1, 10, 1, 17), w("cd", 1, 10, 12), w("$DIR", 1, 13, 17)),
			cmd(span(1, 21, 1, 36), w("make", 1, 21, 25), w("-j$(nproc)", 1, 26, 36)),
			inner(cmd(span(1, 30, 1, 35), w("nproc", 1, 30, 35))),
		},
	}, {
		name:   "quotes joined in one word",
		script: `bash -c 'echo '"$HOME"' && make'`,
		want: []model.Command{
			cmd(span(1, 1, 1, 33), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w(`'echo '"$HOME"' && make'`, 1, 9, 33)),
			cmd(span(1, 10, 1, 22), w("echo", 1, 10, 14), w("$HOME", 1, 17, 22)),
			cmd(span(1, 28, 1, 32), w("make", 1, 28, 32)),
		},
	}, {
		name:   "unquoted",
		script: "sh -c ./build.sh",
		want: []model.Command{
			cmd(span(1, 1, 1, 17), w("sh", 1, 1, 3), w("-c", 1, 4, 6), w("./build.sh", 1, 7, 17)),
			cmd(span(1, 7, 1, 17), w("build.sh", 1, 7, 17)),
		},
	}, {
		name:   "sh -c inside sh -c",
		script: `sh -c "sh -c 'make test'"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 26), w("sh", 1, 1, 3), w("-c", 1, 4, 6), w("sh -c 'make test'", 1, 7, 26)),
			cmd(span(1, 8, 1, 25), w("sh", 1, 8, 10), w("-c", 1, 11, 13), w("make test", 1, 14, 25)),
			cmd(span(1, 15, 1, 24), w("make", 1, 15, 19), w("test", 1, 20, 24)),
		},
	}, {
		name:   "columns count code points",
		script: `bash -c "echo é && ls"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 23), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w("echo é && ls", 1, 9, 23)),
			cmd(span(1, 10, 1, 16), w("echo", 1, 10, 14), w("é", 1, 15, 16)),
			cmd(span(1, 20, 1, 22), w("ls", 1, 20, 22)),
		},
	}, {
		name:   "a CI expression in the script",
		script: "bash -c 'docker login -p ${{ secrets.X }} r'",
		want: []model.Command{
			cmd(span(1, 1, 1, 45), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w("'docker login -p ${{ secrets.X }} r'", 1, 9, 45)),
			cmd(span(1, 10, 1, 44), w("docker", 1, 10, 16), w("login", 1, 17, 22), w("-p", 1, 23, 25), w("${{ secrets.X }}", 1, 26, 42), w("r", 1, 43, 44)),
		},
	}, {
		// Where each byte of an ANSI-C string was written is not known: the
		// words are placed at the whole string rather than at a guess.
		name:   "ANSI-C string",
		script: `bash -c $'make\tall'`,
		want: []model.Command{
			cmd(span(1, 1, 1, 21), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w("make\tall", 1, 9, 21)),
			cmd(span(1, 9, 1, 21), w("make", 1, 9, 21), w("all", 1, 9, 21)),
		},
	}, {
		// The bash time keyword comes before the words of the call.
		name:   "timed",
		script: "time bash -c 'make'",
		want: []model.Command{
			cmd(span(1, 1, 1, 20), w("bash", 1, 6, 10), w("-c", 1, 11, 13), w("make", 1, 14, 20)),
			cmd(span(1, 15, 1, 19), w("make", 1, 15, 19)),
		},
	}}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := Split(test.script, "bash", locate)
			if !reflect.DeepEqual(got, test.want) {
				t.Errorf("Split(%q):\n got %+v\nwant %+v", test.script, got, test.want)
			}
		})
	}
}

// TestSplitNestedInLines: scripts split by lines (PowerShell, cmd, a bash
// script that does not parse) run sh -c too, as Windows steps that call
// Cygwin or MSYS shells do; a literal script string is read.
func TestSplitNestedInLines(t *testing.T) {
	tests := []struct {
		name, shell, script string
		want                []model.Command
	}{{
		name:   "PowerShell double quotes",
		shell:  "pwsh",
		script: `dash -c "which git; /usr/bin/python3.9 -m pip install build"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 61), w("dash", 1, 1, 5), w("-c", 1, 6, 8), w("which git; /usr/bin/python3.9 -m pip install build", 1, 9, 61)),
			cmd(span(1, 10, 1, 19), w("which", 1, 10, 15), w("git", 1, 16, 19)),
			cmd(span(1, 21, 1, 60), w("pip", 1, 43, 46), w("install", 1, 47, 54), w("build", 1, 55, 60)),
		},
	}, {
		name:   "PowerShell escapes",
		shell:  "pwsh",
		script: "bash -c \"echo `\"a b`\" && make\"",
		want: []model.Command{
			cmd(span(1, 1, 1, 31), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w(`echo "a b" && make`, 1, 9, 31)),
			cmd(span(1, 10, 1, 22), w("echo", 1, 10, 14), w("a b", 1, 15, 22)),
			cmd(span(1, 26, 1, 30), w("make", 1, 26, 30)),
		},
	}, {
		name:   "PowerShell single quotes keep $",
		shell:  "pwsh",
		script: "sh -c 'cd $HOME && make'\nbash -c \"echo $env:HOME\"",
		want: []model.Command{
			cmd(span(1, 1, 1, 25), w("sh", 1, 1, 3), w("-c", 1, 4, 6), w("cd $HOME && make", 1, 7, 25)),
			cmd(span(1, 8, 1, 16), w("cd", 1, 8, 10), w("$HOME", 1, 11, 16)),
			cmd(span(1, 20, 1, 24), w("make", 1, 20, 24)),
			// PowerShell expands $env:HOME: the script is not known.
			cmd(span(2, 1, 2, 25), w("bash", 2, 1, 5), w("-c", 2, 6, 8), w(`"echo $env:HOME"`, 2, 9, 25)),
		},
	}, {
		name:   "PowerShell multi-line string",
		shell:  "pwsh",
		script: "dash -c \"\n  make\n\"",
		want: []model.Command{
			cmd(span(1, 1, 3, 2), w("dash", 1, 1, 5), w("-c", 1, 6, 8), model.String{Value: "\n  make\n", Pos: span(1, 9, 3, 2)}),
			cmd(span(2, 3, 2, 7), w("make", 2, 3, 7)),
		},
	}, {
		name:   "cmd",
		shell:  "cmd",
		script: `bash -c "make test"`,
		want: []model.Command{
			cmd(span(1, 1, 1, 20), w("bash", 1, 1, 5), w("-c", 1, 6, 8), w("make test", 1, 9, 20)),
			cmd(span(1, 10, 1, 19), w("make", 1, 10, 14), w("test", 1, 15, 19)),
		},
	}, {
		name:   "bash that does not parse",
		script: "if then fi\nbash -c 'npm ci'",
		want: []model.Command{
			cmd(span(1, 1, 1, 11), w("if", 1, 1, 3), w("then", 1, 4, 8), w("fi", 1, 9, 11)),
			cmd(span(2, 1, 2, 17), w("bash", 2, 1, 5), w("-c", 2, 6, 8), w("npm ci", 2, 9, 17)),
			cmd(span(2, 10, 2, 16), w("npm", 2, 10, 13), w("ci", 2, 14, 16)),
		},
	}}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := Split(test.script, test.shell, locate)
			if !reflect.DeepEqual(got, test.want) {
				t.Errorf("Split(%q, %q):\n got %+v\nwant %+v", test.script, test.shell, got, test.want)
			}
		})
	}
}

// TestSplitNestedWords: which commands run a script with -c, and which
// do not, by command names and arguments.
func TestSplitNestedWords(t *testing.T) {
	tests := []struct {
		script string
		want   []string // every command, its words joined by spaces
	}{
		// The shells, their flags and wrappers.
		{"bash -lc 'make'", []string{"bash -lc make", "make"}},
		{"bash -ec 'make'", []string{"bash -ec make", "make"}},
		{"bash -xec 'make'", []string{"bash -xec make", "make"}},
		{"bash --login -c 'make'", []string{"bash --login -c make", "make"}},
		{"bash --noprofile --norc -eo pipefail -c 'make'", []string{"bash --noprofile --norc -eo pipefail -c make", "make"}},
		{"bash -c -e 'make'", []string{"bash -c -e make", "make"}},
		{"bash -O extglob --rcfile x -c 'make'", []string{"bash -O extglob --rcfile x -c make", "make"}},
		{"bash -c -- 'make'", []string{"bash -c -- make", "make"}},
		{"bash -c 'make' name arg", []string{"bash -c make name arg", "make"}},
		{"dash -c 'make'", []string{"dash -c make", "make"}},
		{"zsh -c 'make'", []string{"zsh -c make", "make"}},
		{"ksh -c 'make'", []string{"ksh -c make", "make"}},
		{"/bin/sh -c 'make'", []string{"sh -c make", "make"}},
		{"/usr/bin/env bash -c 'make'", []string{"bash -c make", "make"}},
		{"env FOO=1 bash -c 'make'", []string{"bash -c make", "make"}},
		{"sudo -u deploy bash -lc 'cd /srv && make'", []string{"bash -lc cd /srv && make", "cd /srv", "make"}},
		{"exec sh -c 'make'", []string{"sh -c make", "make"}},
		{"nohup sh -c 'make' &", []string{"sh -c make", "make"}},
		{"timeout 60 bash -c 'until curl -sf x; do sleep 1; done'", []string{"bash -c until curl -sf x; do sleep 1; done", "curl -sf x", "sleep 1"}},
		{"find . -name '*.gz' | xargs -I{} sh -c 'gunzip {}'", []string{"find . -name *.gz", "sh -c gunzip {}", "gunzip {}"}},
		{"pipenv run sh -c 'pytest'", []string{"sh -c pytest", "pytest"}},
		{"bash -c 'python -m pip install x'", []string{"bash -c python -m pip install x", "pip install x"}},
		// A script given by a variable, or fetched: its expansion is no
		// command (the outer shell runs curl).
		{`bash -c "$SCRIPT"`, []string{`bash -c "$SCRIPT"`}},
		{`sh -c '"$@"' sh make`, []string{`sh -c "$@" sh make`}},
		{`bash -c "$(curl -fsSL https://x/install.sh)"`, []string{`bash -c "$(curl -fsSL https://x/install.sh)"`, "curl -fsSL https://x/install.sh"}},
		// Shells started somewhere else run their script there, and a
		// shell without -c runs no script given as an argument.
		{"docker run --rm img sh -c 'make'", []string{"docker run --rm img sh -c make"}},
		{"docker exec -it c bash -lc 'make'", []string{"docker exec -it c bash -lc make"}},
		{"kubectl exec pod -- sh -c 'make'", []string{"kubectl exec pod -- sh -c make"}},
		{"ssh host 'make deploy'", []string{"ssh host make deploy"}},
		{"ssh host sh -c 'make'", []string{"ssh host sh -c make"}},
		{"echo sh -c 'make'", []string{"echo sh -c make"}},
		{"bash script.sh -c 'make'", []string{"bash script.sh -c make"}},
		{"bash $OPTS -c 'make'", []string{"bash $OPTS -c make"}},
		{"bash -c", []string{"bash -c"}},
		{"bash +c 'make'", []string{"bash +c make"}},
		{"python -c 'import os'", []string{"python -c import os"}},
		{"busybox sh -c 'make'", []string{"busybox sh -c make"}},
		// A script that does not parse has no commands.
		{"sh -c 'if then'", []string{"sh -c if then"}},
	}
	for _, test := range tests {
		got := []string{}
		for _, command := range Split(test.script, "bash", locate) {
			words := []string{command.Name.Value}
			for _, arg := range command.Args {
				words = append(words, arg.Value)
			}
			got = append(got, strings.Join(words, " "))
		}
		if !reflect.DeepEqual(got, test.want) {
			t.Errorf("Split(%q) = %q, want %q", test.script, got, test.want)
		}
	}
}

// TestSplitNestingDepth: scripts are followed maxNesting deep, and no
// deeper.
func TestSplitNestingDepth(t *testing.T) {
	script := "make"
	var want []string
	for range maxNesting {
		script = "sh -c " + shellQuote(script)
		want = append(want, "sh")
	}
	if got := names(Split(script, "bash", locate)); !reflect.DeepEqual(got, append(want, "make")) {
		t.Errorf("%d deep: names = %q, want %q", maxNesting, got, append(want, "make"))
	}
	// One more: the innermost sh is a command, its script is not read.
	script = "sh -c " + shellQuote(script)
	want = append(want, "sh")
	if got := names(Split(script, "bash", locate)); !reflect.DeepEqual(got, want) {
		t.Errorf("%d deep: names = %q, want %q", maxNesting+1, got, want)
	}
}

func names(commands []model.Command) []string {
	var names []string
	for _, command := range commands {
		names = append(names, command.Name.Value)
	}
	return names
}

// shellQuote quotes s for sh in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
