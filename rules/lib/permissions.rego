# METADATA
# description: |
#   The GITHUB_TOKEN permissions a GitHub job runs with: a job's own
#   `permissions:` replace the workflow's, which apply to every job that
#   declares none; with neither, the job gets the repository's default
#   token (read and write to most scopes unless the repository or its
#   organisation restricts it). A reusable workflow's jobs get at most
#   what the calling job holds.
package pipelint.lib.permissions

# effective is the permissions object job j of pipeline p runs with, null
# when neither the job nor the workflow declares any.
effective(p, job) := job.permissions if job.permissions != null
else := p.permissions

# declared is true when the job or its workflow declares permissions.
declared(p, job) if effective(p, job) != null

# write_scopes are the scopes a permissions object grants write access
# to, in lower case; "*" for `write-all`.
write_scopes(perms) := {"*"} if {
	lower(perms.all.value) == "write-all"
} else := {lower(s.name.value) |
	some s in perms.scopes
	lower(s.value.value) == "write"
}

# may_write is true for a job whose token may write: it declares a write
# scope, or it declares nothing and gets the default token.
may_write(p, job) if not declared(p, job)

may_write(p, job) if count(write_scopes(effective(p, job))) > 0

# inheriting lists the indexes of the jobs of p that run with the
# workflow's permissions: those without their own.
inheriting(p) := [i | some i, job in p.jobs; job.permissions == null]
