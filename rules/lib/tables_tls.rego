# Facts about switching TLS certificate verification off that
# tls-verification-disabled judges by: command options, configuration
# settings, environment variables and step settings, each with what goes
# over the unverified connection by the tool's nature (`exposes`): "code"
# (packages, sources or images the job then runs), "credentials" (the
# tool authenticates to the server with the job's credentials) or ""
# (it depends on the use: a plain download). Written from each tool's own
# documentation. Command names are lower case, without a Windows `.exe`;
# wrappers (sudo, env, `python -m`) are already stripped. Each table is a
# partial set or object: a policy extends it from another file of this
# package.
package pipelint.lib.tables

# tls_off_options are command options that switch verification off. An
# entry without `value` is a switch: the option alone, or given a true
# value (`--insecure-skip-tls-verify=true`), switches it off, and
# `--option=false` does not. An entry with `value` takes one, joined
# (`--tls-verify=false`) or as the next word, and switches verification
# off when it matches that regular expression. `cluster` is the option's
# letter in a cluster of short options (`curl -fsSLk`), where it counts
# only when no letter before it takes a value (`takes_value`: `-ok` writes
# to a file named k). `ignore_case` compares the option without case, as
# PowerShell does. `with_cluster` marks a client of a Kubernetes cluster
# or of an image registry, which in a job that starts a throwaway cluster
# on the runner (kind, minikube, k3d, with its registry) reaches that one. `target` says which of the command's URLs
# the option is for, "first" or "last" (skopeo copy's source and
# destination); every one otherwise.
tls_off_options contains entry if some entry in [
	{"names": ["curl"], "option": "-k", "cluster": "k", "takes_value": "AbcCdDeEFHKmoPQrtTuUwxXyYz", "exposes": ""},
	{"names": ["curl"], "option": "--insecure", "exposes": ""},
	{"names": ["curl"], "option": "--proxy-insecure", "exposes": ""},
	{"names": ["wget", "wget2"], "option": "--no-check-certificate", "exposes": ""},
	{"names": ["invoke-webrequest", "iwr", "invoke-restmethod", "irm"], "option": "-skipcertificatecheck", "ignore_case": true, "exposes": ""},
	{"names": ["git"], "option": "-c", "value": `(?i)^http\.(.+\.)?sslverify=(false|no|off|0)$`, "exposes": "code"},
	{"names": ["git"], "option": "--config", "value": `(?i)^http\.(.+\.)?sslverify=(false|no|off|0)$`, "exposes": "code"},
	{"names": ["pip", "pip3"], "option": "--trusted-host", "value": `.`, "host": true, "exposes": "code"},
	{"names": ["uv"], "option": "--allow-insecure-host", "value": `.`, "host": true, "exposes": "code"},
	{"names": ["npm", "pnpm", "yarn"], "option": "--strict-ssl", "value": `(?i)^false$`, "exposes": "code"},
	{"names": ["npm", "pnpm", "yarn"], "option": "--no-strict-ssl", "exposes": "code"},
	{"names": ["helm"], "option": "--insecure-skip-tls-verify", "exposes": "credentials", "with_cluster": true},
	{"names": ["kubectl", "oc"], "option": "--insecure-skip-tls-verify", "exposes": "credentials", "with_cluster": true},
	{"names": ["argocd"], "option": "--insecure", "exposes": "credentials", "with_cluster": true},
	{"names": ["vault"], "option": "-tls-skip-verify", "exposes": "credentials"},
	{"names": ["aws"], "option": "--no-verify-ssl", "exposes": "credentials"},
	{"names": ["podman", "buildah", "skopeo"], "option": "--tls-verify", "value": `(?i)^false$`, "exposes": "code", "with_cluster": true},
	{"names": ["skopeo"], "option": "--src-tls-verify", "value": `(?i)^false$`, "target": "first", "exposes": "code", "with_cluster": true},
	{"names": ["skopeo"], "option": "--dest-tls-verify", "value": `(?i)^false$`, "target": "last", "exposes": "code", "with_cluster": true},
	{"names": ["executor", "kaniko"], "option": "--skip-tls-verify", "exposes": "code"},
	{"names": ["executor", "kaniko"], "option": "--skip-tls-verify-pull", "exposes": "code"},
	{"names": ["crane"], "option": "--insecure", "exposes": "code", "with_cluster": true},
	{"names": ["oras"], "option": "--insecure", "exposes": "code", "with_cluster": true},
	{"names": ["cosign"], "option": "--allow-insecure-registry", "exposes": "code", "with_cluster": true},
	{"names": ["ko"], "option": "--insecure-registry", "exposes": "code", "with_cluster": true},
	{"names": ["mc"], "option": "--insecure", "exposes": "credentials"},
	{"names": ["svn"], "option": "--trust-server-cert", "exposes": "code"},
	{"names": ["svn"], "option": "--trust-server-cert-failures", "value": `.`, "exposes": "code"},
	{"names": ["dockerd"], "option": "--insecure-registry", "value": `.`, "host": true, "exposes": "code", "with_cluster": true},
	{"names": ["ansible-galaxy"], "option": "--ignore-certs", "exposes": "code"},
	{"names": ["mvn", "mvnw"], "option": "-Dmaven.wagon.http.ssl.insecure=true", "exposes": "code"},
	{"names": ["mvn", "mvnw"], "option": "-Dmaven.wagon.http.ssl.allowall=true", "exposes": "code"},
	{"names": ["mvn", "mvnw"], "option": "-Daether.connector.https.securityMode=insecure", "exposes": "code"},
]

