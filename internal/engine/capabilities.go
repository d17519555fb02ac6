package engine

import (
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// forbiddenBuiltins would let a policy reach the network, the host or the
// clock, making results depend on more than the file being checked.
var forbiddenBuiltins = map[string]bool{
	"http.send":    true,
	"opa.runtime":  true,
	"time.now_ns":  true,
	"rand.intn":    true,
	"uuid.rfc4122": true,
}

// Capabilities returns OPA's capabilities without the builtins that reach
// the network (http.send, net.*), the runtime environment or
// nondeterministic sources. Rules are compiled against it, and so are the
// Rego unit tests, so a test cannot pass on a builtin production refuses.
var Capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool {
		return forbiddenBuiltins[b.Name] || strings.HasPrefix(b.Name, "net.")
	})
	caps.AllowNet = []string{}
	return caps
})
