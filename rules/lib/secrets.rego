# METADATA
# description: |
#   Tables for finding secrets written into pipeline files. Extend a table
#   from another file in this package (they are partial sets).
#
#   Token patterns marked (gitleaks) are taken from gitleaks v8.30.1,
#   Copyright (c) 2019 Zachary Rice, MIT licence (see THIRD_PARTY_NOTICES).
#   Every pattern is RE2 with group-scoped flags only, so the patterns can be
#   joined into one expression, and lists the literal keywords each of its
#   matches contains.
package pipelint.lib.secrets

token_patterns contains p if some p in [
	{"id": "aws-access-key", "name": "AWS access key ID", "regex": `\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b`, "keywords": ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"]}, # gitleaks
	{"id": "github-pat", "name": "GitHub personal access token", "regex": `\bghp_[0-9a-zA-Z]{36}\b`, "keywords": ["ghp_"]}, # gitleaks
	{"id": "github-fine-grained-pat", "name": "GitHub fine-grained personal access token", "regex": `\bgithub_pat_\w{82}\b`, "keywords": ["github_pat_"]}, # gitleaks
	{"id": "github-oauth", "name": "GitHub OAuth token", "regex": `\bgho_[0-9a-zA-Z]{36}\b`, "keywords": ["gho_"]}, # gitleaks
	{"id": "github-app-token", "name": "GitHub app token", "regex": `\b(?:ghu|ghs)_[0-9a-zA-Z]{36}\b`, "keywords": ["ghu_", "ghs_"]}, # gitleaks
	{"id": "github-refresh-token", "name": "GitHub refresh token", "regex": `\bghr_[0-9a-zA-Z]{36}\b`, "keywords": ["ghr_"]}, # gitleaks
	{"id": "gitlab-pat", "name": "GitLab personal access token", "regex": `\bglpat-[\w-]{20,300}(?:\.[0-9a-z]{9})?`, "keywords": ["glpat-"]}, # gitleaks
	{"id": "gitlab-pipeline-trigger-token", "name": "GitLab pipeline trigger token", "regex": `\bglptt-[0-9a-f]{40}\b`, "keywords": ["glptt-"]}, # gitleaks
	{"id": "gitlab-runner-registration-token", "name": "GitLab runner registration token", "regex": `\bGR1348941[\w-]{20}\b`, "keywords": ["GR1348941"]}, # gitleaks
	{"id": "gitlab-runner-token", "name": "GitLab runner authentication token", "regex": `\bglrt-[0-9a-zA-Z_-]{20}\b`, "keywords": ["glrt-"]}, # gitleaks
	{"id": "gitlab-deploy-token", "name": "GitLab deploy token", "regex": `\bgldt-[0-9a-zA-Z_-]{20}\b`, "keywords": ["gldt-"]}, # gitleaks
	{"id": "gitlab-job-token", "name": "GitLab CI/CD job token", "regex": `\bglcbt-[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}\b`, "keywords": ["glcbt-"]}, # gitleaks
	{"id": "slack-bot-token", "name": "Slack bot token", "regex": `\bxoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*`, "keywords": ["xoxb-"]}, # gitleaks
	{"id": "slack-user-token", "name": "Slack user token", "regex": `\bxox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}`, "keywords": ["xoxp-", "xoxe-"]}, # gitleaks
	{"id": "slack-app-token", "name": "Slack app token", "regex": `(?i:\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)`, "keywords": ["xapp-", "XAPP-"]}, # gitleaks
	{"id": "slack-webhook", "name": "Slack webhook URL", "regex": `hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}`, "keywords": ["hooks.slack.com"]}, # gitleaks
	{"id": "stripe-key", "name": "Stripe secret key", "regex": `\b(?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99}\b`, "keywords": ["sk_test_", "sk_live_", "sk_prod_", "rk_test_", "rk_live_", "rk_prod_"]}, # gitleaks
	{"id": "google-api-key", "name": "Google API key", "regex": `\bAIza[\w-]{35}(?:[^\w-]|$)`, "keywords": ["AIza"]}, # gitleaks
	{"id": "private-key", "name": "private key", "regex": `-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`, "keywords": ["PRIVATE KEY", "private key"]}, # gitleaks (header only: the body spans lines)
	{"id": "npm-token", "name": "npm access token", "regex": `(?i:\bnpm_[a-z0-9]{36}\b)`, "keywords": ["npm_", "NPM_"]}, # gitleaks
	{"id": "pypi-token", "name": "PyPI upload token", "regex": `\bpypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`, "keywords": ["pypi-AgEIcHlwaS5vcmc"]}, # gitleaks
	{"id": "docker-hub-token", "name": "Docker Hub access token", "regex": `\bdckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32}(?:[^A-Za-z0-9_-]|$)`, "keywords": ["dckr_pat_", "dckr_oat_"]},
	{"id": "jwt", "name": "JSON Web Token", "regex": `\bey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9/\\_-]{17,}\.[a-zA-Z0-9/\\_-]{10,}={0,2}`, "keywords": ["eyJ"]}, # gitleaks
	{"id": "azure-ad-client-secret", "name": "Azure AD client secret", "regex": `(?:^|[\\'"\x60\s>=:(,)])[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34}(?:$|[\\'"\x60\s<),])`, "keywords": ["Q~"]}, # gitleaks
	{"id": "vault-token", "name": "HashiCorp Vault token", "regex": `\bhvs\.[\w-]{90,120}`, "keywords": ["hvs."]}, # gitleaks
	{"id": "terraform-cloud-token", "name": "Terraform Cloud API token", "regex": `(?i:[a-z0-9]{14}\.atlasv1\.[a-z0-9_=-]{60,70})`, "keywords": ["atlasv1"]}, # gitleaks
	{"id": "heroku-api-key", "name": "Heroku API key", "regex": `\bHRKU-AA[0-9a-zA-Z_-]{58}`, "keywords": ["HRKU-AA"]}, # gitleaks
	{"id": "digitalocean-token", "name": "DigitalOcean token", "regex": `\bdo[por]_v1_[a-f0-9]{64}\b`, "keywords": ["dop_v1_", "doo_v1_", "dor_v1_"]}, # gitleaks
	{"id": "databricks-token", "name": "Databricks API token", "regex": `\bdapi[a-f0-9]{32}(?:-\d)?\b`, "keywords": ["dapi"]}, # gitleaks
	{"id": "openai-api-key", "name": "OpenAI API key", "regex": `\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74}`, "keywords": ["T3BlbkFJ"]}, # gitleaks
	{"id": "anthropic-api-key", "name": "Anthropic API key", "regex": `\bsk-ant-(?:api03|admin01)-[a-zA-Z0-9_-]{93}AA`, "keywords": ["sk-ant-"]}, # gitleaks
	{"id": "huggingface-token", "name": "Hugging Face token", "regex": `\bhf_[a-zA-Z]{34}\b`, "keywords": ["hf_"]}, # gitleaks
	{"id": "sendgrid-key", "name": "SendGrid API key", "regex": `\bSG\.[a-zA-Z0-9=_.-]{66}\b`, "keywords": ["SG."]}, # gitleaks
	{"id": "sentry-token", "name": "Sentry user token", "regex": `\bsntryu_[a-f0-9]{64}\b`, "keywords": ["sntryu_"]}, # gitleaks
	{"id": "rubygems-key", "name": "RubyGems API key", "regex": `\brubygems_[a-f0-9]{48}\b`, "keywords": ["rubygems_"]}, # gitleaks
	{"id": "artifactory-key", "name": "Artifactory API key", "regex": `\bAKCp[A-Za-z0-9]{69}\b`, "keywords": ["AKCp"]}, # gitleaks
	{"id": "teams-webhook", "name": "Microsoft Teams webhook URL", "regex": `https://[a-z0-9]+\.webhook\.office\.com/webhookb2/[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36}`, "keywords": ["webhook.office.com"]}, # gitleaks
	{"id": "shopify-token", "name": "Shopify access token", "regex": `\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b`, "keywords": ["shpat_", "shpca_", "shppa_", "shpss_"]}, # gitleaks
	{"id": "twilio-key", "name": "Twilio API key", "regex": `\bSK[0-9a-fA-F]{32}\b`, "keywords": ["SK"]}, # gitleaks
]

# token_prefilter is one expression that matches wherever any token pattern
# does: it tells whether a value holds a token.
token_prefilter := concat("|", [sprintf("(?:%s)", [p.regex]) | some p in token_patterns])

# token_keywords are the keywords of all the token patterns: a text that
# holds none of them (pipelint.contains_any) holds no token, which one call
# tells instead of one per keyword.
token_keywords := {keyword | some pattern in token_patterns; some keyword in pattern.keywords}

# has_keyword is true when text contains one of the literal strings every
# match of the pattern contains (case-sensitive). It is a cheap test that
# keeps the regular expressions off almost every file and line.
has_keyword(text, pattern) if {
	some keyword in pattern.keywords
	contains(text, keyword)
}

# url_userinfo_pattern matches a URL with a password:
# scheme://USER:PASSWORD@host, the user and the password as groups 1 and 2.
url_userinfo_pattern := `\b[a-zA-Z][a-zA-Z0-9+.-]*://([^\s:/@'"]+):([^\s@/'"]+)@[^\s/'"]+`

# image_userinfo_pattern matches an image reference with a password and no
# scheme, USER:PASSWORD@registry/image, the user and the password as
# groups 1 and 2. The registry must be followed by a path, so that a
# digest (image:tag@sha256:...) is never taken for one.
image_userinfo_pattern := `(?:^|[\s"'=])([\w.-]+):([^\s@/:'"]+)@[A-Za-z0-9.-]+(?::[0-9]+)?/`

# allowed_tokens are documentation examples that match a pattern.
allowed_token_pattern := `EXAMPLE$|^AKIAIOSFODNN7|(?i:x{8,}|0{8,}|1234567890)`

# secret_key_pattern matches variable and input names that hold secrets,
# after camelCase is split (githubToken → github_token).
secret_key_pattern := `(?i)(^|[_.-])(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|client[_-]?secret|credentials?|auth|auth[_-]?token|bearer|pat)([_.-]|$)`

# secret_word_prefilter matches every name secret_key_pattern can match,
# before any camelCase split: one cheap test that turns most names away.
secret_word_prefilter := `(?i)pass|pwd|secret|token|key|cred|auth|bearer|pat`

# non_secret_key_pattern matches names that mention a secret but hold
# something else: its id, name, location, shape or method
# (`POSTGRES_HOST_AUTH_METHOD: trust`).
non_secret_key_pattern := `(?i)([_.-](id|ids|name|names|url|uri|urls|endpoint|host|file|files|path|paths|dir|length|size|type|types|user|username|usr|env|var|variable|header|ref|region|expiry|expires|ttl|timeout|format|mode|method|enabled|required|key_id|scope|scopes|audience|prefix|suffix|fingerprint|version|kind|label|field|policy|provider|source)$)|^(public[_-]?key|key[_-]?id|pat(h)?|secret[_-]?name|use[_-].*|skip[_-].*|no[_-].*|with[_-].*)$|(^|[_.-])(public)([_.-]|$)`

# placeholder_pattern matches values that stand for a secret without being
# one.
# (The API key of an Azure Artifacts feed is any string, conventionally
# AZ or AzureArtifacts: the feed authenticates by token.)
placeholder_pattern := `(?i)^(|root|admin|postgres|mysql|guest|user|changeme|change[_-]me|changeit|password|passw0rd|pass|secret|token|example|dummy|fake|test|testing|none|null|nil|true|false|yes|no|on|off|hello|hello[_-]?world|foo|bar|baz|(still[_-]?)?not[_-]?a[_-]?(real[_-]?)?(password|secret|token)|x+|\*+|\.+|-+|[0-9]{1,5}|<[^>]*>|\[[^\]]*\]|\{\{[^}]*\}\}|your[_-].*|replace[_-]?me|todo|tbd|redacted|az|azureartifacts|azuredevops|vsts|\[masked\]|xxx.*|.*xxxx.*|\.\.\.)$`

# reference_pattern matches values that point at a secret store instead
# of holding the secret, or that are computed at run time.
reference_pattern := `(?i)^(vault:|vault://|op://|arn:aws:(secretsmanager|ssm):|enc\[|!vault|projects/[^/]+/secrets/|akv://|sm://|gcp://|aws://|azure://)|\$|%[A-Za-z_]+%|^@`

# password_flags are command-line flags whose value is a password or token.
password_flags contains flag if some flag in {
	"-p", "--password", "--pass", "--passwd", "--token", "--api-key", "--apikey",
	"--secret", "--client-secret", "--auth-token", "--access-token", "--private-key-password",
}

# short_password_flag_commands take `-p` as a password (elsewhere -p is
# a port, a path or a parents flag). mysql is not one: `mysql -p db` names
# the database and prompts; its password is glued to the flag (-pSECRET,
# attached_password_commands).
short_password_flag_commands contains name if some name in {
	"docker", "podman", "buildah", "helm", "skopeo", "oras", "crane", "nerdctl",
	"sshpass", "twine", "az", "oc", "cf", "vault",
	"jfrog", "ansible-vault", "zip", "7z", "openconnect",
}

# short_password_flag_subcommand names, for the commands of
# short_password_flag_commands whose other subcommands give -p another
# meaning (`docker run -p 8080:80` publishes a port), the subcommand in which
# -p is the password.
short_password_flag_subcommand := {
	"docker": "login", "podman": "login", "nerdctl": "login", "buildah": "login",
	"skopeo": "login", "oras": "login", "crane": "login", "helm": "login",
	"oc": "login", "cf": "login", "az": "login",
}

# service_password_pattern matches the variables that set the initial
# password of a database or broker image (postgres, mysql, mariadb, mongo,
# redis, rabbitmq, minio, mssql, ...): in a job that starts such a service
# container, the credential of a container that lives as long as the job.
service_password_pattern := `(?i)^(POSTGRES(QL)?_PASSWORD|PGPASSWORD|MYSQL_(ROOT_)?PASSWORD|MARIADB_(ROOT_)?PASSWORD|MONGO(DB)?_INITDB_ROOT_PASSWORD|RABBITMQ_DEFAULT_PASS|REDIS_PASSWORD|MINIO_ROOT_PASSWORD|(MSSQL_)?SA_PASSWORD|ELASTIC_PASSWORD|ORACLE_PASSWORD|APP_USER_PASSWORD|CLICKHOUSE_PASSWORD|COUCHDB_PASSWORD|ARANGO_ROOT_PASSWORD|KEYCLOAK_ADMIN_PASSWORD|KC_BOOTSTRAP_ADMIN_PASSWORD|DOCKER_INFLUXDB_INIT_PASSWORD|NEO4J_AUTH)$`

# attached_password_commands take the password glued to the flag: -pSECRET.
attached_password_commands contains name if some name in {"mysql", "mysqladmin", "mysqldump", "sshpass"}

# user_password_flags take user:password.
user_password_flags contains flag if some flag in {"-u", "--user", "--proxy-user"}

user_password_commands contains name if some name in {"curl", "wget"}

# password_flag_keywords are the password flags any command may take: a
# file without any of them needs no look at the arguments of its other
# commands.
password_flag_keywords := {flag | some flag in password_flags; flag != "-p"}

# short_flag_commands are the commands whose short flags may carry a
# password (-p, -pSECRET, -u user:password).
short_flag_commands := (short_password_flag_commands | attached_password_commands) | user_password_commands

# mask shows at most the first 4 characters of a secret, fewer for short
# ones, so that no output ever holds enough of it to be useful.
mask(value) := concat("", [substring(value, 0, min([4, floor(count(value) / 4)])), "****"])

# interpolation_sinks are steps whose text argument reaches a process
# command line or the log: a secret interpolated into it by the CI system's
# templating (not by the shell) is exposed. writeFile is not one: writing a
# secret into the file a tool reads it from is how such tools take it.
interpolation_sinks contains call if some call in {"sh", "bat", "powershell", "pwsh", "echo", "error", "println", "print", "input"}

# non_secret_binding_pattern matches, once camelCase is split
# (gpgKeyFile → gpg_key_file), the variables of a credential binding that
# hold the part of it that is no secret: the user name of a
# username/password pair (REGISTRY_USR, usernameVariable: 'GIT_USER') and
# the path of a file credential (keyFileVariable: 'KEY_FILE').
non_secret_binding_pattern := `(^|_)(usr|user|user_?name|login|file|path|dir)$`

holds_no_secret(name) if regex.match(non_secret_binding_pattern, lower(regex.replace(name, `([a-z0-9])([A-Z])`, "${1}_${2}")))
