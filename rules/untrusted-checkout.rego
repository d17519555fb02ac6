# METADATA
# title: Pull request's code run with the base repository's secrets
# description: |
#   A workflow on a privileged trigger (pull_request_target, workflow_run,
#   issue_comment, ...) runs with the base repository's token and secrets.
#   It checks out or fetches the pull request's head (by its SHA, its
#   refs/pull ref, its repository, `gh pr checkout`), or downloads the
#   artifacts of the run that triggered it, and then builds, installs,
#   tests, runs scripts or uses local actions from what it got: whoever
#   opens the pull request runs code with those secrets. Critical; high
#   when a label, an environment, a commenter's association or a
#   permission check gates the job. A head checked out that nothing known
#   runs, but that later steps read, is medium (low when gated); a base
#   checkout, a head branch fetched from the base repository, pull
#   requests only from the repository or its members, and a head nothing
#   reads after it are not reported.
# custom:
#   id: untrusted-checkout
#   severity: critical
#   precision: high
#   remediation: |
#     Build and test pull requests in a `pull_request` workflow, which gets
#     no secrets and a read-only token for forks; pass what a privileged
#     follow-up needs (a report, a comment) as an artifact it reads as
#     data, extracted outside the workspace, and never runs. If the
#     privileged workflow must see the head, check it out into its own
#     directory and run only the base's tools on it, with
#     `persist-credentials: false`.
#   tags: [security, external/cwe/cwe-829]
package pipelint.rules.untrusted_checkout

import data.pipelint.lib.checkouts
import data.pipelint.lib.tables
import data.pipelint.lib.untrusted

findings contains finding if {
	untrusted.file_grade == "privileged"
	some got in checkouts.acquisitions
	not checkouts.outsiders_excluded(got)
	finding := judged(got)
}

# judged is the finding for what a job got from the pull request: critical
# when a later step runs it, medium when later steps only read it; each
# one level lower behind a maintainer's gate.
judged(got) := finding if {
	runs := sort([[site.order, site] | some site in checkouts.run_sites(got)])
	count(runs) > 0
	site := runs[0][1]
	gates := checkouts.gate_names(got)
	finding := {
		"msg": sprintf("%s %s, then runs %q from it at line %d with the base repository's token and secrets%s", [trigger_name, got.what, site.what, site.pos.line, gate_note(gates)]),
		"pos": got.pos,
		"severity": severity("runs", gates),
	}
} else := finding if {
	readers := sort([[site.order, site] | some site in checkouts.reader_sites(got)])
	count(readers) > 0
	site := readers[0][1]
	gates := checkouts.gate_names(got)
	finding := {
		"msg": sprintf("%s %s into the workspace, and the steps from line %d work in the author's tree with the base repository's token and secrets: nothing known there runs its code, but a tool that loads code from the tree would%s", [trigger_name, got.what, site.pos.line, gate_note(gates)]),
		"pos": got.pos,
		"severity": severity("reads", gates),
	}
}

severity("runs", gates) := "critical" if count(gates) == 0

severity("runs", gates) := "high" if count(gates) > 0

severity("reads", gates) := "medium" if count(gates) == 0

severity("reads", gates) := "low" if count(gates) > 0

gate_note(gates) := "" if count(gates) == 0

gate_note(gates) := sprintf(" (gated by %s: safe only if a maintainer reviews every push before it runs)", [concat(" and ", gates)]) if count(gates) > 0

# trigger_name names the privileged events the file runs on, or, for a
# workflow or action others call, its callers'.
trigger_name := concat(", ", privileged_events(input)) if not untrusted.called_file

trigger_name := sprintf("called on %s, this %s", [concat(", ", sort(events)), noun[input.kind]]) if {
	untrusted.called_file
	events := {e | some p in untrusted.caller_pipelines; some e in privileged_events(p)}
}

privileged_events(p) := sort({e | some e in untrusted.events(p); e in tables.privileged_triggers})

noun := {"workflow": "workflow", "action": "action"}
