package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// forbiddenBuiltins would let a policy reach the network, the host or the
// clock, making results depend on more than the file being checked.
//
// The JSON schema builtins are among them because OPA resolves a "$ref" to
// a file:// URL by reading the file, whatever allow_net says, and the
// resolver is internal to OPA, so it cannot be wrapped.
var forbiddenBuiltins = map[string]bool{
	"http.send":          true,
	"opa.runtime":        true,
	"time.now_ns":        true,
	"rand.intn":          true,
	"uuid.rfc4122":       true,
	"json.match_schema":  true,
	"json.verify_schema": true,
}

// Capabilities returns OPA's capabilities without the builtins that reach
// the network (http.send, net.*), the file system (the JSON schema
// builtins), the runtime environment or nondeterministic sources. Rules are compiled against it, and so are the
// Rego unit tests, so a test cannot pass on a builtin production refuses.
var Capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool {
		return forbiddenBuiltins[b.Name] || strings.HasPrefix(b.Name, "net.")
	})
	caps.AllowNet = []string{}
	return caps
})

// checkSandbox refuses policies that call a builtin the capabilities leave
// out, with a message that says why rather than the compiler's "undefined
// function".
func checkSandbox(modules map[string]module) error {
	var problems []string
	for _, name := range sortedKeys(modules) {
		ast.WalkTerms(modules[name].Module, func(t *ast.Term) bool {
			call, ok := t.Value.(ast.Call)
			if !ok || len(call) == 0 {
				return false
			}
			builtin := call[0].String()
			if forbiddenBuiltins[builtin] || strings.HasPrefix(builtin, "net.") {
				problems = append(problems, fmt.Sprintf("%s:%d: %s is not allowed: policies run without network, host or clock access, so that a check depends only on the files checked", name, t.Location.Row, builtin))
			}
			return false
		})
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
