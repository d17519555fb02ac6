# METADATA
# title: Container image not pinned to a digest
# description: |
#   A job container, service, `docker://` step, docker action or agent image
#   is referenced by a tag or by no tag at all instead of an immutable
#   `@sha256:` digest. Tags are mutable: a compromised or careless publisher
#   can replace what `node:20` or `latest` means, and your pipeline runs the
#   new image with its secrets. An image computed at run time is judged on
#   what the file fixes: each value of a static matrix, a tag written after
#   the expression, a literal the expression can give.
# custom:
#   id: unpinned-image
#   severity: high
#   precision: very-high
#   remediation: |
#     Pin the image to its digest and keep the tag for readers, e.g.
#     `node:20.11.1@sha256:<digest>` (`docker buildx imagetools inspect
#     node:20.11.1` prints it). Dependabot (docker ecosystem) and Renovate
#     keep digests current.
#   tags: [supply-chain, external/cwe/cwe-829]
package pipelint.rules.unpinned_image

import data.pipelint.lib.expressions
import data.pipelint.lib.images
import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text

# Images written out.
findings contains finding if {
	some ref in input.references
	ref.kind == "image"
	not ref.pinned
	not ref.dynamic
	not images.is_built(ref)
	not vm_image(ref)
	finding := object.union(judged(ref, ref.value.value, ref.ref, ref.value.pos), pin_fix(ref))
}

# pin_fix adds the digest the tag names now to the image (`pipelint fix`,
# which resolves it over the network or from its cache), where the image
# is written out as it is named: not where the name is put together from
# variables, whose value is written elsewhere.
pin_fix(ref) := {"fix": {"kind": "pin-reference", "pos": ref.value.pos}} if {
	ref.usage != "machine"
	text.at(ref.value.pos) == ref.value.value
} else := {}

# Images computed at run time whose tag the file fixes whatever the
# expressions give: `name-${{ matrix.v }}:latest` is latest.
findings contains finding if {
	some ref in input.references
	ref.kind == "image"
	ref.dynamic
	not ref.pinned
	not images.is_built(ref)
	tag := images.literal_tag(ref.value.value)
	finding := judged(ref, ref.value.value, tag, ref.value.pos)
}

# An image read from a static matrix (`container: ${{ matrix.image }}`,
# `node:${{ matrix.node }}`) is each of the matrix's values, reported where
# the value is written. An empty value runs the job without a container.
findings contains finding if {
	some ref in input.references
	ref.kind == "image"
	ref.dynamic
	not images.literal_tag(ref.value.value)
	[expression, variable] := expressions.matrix_variable(ref.value.value)
	some i in image_users[ref.value.pos]
	some value in input.jobs[i].strategy.values
	lower(value.name.value) == variable
	value.source == "literal"
	image := replace(ref.value.value, expression, value.value.value)
	not written_out_fine(image)
	finding := judged(ref, image, images.tag(image), value.value.pos)
}

# A literal an expression can give (`${{ cond && 'redis:7' || '' }}`),
# reported at the literal.
findings contains finding if {
	some ref in input.references
	ref.kind == "image"
	ref.dynamic
	some literal in expressions.result_literals(ref.value.value)
	not written_out_fine(literal.value)
	finding := judged(ref, literal.value, images.tag(literal.value), at_offset(ref.value.pos, literal.offset, literal.value))
}

# written_out_fine is true for an image name from a matrix or an expression
# that needs no finding: empty (no container), pinned, still computed, or
# built by the pipeline.
written_out_fine(image) if trim_space(image) == ""

written_out_fine(image) if images.has_digest(image)

written_out_fine(image) if contains(image, "$")

written_out_fine(image) if images.repository(trim_prefix(image, "docker://")) in images.built

# image_users holds the jobs (indexes) that use the image written at each
# position, as container, service or step, grouped from one sorted list
# (see runs) rather than by walking every job for every image.
image_users := runs.group_sets(image_uses)

image_uses := sort([[pos, i] | some i, job in input.jobs; some pos in image_positions(job)])

image_positions(job) := array.concat(
	[pos | pos := job.container.name.pos],
	array.concat([service.name.pos | some service in job.services], [step.uses.value.pos | some step in job.steps; step.uses != null]),
)

# at_offset is the position of text found offset characters into the value
# at pos, when the value is on one line; else the value's position.
at_offset(pos, offset, text) := object.union(pos, {"column": pos.column + offset, "end_column": pos.column + offset + count(text)}) if {
	pos.line == pos.end_line
}

at_offset(pos, _, _) := pos if pos.line != pos.end_line

# vm_image is true for the image of a job on a hosted runner that boots it
# as a virtual machine (GitLab's macOS and Windows runners): the runner
# provider keeps those images, and no digest can be pinned.
vm_image(ref) if {
	ref.usage == "container"
	ref.value.value in vm_images
}

# vm_images are the container images of the jobs on such runners,
# collected once rather than for every image.
vm_images contains job.container.name.value if {
	some job in input.jobs
	some label in job.runner.labels
	some pattern in tables.vm_image_runner_tags
	glob.match(pattern, null, label.value)
}

judged(ref, image, tag, pos) := {
	"msg": machine_message(image, tag),
	"pos": pos,
	"severity": "medium",
} if {
	ref.usage == "machine"
} else := {
	"msg": message(ref, image, tag),
	"pos": pos,
	"severity": severity[mutability(tag)],
}

mutability(tag) := "floating" if tag == ""

mutability(tag) := "floating" if floating(tag)

mutability(tag) := "tag" if {
	tag != ""
	not floating(tag)
}

floating(tag) if {
	some pattern in tables.floating_image_tags
	glob.match(pattern, null, tag)
}

severity := {"floating": "high", "tag": "medium"}

message(ref, image, "") := sprintf("%s image %q has no version (it means \"latest\", which changes with every release); pin it to a digest", [usage(ref), image])

message(ref, image, "latest") := sprintf("%s image %q uses the \"latest\" tag, which changes with every release; pin it to a digest", [usage(ref), image])

message(ref, image, tag) := sprintf("%s image %q uses the floating tag %q, which follows every new release like \"latest\"; pin it to a digest", [usage(ref), image, tag]) if {
	floating(tag)
	tag != "latest"
}

message(ref, image, tag) := sprintf("%s image %q is pinned to tag %q, which can be moved; pin it to a digest (@sha256:...)", [usage(ref), image, tag]) if {
	tag != ""
	not floating(tag)
}

# machine_message is for a virtual machine image its provider keeps
# (CircleCI `machine: image:`): it has no digest, and a dated release
# never changes, where `current` and `edge` move to each new one.
machine_message(image, "") := sprintf("machine image %q names no release, so each new image the provider releases replaces it; pin a dated release (for example ubuntu-2204:2024.01.1)", [image])

machine_message(image, tag) := sprintf("machine image %q uses %q, which moves to each new image the provider releases; pin a dated release (for example ubuntu-2204:2024.01.1)", [image, tag]) if tag != ""

usage(ref) := usage_names[ref.usage]

usage(ref) := "container" if not usage_names[ref.usage]

usage_names := {
	"container": "container",
	"service": "service",
	"step": "step",
	"action": "docker action",
	"agent": "agent",
}
