package shell

import (
	"regexp"
	"testing"
)

// Each script marks the one expression whose quoting is asked with ${{ x }}.
func TestQuotingAt(t *testing.T) {
	cases := []struct {
		shell, script string
		want          Quoting
	}{
		{"bash", `echo ${{ x }}`, Unquoted},
		{"bash", `echo "a ${{ x }} b"`, DoubleQuoted},
		{"bash", `echo 'a ${{ x }} b'`, Literal},
		{"bash", `echo $'a ${{ x }}'`, Literal},
		{"bash", `echo "$(echo ${{ x }})"`, Unquoted},
		{"bash", `X=${{ x }}; echo "$X"`, Unquoted},
		{"bash", "cat <<EOF\nhi ${{ x }}\nEOF\necho done", DoubleQuoted},
		{"bash", "cat <<'EOF'\nhi ${{ x }}\nEOF", Literal},
		{"bash", "cat <<\\EOF\nhi ${{ x }}\nEOF", Literal},
		{"bash", `echo $(( ${{ x }} + 1 ))`, QuotingUnknown},
		{"bash", `echo ${FOO:-${{ x }}}`, QuotingUnknown},
		{"bash", "echo a # ${{ x }}", QuotingUnknown},
		{"bash", `echo "unterminated ${{ x }}`, QuotingUnknown},
		{"sh", `test "${{ x }}" = y`, DoubleQuoted},
		{"pwsh", `Write-Host ${{ x }}`, Unquoted},
		{"pwsh", `Write-Host "a ${{ x }}"`, DoubleQuoted},
		{"pwsh", `Write-Host 'it''s ${{ x }}'`, Literal},
		{"pwsh", "Write-Host \"a`\" ${{ x }}\"", DoubleQuoted},
		{"pwsh", "# ${{ x }}", QuotingUnknown},
		{"pwsh", "<# a #> ${{ x }}", Unquoted},
		{"cmd", `echo ${{ x }}`, QuotingUnknown},
		{"python", `print("${{ x }}")`, QuotingUnknown},
	}
	marked := regexp.MustCompile(`\$\{\{ x \}\}`)
	for _, c := range cases {
		span := marked.FindStringIndex(c.script)
		got := QuotingAt(c.script, c.shell, [][2]int{{span[0], span[1]}})
		if got[0] != c.want {
			t.Errorf("%s %q: quoting %d, want %d", c.shell, c.script, got[0], c.want)
		}
	}
}

// Several spans are each classified, other expressions masked as well.
func TestQuotingAtSeveral(t *testing.T) {
	script := `echo "${{ a }}" ${{ b }} '${{ c }}'`
	spans := [][2]int{}
	for _, m := range regexp.MustCompile(`\$\{\{ . \}\}`).FindAllStringIndex(script, -1) {
		spans = append(spans, [2]int{m[0], m[1]})
	}
	got := QuotingAt(script, "bash", spans)
	want := []Quoting{DoubleQuoted, Unquoted, Literal}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("span %d: %d, want %d", i, got[i], want[i])
		}
	}
}
