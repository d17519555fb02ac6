package pipelint.rules.ref_confusion_test

import data.pipelint.rules.ref_confusion

pos := {"file": "w.yml", "line": 7, "column": 15, "end_line": 7, "end_column": 29}

ref(r) := {
	"kind": "action", "owner": "octo", "repo": "action", "path": "", "ref": r,
	"value": {"value": concat("@", ["octo/action", r]), "pos": pos},
	"pinned": false, "local": false, "dynamic": false, "version_comment": "",
}

entry(r, ambiguous) := {"repo": "octo/action", "ref": r, "kind": "tag", "commit": "0123456789abcdef0123456789abcdef01234567", "tags_at_commit": [r], "branches_at_commit": [], "ambiguous": ambiguous, "reachable": "yes"}

test_branch_and_tag if {
	ref_confusion.findings == {{
		"msg": `action "octo/action@v2" names "v2", both a branch and a tag of octo/action, which can point at different commits; pin it to the full commit SHA of the tag`,
		"pos": pos,
	}} with input as {"references": [ref("v2")], "resolved": [entry("v2", true)]}
}

test_not_reported if {
	count(ref_confusion.findings) == 0 with input as {"references": [ref("v2")], "resolved": [entry("v2", false)]}
	count(ref_confusion.findings) == 0 with input as {"references": [ref("v2")], "resolved": []}
	# the facts of another ref of the repository
	count(ref_confusion.findings) == 0 with input as {"references": [ref("v2")], "resolved": [entry("v3", true)]}
}
