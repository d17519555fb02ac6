# METADATA
# title: Deploy job outside the production environment
# description: |
#   A job runs a deploy command or deploy action (kubectl apply, helm
#   upgrade, terraform apply, ...) and does not declare the `production`
#   environment. Only a job that declares an environment is held by that
#   environment's protection rules (required reviewers, wait timer, allowed
#   branches) and is given only that environment's secrets; a job without one
#   deploys as soon as anyone can push to a branch that runs it.
# related_resources:
#   - ref: https://wiki.acme.example/ci/acme-deploy-environment
#     description: ACME CI policy, production deploys
# custom:
#   id: acme-deploy-environment
#   severity: high
#   precision: high
#   remediation: |
#     Declare the environment on the deploy job (`environment: production` on
#     GitHub, `environment: {name: production}` on GitLab), and in the
#     repository settings give that environment required reviewers and
#     restrict it to the protected branches.
#   tags: [deployment, acme]
package pipelint.rules.acme_deploy_environment

import data.pipelint.lib.pipeline

# environments are the environment names a deploy job may declare: the rule
# option environments from .pipelint.yaml, or production by default.
default environments := {"production"}

environments := {lower(name) | some name in configured} if {
	configured := data.pipelint.config.rules["acme-deploy-environment"].options.environments
}

# Jobs that deploy and declare no environment.
findings contains finding if {
	some i in deploy_jobs
	job := input.jobs[i]
	job.environment == null
	finding := {
		"msg": sprintf("job %q deploys with %s but declares no environment; use environment %s", [job.id.value, first_deploy(i), allowed]),
		"pos": job.id.pos,
	}
}

# Jobs that deploy to another environment. A name computed at run time
# (`${{ inputs.target }}`) cannot be judged from the file.
findings contains finding if {
	some i in deploy_jobs
	name := input.jobs[i].environment.name
	not pipeline.is_run_time_value(name.value)
	not lower(name.value) in environments
	finding := {
		"msg": sprintf("job %q deploys with %s to environment %q; use environment %s", [input.jobs[i].id.value, first_deploy(i), name.value, allowed]),
		"pos": name.pos,
	}
}

# deploy_jobs are the jobs of a GitHub or GitLab pipeline that run a deploy
# command or action. Jenkins has no environments to declare, and an
# action.yml has no jobs of its own.
deploy_jobs contains site.job if {
	input.system in {"github", "gitlab"}
	input.kind == "workflow"
	some site in pipeline.deploy_sites
}

# first_deploy names the job's first deploy command or action.
first_deploy(i) := sites[0][2] if {
	sites := sort([[site.pos.line, site.pos.column, site.what] | some site in pipeline.deploy_sites; site.job == i])
}

allowed := concat(" or ", [sprintf("%q", [name]) | some name in sort(environments)])
