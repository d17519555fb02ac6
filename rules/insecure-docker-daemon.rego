# METADATA
# title: Docker daemon open to the job's containers or the network
# description: |
#   A container is handed the machine's Docker daemon, or a daemon is
#   served with no protection: the daemon's socket mounted into a
#   container (`-v /var/run/docker.sock:...`), a container run
#   `--privileged`, or a Docker-in-Docker daemon without TLS
#   (`DOCKER_TLS_CERTDIR: ""`, `--tls=false`, `tcp://...:2375`). The
#   daemon runs as root: whoever commands it, the code in the container or
#   anyone on the network who reaches port 2375, controls the machine and
#   every job on it. On a machine that serves other jobs (a self-hosted
#   runner, a Jenkins agent) that is a foothold in all of them; on a fresh
#   GitHub-hosted machine the job is root already, and only a service's
#   own code gains from it.
# custom:
#   id: insecure-docker-daemon
#   severity: high
#   precision: high
#   remediation: |
#     Build images without the host's daemon (buildkit rootless, kaniko,
#     buildah), or run Docker-in-Docker as a service with TLS
#     (`DOCKER_TLS_CERTDIR: "/certs"`, `DOCKER_HOST: tcp://docker:2376`).
#     Drop `--privileged` unless the container must manage the machine,
#     and then run it only on a machine used for nothing else.
#   tags: [security, containers, runners, external/cwe/cwe-250]
package pipelint.rules.insecure_docker_daemon

import data.pipelint.lib.runs
import data.pipelint.lib.tables
import data.pipelint.lib.text

# One look at the file's text keeps every other file from reading any
# element.
findings contains finding if {
	text.mentions_any(tables.docker_daemon_keywords)
	some finding in handed_findings | plain_findings
}

handed_findings contains finding if {
	some site in handed
	severity := handed_severity(input.jobs[site.job], site.role, site.image)
	finding := {
		"msg": sprintf("%s: %s; %s", [site.what, reach[[site.kind, site.role]], handed_fix[site.kind]]),
		"pos": site.pos,
		"severity": severity,
	}
}

plain_findings contains finding if {
	some pos, site in plain_sites
	finding := {
		"msg": sprintf("%s: the daemon takes commands, as root, from anyone who reaches its port, with no TLS and so no authentication; serve it with TLS (DOCKER_TLS_CERTDIR: \"/certs\", DOCKER_HOST: tcp://docker:2376)", [site.what]),
		"pos": pos,
		"severity": site.severity,
	}
}

# --- the daemon handed to a container ---------------------------------------

# handed lists where a container is given the daemon: {"job", "role",
# "image", "kind", "what", "pos"}. role is "container" (the job's steps
# run in it) or "service" (the image's own program runs in it).
handed contains site if {
	some i, job in input.jobs
	some [role, img] in images(job)
	some site in image_sites(i, role, img)
}

# A Jenkins docker.image(...).inside/withRun call inside another's
# container is not the job's: its options are read from its step.
handed contains {"job": i, "role": role, "image": "", "kind": kind, "what": what, "pos": arg.value.pos} if {
	some i, job in input.jobs
	some step in job.steps
	role := tables.docker_run_calls[step.call.value]
	some arg in step.with
	not attached[arg.value.pos]
	some [kind, what] in handed_options(sprintf("%s(...)", [replace(step.call.value, "docker.image.", "docker.image(...).")]), arg.value.value)
}

# attached are the positions of the options and commands of the jobs'
# containers and services.
attached contains img.options.pos if {
	some job in input.jobs
	some [_, img] in images(job)
}

attached contains arg.pos if {
	some job in input.jobs
	some [_, img] in images(job)
	some arg in img.command
}

images(job) := array.concat([["container", job.container] | job.container != null], [["service", s] | some s in job.services])

image_sites(i, role, img) := {{"job": i, "role": role, "image": img.name.value, "kind": kind, "what": what, "pos": img.options.pos} |
	some [kind, what] in handed_options(sprintf("the %s %q", [role, img.name.value]), img.options.value)
} | {{"job": i, "role": role, "image": img.name.value, "kind": "socket", "what": sprintf("the %s %q mounts the Docker socket", [role, img.name.value]), "pos": v.pos} |
	some v in img.volumes
	regex.match(tables.docker_socket_mount, v.value)
}

# handed_options lists what `docker run` options give the container:
# [kind, what].
handed_options(who, options) := {["socket", sprintf("%s mounts the Docker socket", [who])] |
	regex.match(tables.docker_socket_mount, options)
} | {["privileged", sprintf("%s runs --privileged", [who])] |
	regex.match(tables.privileged_option, options)
}

reach := {
	["socket", "container"]: "the job's steps run in it and command the machine's Docker daemon, as root, and through it the machine and every job on it",
	["socket", "service"]: "the image's own program runs in it and commands the machine's Docker daemon, as root, and through it the machine and the job's secrets",
	["privileged", "container"]: "the job's steps run in it with every device and capability of the machine, as root, free to leave it for the machine and every job on it",
	["privileged", "service"]: "the image's own program runs in it with every device and capability of the machine, as root, free to leave it for the machine and the job's secrets",
}

handed_fix := {
	"socket": "build without the host's daemon (kaniko, buildah, rootless buildkit) or use a Docker-in-Docker service with TLS",
	"privileged": "drop --privileged, or run the container only on a machine used for nothing else",
}

