package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
)

// forbiddenBuiltins would let a policy reach the network, the host, the
// clock or a random source, making results depend on more than the file
// being checked.
//
// The JSON schema builtins are among them because OPA resolves a "$ref" to
// a file:// URL by reading the file, whatever allow_net says, and the
// resolver is internal to OPA, so it cannot be wrapped.
//
// The clock is gone rather than frozen: the x509 verifiers read it whatever
// rego.Time says, and OPA's test runner cannot be given a time, so Rego
// tests would see another clock than checks. The JWT signers draw on a
// random source (ES and PS signatures differ on every call).
var forbiddenBuiltins = map[string]bool{
	"http.send":            true,
	"opa.runtime":          true,
	"json.match_schema":    true,
	"json.verify_schema":   true,
	"time.now_ns":          true,
	"io.jwt.decode_verify": true,
	"crypto.x509.parse_and_verify_certificates":              true,
	"crypto.x509.parse_and_verify_certificates_with_options": true,
	"rand.intn":              true,
	"uuid.rfc4122":           true,
	"io.jwt.encode_sign":     true,
	"io.jwt.encode_sign_raw": true,
}

// Capabilities returns OPA's capabilities without the builtins that reach
// the network (http.send, net.*), the file system (the JSON schema
// builtins), the runtime environment, the clock or a random source. Rules
// are compiled against it, and so are the Rego unit tests, so a test cannot
// pass on a builtin production refuses.
var Capabilities = sync.OnceValue(func() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool { return forbidden(b.Name) })
	caps.AllowNet = []string{}
	return caps
})

// forbidden reports whether name is a builtin the capabilities leave out.
func forbidden(name string) bool {
	_, builtin := ast.BuiltinMap[name]
	return builtin && (forbiddenBuiltins[name] || strings.HasPrefix(name, "net."))
}

// checkSandbox refuses policies that use a builtin the capabilities leave
// out, with a message that says why rather than the compiler's "undefined
// function". A builtin is named as the operator of a call, nested or a
// statement of its own, and as the target or value of a with.
func checkSandbox(modules map[string]module) error {
	var problems []string
	for _, name := range sortedKeys(modules) {
		check := func(v ast.Value, at *ast.Location) {
			if ref, ok := v.(ast.Ref); ok && forbidden(ref.String()) {
				problems = append(problems, fmt.Sprintf("%s:%d: %s is not allowed: policies run without network, host or clock access, so that a check depends only on the files checked", name, at.Row, ref))
			}
		}
		ast.NewGenericVisitor(func(x any) bool {
			switch x := x.(type) {
			case *ast.Expr:
				if x.IsCall() {
					check(x.Operator(), x.Location)
				}
			case *ast.Term:
				if call, ok := x.Value.(ast.Call); ok {
					check(call[0].Value, x.Location)
				}
			case *ast.With:
				check(x.Target.Value, x.Location)
				check(x.Value.Value, x.Location)
			}
			return false
		}).Walk(modules[name].Module)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
