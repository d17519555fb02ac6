package engine

import (
	"strings"
	"testing"
)

// withCondition is testRule with its last condition, on line 14, replaced.
func withCondition(cond string) string {
	return strings.Replace(testRule, "count(job.steps) == 0 # nil slices arrive as empty arrays", cond, 1)
}

// sandboxError is the message that refuses a forbidden builtin on line 14
// of x.rego.
func sandboxError(builtin string) string {
	return "x.rego:14: " + builtin + " is not allowed: policies run without network, host or clock access, so that a check depends only on the files checked"
}

// The JSON schema builtins resolve a "$ref" to a file:// URL by reading
// the file, which tells a rule whether a file exists and what it holds.
func TestSchemaBuiltinsAreNotAllowed(t *testing.T) {
	for builtin, cond := range map[string]string{
		"json.match_schema":  `json.match_schema({}, {"$ref": "file:///etc/hostname"})[0]`,
		"json.verify_schema": `json.verify_schema({"$ref": "file:///etc/hostname"})[0]`,
	} {
		_, err := newTestEngine(t, map[string]string{"x.rego": withCondition(cond)})
		if want := sandboxError(builtin); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", builtin, err, want)
		}
	}
}

// A rule must give the same findings whenever it runs. io.jwt.decode_verify
// checks exp and nbf against the clock, so a token a rule signs with a
// chosen exp tells it the time; the x509 chain verifiers check validity
// against the clock too (rego.Time does not reach them); ES and PS
// signatures are random.
func TestClockAndRandomBuiltinsAreNotAllowed(t *testing.T) {
	for builtin, cond := range map[string]string{
		"io.jwt.decode_verify":                                   `io.jwt.decode_verify("a.b.c", {"secret": "s"})[0]`,
		"io.jwt.encode_sign":                                     `io.jwt.encode_sign({"alg": "HS256"}, {"exp": 1}, {"kty": "oct", "k": "c2VjcmV0"}) != ""`,
		"io.jwt.encode_sign_raw":                                 `io.jwt.encode_sign_raw("{}", "{}", "{}") != ""`,
		"crypto.x509.parse_and_verify_certificates":              `crypto.x509.parse_and_verify_certificates("")[0]`,
		"crypto.x509.parse_and_verify_certificates_with_options": `crypto.x509.parse_and_verify_certificates_with_options("", {})[0]`,
	} {
		_, err := newTestEngine(t, map[string]string{"x.rego": withCondition(cond)})
		if want := sandboxError(builtin); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", builtin, err, want)
		}
	}
}
