package pipelint.rules.insecure_docker_daemon_test

import data.pipelint.lib.build
import data.pipelint.rules.insecure_docker_daemon

var(name, value, line) := {"name": build.str(name, line), "value": build.str(value, line), "source": "literal", "expressions": [], "pos": build.at(line, 3)}

image(name, options, extra) := object.union({"name": build.str(name, 4), "alias": build.str("", 0), "env": [], "options": build.str(options, 6), "volumes": [], "command": [], "pos": build.at(4, 5)}, extra)

runner(labels, ephemeral) := {"runner": {"labels": [build.str(l, 3) | some l in labels], "ephemeral": ephemeral, "pos": build.at(3, 5)}}

hosted := runner(["ubuntu-latest"], true)

self_hosted := runner(["self-hosted", "linux"], false)

agent := runner([], true)

job(on, extra) := object.union(build.job("a", []), object.union(on, extra))

found(jobs) := {[f.pos.line, f.severity] | some f in findings} if {
	findings := insecure_docker_daemon.findings with input as build.pipeline("github", jobs)
}

test_socket_and_privileged_on_a_machine_other_jobs_use if {
	found([job(self_hosted, {"container": image("builder:3", "--privileged --cpus 2", {})})]) == {[6, "high"]}
	found([job(self_hosted, {"container": image("builder:3", "-v /var/run/docker.sock:/var/run/docker.sock", {})})]) == {[6, "high"]}
	found([job(agent, {"container": image("docker:27", "--volume=/run/docker.sock:/run/docker.sock", {})})]) == {[6, "high"]}
	found([job(self_hosted, {"container": image("builder:3", "", {"volumes": [build.str("/var/run/docker.sock:/var/run/docker.sock", 8)]})})]) == {[8, "high"]}
	found([job(self_hosted, {"container": image("builder:3", "--mount type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock", {})})]) == {[6, "high"]}
}

test_message if {
	findings := insecure_docker_daemon.findings with input as build.pipeline("github", [job(self_hosted, {"container": image("builder:3", "--privileged", {})})])
	[f.msg | some f in findings] == [`the container "builder:3" runs --privileged: the job's steps run in it with every device and capability of the machine, as root, free to leave it for the machine and every job on it; drop --privileged, or run the container only on a machine used for nothing else`]
}

# On a fresh GitHub-hosted machine the job is root already: only a
# service's own program, not Docker's, gains.
test_github_hosted_machines if {
	found([job(hosted, {"container": image("builder:3", "--privileged -v /var/run/docker.sock:/var/run/docker.sock", {})})]) == set()
	found([job(hosted, {"services": [image("docker:27-dind", "--privileged", {})]})]) == set()
	found([job(hosted, {"services": [image("docker.io/library/docker:dind", "--privileged", {})]})]) == set()
	found([job(hosted, {"services": [image("aquasec/trivy:0.50.0", "-v /var/run/docker.sock:/var/run/docker.sock", {})]})]) == {[6, "medium"]}
	found([job(runner(["${{ matrix.os }}"], true), {"container": image("builder:3", "--privileged", {})})]) == set()
}

test_options_that_give_nothing_of_the_machine if {
	every options in ["--cpus 2", "-v /opt/cache:/cache", "-v /var/run/docker.sock.bak:/x", "--privileged=false", "--security-opt no-new-privileges"] {
		found([job(self_hosted, {"container": image("builder:3", options, {})})]) == set()
	}
}

# Jenkins docker.image(...).inside(...) nested in another container keeps
# its options on its step only.
test_jenkins_step_options if {
	step := object.union(build.step, {"call": build.str("docker.image.inside", 12), "with": [{"name": build.str("", 0), "value": build.str("--privileged", 12), "source": "literal", "expressions": []}]})
	findings := insecure_docker_daemon.findings with input as build.pipeline("jenkins", [job(agent, {"steps": [step]})])
	[[f.pos.line, f.severity, f.msg] | some f in findings] == [[12, "high", `docker.image(...).inside(...) runs --privileged: the job's steps run in it with every device and capability of the machine, as root, free to leave it for the machine and every job on it; drop --privileged, or run the container only on a machine used for nothing else`]]
	attached := job(agent, {"steps": [step], "container": object.union(image("alpine:3", "", {}), {"options": build.str("--privileged", 12)})})
	count(insecure_docker_daemon.findings) == 1 with input as build.pipeline("jenkins", [attached])
}

test_dind_without_tls if {
	dind := image("docker:27-dind", "", {})
	tagged := runner(["docker-shared"], false)
	found([job(tagged, {"services": [dind], "env": [var("DOCKER_TLS_CERTDIR", "", 7)]})]) == {[7, "medium"]}
	found([job(agent, {"services": [dind], "env": [var("DOCKER_TLS_CERTDIR", "", 7)]})]) == {[7, "low"]}
	found([job(hosted, {"services": [dind], "env": [var("DOCKER_TLS_CERTDIR", "", 7)]})]) == set()
	# the service's own value wins
	found([job(tagged, {"services": [object.union(dind, {"env": [var("DOCKER_TLS_CERTDIR", "/certs", 5)]})], "env": [var("DOCKER_TLS_CERTDIR", "", 7)]})]) == set()
	# no dind service: the variable serves nothing
	found([job(tagged, {"env": [var("DOCKER_TLS_CERTDIR", "", 7)]})]) == set()
	# the daemon told so on its command line, once per service
	flags := object.union(dind, {"command": [build.str("--tls=false", 5), object.union(build.str("--host=tcp://0.0.0.0:2375", 5), {"pos": build.at(5, 30)})]})
	found([job(tagged, {"services": [flags]})]) == {[5, "medium"]}
}

# A variable shared by jobs is reported once, at the highest severity.
test_shared_setting if {
	p := object.union(build.pipeline("gitlab", [
		job(agent, {"services": [image("docker:dind", "", {})]}),
		object.union(job(runner(["docker"], false), {"services": [image("docker:dind", "", {})]}), {"id": build.str("b", 9)}),
	]), {"env": [var("DOCKER_TLS_CERTDIR", "", 2), var("DOCKER_HOST", "tcp://docker:2375", 3)]})
	findings := insecure_docker_daemon.findings with input as p
	[[f.pos.line, f.severity] | some f in findings] == [[2, "medium"]]
}

test_docker_host_in_plain_tcp if {
	tagged := runner(["builders"], false)
	found([job(tagged, {"env": [var("DOCKER_HOST", "tcp://build-host.internal:2375", 7)]})]) == {[7, "medium"]}
	found([job(tagged, {"env": [var("DOCKER_HOST", "tcp://build-host.internal:2376", 7)]})]) == set()
	found([job(tagged, {"env": [var("DOCKER_HOST", "unix:///var/run/docker.sock", 7)]})]) == set()
}
