package pipelint.rules.plaintext_secret_test

import data.pipelint.lib.build
import data.pipelint.rules.plaintext_secret

with_lines(lines) := object.union(build.pipeline("github", []), {"sources": [{"file": "ci.yml", "lines": lines}]})

var(name, value, source) := {"name": build.str(name, 4), "value": {"value": value, "pos": build.at(4, 15)}, "source": source, "pos": build.at(4, 7)}

with_env(vars) := object.union(build.pipeline("github", []), {"env": vars})

test_github_token_in_a_script_line_is_critical_and_masked if {
	findings := plaintext_secret.findings with input as with_lines(["run: |", "  curl -H \"Authorization: token ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo\" x"])
	findings == {{
		"msg": "GitHub personal access token \"ghp_****\" is written in plain text; revoke it and reference a stored secret instead",
		"pos": {"file": "ci.yml", "line": 2, "column": 33, "end_line": 2, "end_column": 73},
		"severity": "critical",
		"sensitive": true,
	}}
}

test_token_shapes if {
	some line in [
		"AWS_ACCESS_KEY_ID: AKIAZ3MLQPX7TRWN5VHE",
		"token: glpat-Xy7Rq2LmZp9KtW4bNc3D",
		"SLACK: xoxb-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
		"key: AIzaSyD4r7Xq9LmPz2Kw8TbNc5Vh3Jf6GsYe1Qo",
		"-----BEGIN RSA PRIVATE KEY-----",
		"NPM_TOKEN: npm_a8Zk2Lq9Wx7Rt4Yp1Mn6Bv3Cs5Df0Gh2JkLm",
		"echo dckr_pat_Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St",
	]
	count(plaintext_secret.findings) == 1 with input as with_lines([line])
}