# daemon_images name, for an image whose service's command (GitLab's
# `command:`) is a daemon's options, that daemon: its options are matched
# as the command's (Docker-in-Docker's `--insecure-registry=...`).
daemon_images := {"dockerd": dind_image_pattern}

# tls_off_settings are configuration commands that switch verification
# off for whatever the tool does later: after the command's leading
# words (`args`), a positional argument matching `key` (a regular
# expression; `key=value` also counts) followed by a value matching `off`.
# `host` marks a setting whose value names hosts to trust unverified;
# `url_in_key` finds, in a key scoped to one server, the server's URL
# (git's http.<url>.sslVerify).
tls_off_settings contains entry if some entry in [
	{"names": ["git"], "args": ["config"], "key": `(?i)^http\.(.+\.)?sslverify$`, "off": `(?i)^(false|no|off|0)$`, "url_in_key": `(?i)^http\.(.+)\.sslverify$`, "exposes": "code"},
	{"names": ["npm", "pnpm", "yarn"], "args": ["config", "set"], "key": `(?i)^strict-ssl$`, "off": `(?i)^false$`, "exposes": "code"},
	{"names": ["npm"], "args": ["set"], "key": `(?i)^strict-ssl$`, "off": `(?i)^false$`, "exposes": "code"},
	{"names": ["yarn"], "args": ["config", "set"], "key": `^enableStrictSsl$`, "off": `(?i)^false$`, "exposes": "code"},
	{"names": ["pip", "pip3"], "args": ["config", "set"], "key": `(?i)^[a-z]+\.trusted-host$`, "off": `.`, "host": true, "exposes": "code"},
	{"names": ["conda"], "args": ["config"], "key": `^ssl_verify$`, "off": `(?i)^(false|no|0)$`, "exposes": "code"},
	{"names": ["composer"], "args": ["config"], "key": `^disable-tls$`, "off": `(?i)^(true|1)$`, "exposes": "code"},
	{"names": ["poetry"], "args": ["config"], "key": `^certificates\..+\.cert$`, "off": `(?i)^false$`, "exposes": "code"},
	{"names": ["bundle"], "args": ["config"], "key": `^ssl_verify_mode$`, "off": `^0$`, "exposes": "code"},
	{"names": ["gcloud"], "args": ["config", "set"], "key": `^auth/disable_ssl_validation$`, "off": `(?i)^(true|1)$`, "exposes": "credentials"},
]

