package pipelint.rules.tls_verification_disabled_test

import data.pipelint.lib.build
import data.pipelint.lib.tables
import data.pipelint.rules.tls_verification_disabled

# run is a pipeline of one job whose one step runs the commands.
run(cmds) := build.pipeline("github", [build.job("a", [build.run(cmds)])])

found(p) := {[f.pos.line, f.severity] | some f in tls_verification_disabled.findings with input as p}

var(name, value, line) := {"name": build.str(name, line), "value": build.str(value, line), "source": "literal", "type": "", "expressions": [], "pos": build.at(line, 3)}

test_curl_insecure_options if {
	every words in [
		["curl", "-k", "https://example.com/a"],
		["curl", "--insecure", "https://example.com/a"],
		["curl", "-fsSLk", "https://example.com/a"],
		["curl", "-kfsSL", "https://example.com/a"],
		["curl", "--proxy-insecure", "https://example.com/a"],
		["wget", "--no-check-certificate", "https://example.com/a"],
		["Invoke-WebRequest", "-SkipCertificateCheck", "https://example.com/a"],
	] {
		found(run([build.cmd(words, 4)])) == {[4, "medium"]}
	}
}

# A letter after one that takes a value is that value: `-ok` writes to k.
test_curl_options_that_are_not_insecure if {
	every words in [
		["curl", "-ok", "https://example.com/a"],
		["curl", "-K", "curlrc"],
		["curl", "-fsSL", "https://example.com/a"],
		["wget", "--check-certificate", "https://example.com/a"],
	] {
		found(run([build.cmd(words, 4)])) == set()
	}
}

test_localhost_is_not_reported if {
	every url in ["https://localhost:8443/health", "https://127.0.0.1/x", "http://[::1]:9000", "https://api.localhost/", "https://user@localhost"] {
		found(run([build.cmd(["curl", "-k", url], 4)])) == set()
	}
	found(run([build.cmd(["curl", "-k", "https://localhost/a", "https://example.com/b"], 4)])) == {[4, "medium"]}
}

test_download_run_or_sent_with_a_credential_is_high if {
	piped := object.union(build.cmd(["sh"], 4), {"piped": true})
	found(run([build.cmd(["curl", "-sk", "https://example.com/install.sh"], 4), piped])) == {[4, "high"]}
	found(run([build.cmd(["curl", "-k", "-H", "Authorization: Bearer $TOKEN", "https://example.com/api"], 4)])) == {[4, "high"]}
	found(run([build.cmd(["curl", "-k", "-u", "user:pass", "https://example.com/api"], 4)])) == {[4, "high"]}
}

test_one_finding_per_command_at_its_first_option if {
	findings := tls_verification_disabled.findings with input as run([build.cmd(["curl", "-k", "--insecure", "https://example.com"], 4)])
	count(findings) == 1
}

test_git if {
	found(run([build.cmd(["git", "-c", "http.sslVerify=false", "clone", "https://example.com/r.git"], 4)])) == {[4, "high"]}
	found(run([build.cmd(["git", "config", "--global", "http.sslVerify", "false"], 4)])) == {[4, "high"]}
	found(run([build.cmd(["git", "config", "http.https://git.example.com/.sslverify", "0"], 4)])) == {[4, "high"]}
	found(run([build.cmd(["git", "config", "--global", "http.sslVerify", "true"], 4)])) == set()
	found(run([build.cmd(["git", "config", "http.https://localhost:8443/.sslVerify", "false"], 4)])) == set()
	found(run([build.cmd(["git", "-c", "http.sslVerify=false", "clone", "https://localhost/r.git"], 4)])) == set()
}

test_package_managers if {
	every words in [
		["npm", "config", "set", "strict-ssl", "false"],
		["npm", "set", "strict-ssl=false"],
		["yarn", "config", "set", "strict-ssl", "false"],
		["yarn", "config", "set", "enableStrictSsl", "false"],
		["pnpm", "config", "set", "strict-ssl", "false"],
		["npm", "install", "--strict-ssl=false"],
		["pip", "install", "--trusted-host", "pypi.example.com", "-r", "requirements.txt"],
		["pip", "install", "--trusted-host=pypi.example.com", "app"],
		["pip", "config", "set", "global.trusted-host", "pypi.example.com"],
		["composer", "config", "-g", "disable-tls", "true"],
		["conda", "config", "--set", "ssl_verify", "false"],
	] {
		found(run([build.cmd(words, 4)])) == {[4, "high"]}
	}
	every words in [
		["npm", "config", "set", "strict-ssl", "true"],
		["npm", "config", "set", "cafile", "ca.pem"],
		["pip", "install", "--trusted-host", "localhost", "app"],
		["pip", "install", "--index-url", "https://pypi.example.com/simple", "app"],
	] {
		found(run([build.cmd(words, 4)])) == set()
	}
}