# handed_severity judges what the container gains by the machine it runs
# on. A GitHub-hosted machine is fresh for the job, which is root on it
# already: the job's own container gains nothing, a service gains the
# job's secrets unless it is Docker's own image (a dind service needs
# --privileged). Any other machine (a self-hosted runner, a Jenkins agent)
# serves other jobs, whose secrets and workspaces the container reaches.
handed_severity(job, "service", image) := "medium" if {
	hosted(job)
	not regex.match(tables.docker_image_pattern, image)
}

handed_severity(job, _, _) := "high" if not hosted(job)

# hosted is true for a job on GitHub-hosted machines: fresh for every job,
# asked for by their labels (a label computed by an expression is taken
# as one, unless the runner is known to be self-hosted).
hosted(job) if {
	job.runner.ephemeral
	count(job.runner.labels) > 0
	every label in job.runner.labels {
		hosted_label(label.value)
	}
}

hosted_label(label) if regex.match(tables.hosted_runner_labels, label)

hosted_label(label) if contains(label, "${{")

# --- daemons served without TLS ---------------------------------------------

# plain_sites maps the position of each setting that serves or reaches a
# daemon without TLS to one finding: a setting shared by jobs is reported
# once, at the highest severity of theirs; two flags of one command, at
# the first.
plain_sites := {pos: plain_at[pos] |
	some site in plain
	pos := site.pos
	not later_flag(site)
}

# plain_at holds, by position, the least message and the highest severity
# of the sites there, grouped from one sorted list (see runs): each
# position's own walk of every site would cost their product.
plain_at := {plain_in_order[start][0]: {
	"what": min({what | some [_, what, _] in array.slice(plain_in_order, start, end)}),
	"severity": max_severity({severity | some [_, _, severity] in array.slice(plain_in_order, start, end)}),
} |
	some [start, end] in runs.bounds([pos | some [pos, _, _] in plain_in_order])
}

plain_in_order := sort([[site.pos, site.what, site.severity] | some site in plain])

# later_flag is true for a daemon flag after another of the same service.
later_flag(site) if {
	site.service != null
	first := first_flag[site.service]
	[first.line, first.column] < [site.pos.line, site.pos.column]
}

# first_flag holds the position of each service's first flag: the start of
# its run in one sorted list (see runs).
first_flag := {flags_in_order[start][0]: flags_in_order[start][3] |
	some [start, _] in runs.bounds([service | some [service, _, _, _] in flags_in_order])
}

flags_in_order := sort([[site.service, site.pos.line, site.pos.column, site.pos] | some site in plain; site.service != null])

# plain lists where a job serves a Docker daemon without TLS, or reaches
# one: {"pos", "what", "severity"}.
plain contains {"pos": v.pos, "what": sprintf("DOCKER_TLS_CERTDIR=\"\" serves the Docker-in-Docker service %q without TLS, on tcp port 2375", [svc.name.value]), "severity": severity, "service": null} if {
	some job in input.jobs
	severity := plain_severity(job)
	some svc in job.services
	regex.match(tables.dind_image_pattern, svc.name.value)
	v := tls_certdir(job, svc)
	trim_space(v.value.value) == ""
}

plain contains {"pos": arg.pos, "what": sprintf("%q serves the Docker daemon of the service %q without TLS", [arg.value, svc.name.value]), "severity": severity, "service": svc.pos} if {
	some job in input.jobs
	severity := plain_severity(job)
	some svc in job.services
	some arg in svc.command
	regex.match(tables.plain_daemon_option, arg.value)
}

plain contains {"pos": arg.value.pos, "what": sprintf("%q serves a Docker daemon without TLS", [arg.value.value]), "severity": severity, "service": step.pos} if {
	some job in input.jobs
	severity := plain_severity(job)
	some step in job.steps
	tables.docker_run_calls[step.call.value]
	some arg in step.with
	not attached[arg.value.pos]
	regex.match(tables.plain_daemon_option, arg.value.value)
}

# A client told to reach a daemon at tcp://...:2375, when no dind service
# of its job is already reported: a daemon elsewhere on the network.
plain contains {"pos": v.pos, "what": sprintf("DOCKER_HOST=%q reaches a Docker daemon without TLS", [v.value.value]), "severity": severity, "service": null} if {
	some job in input.jobs
	severity := plain_severity(job)
	v := docker_host(job)
	regex.match(tables.plain_docker_host, v.value.value)
	not plain_dind(job)
}

plain_dind(job) if {
	some svc in job.services
	regex.match(tables.dind_image_pattern, svc.name.value)
}

# tls_certdir is the DOCKER_TLS_CERTDIR a service starts with: its own,
# else its job's, else the pipeline's (GitLab gives services the job's
# variables).
tls_certdir(job, svc) := nearest([svc.env, job.env, input.env], "DOCKER_TLS_CERTDIR")

docker_host(job) := nearest([job.env, input.env], "DOCKER_HOST")

nearest(scopes, name) := [v | some vars in scopes; some v in vars; v.name.value == name][0]

# plain_severity judges who can reach a daemon on the job's machine: on a
# GitHub-hosted machine, no one else; on other fresh machines (GitLab's
# shared runners) the job's neighbours on a shared network at most; on
# machines that serve other jobs, their containers too.
plain_severity(job) := "low" if {
	not hosted(job)
	job.runner.ephemeral
} else := "medium" if not hosted(job)

severity_rank := {"low": 1, "medium": 2, "high": 3}

max_severity(severities) := [s | some s in severities; severity_rank[s] == max({severity_rank[x] | some x in severities})][0]