# tls_off_rc_lines are lines that, written into a tool's configuration
# file (`echo insecure >> ~/.curlrc`), switch verification off for every
# later run of the tool: the file's name and the line (a regular
# expression over the words echo or printf writes, joined by spaces).
tls_off_rc_lines contains entry if some entry in [
	{"file": ".curlrc", "line": `^\s*(-k|--insecure|insecure)\s*$`, "tool": "curl", "exposes": ""},
	{"file": ".wgetrc", "line": `(?i)^\s*check_certificate\s*=\s*(off|no|0)\s*$`, "tool": "wget", "exposes": ""},
	{"file": ".npmrc", "line": `(?i)^\s*strict-ssl\s*=\s*false\s*$`, "tool": "npm", "exposes": "code"},
	{"file": ".yarnrc", "line": `(?i)^\s*strict-ssl\s+"?false"?\s*$`, "tool": "yarn", "exposes": "code"},
	{"file": ".yarnrc.yml", "line": `(?i)^\s*enableStrictSsl\s*:\s*false\s*$`, "tool": "yarn", "exposes": "code"},
]

# rc_writers are the commands that write their arguments, as rc lines.
rc_writers contains name if some name in {"echo", "printf"}

# tls_off_env are environment variables that switch verification off,
# with the values that do (a regular expression): git honours
# GIT_SSL_NO_VERIFY set to any value, Node.js only "0".
tls_off_env[name] := entry if some name, entry in {
	"GIT_SSL_NO_VERIFY": {"off": `.`, "exposes": "code", "for": "git"},
	"NODE_TLS_REJECT_UNAUTHORIZED": {"off": `^0$`, "exposes": "", "for": "every Node.js program"},
	"PYTHONHTTPSVERIFY": {"off": `^0$`, "exposes": "", "for": "Python's standard library"},
	"PIP_TRUSTED_HOST": {"off": `.`, "host": true, "exposes": "code", "for": "pip"},
	"NPM_CONFIG_STRICT_SSL": {"off": `(?i)^false$`, "exposes": "code", "for": "npm"},
	"npm_config_strict_ssl": {"off": `(?i)^false$`, "exposes": "code", "for": "npm"},
	"YARN_STRICT_SSL": {"off": `(?i)^false$`, "exposes": "code", "for": "yarn"},
	"YARN_ENABLE_STRICT_SSL": {"off": `(?i)^(false|0)$`, "exposes": "code", "for": "yarn"},
	"VAULT_SKIP_VERIFY": {"off": `(?i)^(1|t|true)$`, "exposes": "credentials", "for": "the Vault client"},
	"AZURE_CLI_DISABLE_CONNECTION_VERIFICATION": {"off": `.`, "exposes": "credentials", "for": "the Azure CLI"},
	"GOINSECURE": {"off": `.`, "host": true, "exposes": "code", "for": "go module downloads"},
}

# tls_off_step_settings are settings of steps that are not scripts (Kind
# "other": a Jenkins step, a Bitbucket `clone:`), by the step's Call, the
# setting's name (With) and the values that switch verification off.
tls_off_step_settings contains entry if some entry in [
	{"call": "clone", "input": "skip-ssl-verify", "off": `(?i)^true$`, "exposes": "code"}, # Bitbucket
	{"call": "httpRequest", "input": "ignoreSslErrors", "off": `(?i)^true$`, "exposes": ""}, # Jenkins HTTP Request plugin
]

# tls_off_options_by_name and tls_off_settings_by_name index the tables by
# command name. An option's entry holds its `prefix`: the option in lower
# case, which an argument giving it starts with, in lower case.
tls_off_options_by_name[name] contains entry if {
	some e in tls_off_options
	some name in e.names
	entry := object.union({"value": "", "cluster": "", "takes_value": "", "ignore_case": false, "host": false, "with_cluster": false, "target": "", "prefix": lower(e.option)}, e)
}

