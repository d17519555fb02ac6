# METADATA
# title: GitLab security scanner included, then switched off
# description: |
#   The pipeline includes one of GitLab's security scanners (the
#   `Security/SAST.gitlab-ci.yml` template and its kin, or Auto DevOps)
#   and then switches it off for every pipeline: its variable set true
#   (`SAST_DISABLED`, `SECRET_DETECTION_DISABLED`,
#   `DEPENDENCY_SCANNING_DISABLED`, `CONTAINER_SCANNING_DISABLED`,
#   `DAST_DISABLED`), or one of its jobs overridden with rules that all say
#   `when: never`. The merge request widget, the security dashboard and
#   approval policies then see no findings, which reads as a clean scan.
#   A scanner switched off on some branches only, or with a comment that
#   says why, is a decision and is not reported.
# custom:
#   id: security-scan-disabled
#   severity: medium
#   precision: high
#   remediation: |
#     Remove the variable or the override, and limit the scanner instead
#     (`SAST_EXCLUDED_PATHS`, `SAST_EXCLUDED_ANALYZERS`, rules for some
#     branches). If the scanner is not wanted, remove its include, or say
#     why in a comment beside the setting.
#   tags: [security, scanning, gitlab]
package pipelint.rules.security_scan_disabled

import data.pipelint.lib.tables
import data.pipelint.lib.text

findings contains finding if {
	text.mentions_any(tables.scanner_keywords)
	some site in switched_off
	not explained(site.span)
	entry := tables.security_scanners[site.scanner]
	finding := {
		"msg": sprintf("%s (%s, %s) for every pipeline: no report reaches merge requests or the security dashboard, which reads as a clean scan; remove it and narrow the scanner instead, or remove the include, or say why in a comment", [site.how, site.scanner, added_by(entry)]),
		"pos": site.pos,
		"severity": entry.severity,
	}
}

# switched_off lists where a scanner is switched off for every pipeline:
# its variable set true for every job or in one of its jobs, or one of its
# jobs overridden with rules that never run it. {"scanner", "how", "pos",
# "span"}, span being the lines a comment giving a reason may sit on.
switched_off contains {"scanner": scanner, "how": sprintf("%s=%q switches the scanner off", [v.name.value, v.value.value]), "pos": v.pos, "span": span(v.pos)} if {
	some scanner, entry in tables.security_scanners
	included(entry)
	some v in input.env
	switch_set(v, entry)
}

switched_off contains {"scanner": scanner, "how": sprintf("%s=%q switches off the scanner's job %q", [v.name.value, v.value.value, job.id.value]), "pos": v.pos, "span": span(v.pos)} if {
	some scanner, entry in tables.security_scanners
	some job in input.jobs
	scanner_job(job.id.value, entry)
	some v in job.env
	switch_set(v, entry)
	scanner_in_view(job, entry)
}

switched_off contains {"scanner": scanner, "how": sprintf("rules that all say when: never switch off the scanner's job %q", [job.id.value]), "pos": job.id.pos, "span": span(job.pos)} if {
	some scanner, entry in tables.security_scanners
	some job in input.jobs
	job.when == "never"
	scanner_job(job.id.value, entry)
	scanner_in_view(job, entry)
}

switch_set(v, entry) if {
	v.name.value == entry.variable
	lower(trim_space(v.value.value)) in tables.true_switch_values
}

# scanner_job is true for the name of one of the scanner's scanning jobs.
scanner_job(name, entry) if {
	not name in tables.configuration_scanner_jobs
	some pattern in entry.jobs
	glob.match(pattern, null, name)
}

# scanner_in_view is true when a job of a scanner overrides one the
# scanner's template adds: the template is included, or the job has no
# script of its own, which only a job an include defines can lack (the
# include's content is not read).
scanner_in_view(_, entry) if included(entry)

scanner_in_view(job, _) if {
	count(job.steps) == 0
	job.uses == null
}

included(entry) if some _ in templates(entry)

# templates lists the includes that add the scanner.
templates(entry) := [ref.value.value |
	some ref in input.references
	ref.kind == "include"
	ref.usage == "template"
	adds(ref.path, entry)
]

adds(path, _) if path in tables.scanner_bundles

adds(path, entry) if {
	some pattern in entry.templates
	glob.match(pattern, null, path)
}

added_by(entry) := sprintf("added by %q", [templates(entry)[0]]) if included(entry)
else := "added by an include"

# explained is true when a comment sits on the lines of the setting, or
# on the line above it: the file records why the scanner is off.
explained(span) if {
	some c in input.comments
	c.pos.file == span.file
	c.pos.line >= span.from
	c.pos.line <= span.to
}

span(pos) := {"file": pos.file, "from": pos.line - 1, "to": pos.end_line}