test_cluster_and_registry_clients if {
	every words in [
		["helm", "upgrade", "--install", "app", "chart", "--insecure-skip-tls-verify"],
		["kubectl", "apply", "-f", "k8s/", "--insecure-skip-tls-verify=true"],
		["skopeo", "copy", "--src-tls-verify=false", "docker://registry.example.com/a", "docker://b/a"],
		["podman", "push", "--tls-verify=false", "registry.example.com/app"],
	] {
		found(run([build.cmd(words, 4)])) == {[4, "high"]}
	}
	every words in [
		["kubectl", "apply", "--insecure-skip-tls-verify=false"],
		["podman", "push", "--tls-verify=true", "registry.example.com/app"],
		["skopeo", "copy", "--src-tls-verify=false", "docker://localhost:5000/a", "docker://registry.example.com/a"],
		["skopeo", "copy", "--dest-tls-verify=false", "docker://registry.example.com/a", "docker://localhost:5000/a"],
		["kubectl", "--server=https://127.0.0.1:6443", "--insecure-skip-tls-verify", "get", "pods"],
	] {
		found(run([build.cmd(words, 4)])) == set()
	}
}

# A cluster the job starts on the runner is the one kubectl reaches.
test_throwaway_cluster_is_not_reported if {
	cmds := [build.cmd(["kind", "create", "cluster"], 3), build.cmd(["kubectl", "get", "pods", "--insecure-skip-tls-verify"], 4)]
	found(run(cmds)) == set()
	registry := [build.cmd(["kind", "create", "cluster"], 3), build.cmd(["ko", "publish", "--insecure-registry", "./cmd/app"], 4)]
	found(run(registry)) == set()
	found(run([build.cmd(["ko", "publish", "--insecure-registry", "./cmd/app"], 4)])) == {[4, "high"]}
}

test_variables_in_every_scope if {
	step := object.union(build.step, {"env": [var("PYTHONHTTPSVERIFY", "0", 9)]})
	job := object.union(build.job("a", [step]), {"env": [var("NODE_TLS_REJECT_UNAUTHORIZED", "0", 6)]})
	p := object.union(build.pipeline("gitlab", [job]), {"env": [var("GIT_SSL_NO_VERIFY", "true", 2)]})
	found(p) == {[2, "high"], [6, "medium"], [9, "medium"]}
}

test_variable_values_that_keep_verification if {
	every v in [
		var("NODE_TLS_REJECT_UNAUTHORIZED", "1", 2),
		var("PYTHONHTTPSVERIFY", "1", 2),
		var("NPM_CONFIG_STRICT_SSL", "true", 2),
		var("GIT_SSL_NO_VERIFY", "", 2),
		var("PIP_TRUSTED_HOST", "localhost 127.0.0.1", 2),
	] {
		found(object.union(build.pipeline("gitlab", []), {"env": [v]})) == set()
	}
}

# script builds a pipeline whose one step's script is the given lines,
# written from line 3, column 7 of ci.yml.
script(lines) := object.union(
	build.pipeline("github", [build.job("a", [object.union(build.step, {
		"kind": "run",
		"script": {"text": {"value": concat("\n", lines), "pos": {"file": "ci.yml", "line": 3, "column": 7, "end_line": 2 + count(lines), "end_column": 7 + count(lines[count(lines) - 1])}}, "shell": "bash", "expressions": [], "commands": []},
	})])]),
	{"sources": [{"file": "ci.yml", "lines": array.concat(["jobs:", "  a:"], [concat("", ["      ", l]) | some l in lines]), "callee": false}]},
)

