# Commands that fetch code from the network, run a script, or check what
# was fetched: the facts remote-script-exec judges by. Command names are
# lower case, without a Windows `.exe`; the shell splitter has already
# stripped wrappers (sudo, env, xargs, PowerShell's `&`). Each table is a
# partial set or object: a policy extends it from another file of this
# package.
package pipelint.lib.tables

# download_commands fetch a URL: to standard output by default (curl,
# PowerShell's Invoke-RestMethod) or to a file (wget, Invoke-WebRequest
# with -OutFile). PowerShell's curl and wget are its own aliases.
download_commands contains name if some name in {
	"curl", "wget", "wget2",
	"iwr", "irm", "invoke-webrequest", "invoke-restmethod",
}

# download_mentions are a download command's name and a PowerShell
# download, in lower case: a file's text without any, whatever its case,
# has nothing for remote-script-exec to report.
download_mentions := {lower(name) | some name in download_commands} | {".downloadstring("}

# download_outputs says, per download command, how it names the file it
# writes: `file` options take the file (`-o x.sh`, also at the end of a
# cluster of short options, `-fsSLo x.sh`, or joined, `--output=x.sh`),
# `remote_name` options save under the URL's last path segment (curl -O),
# and `remote_name_default` saves there when no file is named (wget). A
# file named `-` is standard output.
download_outputs := {
	"curl": {"file": ["-o", "--output"], "remote_name": ["-O", "--remote-name"], "remote_name_default": false},
	"wget": {"file": ["-O", "--output-document"], "remote_name": [], "remote_name_default": true},
	"wget2": {"file": ["-O", "--output-document"], "remote_name": [], "remote_name_default": true},
	"iwr": {"file": ["-outfile", "-o"], "remote_name": [], "remote_name_default": false},
	"invoke-webrequest": {"file": ["-outfile", "-o"], "remote_name": [], "remote_name_default": false},
	"irm": {"file": ["-outfile", "-o"], "remote_name": [], "remote_name_default": false},
	"invoke-restmethod": {"file": ["-outfile", "-o"], "remote_name": [], "remote_name_default": false},
}

# download_value_options are options of the download commands that take
# the next word as their value, so that word is not the URL (lower case).
download_value_options contains option if some option in {
	"-o", "--output", "--output-document", "-h", "--header", "-d", "--data", "-u", "--user",
	"-x", "--request", "-a", "--user-agent", "-w", "--write-out", "--retry", "--proto",
	"-e", "--referer", "-p", "--directory-prefix", "-outfile", "-headers", "-method",
}

# powershell_download_pattern finds a download written inside PowerShell
# text that the line splitter leaves as words: `(iwr $u).Content`,
# `(New-Object Net.WebClient).DownloadString('...')`.
powershell_download_pattern := `(?i)(^|[\s(;{|=])(iwr|irm|invoke-webrequest|invoke-restmethod)(\s|$)|\.downloadstring\(`

# script_interpreters run a script given as a file, as code in an option
# (`code`: short option letters, alone or in a cluster, `bash -ec`, or
# whole option words, `node --eval`), or read from standard input: with a
# `stdin` option letter (`sh -s -- -y`), a script named `-` or
# `/dev/stdin`, or no script at all. `value_options` take the next word as
# their value, so it is not the script (`bash -o pipefail x.sh`); they and
# `code_words` compare without case, as PowerShell's do. Python and PyPy
# are matched without their version (python3.12).
script_interpreters[name] := shell_interpreter if some name in {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "fish"}

shell_interpreter := {"code": "c", "code_words": [], "stdin": "s", "value_options": ["-o", "+o", "--rcfile", "--init-file"]}

script_interpreters[name] := entry if some name, entry in {
	"python": {"code": "c", "code_words": [], "stdin": "", "value_options": ["-W", "-X"]},
	"pypy": {"code": "c", "code_words": [], "stdin": "", "value_options": ["-W", "-X"]},
	"node": {"code": "ep", "code_words": ["--eval", "--print"], "stdin": "", "value_options": ["-r", "--require", "--import"]},
	"perl": {"code": "eE", "code_words": [], "stdin": "", "value_options": ["-I", "-M"]},
	"ruby": {"code": "e", "code_words": [], "stdin": "", "value_options": ["-I", "-r"]},
	"php": {"code": "r", "code_words": [], "stdin": "", "value_options": ["-c", "-d"]},
	"pwsh": {"code": "", "code_words": ["-c", "-command"], "stdin": "", "value_options": ["-executionpolicy", "-ep"]},
	"powershell": {"code": "", "code_words": ["-c", "-command"], "stdin": "", "value_options": ["-executionpolicy", "-ep"]},
}

# evaluating_commands run the text of their arguments as code in the
# current shell: `eval "$(curl ...)"`, `source <(curl ...)`, PowerShell's
# `iex` (which also runs what is piped into it).
evaluating_commands contains name if some name in {"eval", "source", ".", "iex", "invoke-expression"}

# script_extensions mark a downloaded file as a script when it is run by
# its path (`./install.sh`); a downloaded binary run that way is a tool,
# not what remote-script-exec is about.
script_extension_pattern := `(?i)\.(sh|bash|zsh|ksh|py|pl|rb|php|js|ps1|psm1|bat|cmd)$`

# checksum_commands compute digests: one run with -c/--check, or on the
# downloaded file (to compare its digest), checks it.
checksum_commands contains name if some name in {
	"sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "shasum", "b2sum", "md5sum",
	"get-filehash", "certutil",
}

# signature_checks verify a signature or an attestation (command
# matchers, see lib/commands).
signature_checks contains m if some m in [
	{"names": ["gpg", "gpg2"], "requires": "--verify"},
	{"names": ["gpgv", "gpgv2"]},
	{"names": ["cosign"], "args": ["verify*"]},
	{"names": ["minisign"], "requires": "-V*"},
	{"names": ["signify", "signify-openbsd"], "requires": "-V*"},
	{"names": ["slsa-verifier"], "args": ["verify-*"]},
	{"names": ["gh"], "args": ["attestation", "verify"]},
	{"names": ["openssl"], "requires": "-verify"},
]

# moving_url_segments are path segments that name whatever is newest: a
# URL holding one serves different code from one day to the next.
moving_url_segments contains segment if some segment in {"main", "master", "latest", "head", "develop", "dev", "trunk", "nightly", "stable", "edge", "refs"}
