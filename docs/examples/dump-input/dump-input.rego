# METADATA
# title: The rule input, shown for writing policies
# description: |
#   Reports the input every rule sees for each checked file as one finding
#   whose message is that input as JSON, without `sources` (the file's own
#   lines). A tool for writing policies: never load it in CI.
# custom:
#   id: dump-input
#   severity: info
#   remediation: Stop passing --policy docs/examples/dump-input once you have seen the input.
package pipelint.rules.dump_input

findings contains {
	"msg": json.marshal(object.remove(input, ["sources"])),
	"pos": {"line": 1, "column": 1},
}
