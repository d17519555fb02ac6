package secret

import (
	"strings"
	"testing"

	"github.com/pipelint/pipelint/internal/model"
)

const (
	githubToken = "ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo"
	gitlabToken = "glpat-Xk29fLq8ZmW3rT7vBn4Y"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"URL with a password", "https://oauth2:" + gitlabToken + "@gitlab.com/x.git", "https://oauth2:****@gitlab.com/x.git"},
		{"URL password that is no token", "git clone https://bob:Q7wjZk2mXp9L@github.com/x/y.git", "git clone https://bob:****@github.com/x/y.git"},
		{"docker URL", `step image "docker://u:pass1234@reg.example.com/img"`, `step image "docker://u:****@reg.example.com/img"`},
		{"image reference without a scheme", "image: u:pass1234@reg.example.com/img", "image: u:****@reg.example.com/img"},
		{"token anywhere", "echo " + githubToken + " done", "echo ghp_**** done"},
		{"two tokens", githubToken + "," + gitlabToken, "ghp_****,glpa****"},
		{"token in quotes", `token "` + githubToken + `"`, `token "ghp_****"`},
		{"assignment", "export DB_PASSWORD=Hx9aQ2kLmP7z", "export DB_PASSWORD=Hx9****"},
		{"YAML entry", "  API_TOKEN: 'Hx9aQ2kLmP7z'", "  API_TOKEN: 'Hx9****'"},
		{"camelCase key", "githubToken = Hx9aQ2kLmP7z", "githubToken = Hx9****"},
		{"long password flag with a space", "deploy --password Hx9aQ2kLmP7z --force", "deploy --password Hx9**** --force"},
		{"long password flag with =", "mysql --password=Hx9aQ2kLmP7z db", "mysql --password=Hx9**** db"},
		{"-p of a login", "docker login -u bot -p Hx9aQ2kLmP7z reg", "docker login -u bot -p Hx9**** reg"},
		{"-pVALUE", "mysql -uroot -pHx9aQ2kLmP7z db", "mysql -uroot -pHx9**** db"},
		{"curl -u user:password", "curl -u admin:Hx9aQ2kLmP7z https://x", "curl -u admin:Hx9**** https://x"},
		// Left alone.
		{"URL password that is a variable", "https://x-access-token:$TOKEN@github.com/x", "https://x-access-token:$TOKEN@github.com/x"},
		{"URL password that is masked", "https://u:****@host/x", "https://u:****@host/x"},
		{"expression", "  API_TOKEN: ${{ secrets.API_TOKEN }}", "  API_TOKEN: ${{ secrets.API_TOKEN }}"},
		{"placeholder", "POSTGRES_PASSWORD: postgres", "POSTGRES_PASSWORD: postgres"},
		{"name that is no secret", "TOKEN_URL: https://example.com/token", "TOKEN_URL: https://example.com/token"},
		{"-p elsewhere", "mkdir -p build/out", "mkdir -p build/out"},
		{"image with a digest", "image: node:20@sha256:0123456789abcdef", "image: node:20@sha256:0123456789abcdef"},
		{"ssh address", "git clone git@github.com:x/y.git", "git clone git@github.com:x/y.git"},
		{"plain message", `action "actions/checkout@v4" is pinned to tag "v4"`, `action "actions/checkout@v4" is pinned to tag "v4"`},
		{"empty", "", ""},
	}
	m := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Mask(tt.text)
			if got != tt.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			if again := m.Mask(got); again != got {
				t.Errorf("masking twice gives %q", again)
			}
		})
	}
}

func TestPreview(t *testing.T) {
	for value, want := range map[string]string{
		"":                 "****",
		"abc":              "****",
		"abcd":             "a****",
		"abcdefghijklmno":  "abc****",
		githubToken:        "ghp_****",
		"éééééééééééééééé": "éééé****", // runes, not bytes
	} {
		if got := Preview(value); got != want {
			t.Errorf("Preview(%q) = %q, want %q", value, got, want)
		}
	}
}

