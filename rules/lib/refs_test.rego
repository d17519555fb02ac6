package pipelint.lib.refs_test

import data.pipelint.lib.refs

test_online_only_with_resolved_refs if {
	refs.online with input as {"resolved": [{"repo": "octo/action", "ref": "v1", "kind": "tag"}]}
	not refs.online with input as {"resolved": []}
	not refs.online with input as {}
}
