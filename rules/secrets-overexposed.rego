# METADATA
# title: Every secret exposed at once
# description: |
#   An expression reads the whole `secrets` context (`toJSON(secrets)`) or
#   picks a secret by a computed name (`secrets[format('KEY_{0}',
#   matrix.env)]`). GitHub sends a job only the secrets it names, unless it
#   cannot tell which: then every secret of the repository, its
#   organisation and environment goes to the runner, where any step
#   can leak them, and `toJSON(secrets)` puts them all in one value.
#   Likewise a step that hands a credential to its whole script when the
#   script never reads it: Azure's AzureCLI task with
#   `addSpnToEnvironment: true` puts the service principal's id, key or
#   token in the environment of every command it runs.
# custom:
#   id: secrets-overexposed
#   severity: high
#   precision: very-high
#   remediation: |
#     Name each secret the job needs (`secrets.NPM_TOKEN`). For a secret
#     chosen per matrix entry, put the choice in the matrix:
#     `include: [{env: prod, token: PROD_TOKEN}]` cannot name it either, so
#     write one `if:`-guarded step per secret, or one job per environment
#     with environment secrets under the same name.
#   tags: [security, secrets, least-privilege, external/cwe/cwe-200]
package pipelint.rules.secrets_overexposed

import data.pipelint.lib.expressions
import data.pipelint.lib.tables
import data.pipelint.lib.text

findings contains finding if {
	mentions_whole_or_index
	some e in expressions.reading(input, "secrets")
	some path in e.reads
	finding := judged(e, path)
}

# mentions_whole_or_index is a cheap look at the text: `secrets` followed
# by what ends a whole context (`toJSON(secrets)`, `secrets }}`) or opens
# an index.
mentions_whole_or_index if text.matches(`secrets\s*[\[)},]`)

judged(e, "secrets") := {
	"msg": sprintf("%q reads the whole secrets context: every secret of the repository, its organisation and environment goes to the runner, in one value; name each secret the job needs (secrets.NAME)", [e.value]),
	"pos": e.pos,
	"severity": "high",
}

judged(e, "secrets.*") := {
	"msg": sprintf("%q picks a secret by a computed name: every secret of the repository, its organisation and environment goes to the runner for it to choose from; name each secret the job needs (secrets.NAME)", [e.value]),
	"pos": e.pos,
	"severity": "medium",
}

# A step whose input hands its script a credential (tables.credential_exposing_calls)
# that the script never names.
findings contains {"msg": msg, "pos": v.value.pos, "severity": "medium"} if {
	some job in input.jobs
	some step in job.steps
	step.call.value != ""
	some entry in tables.credential_exposing_calls
	startswith(lower(step.call.value), lower(entry.call))
	some v in step.with
	v.name.value == entry.input
	lower(trim_space(v.value.value)) == "true"
	step.script.text.value != "" # a script file may read it
	not regex.match(entry.used, step.script.text.value)
	msg := sprintf("%s with %s: true puts %s in the environment of every command of its script, which never reads it; remove %s", [
		step.call.value, entry.input, entry.credential, entry.input,
	])
}
