# METADATA
# title: Action or reusable workflow not pinned to a commit SHA
# description: |
#   A `uses:` reference to an action or reusable workflow in another
#   repository names a tag, a branch, an abbreviated SHA or no ref at all.
#   Whoever controls that repository (or steals its credentials) can move the
#   ref and run new code in your pipeline, with its secrets and token.
# custom:
#   id: unpinned-action
#   severity: high
#   precision: very-high
#   remediation: |
#     Pin the reference to the full 40-character commit SHA of the release
#     you reviewed and keep the version in a trailing comment, e.g.
#     `uses: actions/checkout@<sha> # v4.2.2`. Dependabot and Renovate update
#     such pins and their comments.
#   tags: [supply-chain, external/cwe/cwe-829]
package pipelint.rules.unpinned_action

import data.pipelint.lib.refs
import data.pipelint.lib.tables

findings contains unpinned(ref, noun, refs.mutability(ref)) if {
	some ref in input.references
	ref.pinned == false # first the conditions of one step each; most references pass them all
	ref.local == false
	ref.dynamic == false
	noun := nouns[ref.kind] # an action or a reusable workflow
	not ref.usage == "orb" # orbs: below
	required(ref)
}

# An orb (CircleCI) is pinned by a full version: a published orb version
# never changes. A partial version follows the newest matching release,
# `volatile` the newest of all, and a `dev:` version is overwritten at will.
findings contains finding if {
	some ref in input.references
	ref.usage == "orb"
	ref.kind == "action"
	not ref.pinned
	not ref.dynamic
	required(ref)
	floats := orb_float(ref.ref)
	finding := {
		"msg": orb_message(ref, floats),
		"pos": ref.value.pos,
		"severity": orb_severity[floats],
	}
}

orb_float(version) := "dev" if {
	startswith(version, "dev:")
} else := "volatile" if {
	version in {"", "volatile"}
} else := "major" if {
	regex.match(`^[0-9]+$`, version)
} else := "minor" if {
	regex.match(`^[0-9]+\.[0-9]+$`, version)
} else := "volatile"

orb_severity := {"dev": "high", "volatile": "high", "major": "medium", "minor": "low"}

orb_message(ref, "dev") := sprintf("orb %q is a development version, which its publisher can overwrite at any time; pin a published version (x.y.z), which never changes", [ref.value.value])

orb_message(ref, "volatile") := sprintf("orb %q follows the newest release of any version; pin a full version (x.y.z), which never changes once published", [ref.value.value])

orb_message(ref, floats) := sprintf("orb %q follows the newest %s.x release, new code its publisher releases; pin a full version (x.y.z), which never changes once published", [ref.value.value, ref.ref]) if floats in {"major", "minor"}

# policies, an option in .pipelint.yaml, says per owner/repository pattern
# how strictly to pin: "hash-pin" (a full SHA, the default), "ref-pin" (any
# ref) or "any". The longest matching pattern wins:
#
#   rules:
#     unpinned-action:
#       options:
#         policies: {"actions/*": ref-pin, "my-org/*": any, "*": hash-pin}
default policies := {"*": "hash-pin"}

policies := object.union({"*": "hash-pin"}, data.pipelint.config.rules["unpinned-action"].options.policies)

policy(ref) := policies["*"] if {
	count(policies) == 1 # no pattern to match but the default
} else := policies[pattern] if {
	name := lower(concat("/", [ref.owner, ref.repo]))
	matching := [p | some p, _ in policies; glob.match(lower(p), null, name)]
	longest := max([count(p) | some p in matching])
	some pattern in matching
	count(pattern) == longest
}

# required is true for a reference its policy requires pinned. Without
# patterns (the usual case) every reference is, judged once per file.
required(_) if hash_pin_everything

required(ref) if policy(ref) == "hash-pin"

required(ref) if {
	policy(ref) == "ref-pin"
	ref.ref == ""
}

hash_pin_everything if policies == {"*": "hash-pin"}

# pinned_as_its_publisher_requires is true for a reference to a full
# version tag of an action that must be referenced by tag (the SLSA
# generators verify their own ref, and fail on a commit SHA).
pinned_as_its_publisher_requires(ref) if {
	regex.match(`^v[0-9]+\.[0-9]+\.[0-9]+$`, ref.ref)
	lower(concat("/", [ref.owner, ref.repo])) in tables.tag_pinned_action_names
}

# unpinned is the finding of a reference (an action or a reusable
# workflow, its noun) by the mutability of its ref. A tag or a branch is
# pinned by `pipelint fix` to the commit it names now, the tag in a
# trailing comment (resolved over the network or from its cache); a
# ref-less or abbreviated ref names nothing to resolve.
unpinned(ref, noun, "none") := {
	"msg": sprintf("%s %q has no ref; pin it to a full commit SHA", [noun, ref.value.value]),
	"pos": ref.value.pos,
	"severity": "high",
}

unpinned(ref, noun, "short-sha") := {
	"msg": sprintf("%s %q uses an abbreviated commit SHA, which can become ambiguous; pin it to the full 40-character SHA", [noun, ref.value.value]),
	"pos": ref.value.pos,
	"severity": "medium",
}

unpinned(ref, noun, "branch") := {
	"msg": sprintf("%s %q is pinned to branch %q, which moves with every push; pin it to a full commit SHA", [noun, ref.value.value, ref.ref]),
	"pos": pos,
	"severity": "high",
	"fix": {"kind": "pin-reference", "pos": pos},
} if pos := ref.value.pos

unpinned(ref, noun, "tag") := {
	"msg": sprintf("%s %q is pinned to tag %q, which can be moved; pin it to a full commit SHA", [noun, ref.value.value, ref.ref]),
	"pos": pos,
	"severity": "medium",
	"fix": {"kind": "pin-reference", "pos": pos},
} if {
	not pinned_as_its_publisher_requires(ref)
	pos := ref.value.pos
}

nouns := {"action": "action", "reusable-workflow": "reusable workflow"}
