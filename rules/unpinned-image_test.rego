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
