package shell

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// The scripts of these tests sit in a YAML block scalar whose first line is
// line 11 of ci.yml, indented by 6 columns. Expected positions are written
// in script coordinates and shifted by the same amounts, so a position that
// skips or doubles locate fails.
const lineOffset, columnOffset = 10, 6

func locate(line, column int) model.Pos {
	return model.Pos{File: "ci.yml", Line: line + lineOffset, Column: column + columnOffset}
}

// span is a position from line:column to endLine:endColumn (exclusive) of
// the script.
func span(line, column, endLine, endColumn int) model.Pos {
	return model.Pos{File: "ci.yml",
		Line: line + lineOffset, Column: column + columnOffset,
		EndLine: endLine + lineOffset, EndColumn: endColumn + columnOffset}
}

// w is a word on one line of the script, from column to endColumn.
func w(value string, line, column, endColumn int) model.String {
	return model.String{Value: value, Pos: span(line, column, line, endColumn)}
}

func cmd(pos model.Pos, name model.String, args ...model.String) model.Command {
	if args == nil {
		args = []model.String{}
	}
	return model.Command{Name: name, Args: args, Pos: pos}
}

// writing adds the files a command's output is redirected to.
func writing(c model.Command, files ...model.String) model.Command {
	c.Writes = files
	return c
}

// inner marks a command as run inside a substitution.
func inner(c model.Command) model.Command {
	c.Substituted = true
	return c
}

// fromPipe marks a command as reading the output of the pipeline element
// before it.
func fromPipe(c model.Command) model.Command {
	c.Piped = true
	return c
}

