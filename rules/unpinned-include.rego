# METADATA
# title: Included configuration or shared library not pinned
# description: |
#   Configuration pulled in from elsewhere follows a moving target: a GitLab
#   `include: project` without `ref:` or at a branch, a `remote` include
#   without `integrity:`, a CI/CD component at `~latest`, a branch or a
#   partial version, or a Jenkins shared library (`@Library`, `library`)
#   without a version or at a branch. Whoever can push to that project or
#   server changes what your pipeline runs, with its secrets. A commit SHA
#   (or a remote include with an integrity hash) cannot move; tags can, but
#   only on purpose, so they are reported at a lower severity. Local
#   includes and GitLab's own templates are not reported.
# custom:
#   id: unpinned-include
#   severity: high
#   precision: very-high
#   remediation: |
#     Pin what you include to a full commit SHA: `ref: <sha>` on a project
#     include, `@<sha>` on a component or a shared library
#     (`@Library('lib@<sha>') _`), and add `integrity: sha256-...` to a
#     remote include. If you pin to a tag, protect the tag in the other
#     project.
#   tags: [supply-chain, external/cwe/cwe-829]
package pipelint.rules.unpinned_include

import data.pipelint.lib.refs
import data.pipelint.lib.tables

findings contains finding if {
	some ref in input.references
	pinnable(ref)
	not ref.pinned
	not ref.local
	judgeable(ref)
	kind := mutability(ref)
	finding := {
		"msg": message(ref, kind),
		"pos": ref.value.pos,
		"severity": severity[kind],
	}
}

pinnable(ref) if {
	ref.kind == "include"
	ref.usage in {"project", "remote", "component"}
}

pinnable(ref) if ref.kind == "library"

# judgeable is true for a reference whose pinning the file decides. A
# remote include with no integrity hash can change whatever its URL is,
# variables or not; another reference computed from variables may resolve
# to a pinned one.
judgeable(ref) if not ref.dynamic

judgeable(ref) if ref.usage == "remote"

# mutability: "remote" (a URL with no integrity hash), "none", "branch",
# "short-sha", "partial" (a major or major.minor version, which moves with
# every release), or "tag".
mutability(ref) := "remote" if {
	ref.usage == "remote"
	not regex.match(`/[0-9a-f]{40}/`, ref.value.value)
}

# A raw URL at a commit SHA serves that commit's file as long as the
# project exists: better than a branch, short of an integrity hash.
mutability(ref) := "remote-commit" if {
	ref.usage == "remote"
	regex.match(`/[0-9a-f]{40}/`, ref.value.value)
}

mutability(ref) := "partial" if {
	ref.usage != "remote"
	refs.mutability(ref) == "tag"
	regex.match(`^v?[0-9]+(\.[0-9]+)?$`, ref.ref)
}

mutability(ref) := kind if {
	ref.usage != "remote"
	kind := refs.mutability(ref)
	not partial_version(ref, kind)
}

partial_version(ref, "tag") if regex.match(`^v?[0-9]+(\.[0-9]+)?$`, ref.ref)

severity := {"remote": "high", "remote-commit": "low", "none": "high", "branch": "high", "short-sha": "medium", "partial": "medium", "tag": "low"}

message(ref, "remote") := sprintf("remote include %q has no integrity hash, so the server can change what it returns; add `integrity: sha256-...` or vendor the file", [ref.value.value]) if not ref.dynamic

message(ref, "remote") := sprintf("remote include %q is fetched from a URL set by variables and has no integrity hash, so what it returns can change; add `integrity: sha256-...` or vendor the file", [ref.value.value]) if ref.dynamic

message(ref, "remote-commit") := sprintf("remote include %q names a commit but has no integrity hash; add `integrity: sha256-...` so a replaced project or a compromised server cannot change it", [ref.value.value])

message(ref, "none") := sprintf("%s %q has no version, so it follows the default branch; %s", [noun(ref), name(ref), pin_idiom]) if ref.kind != "library"

# A library with no version loads the default version its Jenkins
# configuration names, usually a branch.
message(ref, "none") := sprintf("shared library %q has no version, so it loads the default version set in Jenkins, usually a branch; pin it to a commit SHA", [name(ref)]) if ref.kind == "library"

message(ref, "branch") := sprintf("%s %q is pinned to %q, which moves; %s", [noun(ref), name(ref), ref.ref, pin_idiom])

message(ref, "short-sha") := sprintf("%s %q uses the abbreviated commit SHA %q; pin it to the full 40-character SHA", [noun(ref), name(ref), ref.ref])

message(ref, "partial") := sprintf("%s %q is pinned to the partial version %q, which moves with every release; %s", [noun(ref), name(ref), ref.ref, pin_idiom])

message(ref, "tag") := sprintf("%s %q is pinned to tag %q, which can be moved; %s", [noun(ref), name(ref), ref.ref, pin_idiom])

# pin_idiom says how to pin a project include on the file's system.
pin_idiom := tables.for_system(tables.include_pin_idiom, input.system)

noun(ref) := "project include" if ref.usage == "project"

noun(ref) := "component" if ref.usage == "component"

noun(ref) := "shared library" if ref.kind == "library"

name(ref) := sprintf("%s/%s", [ref.repo, ref.path]) if {
	ref.usage == "component"
	ref.repo != ""
}

name(ref) := ref.path if {
	ref.usage == "component"
	ref.repo == ""
}

name(ref) := concat(":", [ref.repo, ref.path]) if {
	ref.usage == "project"
	ref.path != ""
}

name(ref) := ref.repo if {
	ref.usage == "project"
	ref.path == ""
}

name(ref) := ref.repo if ref.kind == "library"
