# METADATA
# title: Bot identity checked through github.actor
# description: |
#   A job or step condition compares `github.actor` (or
#   `github.triggering_actor`) with a bot's login, such as
#   `dependabot[bot]`, to decide whether to run, on a trigger where the
#   actor is whoever caused the event, not who wrote the change: anyone
#   can open a pull request and get a bot to update it, and the workflow
#   then runs as if the bot had written it (auto-merge, secrets,
#   approvals). The author of the pull request (`github.event.pull_request.user.login`)
#   cannot be spoofed that way.
# custom:
#   id: spoofable-bot-condition
#   severity: high
#   precision: high
#   remediation: |
#     Compare the author of the change instead:
#     `github.event.pull_request.user.login == 'dependabot[bot]'` (or the
#     bot's numeric user id), as GitHub's Dependabot documentation does.
#   tags: [security, external/cwe/cwe-290]
package pipelint.rules.spoofable_bot_condition

import data.pipelint.lib.tables
import data.pipelint.lib.text
import data.pipelint.lib.untrusted

findings contains finding if {
	text.mentions_any_case("actor")
	spoofable
	some site in conditions
	not regex.match(tables.author_contexts, site.context)
	not regex.match(tables.trusted_event_condition, site.context)
	some gate in actor_gates(site.condition.value)
	finding := {
		"msg": sprintf("condition trusts %s, which is whoever caused the event, not who wrote the change: %s; check who wrote the change instead (github.event.pull_request.user.login on pull request events)", [gate, outsider_note]),
		"pos": site.condition.pos,
		"severity": severity,
	}
}

severity := "high" if untrusted.file_grade == "privileged" else := "medium"

# spoofable is true when the workflow runs on an event whose actor may be
# a bot acting on an outsider's change, or is called from one that does.
spoofable if count(spoofable_events) > 0

spoofable if {
	untrusted.called_file
	untrusted.file_grade in {"privileged", "fork"}
}

spoofable_events := sort({t.event.value |
	some t in input.triggers
	t.event.value in tables.spoofable_actor_triggers
	not only_author_activities(t)
})

only_author_activities(t) if {
	count(t.types) > 0
	every type in t.types {
		type.value in tables.author_activity_types
	}
}

outsider_note := sprintf("on %s anyone can get a bot to act on their pull request or issue and pass it", [concat(", ", spoofable_events)]) if {
	count(spoofable_events) > 0
} else := "in a workflow called from one outsiders start, anyone can get a bot to act on their pull request and pass it"

# conditions are the job and step conditions, each with the text that
# decides with it: a step's own and its job's.
conditions contains {"condition": job.condition, "context": job.condition.value} if {
	some job in input.jobs
	names_actor(job.condition.value)
}

conditions contains {"condition": step.condition, "context": concat("\n", [job.condition.value, step.condition.value])} if {
	some job in input.jobs
	some step in job.steps
	names_actor(step.condition.value)
}

# names_actor is a cheap look at a condition before its comparisons are
# matched.
names_actor(condition) if contains(lower(condition), "actor")

# actor_gates lists the comparisons of a condition that let a bot's
# login through github.actor, as written.
actor_gates(condition) := {m[0] |
	some m in regex.find_all_string_submatch_n(`(?i)github\.(?:actor|triggering_actor)\s*==\s*'([^']*)'`, condition, -1)
	bot(m[1])
} | {m[0] |
	some m in regex.find_all_string_submatch_n(`(?i)'([^']*)'\s*==\s*github\.(?:actor|triggering_actor)`, condition, -1)
	bot(m[1])
} | {m[0] |
	some m in regex.find_all_string_submatch_n(`(?i)(?:startsWith|endsWith|contains)\(\s*github\.(?:actor|triggering_actor)\s*,\s*'([^']*)'\s*\)`, condition, -1)
	bot_part(m[1])
} | {m[0] |
	some m in regex.find_all_string_submatch_n(`(?i)contains\(\s*((?:fromJSON\()?'[^']*'\)?)\s*,\s*github\.(?:actor|triggering_actor)\s*\)`, condition, -1)
	some name in regex.find_all_string_submatch_n(`[A-Za-z0-9_.-]+(?:\[bot\])?`, m[1], -1)
	bot(name[0])
}

bot(login) if endswith(lower(login), "[bot]")

bot(login) if lower(login) in tables.bot_logins

bot_part(text) if contains(lower(text), "[bot]")

bot_part(text) if {
	some login in tables.bot_logins
	startswith(lower(text), login)
}
