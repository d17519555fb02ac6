package pipelint.rules.ref_version_mismatch_test

import data.pipelint.rules.ref_version_mismatch

pinned := "0123456789abcdef0123456789abcdef01234567"

other := "89abcdef0123456789abcdef0123456789abcdef"

pos := {"file": "w.yml", "line": 7, "column": 15, "end_line": 7, "end_column": 70}

comment_pos := {"file": "w.yml", "line": 7, "column": 73, "end_line": 7, "end_column": 79}

ref(comment) := {
	"kind": "action", "owner": "octo", "repo": "action", "path": "", "ref": pinned,
	"value": {"value": concat("@", ["octo/action", pinned]), "pos": pos},
	"pinned": true, "local": false, "dynamic": false,
	"version_comment": comment, "version_comment_pos": comment_pos,
}

entry(ref, kind, commit, tags) := {"repo": "octo/action", "ref": ref, "kind": kind, "commit": commit, "tags_at_commit": tags, "branches_at_commit": [], "ambiguous": false, "reachable": "yes"}

findings(comment, resolved) := found if {
	found := ref_version_mismatch.findings with input as {"references": [ref(comment)], "resolved": resolved}
}

test_tag_at_another_commit if {
	findings("v2.1.0", [entry(pinned, "commit", pinned, ["v1", "v1.0.0"]), entry("v2.1.0", "tag", other, ["v2.1.0"])]) == {{
		"msg": sprintf(`action "octo/action@%s" is commented as version "v2.1.0", but tag "v2.1.0" points at commit 89abcde (tags at the pinned commit: "v1", "v1.0.0"); pin the tag's commit or correct the comment`, [pinned]),
		"pos": comment_pos,
	}}
}

test_no_such_tag if {
	findings("v9.9.9", [entry(pinned, "commit", pinned, []), entry("v9.9.9", "", "", [])]) == {{
		"msg": sprintf(`action "octo/action@%s" is commented as version "v9.9.9", but octo/action has no such tag (no tag points at the pinned commit); correct the comment`, [pinned]),
		"pos": comment_pos,
	}}
}

# A major tag moved on since the pin is a mismatch too: the comment no
# longer says what runs.
test_moved_major_tag if {
	count(findings("v1", [entry(pinned, "commit", pinned, ["v1.0.0"]), entry("v1", "tag", other, ["v1", "v1.1.0"])])) == 1
}

test_not_reported if {
	# the tag points at the pinned commit
	count(findings("v1", [entry(pinned, "commit", pinned, ["v1"]), entry("v1", "tag", pinned, ["v1"])])) == 0
	# a branch named in the comment, or a word that is no version
	count(findings("main", [entry(pinned, "commit", pinned, []), entry("main", "branch", other, [])])) == 0
	count(findings("stable", [entry(pinned, "commit", pinned, []), entry("stable", "", "", [])])) == 0
	# no comment, or nothing resolved (no --online)
	count(findings("", [entry(pinned, "commit", pinned, [])])) == 0
	count(findings("v2.1.0", [])) == 0
}