test_documentation_examples_and_dummies_are_not_tokens if {
	count(plaintext_secret.findings) == 0 with input as with_lines([
		"AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE",
		"token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	])
}

test_literal_under_secret_name if {
	findings := plaintext_secret.findings with input as with_env([var("DB_PASSWORD", "hunter2-prod", "literal")])
	findings == {{
		"msg": "\"DB_PASSWORD\" is set to the literal \"hun****\"; reference a stored secret instead",
		"pos": build.at(4, 15),
		"sensitive": true,
	}}
}

test_secret_names if {
	some name in ["API_KEY", "githubToken", "client-secret", "NPM_AUTH_TOKEN", "password", "SONAR_LOGIN_PASSWORD", "PRIVATE_KEY"]
	count(plaintext_secret.findings) == 1 with input as with_env([var(name, "s3cr3tValue99", "literal")])
}

# A name is judged whole: a line of a name holding a line break is not
# taken for a name.
test_secret_name_with_a_line_break if {
	findings := plaintext_secret.findings with input as with_env([
		var("X\nDB_PASSWORD", "hunter2-prod", "literal"),
		var("DB_PASSWORD_FILE", "s3cr3tValue99", "literal"),
	])
	{f.msg | some f in findings} == {"\"X\\nDB_PASSWORD\" is set to the literal \"hun****\"; reference a stored secret instead"}
}

test_not_secrets if {
	count(plaintext_secret.findings) == 0 with input as with_env([
		var("API_TOKEN", "${{ secrets.API_TOKEN }}", "secret"),
		var("GITHUB_TOKEN", "${{ github.token }}", "secret"),
		var("TOKEN", "$TOKEN", "variable"),
		var("PASSWORD", "changeme", "literal"),
		var("PASSWORD", "<your-password>", "literal"),
		var("PASSWORD", "***", "literal"),
		var("PASSWORD", "", "literal"),
		var("TOKEN_URL", "https://auth.example.com/token", "literal"),
		var("SECRET_NAME", "prod-db", "literal"),
		var("AWS_ACCESS_KEY_ID", "x", "literal"),
		var("PASSWORD_FILE", "/run/secrets/db", "literal"),
		var("VAULT_TOKEN", "vault:secret/data/ci#token", "literal"),
		var("NPM_TOKEN", "prefix-${TOKEN}", "literal"),
	])
}

test_url_with_password if {
	findings := plaintext_secret.findings with input as with_lines(["  - git clone https://bob:Q7wjZ2pLx9@github.com/acme/app.git"])
	some f in findings
	f.pos == {"file": "ci.yml", "line": 1, "column": 27, "end_line": 1, "end_column": 37}
	contains(f.msg, `"Q7wj****"`) == false # ten characters show only two
	contains(f.msg, `"Q7****"`)
	contains(f.msg, `user "bob"`)
}

image(name, env) := {"name": build.str(name, 3), "alias": build.str("", 0), "env": env, "pos": build.at(3, 5)}

with_images(container, services) := build.pipeline("github", [object.union(build.job("test", []), {"container": container, "services": services})])

test_env_of_job_containers_is_judged_like_any_env if {
	findings := plaintext_secret.findings with input as with_images(image("node:20", [var("NPM_TOKEN", "Zq8wX3kP9mL2vB7n", "literal")]), [])
	findings == {{
		"msg": "\"NPM_TOKEN\" is set to the literal \"Zq8w****\"; reference a stored secret instead",
		"pos": build.at(4, 15),
		"sensitive": true,
	}}
}

# The registry login a job container is pulled with is judged like env.
test_registry_login_of_job_containers_is_judged if {
	container := object.union(image("registry.example.com/build:1", []), {"credentials": [var("password", "Zq8wX3kP9mL2vB7n", "literal")]})
	findings := plaintext_secret.findings with input as with_images(container, [])
	findings == {{
		"msg": "\"password\" is set to the literal \"Zq8w****\"; reference a stored secret instead",
		"pos": build.at(4, 15),
		"sensitive": true,
	}}
}

# The password a service container is given is judged, and said to be a
# throwaway credential at info.
test_service_passwords_are_throwaway_credentials if {
	findings := plaintext_secret.findings with input as with_images(null, [image("postgres:16", [var("POSTGRES_PASSWORD", "Hx9aQ2kLmP7zRvW", "literal")])])
	findings == {{
		"msg": "\"POSTGRES_PASSWORD\" is set to the literal \"Hx9****\", the password this pipeline gives its own service container \"postgres:16\": a throwaway credential that lives as long as the job, not a secret as long as it is used for nothing else",
		"pos": build.at(4, 15),
		"severity": "info",
		"sensitive": true,
	}}
}

# The same value elsewhere in the pipeline (a step's env, mysql -p) is the
# service's too; a variable named like a database image's password counts
# in a job with services even outside the service's own env (GitLab passes
# job variables to services); other values are judged as before.
test_service_passwords_reused_and_passed_through_job_variables if {
	job := object.union(build.job("test", [object.union(build.run([build.cmd(["mysql", "-uroot", "-pQ7wjZ2pLx9"], 9)]), {"env": [var("DB_PASSWORD", "Q7wjZ2pLx9", "literal")]})]), {
		"services": [image("mysql:8", [])],
		"env": [var("MYSQL_ROOT_PASSWORD", "Q7wjZ2pLx9", "literal"), var("DEPLOY_TOKEN", "b7e4c1f9a2d8e6f3", "literal")],
	})
	findings := plaintext_secret.findings with input as build.pipeline("gitlab", [job])
	{[f.msg, object.get(f, "severity", "high")] | some f in findings} == {
		["\"MYSQL_ROOT_PASSWORD\" is set to the literal \"Q7****\", the password this pipeline gives its own service container \"mysql:8\": a throwaway credential that lives as long as the job, not a secret as long as it is used for nothing else", "info"],
		["\"DB_PASSWORD\" is set to the literal \"Q7****\", the password this pipeline gives its own service container \"mysql:8\": a throwaway credential that lives as long as the job, not a secret as long as it is used for nothing else", "info"],
		["\"mysql\" passes \"Q7****\" on its command line, the password this pipeline gives its own service container \"mysql:8\": a throwaway credential that lives as long as the job, not a secret as long as it is used for nothing else", "info"],
		["\"DEPLOY_TOKEN\" is set to the literal \"b7e4****\"; reference a stored secret instead", "high"],
	}
}

# Without a service in the job, a database password is an ordinary secret.
test_database_password_without_services_is_a_secret if {
	job := object.union(build.job("deploy", []), {"env": [var("MYSQL_ROOT_PASSWORD", "Q7wjZ2pLx9", "literal")]})
	some f in plaintext_secret.findings with input as build.pipeline("gitlab", [job])
	not f.severity
}

# A value listing credentials is judged entry by entry, each by its password.
test_credential_lists_are_judged_by_their_passwords if {
	count(plaintext_secret.findings) == 0 with input as with_env([var("HTTP_CREDENTIALS", "api.example.com=bob:hello\nexample.com=bob:notapassword\n", "literal")])
	count(plaintext_secret.findings) == 1 with input as with_env([var("HTTP_CREDENTIALS", "api.example.com=bob:hello\nexample.com=bob:Q7wjZ2pLx9\n", "literal")])
}

test_default_service_credentials_are_placeholders if {
	count(plaintext_secret.findings) == 0 with input as with_images(null, [image("postgres:16", [
		var("POSTGRES_PASSWORD", "postgres", "literal"),
		var("MYSQL_ROOT_PASSWORD", "root", "literal"),
	])])
}

image_ref(value) := object.union(
	build.pipeline("gitlab", []),
	{
		"references": [{"kind": "image", "value": {"value": value, "pos": {"file": "ci.yml", "line": 2, "column": 10, "end_line": 2, "end_column": 10 + count(value)}}}],
		"sources": [{"file": "ci.yml", "lines": ["job:", sprintf("  image: %s", [value])]}],
	},
)

test_image_reference_with_password if {
	findings := plaintext_secret.findings with input as image_ref("deployer:Q7wjZ2pLx9Tm@registry.example.com/tools/node:20")
	findings == {{
		"msg": "image \"registry.example.com/tools/node:20\" carries the password \"Q7w****\" for user \"deployer\"; log in to the registry with a stored secret instead",
		"pos": {"file": "ci.yml", "line": 2, "column": 19, "end_line": 2, "end_column": 31},
		"sensitive": true,
	}}
}

test_image_reference_without_password_is_fine if {
	some value in ["node:20@sha256:0123abcd", "registry.example.com:5000/node:20", "deployer:$REGISTRY_PASSWORD@registry.example.com/node"]
	count(plaintext_secret.findings) == 0 with input as image_ref(value)
}

test_url_with_reference_is_fine if {
	count(plaintext_secret.findings) == 0 with input as with_lines([
		"git clone https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/acme/app.git",
		"git clone https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.com/acme/app.git",
	])
}

command_input(words) := object.union(build.pipeline("github", [build.job("b", [build.run([build.cmd(words, 9)])])]), {})

test_password_on_command_line if {
	some words in [
		["docker", "login", "-u", "bob", "-p", "Hx9aQ2wLm"],
		["deploy", "--password", "Hx9aQ2wLm"],
		["deploy", "--password=Hx9aQ2wLm"],
		["curl", "-u", "admin:Hx9aQ2wLm", "https://x"],
		["mysql", "-pHx9aQ2wLm"],
		["sshpass", "-p", "Hx9aQ2wLm", "ssh", "host"],
	]
	count(plaintext_secret.findings) == 1 with input as command_input(words)
}

test_password_flags_with_references_are_fine if {
	some words in [
		["docker", "login", "-u", "bob", "-p", "${{ secrets.DOCKER_PASSWORD }}"],
		["docker", "login", "--password-stdin"],
		["curl", "-u", "admin:$PASSWORD", "https://x"],
		["mkdir", "-p", "build"],
		["ssh", "-p", "2222", "host"],
		["docker", "run", "-d", "-p", "1234:1234", "registry:2"],
		["podman", "run", "-p", "8080:80", "nginx"],
		["mysql", "-u", "root", "-p", "appdb"],
	]
	count(plaintext_secret.findings) == 0 with input as command_input(words)
}

test_mask_never_shows_more_than_four_or_a_quarter if {
	data.pipelint.lib.secrets.mask("ghp_R2x9QmVfL0kq7TzWb3NcYh8uJd1PaEs6GtKo") == "ghp_****"
	data.pipelint.lib.secrets.mask("hackme") == "h****"
	data.pipelint.lib.secrets.mask("abc") == "****"
}
