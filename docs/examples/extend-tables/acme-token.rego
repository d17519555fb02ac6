# ACME's internal API tokens look like acme_live_ followed by 32 hex
# digits: with this file loaded, plaintext-secret finds them written into a
# pipeline, as it finds GitHub or AWS tokens. The regular expression is RE2;
# keywords are literal strings every match contains, which keep the
# expression off lines that cannot match.
package pipelint.lib.secrets

token_patterns contains {
	"id": "acme-api-token",
	"name": "ACME API token",
	"regex": `\bacme_live_[0-9a-f]{32}\b`,
	"keywords": ["acme_live_"],
}
