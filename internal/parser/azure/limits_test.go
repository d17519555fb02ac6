package azure

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipelint/pipelint/internal/parser/syntax"
)

func parseRepo(repo fstest.MapFS) syntax.Result {
	return Parse(syntax.Input{Repo: repo, Path: "azure-pipelines.yml", Display: "azure-pipelines.yml"})
}

// TestTemplateLimits checks that template expansion stops, with a
// positioned error, at Azure's limits: nesting depth, files included, and
// the values `each` multiplies.
func TestTemplateLimits(t *testing.T) {
	deep := fstest.MapFS{"azure-pipelines.yml": {Data: []byte("steps:\n- template: t0.yml\n")}}
	for i := range 30 {
		deep[fmt.Sprintf("t%d.yml", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "steps:\n- script: echo %d\n- template: t%d.yml\n", i, i+1)}
	}
	many := fstest.MapFS{}
	var main strings.Builder
	main.WriteString("steps:\n")
	for i := range 120 {
		fmt.Fprintf(&main, "- template: s%d.yml\n", i)
		many[fmt.Sprintf("s%d.yml", i)] = &fstest.MapFile{Data: []byte("steps:\n- script: echo\n")}
	}
	many["azure-pipelines.yml"] = &fstest.MapFile{Data: []byte(main.String())}
	// Each level multiplies the steps by ten: 10^8 unbounded.
	var bomb strings.Builder
	bomb.WriteString("parameters:\n- name: l\n  type: object\n  default: [0,1,2,3,4,5,6,7,8,9]\nsteps:\n")
	indent := ""
	for i := range 8 {
		fmt.Fprintf(&bomb, "%s- ${{ each x%d in parameters.l }}:\n", indent, i)
		indent += "  "
	}
	fmt.Fprintf(&bomb, "%s- script: echo\n", indent)
	for name, tt := range map[string]struct {
		repo fstest.MapFS
		want string
	}{
		"depth": {deep, "azure-pipelines.yml:0: templates nested deeper than 20 levels"},
		"files": {many, "azure-pipelines.yml:102:13: more than 100 template files included"},
		"each":  {fstest.MapFS{"azure-pipelines.yml": {Data: []byte(bomb.String())}}, "templates expand to more than 5"},
	} {
		t.Run(name, func(t *testing.T) {
			r := parseRepo(tt.repo)
			if r.Pipeline == nil || r.Err == nil {
				t.Fatalf("pipeline %v, error %v", r.Pipeline != nil, r.Err)
			}
			if !strings.Contains(r.Err.Error(), strings.TrimPrefix(tt.want, "azure-pipelines.yml:0: ")) {
				t.Errorf("error %v, want %s", r.Err, tt.want)
			}
		})
	}
}
