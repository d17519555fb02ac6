package gitlab

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

// scriptWords renders the script text and command words of every job.
func scriptWords(p *model.Pipeline) string {
	var lines []string
	for _, job := range p.Jobs {
		for _, step := range job.Steps {
			if step.Script == nil {
				continue
			}
			lines = append(lines, "text "+str(step.Script.Text))
			for _, c := range step.Script.Commands {
				lines = append(lines, "command "+str(c.Name)+" "+strs(c.Args))
			}
		}
	}
	for _, c := range p.Comments {
		lines = append(lines, "comment "+pos(c.Pos))
	}
	return strings.Join(lines, "\n")
}

// TestByteOrderMark: a byte-order mark takes no column, so values on the
// first line end where they are written.
func TestByteOrderMark(t *testing.T) {
	p := parseOne(t, "\uFEFFjob: {script: [\"make test\", 'echo é']} # note\n")
	wantText(t, "scripts", scriptWords(p), `
text "make test\necho é"@.gitlab-ci.yml:1:17-1:36
command "make"@.gitlab-ci.yml:1:17-1:21 ["test"@.gitlab-ci.yml:1:22-1:26]
command "echo"@.gitlab-ci.yml:1:30-1:34 ["é"@.gitlab-ci.yml:1:35-1:36]
comment .gitlab-ci.yml:1:40-1:46`)
	if got := str(p.Jobs[0].ID); got != `"job"@.gitlab-ci.yml:1:1-1:4` {
		t.Errorf("job = %s", got)
	}
}

// TestLineEndings: YAML ends lines at \n, \r\n and a lone \r (old Mac
// files); columns and ends are counted on the same lines.
func TestLineEndings(t *testing.T) {
	for name, eol := range map[string]string{"LF": "\n", "CRLF": "\r\n", "CR": "\r"} {
		t.Run(name, func(t *testing.T) {
			src := strings.Join([]string{
				"job:",
				"  script:",
				"    - make test # build",
				"    - |",
				"      echo ✓ ok",
				"      go vet",
				"    - \"quoted",
				"      folded\"",
				"",
			}, eol)
			p := parseOne(t, src)
			wantText(t, "scripts", scriptWords(p), `
text "make test\necho ✓ ok\ngo vet\n\nquoted folded"@.gitlab-ci.yml:3:7-8:13
command "make"@.gitlab-ci.yml:3:7-3:11 ["test"@.gitlab-ci.yml:3:12-3:16]
command "echo"@.gitlab-ci.yml:5:7-5:11 ["✓"@.gitlab-ci.yml:5:12-5:13 "ok"@.gitlab-ci.yml:5:14-5:16]
command "go"@.gitlab-ci.yml:6:7-6:9 ["vet"@.gitlab-ci.yml:6:10-6:13]
command "quoted"@.gitlab-ci.yml:7:8-7:14 ["folded"@.gitlab-ci.yml:8:7-8:13]
comment .gitlab-ci.yml:3:17-3:24`)
		})
	}
}

// TestInvalidUTF8: text that is not UTF-8 is refused at the first bad
// byte, counted in characters like every column.
func TestInvalidUTF8(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"in a script", "job:\n  script:\n    - echo é \xff bad\n", ".gitlab-ci.yml:3:14: invalid UTF-8 (byte 0xff)"},
		{"cut short", "job:\n  script:\n    - \"echo \xc3\"\n", ".gitlab-ci.yml:3:13: invalid UTF-8 (byte 0xc3)"},
		{"in a comment", "job:\n  script:\n    - echo ok\n# comment \xfe\n", ".gitlab-ci.yml:4:11: invalid UTF-8 (byte 0xfe)"},
		{"after a byte-order mark", "\uFEFFjob: \xe9\n", ".gitlab-ci.yml:1:6: invalid UTF-8 (byte 0xe9)"},
		{"CR line endings", "job:\r  script:\r    - echo \x80\r", ".gitlab-ci.yml:3:12: invalid UTF-8 (byte 0x80)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseMap(t, map[string]string{".gitlab-ci.yml": tt.src})
			wantErrors(t, errs, tt.want)
		})
	}
}