func TestSplitPositions(t *testing.T) {
	tests := []struct {
		name, shell, script string
		want                []model.Command
	}{{
		name:   "and list",
		script: "cd app && npm ci && npm test",
		want: []model.Command{
			cmd(span(1, 1, 1, 7), w("cd", 1, 1, 3), w("app", 1, 4, 7)),
			cmd(span(1, 11, 1, 17), w("npm", 1, 11, 14), w("ci", 1, 15, 17)),
			cmd(span(1, 21, 1, 29), w("npm", 1, 21, 24), w("test", 1, 25, 29)),
		},
	}, {
		name:   "sudo with a flag",
		script: "sudo -E apt-get install -y x",
		want: []model.Command{
			cmd(span(1, 1, 1, 29), w("apt-get", 1, 9, 16), w("install", 1, 17, 24), w("-y", 1, 25, 27), w("x", 1, 28, 29)),
		},
	}, {
		name:   "env with an assignment",
		script: "env FOO=1 go test ./...",
		want: []model.Command{
			cmd(span(1, 1, 1, 24), w("go", 1, 11, 13), w("test", 1, 14, 18), w("./...", 1, 19, 24)),
		},
	}, {
		name:   "leading assignment",
		script: "FOO=bar make check",
		want: []model.Command{
			cmd(span(1, 1, 1, 19), w("make", 1, 9, 13), w("check", 1, 14, 19)),
		},
	}, {
		name:   "python -m",
		script: "python -m pytest -q\npython3 -u -m pip install -r requirements.txt",
		want: []model.Command{
			cmd(span(1, 1, 1, 20), w("pytest", 1, 11, 17), w("-q", 1, 18, 20)),
			cmd(span(2, 1, 2, 46), w("pip", 2, 15, 18), w("install", 2, 19, 26), w("-r", 2, 27, 29), w("requirements.txt", 2, 30, 46)),
		},
	}, {
		name:   "python running a script or code stays python",
		script: "python script.py\npython -c 'import x'",
		want: []model.Command{
			cmd(span(1, 1, 1, 17), w("python", 1, 1, 7), w("script.py", 1, 8, 17)),
			cmd(span(2, 1, 2, 21), w("python", 2, 1, 7), w("-c", 2, 8, 10), w("import x", 2, 11, 21)),
		},
	}, {
		name:   "npx",
		script: "npx jest --ci\nnpx -y @biomejs/biome@1.9.4 check",
		want: []model.Command{
			cmd(span(1, 1, 1, 14), w("jest", 1, 5, 9), w("--ci", 1, 10, 14)),
			// A package is named with its scope and without its version.
			cmd(span(2, 1, 2, 34), w("@biomejs/biome", 2, 8, 28), w("check", 2, 29, 34)),
		},
	}, {
		name:   "pnpm exec",
		script: "pnpm exec vitest\npnpm --filter web exec vitest run",
		want: []model.Command{
			cmd(span(1, 1, 1, 17), w("vitest", 1, 11, 17)),
			cmd(span(2, 1, 2, 34), w("vitest", 2, 24, 30), w("run", 2, 31, 34)),
		},
	}, {
		name:   "uv run",
		script: "uv run pytest\nuv run --with pytest-cov python -m pytest",
		want: []model.Command{
			cmd(span(1, 1, 1, 14), w("pytest", 1, 8, 14)),
			cmd(span(2, 1, 2, 42), w("pytest", 2, 36, 42)),
		},
	}, {
		name:   "poetry run",
		script: "poetry run pytest",
		want: []model.Command{
			cmd(span(1, 1, 1, 18), w("pytest", 1, 12, 18)),
		},
	}, {
		name:   "bash time keyword",
		script: "time cargo test\ntime -p cargo test",
		want: []model.Command{
			cmd(span(1, 1, 1, 16), w("cargo", 1, 6, 11), w("test", 1, 12, 16)),
			cmd(span(2, 1, 2, 19), w("cargo", 2, 9, 14), w("test", 2, 15, 19)),
		},
	}, {
		name:   "sh time command",
		shell:  "sh",
		script: "time cargo test",
		want: []model.Command{
			cmd(span(1, 1, 1, 16), w("cargo", 1, 6, 11), w("test", 1, 12, 16)),
		},
	}, {
		name:   "sh script in bash syntax",
		shell:  "sh",
		script: "files=(a b); make",
		want: []model.Command{
			cmd(span(1, 14, 1, 18), w("make", 1, 14, 18)),
		},
	}, {
		name:   "command substitution",
		script: "echo $(git rev-parse HEAD)",
		want: []model.Command{
			cmd(span(1, 1, 1, 27), w("echo", 1, 1, 5), w("$(git rev-parse HEAD)", 1, 6, 27)),
			inner(cmd(span(1, 8, 1, 26), w("git", 1, 8, 11), w("rev-parse", 1, 12, 21), w("HEAD", 1, 22, 26))),
		},
	}, {
		name:   "substitutions in assignments, backticks, process substitution and nesting",
		script: "V=$(mvn -v)\necho `gradle -q x` && make\ndiff <(ls) b\nexport D=\"$(date $(id -u))\"; go build",
		want: []model.Command{
			inner(cmd(span(1, 5, 1, 11), w("mvn", 1, 5, 8), w("-v", 1, 9, 11))),
			cmd(span(2, 1, 2, 19), w("echo", 2, 1, 5), w("`gradle -q x`", 2, 6, 19)),
			inner(cmd(span(2, 7, 2, 18), w("gradle", 2, 7, 13), w("-q", 2, 14, 16), w("x", 2, 17, 18))),
			cmd(span(2, 23, 2, 27), w("make", 2, 23, 27)),
			cmd(span(3, 1, 3, 13), w("diff", 3, 1, 5), w("<(ls)", 3, 6, 11), w("b", 3, 12, 13)),
			inner(cmd(span(3, 8, 3, 10), w("ls", 3, 8, 10))),
			cmd(span(4, 1, 4, 28), w("export", 4, 1, 7), w(`D="$(date $(id -u))"`, 4, 8, 28)),
			inner(cmd(span(4, 13, 4, 26), w("date", 4, 13, 17), w("$(id -u)", 4, 18, 26))),
			inner(cmd(span(4, 20, 4, 25), w("id", 4, 20, 22), w("-u", 4, 23, 25))),
			cmd(span(4, 30, 4, 38), w("go", 4, 30, 32), w("build", 4, 33, 38)),
		},
	}, {
		name:   "if",
		script: "if [ -f x ]; then mvn -B verify; fi",
		want: []model.Command{
			cmd(span(1, 4, 1, 12), w("[", 1, 4, 5), w("-f", 1, 6, 8), w("x", 1, 9, 10), w("]", 1, 11, 12)),
			cmd(span(1, 19, 1, 32), w("mvn", 1, 19, 22), w("-B", 1, 23, 25), w("verify", 1, 26, 32)),
		},
	}, {
		name:   "pipeline",
		script: "curl -s x | sh",
		want: []model.Command{
			cmd(span(1, 1, 1, 10), w("curl", 1, 1, 5), w("-s", 1, 6, 8), w("x", 1, 9, 10)),
			fromPipe(cmd(span(1, 13, 1, 15), w("sh", 1, 13, 15))),
		},
	}, {
		name:   "pipelines: every simple element after the first reads the one before",
		script: "a \"$(x)\" | b |& sudo c && d\ne |\n  time f\ng | { h; } | while read l; do i; done",
		want: []model.Command{
			cmd(span(1, 1, 1, 9), w("a", 1, 1, 2), w(`"$(x)"`, 1, 3, 9)),
			inner(cmd(span(1, 6, 1, 7), w("x", 1, 6, 7))),
			fromPipe(cmd(span(1, 12, 1, 13), w("b", 1, 12, 13))),
			fromPipe(cmd(span(1, 17, 1, 23), w("c", 1, 22, 23))),
			cmd(span(1, 27, 1, 28), w("d", 1, 27, 28)),
			cmd(span(2, 1, 2, 2), w("e", 2, 1, 2)),
			fromPipe(cmd(span(3, 3, 3, 9), w("f", 3, 8, 9))),
			cmd(span(4, 1, 4, 2), w("g", 4, 1, 2)),
			cmd(span(4, 7, 4, 8), w("h", 4, 7, 8)),
			cmd(span(4, 20, 4, 26), w("read", 4, 20, 24), w("l", 4, 25, 26)),
			cmd(span(4, 31, 4, 32), w("i", 4, 31, 32)),
		},
	}, {
		name:   "pipelines split by lines",
		shell:  "pwsh",
		script: "iwr https://x/i.ps1 | iex\nGet-Item a ||\n  b |\n  Out-Host",
		want: []model.Command{
			cmd(span(1, 1, 1, 20), w("iwr", 1, 1, 4), w("https://x/i.ps1", 1, 5, 20)),
			fromPipe(cmd(span(1, 23, 1, 26), w("iex", 1, 23, 26))),
			cmd(span(2, 1, 2, 11), w("Get-Item", 2, 1, 9), w("a", 2, 10, 11)),
			cmd(span(3, 3, 3, 4), w("b", 3, 3, 4)),
			fromPipe(cmd(span(4, 3, 4, 11), w("Out-Host", 4, 3, 11))),
		},
	}, {
		name:   "heredocs",
		script: "cat <<EOF > out.txt\nhello $(whoami)\nEOF\nwc -l out.txt\ncat <<'EOF'\n$(not a command)\nEOF",
		want: []model.Command{
			writing(cmd(span(1, 1, 1, 4), w("cat", 1, 1, 4)), w("out.txt", 1, 13, 20)),
			inner(cmd(span(2, 9, 2, 15), w("whoami", 2, 9, 15))),
			cmd(span(4, 1, 4, 14), w("wc", 4, 1, 3), w("-l", 4, 4, 6), w("out.txt", 4, 7, 14)),
			cmd(span(5, 1, 5, 4), w("cat", 5, 1, 4)),
		},
	}, {
		name:   "output redirections, of the command and of the blocks around it",
		script: "echo \"a=1\" >> $GITHUB_ENV\n{ echo b; cat x 2>e; } >> \"$GITHUB_OUTPUT\"\nfor x in a; do echo $x > f; done &> log\necho c 2> err | tee -a $GITHUB_ENV",
		want: []model.Command{
			writing(cmd(span(1, 1, 1, 11), w("echo", 1, 1, 5), w("a=1", 1, 6, 11)), w("$GITHUB_ENV", 1, 15, 26)),
			writing(cmd(span(2, 3, 2, 9), w("echo", 2, 3, 7), w("b", 2, 8, 9)), w(`"$GITHUB_OUTPUT"`, 2, 27, 43)),
			writing(cmd(span(2, 11, 2, 16), w("cat", 2, 11, 14), w("x", 2, 15, 16)), w(`"$GITHUB_OUTPUT"`, 2, 27, 43)),
			writing(cmd(span(3, 16, 3, 23), w("echo", 3, 16, 20), w("$x", 3, 21, 23)), w("f", 3, 26, 27), w("log", 3, 37, 40)),
			cmd(span(4, 1, 4, 7), w("echo", 4, 1, 5), w("c", 4, 6, 7)),
			fromPipe(cmd(span(4, 17, 4, 35), w("tee", 4, 17, 20), w("-a", 4, 21, 23), w("$GITHUB_ENV", 4, 24, 35))),
		},
	}, {
		name:   "heredoc body after the rest of its line",
		script: "cat <<EOF; echo hi\n$(x)\nEOF",
		want: []model.Command{
			cmd(span(1, 1, 1, 4), w("cat", 1, 1, 4)),
			cmd(span(1, 12, 1, 19), w("echo", 1, 12, 16), w("hi", 1, 17, 19)),
			inner(cmd(span(2, 3, 2, 4), w("x", 2, 3, 4))),
		},
	}, {
		name:   "line continuation",
		script: "docker build \\\n  -t x .",
		want: []model.Command{
			cmd(span(1, 1, 2, 9), w("docker", 1, 1, 7), w("build", 1, 8, 13), w("-t", 2, 3, 5), w("x", 2, 6, 7), w(".", 2, 8, 9)),
		},
	}, {
		name:   "GitHub expression kept as written",
		script: "docker login -u me -p ${{ secrets.TOKEN }} ghcr.io\necho \"${{ github.event.issue.title }}\"",
		want: []model.Command{
			cmd(span(1, 1, 1, 51), w("docker", 1, 1, 7), w("login", 1, 8, 13), w("-u", 1, 14, 16), w("me", 1, 17, 19),
				w("-p", 1, 20, 22), w("${{ secrets.TOKEN }}", 1, 23, 43), w("ghcr.io", 1, 44, 51)),
			cmd(span(2, 1, 2, 39), w("echo", 2, 1, 5), w(`"${{ github.event.issue.title }}"`, 2, 6, 39)),
		},
	}, {
		name:   "GitLab input kept as written",
		script: "make $[[ inputs.target ]]",
		want: []model.Command{
			cmd(span(1, 1, 1, 26), w("make", 1, 1, 5), w("$[[ inputs.target ]]", 1, 6, 26)),
		},
	}, {
		name: "control structures, functions, groups and subshells",
		script: "for f in *.txt; do\n  gzip \"$f\"\ndone\n" +
			"while read -r l; do echo \"$l\"; done < list\n" +
			"case $1 in\n  a) make a ;;\nesac\n" +
			"deploy() { ( cd out && rsync -a . host: ) }\n" +
			"{ npm ci; npm test; } || exit 1\n" +
			"! grep -q x f",
		want: []model.Command{
			cmd(span(2, 3, 2, 12), w("gzip", 2, 3, 7), w(`"$f"`, 2, 8, 12)),
			cmd(span(4, 7, 4, 16), w("read", 4, 7, 11), w("-r", 4, 12, 14), w("l", 4, 15, 16)),
			cmd(span(4, 21, 4, 30), w("echo", 4, 21, 25), w(`"$l"`, 4, 26, 30)),
			cmd(span(6, 6, 6, 12), w("make", 6, 6, 10), w("a", 6, 11, 12)),
			cmd(span(8, 14, 8, 20), w("cd", 8, 14, 16), w("out", 8, 17, 20)),
			cmd(span(8, 24, 8, 40), w("rsync", 8, 24, 29), w("-a", 8, 30, 32), w(".", 8, 33, 34), w("host:", 8, 35, 40)),
			cmd(span(9, 3, 9, 9), w("npm", 9, 3, 6), w("ci", 9, 7, 9)),
			cmd(span(9, 11, 9, 19), w("npm", 9, 11, 14), w("test", 9, 15, 19)),
			cmd(span(9, 26, 9, 32), w("exit", 9, 26, 30), w("1", 9, 31, 32)),
			cmd(span(10, 3, 10, 14), w("grep", 10, 3, 7), w("-q", 10, 8, 10), w("x", 10, 11, 12), w("f", 10, 13, 14)),
		},
	}, {
		name:   "declarations",
		script: "export A=1 B\nf() { local d=$(date); }",
		want: []model.Command{
			cmd(span(1, 1, 1, 13), w("export", 1, 1, 7), w("A=1", 1, 8, 11), w("B", 1, 12, 13)),
			cmd(span(2, 7, 2, 22), w("local", 2, 7, 12), w("d=$(date)", 2, 13, 22)),
			inner(cmd(span(2, 17, 2, 21), w("date", 2, 17, 21))),
		},
	}, {
		name:   "columns count code points",
		script: "echo \"héllo wörld\" && ls -la",
		want: []model.Command{
			cmd(span(1, 1, 1, 19), w("echo", 1, 1, 5), w("héllo wörld", 1, 6, 19)),
			cmd(span(1, 23, 1, 29), w("ls", 1, 23, 25), w("-la", 1, 26, 29)),
		},
	}, {
		name:   "paths are reduced to the command name",
		script: "./gradlew build\n/usr/bin/npm ci",
		want: []model.Command{
			cmd(span(1, 1, 1, 16), w("gradlew", 1, 1, 10), w("build", 1, 11, 16)),
			cmd(span(2, 1, 2, 16), w("npm", 2, 1, 13), w("ci", 2, 14, 16)),
		},
	}, {
		name:   "custom GitHub shell is read by its first word",
		shell:  "bash --noprofile --norc -eo pipefail {0}",
		script: "make test",
		want: []model.Command{
			cmd(span(1, 1, 1, 10), w("make", 1, 1, 5), w("test", 1, 6, 10)),
		},
	}, {
		name:  "PowerShell",
		shell: "pwsh",
		script: "Write-Host \"Version $env:VERSION\"\n# a comment\n" +
			"dotnet test --no-build; npm ci\n" +
			"& \"C:\\Program Files\\tool.exe\" `\n  --flag 'a b'\n" +
			"<# a block\ncomment #> Write-Host \"é\"",
		want: []model.Command{
			cmd(span(1, 1, 1, 34), w("Write-Host", 1, 1, 11), w(`"Version $env:VERSION"`, 1, 12, 34)),
			cmd(span(3, 1, 3, 23), w("dotnet", 3, 1, 7), w("test", 3, 8, 12), w("--no-build", 3, 13, 23)),
			cmd(span(3, 25, 3, 31), w("npm", 3, 25, 28), w("ci", 3, 29, 31)),
			cmd(span(4, 1, 5, 15), w("tool.exe", 4, 3, 30), w("--flag", 5, 3, 9), w("a b", 5, 10, 15)),
			cmd(span(7, 12, 7, 26), w("Write-Host", 7, 12, 22), w("é", 7, 23, 26)),
		},
	}, {
		name:  "cmd",
		shell: "cmd",
		script: "@echo off\nREM comment & not a command\n:: another\n" +
			"call npm ci && npm test ^\n  --ci\nset X=%Y%",
		want: []model.Command{
			cmd(span(1, 1, 1, 10), w("echo", 1, 2, 6), w("off", 1, 7, 10)),
			cmd(span(4, 1, 4, 12), w("npm", 4, 6, 9), w("ci", 4, 10, 12)),
			cmd(span(4, 16, 5, 7), w("npm", 4, 16, 19), w("test", 4, 20, 24), w("--ci", 5, 3, 7)),
			cmd(span(6, 1, 6, 10), w("set", 6, 1, 4), w("X=%Y%", 6, 5, 10)),
		},
	}, {
		name:   "invalid bash falls back to line splitting",
		script: "echo 'unterminated\nls",
		want: []model.Command{
			cmd(span(1, 1, 2, 3), w("echo", 1, 1, 5), model.String{Value: "unterminated\nls", Pos: span(1, 6, 2, 3)}),
		},
	}, {
		name:   "line splitting keeps redirections to descriptors whole",
		script: "if then fi\nnpm test 2>&1 | tee log & wait # done",
		want: []model.Command{
			cmd(span(1, 1, 1, 11), w("if", 1, 1, 3), w("then", 1, 4, 8), w("fi", 1, 9, 11)),
			cmd(span(2, 1, 2, 14), w("npm", 2, 1, 4), w("test", 2, 5, 9), w("2>&1", 2, 10, 14)),
			fromPipe(cmd(span(2, 17, 2, 24), w("tee", 2, 17, 20), w("log", 2, 21, 24))),
			cmd(span(2, 27, 2, 31), w("wait", 2, 27, 31)),
		},
	}, {
		name:   "python shell has no commands",
		shell:  "python",
		script: "import os\nos.system('ls')",
		want:   []model.Command{},
	}, {
		name:   "assignments only",
		script: "FOO=1\n# just a comment\n",
		want:   []model.Command{},
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

// TestSplitWords checks names and arguments, unquoting and wrappers, by
// value; their positions are checked above.
func TestSplitWords(t *testing.T) {
	tests := []struct {
		script string
		want   [][]string // name then arguments, per command
	}{
		{`echo 'a b' "c \"d\" \$e" f\ g $'t\tu' "${x}" ~/bin $((1+2))`,
			[][]string{{"echo", "a b", `c "d" $e`, "f g", "t\tu", `"${x}"`, "~/bin", "$((1+2))"}}},
		{"sudo -u deploy -E env PATH=$PATH npm ci", [][]string{{"npm", "ci"}}},
		{"nohup ./server --port 80 &", [][]string{{"server", "--port", "80"}}},
		{"exec /usr/local/bin/entrypoint.sh", [][]string{{"entrypoint.sh"}}},
		{"command -v npm", [][]string{{"command", "-v", "npm"}}},
		{"command npm ci", [][]string{{"npm", "ci"}}},
		{"nice -n 10 make -j4", [][]string{{"make", "-j4"}}},
		{"timeout 10m npm test", [][]string{{"npm", "test"}}},
		{"timeout -s KILL 5 ./run.sh", [][]string{{"run.sh"}}},
		{"find . -name '*.o' | xargs rm -f", [][]string{{"find", ".", "-name", "*.o"}, {"rm", "-f"}}},
		{"xargs -I{} -n 1 echo {}", [][]string{{"echo", "{}"}}},
		{"sudo -i", [][]string{{"sudo", "-i"}}},
		{"npx", [][]string{{"npx"}}},
		{"env -S 'a b'", [][]string{{"env", "-S", "a b"}}},
		{"npm exec -- eslint .", [][]string{{"eslint", "."}}},
		{"npm run build", [][]string{{"npm", "run", "build"}}},
		{"pnpm dlx create-vite my-app", [][]string{{"create-vite", "my-app"}}},
		{"yarn dlx @yarnpkg/sdks vscode", [][]string{{"@yarnpkg/sdks", "vscode"}}},
		{"yarn install --frozen-lockfile", [][]string{{"yarn", "install", "--frozen-lockfile"}}},
		{"bunx prettier --check .", [][]string{{"prettier", "--check", "."}}},
		{"uvx ruff@0.6.0 check", [][]string{{"ruff", "check"}}},
		{"npx @angular/cli new app", [][]string{{"@angular/cli", "new", "app"}}},
		{"uv tool run --from black black .", [][]string{{"black", "."}}},
		{"pipenv run python -m flake8", [][]string{{"flake8"}}},
		{"bundle exec rake spec", [][]string{{"rake", "spec"}}},
		{"dotnet tool run dotnet-format", [][]string{{"dotnet-format"}}},
		{"conda run -n env pytest", [][]string{{"pytest"}}},
		{"py -3 -m pip install .", [][]string{{"pip", "install", "."}}},
		{"python3.12 -m venv .venv", [][]string{{"venv", ".venv"}}},
		{"/usr/bin/env bash ./build.sh", [][]string{{"bash", "./build.sh"}}},
		{"$CMD --flag", [][]string{{"$CMD", "--flag"}}},
		{"${{ matrix.tool }} --version", [][]string{{"${{ matrix.tool }}", "--version"}}},
		{"../mvnw -B verify", [][]string{{"mvnw", "-B", "verify"}}},
	}
	for _, test := range tests {
		got := [][]string{}
		for _, command := range Split(test.script, "bash", locate) {
			words := []string{command.Name.Value}
			for _, arg := range command.Args {
				words = append(words, arg.Value)
			}
			got = append(got, words)
		}
		if !reflect.DeepEqual(got, test.want) {
			t.Errorf("Split(%q) = %q, want %q", test.script, got, test.want)
		}
	}
}

func TestSplitShellKinds(t *testing.T) {
	// Each shell reads the same text its own way: only sh-like shells know
	// the subshell.
	const script = "(make) && echo $X"
	tests := []struct {
		shell string
		want  []string // command names
	}{
		{"", []string{"make", "echo"}},
		{"bash", []string{"make", "echo"}},
		{"sh", []string{"make", "echo"}},
		{"zsh", []string{"make", "echo"}},
		{"/bin/ksh", []string{"make", "echo"}},
		{"pwsh", []string{"(make)", "echo"}},
		{"powershell.exe", []string{"(make)", "echo"}},
		{"cmd", []string{"(make)", "echo"}},
		{"python", []string{}},
		{"node {0}", []string{}},
	}
	for _, test := range tests {
		got := []string{}
		for _, command := range Split(script, test.shell, locate) {
			got = append(got, command.Name.Value)
		}
		if !reflect.DeepEqual(got, test.want) {
			t.Errorf("Split(%q, %q) names = %q, want %q", script, test.shell, got, test.want)
		}
	}
}

func TestSplitLongScriptIsSplitByLines(t *testing.T) {
	// Past maxParsedBytes the parser is not used; the commands are still
	// found, by lines.
	var script []byte
	for len(script) <= maxParsedBytes {
		script = append(script, "npm ci && npm test\n"...)
	}
	got := Split(string(script), "bash", locate)
	if want := len(script) / len("npm ci && npm test\n") * 2; len(got) != want {
		t.Fatalf("got %d commands, want %d", len(got), want)
	}
	last := got[len(got)-1]
	if want := w("npm", len(got)/2, 11, 14); !reflect.DeepEqual(last.Name, want) {
		t.Errorf("last name = %+v, want %+v", last.Name, want)
	}
}

func TestSplitPathologicalScripts(t *testing.T) {
	// Deep nesting and long chains stay within the parser's reach and
	// finish; the counts show the scripts were parsed, not split by lines.
	const depth = maxParsedBytes / 8
	tests := []struct {
		name   string
		script string
		want   int
	}{
		{"nested substitutions", strings.Repeat("a $(", depth) + strings.Repeat(")", depth), depth},
		{"long pipeline", strings.Repeat("a|", depth) + "a", depth + 1},
		{"long and list", strings.Repeat("a&&", depth) + "a", depth + 1},
		{"nested groups", strings.Repeat("{ ", depth) + "a;" + strings.Repeat("};", depth), 1},
		{"nested ifs", strings.Repeat("if a; then ", depth/11) + "b" + strings.Repeat(";fi", depth/11), depth/11 + 1},
		{"many sh -c", strings.Repeat("sh -c 'a|b';", depth/12), 3 * (depth / 12)},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if got := len(Split(test.script, "bash", locate)); got != test.want {
				t.Errorf("got %d commands, want %d", got, test.want)
			}
		})
	}
}

func TestSplitCmdEscapes(t *testing.T) {
	// ^ escapes outside quotes only.
	got := Split(`echo "a^&b" c^&d`, "cmd", locate)
	want := []model.Command{cmd(span(1, 1, 1, 17), w("echo", 1, 1, 5), w("a^&b", 1, 6, 12), w("c&d", 1, 13, 17))}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
