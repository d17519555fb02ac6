# METADATA
# title: Reusable workflow called with every secret
# description: |
#   A job calls a reusable workflow with `secrets: inherit`, which hands it
#   every secret of the repository, its organisation and the job's
#   environment, whatever it uses. A workflow of another repository that is
#   changed or compromised then reads them all; a local one hides which
#   secrets it needs from review.
# custom:
#   id: secrets-inherit
#   severity: medium
#   precision: high
#   remediation: |
#     Replace `secrets: inherit` with a `secrets:` mapping that passes only
#     what the called workflow declares under `on.workflow_call.secrets`.
#     For a local workflow, the message lists the secrets it reads.
#   tags: [security, secrets, least-privilege, external/cwe/cwe-200]
package pipelint.rules.secrets_inherit

import data.pipelint.lib.expressions
import data.pipelint.lib.pipeline

findings contains finding if {
	some job in input.jobs
	job.secrets_inherit
	job.uses != null
	finding := judged(job)
}

# A local workflow whose secrets are known to be few gets only those at
# run time (GitHub sends a job the secrets it names): passing them by name
# documents its interface, an info. One that reads none, or that could
# not be read, is low; another repository's, medium.
judged(job) := {
	"msg": sprintf("reusable workflow %q of another repository gets every secret of this one, its organisation and environment through secrets: inherit; pass only the secrets it declares under secrets:", [job.uses.value.value]),
	"pos": job.uses.value.pos,
	"severity": "medium",
} if {
	not job.uses.local
} else := {
	"msg": sprintf("local workflow %q gets every secret through secrets: inherit; pass only the secrets it uses under secrets:", [job.uses.value.value]),
	"pos": job.uses.value.pos,
	"severity": "low",
} if {
	job.callee == ""
} else := {
	"msg": sprintf("local workflow %q gets every secret through secrets: inherit; pass only the secrets it uses under secrets:", [job.uses.value.value]),
	"pos": job.uses.value.pos,
	"severity": "low",
} if {
	not needs_all(job)
	passes_on(job)
} else := {
	"msg": sprintf("local workflow %q gets every secret through secrets: inherit but reads only %s; pass %s under secrets: instead", [job.uses.value.value, names, them]),
	"pos": job.uses.value.pos,
	"severity": "info",
} if {
	not needs_all(job)
	read := secrets_read(job)
	count(read) > 0
	names := concat(", ", [sprintf("secrets.%s", [upper(n)]) | some n in read])
	them := pronoun[min([count(read), 2])]
} else := {
	"msg": sprintf("local workflow %q gets every secret through secrets: inherit but reads none; remove secrets: inherit", [job.uses.value.value]),
	"pos": job.uses.value.pos,
	"severity": "low",
} if {
	not needs_all(job)
	count(secrets_read(job)) == 0
}

pronoun := {1: "it", 2: "them"}

# called is every pipeline the job runs: its local callee and the local
# workflows and actions that one calls.
called(job) := [pipeline.callee_pipelines[file] | some file in pipeline.called_files(job)]

# secrets_read are the names of the secrets the called pipelines read,
# sorted, in lower case as GitHub compares them; GITHUB_TOKEN is given to
# every workflow whatever the caller passes.
secrets_read(job) := sort({name |
	some p in called(job)
	some e in expressions.reading(p, "secrets")
	some path in e.reads
	startswith(path, "secrets.")
	name := substring(path, count("secrets."), -1)
	name != "*"
	name != "github_token"
})

# needs_all is true when a called pipeline reads the whole secrets
# context or a secret by a computed name, or passes them all on itself.
needs_all(job) if {
	some p in called(job)
	some e in expressions.reading(p, "secrets")
	some path in e.reads
	path in {"secrets", "secrets.*"}
}

needs_all(job) if {
	some p in called(job)
	some called_job in p.jobs
	called_job.secrets_inherit
}

# passes_on is true when a called pipeline calls a reusable workflow
# itself: the secrets it passes under `secrets:` are not in the model, so
# which it reads is not known.
passes_on(job) if {
	some p in called(job)
	some called_job in p.jobs
	called_job.uses != null
}