tls_off_settings_by_name[name] contains entry if {
	some e in tls_off_settings
	some name in e.names
	entry := object.union({"host": false, "url_in_key": ""}, e)
}

# tls_off_option_starts[name] are the first letters, in lower case, of
# the arguments that can give an option of tls_off_options_by_name[name]:
# its options' own, and `-` for one in a cluster.
tls_off_option_starts[name] := {lower(substring(e.option, 0, 1)) | some e in entries} | {"-" | some e in entries; e.cluster != ""} if {
	some name, entries in tls_off_options_by_name
}

# tls_off_command_names are the names of tls_off_options_by_name and
# tls_off_settings_by_name, each also with `.exe`: a command whose name
# in lower case is not here is in neither (no name there starts with py,
# which alone normalizes to another: python3.12 is python).
tls_off_command_names := {n | some name in object.keys(tls_off_options_by_name) | object.keys(tls_off_settings_by_name); some n in [name, concat("", [name, ".exe"])]}

# tls_off_env_words and tls_off_rc_files are the variables of tls_off_env
# and the files of tls_off_rc_lines in lower case, for a look at the
# lower-case text of a file.
tls_off_env_words := {lower(name) | some name, _ in tls_off_env}

tls_off_rc_files := {lower(e.file) | some e in tls_off_rc_lines}

# tls_off_keywords are words, in lower case, that the text of a file with
# a finding holds (one of each option, setting, variable and step setting
# above, or the command's name): the look before any element is read.
tls_off_keywords := ({
	"curl", "insecure", "no-check-certificate", "skipcertificatecheck", "sslverify", "strict-ssl",
	"trusted-host", "tls-verify", "ignore-certs", "ssl.insecure", "ssl.allowall", "securitymode",
	"tls-skip-verify", "no-verify-ssl", "strictssl", "ssl_verify", "disable-tls", "disable_ssl_validation",
	"trust-server-cert", "certificates.", "check_certificate", "curlrc",
} | tls_off_env_words) | {lower(e.input) | some e in tls_off_step_settings}

# truthy_option_values turn a switch on when given as its value
# (`--insecure-skip-tls-verify=true`), compared in lower case.
truthy_option_values := {"true", "1", "yes"}

# local_host_pattern matches a URL or host on the runner itself: a
# reviewer does not act on `curl -k https://localhost:8443/health`.
local_host_pattern := `(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?(?:localhost|127(?:\.[0-9]+){3}|\[::1\]|::1|0\.0\.0\.0|[^/:@]*\.localhost|host\.docker\.internal)(?::[0-9]+)?(?:[/?#].*)?$`

# url_pattern matches an argument that is a URL.
url_pattern := `(?i)^[a-z][a-z0-9+.-]*://`

# discarded_download_patterns match the arguments (joined by spaces) of a
# download that throws the body away: a probe of a server (`curl -skI`,
# `curl -o /dev/null -w '%{http_code}'`, `wget --spider`).
discarded_download_patterns := {
	"curl": `(^|\s)(-[a-zA-Z]*I|--head|(-o|--output)[= ]?/dev/null)(\s|$)`,
	"wget": `(^|\s)(--spider|(-O|--output-document)[= ]?/dev/null)(\s|$)`,
}

# credential_arg_pattern matches an argument of a download that sends a
# credential (an option that takes one, an auth header, a secret).
credential_arg_pattern := `(?i)^(-u|--user|--oauth2-bearer|--cert|--key|--netrc|-n|--http-user|--http-password|--password|-Credential|-Token|-Authentication)$|authorization:|private-token:|job-token:|x-api-key|token|password|passwd|secret|\$\{\{\s*secrets\.`
