# METADATA
# title: Container image not pinned to a digest
# description: |
#   A job container, service, `docker://` step, docker action or agent image
#   is referenced by a tag or by no tag at all instead of an immutable
#   `@sha256:` digest. Tags are mutable: a compromised or careless publisher
#   can replace what `node:20` or `latest` means, and your pipeline runs the
#   new image with its secrets.
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

import data.pipelint.lib.images
import data.pipelint.lib.refs

findings contains finding if {
	some ref in input.references
	ref.kind == "image"
	not ref.pinned
	not ref.dynamic
	not images.is_built(ref)
	mutability := image_mutability(ref)
	finding := {
		"msg": message(ref, mutability),
		"pos": ref.value.pos,
		"severity": severity[mutability],
	}
}

image_mutability(ref) := "latest" if ref.ref in {"", "latest"}

image_mutability(ref) := "tag" if not ref.ref in {"", "latest"}

severity := {"latest": "high", "tag": "medium"}

message(ref, "latest") := sprintf("%s image %q has no version (it means \"latest\", which changes with every release); pin it to a digest", [usage(ref), ref.value.value]) if ref.ref == ""

message(ref, "latest") := sprintf("%s image %q uses the \"latest\" tag, which changes with every release; pin it to a digest", [usage(ref), ref.value.value]) if ref.ref == "latest"

message(ref, "tag") := sprintf("%s image %q is pinned to tag %q, which can be moved; pin it to a digest (@sha256:...)", [usage(ref), ref.value.value, ref.ref])

usage(ref) := usage_names[ref.usage]

usage(ref) := "container" if not usage_names[ref.usage]

usage_names := {
	"container": "container",
	"service": "service",
	"step": "step",
	"action": "docker action",
	"agent": "agent",
}
