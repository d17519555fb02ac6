# METADATA
# description: |
#   What a pipeline builds itself. An image that a step builds, tags or
#   pushes is the pipeline's own output, not a third-party reference.
package pipelint.lib.images

import data.pipelint.lib.commands
import data.pipelint.lib.expressions

# builders are the container tools whose build/tag/push commands name images.
builders := {"docker", "podman", "buildah", "nerdctl"}

# build_calls are step calls whose first argument is an image they build
# (Jenkins `docker.build('name:tag')`).
build_calls contains call if some call in {"docker.build"}

# build_actions are actions whose `tags` input names the images they build.
build_actions := {"docker/build-push-action", "redhat-actions/buildah-build"}

# built contains the repository (without tag or digest) of every image the
# pipeline builds, tags or pushes.
built contains repository(name) if {
	some cmd in commands.all
	cmd.name.value in builders
	some name in produced(cmd)
}

built contains repository(trim_space(name)) if {
	some job in input.jobs
	some step in job.steps
	step.uses != null
	concat("/", [step.uses.owner, step.uses.repo]) in build_actions
	some input_var in step.with
	input_var.name.value in {"tags", "image"}
	some name in split(replace(input_var.value.value, ",", "\n"), "\n")
	trim_space(name) != ""
}

built contains repository(step.with[0].value.value) if {
	some job in input.jobs
	some step in job.steps
	step.call.value in build_calls
	count(step.with) > 0
}

# produced lists the image names a docker-like command writes: the -t/--tag
# values of build, the target of tag, the argument of push.
produced(cmd) := {arg.value |
	sub := [a.value | some a in cmd.args; not startswith(a.value, "-")]
	sub[0] in {"build", "buildx"}
	some i, flag in cmd.args
	flag.value in {"-t", "--tag"}
	arg := cmd.args[i + 1]
} | {trim_prefix(trim_prefix(flag.value, "--tag="), "-t=") |
	some flag in cmd.args
	regex.match(`^(--tag=|-t=)`, flag.value)
} | {arg.value |
	sub := [a.value | some a in cmd.args; not startswith(a.value, "-")]
	sub[0] in {"tag", "push"}
	arg := cmd.args[count(cmd.args) - 1]
}

# repository strips the tag and digest from an image name.
repository(name) := repo if {
	without_digest := split(name, "@")[0]
	parts := split(without_digest, "/")
	last := parts[count(parts) - 1]
	repo := concat("/", array.concat(array.slice(parts, 0, count(parts) - 1), [split(last, ":")[0]]))
}

# reference_repository is the repository a model image reference names.
reference_repository(ref) := concat("/", [ref.registry, ref.repo]) if ref.registry != ""

reference_repository(ref) := ref.repo if ref.registry == ""

is_built(ref) if reference_repository(ref) in built

# tag is the tag of an image name as written in a file (`node:20` is "20",
# `registry:5000/app` is ""), for names no parser has split: a matrix value,
# a literal of an expression.
tag(name) := t if {
	parts := split(split(trim_prefix(name, "docker://"), "@")[0], "/")
	last := parts[count(parts) - 1]
	t := tag_of_component(last)
}

tag_of_component(component) := "" if not contains(component, ":")

tag_of_component(component) := substring(component, indexof(component, ":") + 1, -1) if contains(component, ":")

# has_digest is true for an image name pinned to a digest.
has_digest(name) if regex.match(`@sha256:[0-9a-f]{64}$`, name)

# literal_tag is the tag of an image name computed at run time when the
# text after its last expression fixes it, whatever the expressions give:
# a last path component written out (`${{ vars.REGISTRY }}/app:1.2` is
# "1.2", `${{ vars.REGISTRY }}/app` is "", which means latest) or a tag
# after the expression (`name-${{ matrix.v }}:latest`). Undefined when an
# expression may still add the tag or a digest.
literal_tag(name) := t if {
	suffix := expressions.after_last_expression(name)
	not contains(suffix, "@")
	not contains(suffix, "$")
	contains(suffix, "/")
	t := tag(suffix)
}

literal_tag(name) := t if {
	suffix := expressions.after_last_expression(name)
	not contains(suffix, "@")
	not contains(suffix, "$")
	not contains(suffix, "/")
	contains(suffix, ":")
	t := tag_of_component(suffix)
}