test_script_assignments if {
	findings := tls_verification_disabled.findings with input as script([
		"export NODE_TLS_REJECT_UNAUTHORIZED=0",
		"GIT_SSL_NO_VERIFY=1 git clone https://example.com/r.git",
		"# GIT_SSL_NO_VERIFY=1 is what we used to do",
		"echo \"PYTHONHTTPSVERIFY=0\" >> \"$GITHUB_ENV\"",
		"$env:NODE_TLS_REJECT_UNAUTHORIZED = '0'",
		"MY_GIT_SSL_NO_VERIFY=1 make",
	])
	{[f.pos.line, f.pos.column, f.pos.end_column, f.severity] | some f in findings} == {
		[3, 14, 44, "medium"],
		[4, 7, 26, "high"],
		[6, 13, 32, "medium"],
		[7, 7, 45, "medium"],
	}
}

# Bitbucket's `clone: skip-ssl-verify: true`, as its parser models it.
test_step_settings if {
	clone := object.union(build.step, {"kind": "other", "call": build.str("clone", 3), "with": [var("skip-ssl-verify", "true", 4)]})
	found(build.pipeline("bitbucket", [build.job("a", [clone])])) == {[4, "high"]}
	kept := object.union(clone, {"with": [var("skip-ssl-verify", "false", 4)]})
	found(build.pipeline("bitbucket", [build.job("a", [kept])])) == set()
	request := object.union(build.step, {"kind": "other", "call": build.str("httpRequest", 3), "with": [var("ignoreSslErrors", "true", 5)]})
	found(build.pipeline("jenkins", [build.job("a", [request])])) == {[5, "medium"]}
}

# The look at a file's text must let every option of the table through.
test_keywords_cover_every_option if {
	every e in tables.tls_off_options {
		some keyword in tables.tls_off_keywords
		covered(keyword, e)
	}
}

covered(keyword, e) if contains(lower(e.option), keyword)

covered(keyword, e) if keyword in e.names

covered(keyword, e) if contains(lower(e.value), keyword)

written(words, line, file) := object.union(build.cmd(words, line), {"writes": [build.str(file, line)]})

test_configuration_files if {
	every c in [
		written(["echo", "insecure"], 4, "~/.curlrc"),
		written(["echo", "--insecure"], 4, "$HOME/.curlrc"),
		written(["printf", "check_certificate = off\\n"], 4, "\"$HOME/.wgetrc\""),
		written(["echo", "strict-ssl=false"], 4, "~/.npmrc"),
	] {
		count(found(run([c]))) == 1
	}
	every c in [
		written(["echo", "insecure"], 4, "notes.txt"),
		written(["echo", "--cacert /etc/ca.pem"], 4, "~/.curlrc"),
		written(["echo", "registry=https://npm.example.com"], 4, "~/.npmrc"),
	] {
		found(run([c])) == set()
	}
}

test_more_tools if {
	every words in [
		["crane", "copy", "--insecure", "registry.example.com/a", "registry.example.com/b"],
		["poetry", "config", "certificates.internal.cert", "false"],
		["bundle", "config", "set", "ssl_verify_mode", "0"],
		["svn", "checkout", "--trust-server-cert-failures=unknown-ca", "https://svn.example.com/repo"],
	] {
		found(run([build.cmd(words, 4)])) == {[4, "high"]}
	}
}

test_docker_daemon_options if {
	service := {"name": build.str("docker:27-dind", 5), "command": [build.str("--insecure-registry=registry.example.com:5000", 6)]}
	job := object.union(build.job("a", []), {"services": [service]})
	found(build.pipeline("gitlab", [job])) == {[6, "high"]}
	local := object.union(service, {"command": [build.str("--insecure-registry=localhost:5000", 6)]})
	found(build.pipeline("gitlab", [object.union(job, {"services": [local]})])) == set()
	other := object.union(service, {"name": build.str("postgres:16", 5)})
	found(build.pipeline("gitlab", [object.union(job, {"services": [other]})])) == set()
	found(run([build.cmd(["dockerd", "--insecure-registry", "registry.example.com:5000"], 4)])) == {[4, "high"]}
}

# A probe whose body is thrown away is low, unless it sends a credential.
test_probe_is_low if {
	every words in [
		["curl", "-skI", "https://app.example.com/health"],
		["curl", "-k", "-o", "/dev/null", "-w", "%{http_code}", "https://app.example.com/health"],
		["wget", "--no-check-certificate", "--spider", "https://app.example.com/health"],
	] {
		found(run([build.cmd(words, 4)])) == {[4, "low"]}
	}
	found(run([build.cmd(["curl", "-k", "-u", "admin:pw", "-o", "/dev/null", "https://app.example.com/api"], 4)])) == {[4, "high"]}
}