// Spans are in runes, merged and sorted, with the extra spans a caller
// knows of.
func TestSpans(t *testing.T) {
	line := "é x=1 https://u:pw12345678@h/ " + githubToken
	spans := Default().Spans(line, Span{Start: 0, End: 1})
	tokenStart := strings.Index(line, "ghp_")
	runeOffset := len([]rune(line[:tokenStart]))
	want := []Span{
		{0, 1, "****"},
		{16, 26, "****"},
		{runeOffset, runeOffset + len(githubToken), "ghp_****"},
	}
	if len(spans) != len(want) {
		t.Fatalf("spans %v, want %v", spans, want)
	}
	for i := range want {
		if spans[i] != want[i] {
			t.Errorf("span %d = %v, want %v", i, spans[i], want[i])
		}
	}
	if got := Apply(line, spans); got != "**** x=1 https://u:****@h/ ghp_****" {
		t.Errorf("Apply = %q", got)
	}
}

func TestMergeOverlappingSpans(t *testing.T) {
	got := merge([]Span{{2, 6, "x"}, {4, 10, "y"}, {12, 14, "z"}, {12, 14, "w"}})
	want := []Span{{2, 10, "****"}, {12, 14, "z"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("merge = %v, want %v", got, want)
	}
}

func TestValuesMask(t *testing.T) {
	got := NewValues([]string{"Hx9aQ2kLmP7z", "abc"}).Mask(`"docker" login -p Hx9aQ2kLmP7z reg; echo Hx9aQ2kLmP7z abc`)
	if want := `"docker" login -p Hx9**** reg; echo Hx9**** abc`; got != want {
		t.Errorf("Mask = %q, want %q (values shorter than 4 are left)", got, want)
	}
}

func TestMaskErrors(t *testing.T) {
	errs := []*model.ParseError{{Pos: model.Pos{File: "ci.yml", Line: 5, Column: 5}, Message: `unexpected key "` + githubToken + `" for "job" section, not "Zq8vLm2Xc7Rt"`}}
	masked := Default().MaskErrors(errs, NewValues([]string{"Zq8vLm2Xc7Rt"}))
	if masked[0].Message != `unexpected key "ghp_****" for "job" section, not "Zq8****"` || masked[0].Pos != errs[0].Pos {
		t.Errorf("masked error %+v", masked[0])
	}
	if !strings.Contains(errs[0].Message, githubToken) {
		t.Error("MaskErrors changed the parser's error")
	}
	if Default().MaskErrors(nil, nil) != nil {
		t.Error("no errors must stay nil")
	}
}

func TestIsSecretName(t *testing.T) {
	m := Default()
	for name, want := range map[string]bool{
		"API_TOKEN": true, "githubToken": true, "POSTGRES_PASSWORD": true, "password": true,
		"TOKEN_URL": false, "KEY_ID": false, "PATH": false, "name": false, "SECRET_NAME": false,
	} {
		if got := m.IsSecretName(name); got != want {
			t.Errorf("IsSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestDigest(t *testing.T) {
	a := Digest("plaintext-secret", "ci.yml", githubToken)
	if len(a) != 32 || strings.Contains(a, githubToken) {
		t.Fatalf("Digest = %q", a)
	}
	if a != Digest("plaintext-secret", "ci.yml", githubToken) {
		t.Error("Digest is not stable")
	}
	for _, other := range []string{
		Digest("plaintext-secret", "ci.yml", githubToken[:len(githubToken)-1]+"x"),
		Digest("plaintext-secret", "other.yml", githubToken),
		Digest("other-rule", "ci.yml", githubToken),
	} {
		if other == a {
			t.Error("Digest must depend on the value, the file and the rule")
		}
	}
}

func TestValueAt(t *testing.T) {
	lines := []string{"env:", "  TOKEN: é" + githubToken + " # note"}
	at := func(line, column, endLine, endColumn int) model.Pos {
		return model.Pos{File: "ci.yml", Line: line, Column: column, EndLine: endLine, EndColumn: endColumn}
	}
	for _, tt := range []struct {
		pos  model.Pos
		want string
		ok   bool
	}{
		{at(2, 11, 2, 11+len(githubToken)), githubToken, true}, // columns count runes
		{at(2, 11, 3, 1), githubToken + " # note", true},       // to the end of the start line
		{at(3, 1, 3, 2), "", false},
		{at(2, 90, 2, 95), "", false},
		{at(0, 0, 0, 0), "", false},
	} {
		got, ok := ValueAt(lines, tt.pos)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ValueAt(%+v) = %q, %v; want %q, %v", tt.pos, got, ok, tt.want, tt.ok)
		}
	}
}
