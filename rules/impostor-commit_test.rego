package pipelint.rules.impostor_commit_test

import data.pipelint.rules.impostor_commit

sha := "0123456789abcdef0123456789abcdef01234567"

pos := {"file": "w.yml", "line": 7, "column": 15, "end_line": 7, "end_column": 70}

ref(kind, path) := {
	"kind": kind, "owner": "octo", "repo": "action", "path": path, "ref": sha,
	"value": {"value": sprintf("octo/action%s@%s", [path, sha]), "pos": pos},
	"pinned": true, "local": false, "dynamic": false, "version_comment": "",
}

resolved(reachable) := {"repo": "octo/action", "ref": sha, "kind": "commit", "commit": sha, "tags_at_commit": [], "branches_at_commit": [], "ambiguous": false, "reachable": reachable}

test_unreachable_commit if {
	impostor_commit.findings == {{
		"msg": sprintf(`action "octo/action@%s" is pinned to a commit that no branch or tag of octo/action holds: it can come from a fork, served through the repository's name; pin the commit of one of its releases`, [sha]),
		"pos": pos,
	}} with input as {"references": [ref("action", "")], "resolved": [resolved("no")]}
}

# A reusable workflow's path is not part of the repository name.
test_reusable_workflow if {
	some f in impostor_commit.findings with input as {"references": [ref("reusable-workflow", "/.github/workflows/x.yml")], "resolved": [resolved("no")]}
	startswith(f.msg, "reusable workflow \"octo/action/.github/workflows/x.yml@")
}

# Reachable and undecided commits, and no --online at all, are not findings.
test_not_reported if {
	count(impostor_commit.findings) == 0 with input as {"references": [ref("action", "")], "resolved": [resolved("yes")]}
	count(impostor_commit.findings) == 0 with input as {"references": [ref("action", "")], "resolved": [resolved("undecided")]}
	count(impostor_commit.findings) == 0 with input as {"references": [ref("action", "")], "resolved": []}
	other := object.union(resolved("no"), {"repo": "octo/other"})
	count(impostor_commit.findings) == 0 with input as {"references": [ref("action", "")], "resolved": [other]}
}
