# METADATA
# title: Pinned commit that is not in the repository's history
# description: |
#   A `uses:` reference pins an action or reusable workflow to a full
#   commit SHA that no branch or tag of the named repository holds in its
#   history. GitHub serves the commits of every fork through the parent
#   repository's name, so `actions/checkout@<sha>` runs whatever commit of
#   any fork of actions/checkout has that SHA: a pin that looks reviewed
#   can name code the action's owners never wrote. Only `pipelint check
#   --online` knows the refs (input.resolved); a commit older than the
#   part of the histories read is undecided and not reported.
# custom:
#   id: impostor-commit
#   severity: high
#   precision: high
#   remediation: |
#     Pin the commit of a release of the repository itself: the commit its
#     tag points at (`git ls-remote https://github.com/OWNER/REPO
#     refs/tags/v4.2.2`), with the version in a trailing comment. Find out
#     where the pinned commit came from before running the workflow again.
#   tags: [supply-chain, external/cwe/cwe-829]
package pipelint.rules.impostor_commit

import data.pipelint.lib.refs

findings contains {"msg": msg, "pos": ref.value.pos} if {
	refs.online
	some ref in input.references
	ref.kind in {"action", "reusable-workflow"}
	resolved := refs.resolved(ref)
	resolved.kind == "commit"
	resolved.reachable == "no"
	msg := sprintf(
		"%s %q is pinned to a commit that no branch or tag of %s/%s holds: it can come from a fork, served through the repository's name; pin the commit of one of its releases",
		[noun[ref.kind], ref.value.value, ref.owner, ref.repo],
	)
}

noun := {"action": "action", "reusable-workflow": "reusable workflow"}
