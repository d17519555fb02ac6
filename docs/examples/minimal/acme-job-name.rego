# METADATA
# title: Job without a name
# description: |
#   A job has no `name:`, so the pipeline's UI and its required status
#   checks show only the job id.
# custom:
#   id: acme-job-name
#   severity: low
#   remediation: Give the job a `name:` that says what it does.
package pipelint.rules.acme_job_name

findings contains {"msg": sprintf("job %q has no name", [job.id.value]), "pos": job.id.pos} if {
	some job in input.jobs
	job.name.value == ""
}
