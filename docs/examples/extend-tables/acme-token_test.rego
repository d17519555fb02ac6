package acme.secrets_test

import data.pipelint.lib.build
import data.pipelint.rules.plaintext_secret

# file_with builds a pipeline whose file has one line; plaintext-secret
# looks for tokens in the text of the file.
file_with(line) := object.union(build.pipeline("github", []), {"sources": [{"file": "ci.yml", "lines": [line]}]})

test_acme_token_is_a_secret if {
	findings := plaintext_secret.findings with input as file_with("  ACME_API: acme_live_0123456789abcdef0123456789abcdef")
	findings == {{
		"msg": `ACME API token "acme****" is written in plain text; revoke it and reference a stored secret instead`,
		"pos": {"file": "ci.yml", "line": 1, "column": 13, "end_line": 1, "end_column": 55},
		"severity": "critical",
		"sensitive": true,
	}}
}

test_a_shorter_value_is_not_a_token if {
	count(plaintext_secret.findings) == 0 with input as file_with("  ACME_API: acme_live_0123")
}
