package pipelint.rules.unpinned_image_test

import data.pipelint.rules.unpinned_image

pos := {"file": "w.yml", "line": 5, "column": 18, "end_line": 5, "end_column": 27}

image(value, registry, repo, tag, extra) := object.union(
	{
		"kind": "image", "usage": "container", "value": {"value": value, "pos": pos},
		"registry": registry, "repo": repo, "ref": tag, "digest": "", "pinned": false, "dynamic": false,
	},
	extra,
)

cmd(name, args) := {"name": {"value": name}, "args": [{"value": a} | some a in args]}

test_tag_is_medium if {
	findings := unpinned_image.findings with input as {"jobs": [], "references": [image("node:20", "", "node", "20", {})]}
	findings == {{
		"msg": `container image "node:20" is pinned to tag "20", which can be moved; pin it to a digest (@sha256:...)`,
		"pos": pos,
		"severity": "medium",
	}}
}

# `pipelint fix` adds the digest where the image is written as it is
# named; not where its name is put together from variables (the value's
# position is then the variable's, whose text is not the image), nor on an
# input without its text.
test_fix_where_the_image_is_written if {
	at := {"file": "w.yml", "line": 2, "column": 16, "end_line": 2, "end_column": 23}
	source := {"file": "w.yml", "lines": ["jobs:", "    container: node:20 # runtime"]}
	some found in unpinned_image.findings with input as {"jobs": [], "references": [image("node:20", "", "node", "20", {"value": {"pos": at}})], "sources": [source]}
	found.fix == {"kind": "pin-reference", "pos": at}
}

test_no_fix_where_variables_name_the_image if {
	# `python:$VERSION`: the position is where VERSION's value (3.12) is written.
	source := {"file": "w.yml", "lines": ["", "", "", "", "  VERSION: 3.12                   "]}
	at := {"file": "w.yml", "line": 5, "column": 12, "end_line": 5, "end_column": 16}
	some found in unpinned_image.findings with input as {"jobs": [], "references": [image("python:3.12", "", "python", "3.12", {"value": {"value": "python:3.12", "pos": at}})], "sources": [source]}
	not found.fix
	some unsourced in unpinned_image.findings with input as {"jobs": [], "references": [image("node:20", "", "node", "20", {})]}
	not unsourced.fix
}

test_no_tag_is_high if {
	some f in unpinned_image.findings with input as {"jobs": [], "references": [image("redis", "", "redis", "", {"usage": "service"})]}
	f.severity == "high"
	startswith(f.msg, `service image "redis" has no version`)
}

test_latest_is_high if {
	some f in unpinned_image.findings with input as {"jobs": [], "references": [image("docker://alpine:latest", "", "alpine", "latest", {"usage": "step"})]}
	f.severity == "high"
}

test_digest_and_dynamic_are_fine if {
	count(unpinned_image.findings) == 0 with input as {"jobs": [], "references": [
		image("node@sha256:abc", "", "node", "", {"pinned": true}),
		image("${{ matrix.image }}", "", "", "", {"dynamic": true}),
	]}
}

test_image_built_by_a_step_is_not_a_reference if {
	built := {"jobs": [{"steps": [{"script": {"commands": [cmd("docker", ["build", "-t", "ghcr.io/me/app:test", "."])]}, "uses": null, "with": []}]}], "references": [image("ghcr.io/me/app:test", "ghcr.io", "me/app", "test", {})]}
	count(unpinned_image.findings) == 0 with input as built
}

test_image_pushed_by_build_push_action_is_not_a_reference if {
	step := {"script": null, "uses": {"owner": "docker", "repo": "build-push-action"}, "with": [{"name": {"value": "tags"}, "value": {"value": "me/app:latest\nme/app:1.0"}}]}
	count(unpinned_image.findings) == 0 with input as {"jobs": [{"steps": [step]}], "references": [image("me/app:1.0", "", "me/app", "1.0", {})]}
}

test_other_images_still_reported_when_something_is_built if {
	built := {"jobs": [{"steps": [{"script": {"commands": [cmd("docker", ["build", "--tag=me/app", "."])]}, "uses": null, "with": []}]}], "references": [image("postgres:16", "", "postgres", "16", {"usage": "service"})]}
	count(unpinned_image.findings) == 1 with input as built
}

test_image_built_by_a_jenkins_docker_build_is_not_a_reference if {
	build_step := {"call": {"value": "docker.build"}, "with": [{"name": {"value": ""}, "value": {"value": "acme/tools:ci"}}], "script": null, "uses": null}
	count(unpinned_image.findings) == 0 with input as {"jobs": [{"steps": [build_step]}], "references": [image("acme/tools:ci", "", "acme/tools", "ci", {})]}
}

test_floating_tags_are_high if {
	some f in unpinned_image.findings with input as {"jobs": [], "references": [image("docker:dind", "", "docker", "dind", {"usage": "service"})]}
	f == {
		"msg": `service image "docker:dind" uses the floating tag "dind", which follows every new release like "latest"; pin it to a digest`,
		"pos": pos,
		"severity": "high",
	}
	[f.severity | some f in unpinned_image.findings] == ["medium"] with input as {"jobs": [], "references": [image("docker:27-dind", "", "docker", "27-dind", {"usage": "service"})]}
}

