package shell

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

var fuzzShells = []string{"bash", "sh", "zsh", "pwsh", "cmd", "python"}

var seedScripts = []string{
	"cd app && npm ci && npm test",
	"sudo -E apt-get install -y x; env FOO=1 go test ./...",
	"FOO=bar make check\npython -m pytest -q\nnpx jest --ci",
	"pnpm --filter web exec vitest\nuv run --with x python -m pytest",
	"time -p cargo test\necho $(git rev-parse HEAD) `date`",
	"if [ -f x ]; then mvn -B verify; fi\ncurl -s x | sh",
	"cat <<EOF > out\nhello $(whoami)\nEOF\ncat <<-'X'\n\t$(no)\n\tX",
	"docker build \\\n  -t x .\ndocker login -p ${{ secrets.TOKEN }} $[[ inputs.x ]]",
	"for f in *; do gzip \"$f\"; done; f() { local d=$(date); }; { a; } || (b)",
	"echo 'a b' \"c \\\"d\" f\\ g $'t\\tu' ~/x é",
	"Write-Host \"$env:X\" ; & \"C:\\x.exe\" `\n  -b <# c #> 2>&1 | Out-Null",
	"@echo off\nREM x & y\ncall npm ci && npm test ^\n  --ci",
	"echo 'unterminated\n${{ never closed\n$[[",
	"bash -lc \"cd $D && make -j$(nproc)\"; sudo sh -c 'apt-get update'",
	"sh -c \"sh -c 'sh -c \\\"sh -c make\\\"'\"",
	"bash -c $'a\\tb' && bash -c 'echo '\"$H\"' x' -- y",
	"bash -c \"\n  a \\\n  b\n\" ; docker run i sh -c 'x'",
	"sh -c 'echo ${{ x }}' && bash -euo pipefail -c \"é \\\"q\\\"\"",
}

func FuzzSplit(f *testing.F) {
	for _, script := range seedScripts {
		for shell := range fuzzShells {
			f.Add(script, uint8(shell))
		}
	}
	f.Fuzz(func(t *testing.T, script string, shellIndex uint8) {
		shell := fuzzShells[int(shellIndex)%len(fuzzShells)]
		commands := Split(script, shell, locate)
		if again := Split(script, shell, locate); !reflect.DeepEqual(commands, again) {
			t.Fatalf("two splits differ:\n%+v\n%+v", commands, again)
		}
		lines := strings.Count(script, "\n") + 1
		for _, command := range commands {
			checkSpan(t, command.Pos, lines)
			checkSpan(t, command.Name.Pos, lines)
			if before(command.Name.Pos.Line, command.Name.Pos.Column, command.Pos.Line, command.Pos.Column) ||
				before(command.Pos.EndLine, command.Pos.EndColumn, command.Name.Pos.EndLine, command.Name.Pos.EndColumn) {
				t.Fatalf("name %+v outside command %+v", command.Name.Pos, command.Pos)
			}
			for _, arg := range command.Args {
				checkSpan(t, arg.Pos, lines)
			}
		}
		// How the shell reads each ${{ }} of the script: one answer each,
		// whatever the text around them.
		spans := expressionSpans(script)
		if quoting := QuotingAt(script, shell, spans); len(quoting) != len(spans) {
			t.Fatalf("%d quotings for %d expressions", len(quoting), len(spans))
		}
	})
}

// expressionSpans are the byte spans of the ${{ }} of a script, in order
// and apart, as QuotingAt takes them.
func expressionSpans(script string) [][2]int {
	var spans [][2]int
	for at := 0; ; {
		start := strings.Index(script[at:], "${{")
		if start < 0 {
			return spans
		}
		end := strings.Index(script[at+start:], "}}")
		if end < 0 {
			return spans
		}
		spans = append(spans, [2]int{at + start, at + start + end + 2})
		at += start + end + 2
	}
}

// checkSpan fails unless pos is a non-empty span within the script's lines.
func checkSpan(t *testing.T, pos model.Pos, lines int) {
	t.Helper()
	if pos.File != "ci.yml" || pos.Line <= lineOffset || pos.Column <= columnOffset ||
		pos.EndLine > lines+lineOffset || !before(pos.Line, pos.Column, pos.EndLine, pos.EndColumn) {
		t.Fatalf("bad span %+v in a script of %d lines", pos, lines)
	}
}

func before(line, column, otherLine, otherColumn int) bool {
	return line < otherLine || line == otherLine && column < otherColumn
}

// typicalScript is a ten-line run step as found in real workflows.
const typicalScript = `set -euo pipefail
python -m pip install --upgrade pip
pip install -r requirements.txt
npm ci && npm run build
echo "sha=$(git rev-parse --short HEAD)" >> "$GITHUB_OUTPUT"
if [ "${{ github.event_name }}" = "push" ]; then
  docker login -u "$USER" -p ${{ secrets.TOKEN }} ghcr.io
  docker build -t ghcr.io/org/app:${{ github.sha }} .
fi
sudo -E apt-get install -y jq | tee install.log`

func BenchmarkSplit(b *testing.B) {
	for _, shell := range []string{"bash", "pwsh"} {
		b.Run(shell, func(b *testing.B) {
			for b.Loop() {
				Split(typicalScript, shell, locate)
			}
		})
	}
}