at_line(line, column, end_column) := {"file": "w.yml", "line": line, "column": column, "end_line": line, "end_column": end_column}

# A job whose container is `${{ matrix.image }}`, and the matrix values.
matrix_job(values) := {
	"container": {"name": {"value": "${{ matrix.image }}", "pos": pos}},
	"strategy": {"values": [{"name": {"value": name}, "value": {"value": v, "pos": at_line(line, 10, 10 + count(v))}, "source": source} |
		some [name, v, line, source] in values
	]},
	"steps": [],
}

test_static_matrix_values_are_judged_where_written if {
	job := matrix_job([
		["image", "node:20", 8, "literal"], ["Image", "redis", 9, "literal"], ["image", "", 10, "literal"],
		["image", "node@sha256:0000000000000000000000000000000000000000000000000000000000000000", 11, "literal"],
		["image", "${{ inputs.image }}", 12, "expression"], ["other", "alpine:3", 13, "literal"],
	])
	findings := unpinned_image.findings with input as {"jobs": [job], "references": [image("${{ matrix.image }}", "", "${{ matrix.image }}", "", {"dynamic": true})]}
	{[f.pos.line, f.severity] | some f in findings} == {[8, "medium"], [9, "high"]}
}

test_a_matrix_variable_inside_a_name_is_substituted if {
	job := object.union(matrix_job([["node", "20", 8, "literal"]]), {"container": {"name": {"value": "node:${{ matrix.node }}-slim", "pos": pos}}})
	findings := unpinned_image.findings with input as {"jobs": [job], "references": [image("node:${{ matrix.node }}-slim", "", "node", "${{ matrix.node }}-slim", {"dynamic": true})]}
	[f.msg | some f in findings] == [`container image "node:20-slim" is pinned to tag "20-slim", which can be moved; pin it to a digest (@sha256:...)`]
}

dynamic_findings(value) := f if {
	f := unpinned_image.findings with input as {"jobs": [], "references": [image(value, "", "", "", {"dynamic": true})]}
}

test_a_tag_after_the_expression_is_judged_whatever_it_gives if {
	[f.severity | some f in dynamic_findings("name-${{ matrix.v }}:latest")] == ["high"]
	[f.severity | some f in dynamic_findings("${{ vars.REGISTRY }}/tools")] == ["high"]
	[f.severity | some f in dynamic_findings("${{ vars.REGISTRY }}/tools:1.2")] == ["medium"]
	count(dynamic_findings("tools:${{ vars.TAG }}")) == 0
	count(dynamic_findings("${{ vars.IMAGE }}")) == 0
	count(dynamic_findings("${{ vars.REGISTRY }}/tools:1.2@sha256:0000000000000000000000000000000000000000000000000000000000000000")) == 0
	count(dynamic_findings("${{ vars.REGISTRY }}/tools@${{ vars.DIGEST }}")) == 0
}

test_the_literals_an_expression_gives_are_judged_at_the_literal if {
	value := "${{ matrix.os == 'lïnux' && 'redis:7' || '' }}"
	findings := unpinned_image.findings with input as {"jobs": [], "references": [image(value, "", "", "", {"dynamic": true})]}
	# columns count characters: 'redis:7' starts 29 characters into the value
	findings == {{
		"msg": `container image "redis:7" is pinned to tag "7", which can be moved; pin it to a digest (@sha256:...)`,
		"pos": object.union(pos, {"column": 18 + 29, "end_column": 18 + 36}),
		"severity": "medium",
	}}
}

mac_job(labels) := {"container": {"name": {"value": "macos-14-xcode-15", "pos": pos}}, "runner": {"labels": [{"value": l} | some l in labels]}, "steps": []}

test_vm_images_of_hosted_runners_are_not_containers if {
	ref := image("macos-14-xcode-15", "", "macos-14-xcode-15", "", {})
	count(unpinned_image.findings) == 0 with input as {"jobs": [mac_job(["saas-macos-medium-m1"])], "references": [ref]}
	count(unpinned_image.findings) == 1 with input as {"jobs": [mac_job(["macos"])], "references": [ref]}
}

test_floating_tag_variants_are_high if {
	some tag in ["stable-slim", "latest-alpine", "sid", "testing-slim", "unstable"]
	[f.severity | some f in unpinned_image.findings] == ["high"] with input as {"jobs": [], "references": [image(sprintf("debian:%s", [tag]), "", "debian", tag, {})]}
}

test_version_tags_that_mention_a_channel_are_medium if {
	some tag in ["12-slim", "bookworm-slim", "1.2-stable-x"]
	[f.severity | some f in unpinned_image.findings] == ["medium"] with input as {"jobs": [], "references": [image(sprintf("debian:%s", [tag]), "", "debian", tag, {})]}
}

test_a_literal_of_an_expression_written_over_lines_is_reported_at_the_value if {
	folded := object.union(pos, {"end_line": 6})
	ref := object.union(image("${{ inputs.full && 'node:22' || 'node:22-slim' }}", "", "", "", {"dynamic": true}), {"value": {"value": "${{ inputs.full && 'node:22' || 'node:22-slim' }}", "pos": folded}})
	{[f.pos, f.severity] | some f in unpinned_image.findings} == {[folded, "medium"]} with input as {"jobs": [], "references": [ref]}
	count(unpinned_image.findings) == 2 with input as {"jobs": [], "references": [ref]}
}
