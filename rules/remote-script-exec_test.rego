package pipelint.rules.remote_script_exec_test

import data.pipelint.rules.remote_script_exec

# at is a span on one line of ci.yml.
at(line, column, end) := {"file": "ci.yml", "line": line, "column": column, "end_line": line, "end_column": end}

# c is a command written on the given line from column 1, its words one
# space apart; extra sets other fields (piped, substituted, writes, pos).
c(words, line, extra) := object.union(
	{
		"name": {"value": words[0], "pos": at(line, 1, count(words[0]) + 1)},
		"args": [{"value": word, "pos": at(line, start(words, i), start(words, i) + count(word))} |
			some i, word in words
			i > 0
		],
		"substituted": false, "piped": false, "writes": [],
		"pos": at(line, 1, start(words, count(words) - 1) + count(words[count(words) - 1])),
	},
	extra,
)

start(words, i) := 1 + sum([n | some j, w in words; j < i; n := count(w) + 1])

piped := {"piped": true}

job(cmds) := {"steps": [{"kind": "run", "script": {"commands": cmds}}]}

findings(cmds) := found if {
	found := remote_script_exec.findings with input as {"jobs": [job(cmds)]}
}

messages(cmds) := {f.msg | some f in findings(cmds)}

severities(cmds) := [f.severity | some f in findings(cmds)]

test_curl_piped_into_a_shell if {
	cmds := [c(["curl", "-fsSL", "https://get.docker.com"], 1, {}), c(["sh"], 1, piped)]
	findings(cmds) == {{
		"msg": `script downloaded from "https://get.docker.com" is piped into sh and run without a checksum check; download it to a file, check it against a published SHA-256 (sha256sum -c) or signature, then run it`,
		"pos": cmds[1].pos,
		"severity": "medium",
	}}
}

test_interpreters_reading_standard_input if {
	every shell in [["sh", "-s", "--", "-y"], ["bash", "-"], ["bash", "-x"], ["python3", "-", "--version", "2.1.1"], ["python3.12"], ["bash", "/dev/stdin"], ["zsh"]] {
		count(findings([c(["wget", "-qO-", "https://x.example/i.sh"], 1, {}), c(shell, 2, piped)])) == 1
	}
}

# Data piped into a tool, or into an interpreter that runs other code, is
# not a script run.
test_pipes_that_run_nothing_downloaded if {
	every reader in [
		["tar", "xz"], ["jq", "-r", ".tag_name"], ["python3", "-c", "import json,sys"],
		["bash", "-c", "read v"], ["bash", "-ec", "read v"], ["bash", "install.sh"], ["node", "-e", "x"],
		["gpg", "--dearmor"], ["sha256sum", "-c"],
	] {
		count(findings([c(["curl", "-sSL", "https://x.example/a"], 1, {}), c(reader, 1, piped)])) == 0
	}
}

# A download saved to a file sends nothing down the pipe.
test_download_to_a_file_is_not_piped if {
	count(findings([c(["wget", "https://x.example/i.sh"], 1, {}), c(["sh"], 1, piped)])) == 0
	count(findings([c(["curl", "-o", "i.sh", "https://x.example/i.sh"], 1, {}), c(["sh"], 1, piped)])) == 0
}

test_through_filters if {
	cmds := [
		c(["curl", "-sSL", "https://x.example/i.sh.gz"], 1, {}),
		c(["gunzip"], 1, piped),
		c(["tee", "log"], 1, piped),
		c(["sudo", "bash"], 1, object.union(piped, {"name": {"value": "bash", "pos": at(1, 6, 10)}, "args": []})),
	]
	[f.pos | some f in findings(cmds)] == [cmds[3].pos]
}

# A substitution in the download's arguments is not the pipeline's
# element; a pipeline that starts after the download is another one.
test_pipeline_elements if {
	count(findings([
		c(["curl", "-sSL", `"$(url)"`], 1, {}),
		c(["url"], 1, {"substituted": true}),
		c(["sh"], 1, piped),
	])) == 1
	count(findings([
		c(["curl", "-sSL", "https://x.example/a"], 1, {}),
		c(["echo", "hi"], 2, {}),
		c(["sh"], 2, piped),
	])) == 0
}

test_severity_follows_the_url if {
	urls := {
		"http://x.example/i.sh": "high",
		"https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.0/install.sh": "low",
		"https://github.com/o/r/releases/download/v1.2.3/install.sh": "low",
		"https://raw.githubusercontent.com/o/r/0123456789abcdef0123456789abcdef01234567/install.sh": "low",
		"https://x.example/tool-1.4.2-linux.sh": "low",
		"https://github.com/o/r/releases/download/${TOOL_VERSION}/install.sh": "low",
		"https://raw.githubusercontent.com/o/r/main/install.sh": "medium",
		"https://github.com/o/r/releases/latest/download/install.sh": "medium",
		"https://raw.githubusercontent.com/o/r/1.2/main/install.sh": "medium",
		"https://sh.rustup.rs": "medium",
		"$URL": "medium",
	}
	every url, severity in urls {
		severities([c(["curl", "-fsSL", url], 1, {}), c(["bash"], 1, piped)]) == [severity]
	}
}

test_message_hides_credentials_and_query if {
	messages([c(["curl", "-fsSL", "https://user:pw@x.example/i.sh?token=abc#f"], 1, {}), c(["bash"], 1, piped)]) == {
		`script downloaded from "https://x.example/i.sh" is piped into bash and run without a checksum check; download it to a file, check it against a published SHA-256 (sha256sum -c) or signature, then run it`,
	}
}

# `bash <(curl ...)`, `sh -c "$(curl ...)"`: the download is inside the
# word the interpreter runs.
test_substitution_run_by_an_interpreter if {
	cmds := [
		object.union(c(["bash", "<(curl -s https://codecov.io/bash)", "-f", "x"], 1, {}), {}),
		object.union(c(["curl", "-s", "https://codecov.io/bash"], 1, {"substituted": true}), {"pos": at(1, 8, 38)}),
	]
	findings(cmds) == {{
		"msg": `script downloaded from "https://codecov.io/bash" is run by bash through a substitution, without a checksum check; download it to a file, check it against a published SHA-256 (sha256sum -c) or signature, then run it`,
		"pos": cmds[0].pos,
		"severity": "medium",
	}}
	sh_c := [
		c(["sh", "-c", `"$(curl -fsSL https://x.example/i.sh)"`, "--", "-d"], 1, {}),
		object.union(c(["curl", "-fsSL", "https://x.example/i.sh"], 1, {"substituted": true}), {"pos": at(1, 10, 41)}),
	]
	count(findings(sh_c)) == 1
	eval := [
		c(["eval", `"$(curl -fsSL https://x.example/env)"`], 1, {}),
		object.union(c(["curl", "-fsSL", "https://x.example/env"], 1, {"substituted": true}), {"pos": at(1, 9, 39)}),
	]
	count(findings(eval)) == 1
}

# A download whose output is an argument of the script, not the script.
test_substitution_in_an_argument if {
	cmds := [
		c(["bash", "install.sh", `"$(curl -s https://api.example/v)"`], 1, {}),
		object.union(c(["curl", "-s", "https://api.example/v"], 1, {"substituted": true}), {"pos": at(1, 21, 51)}),
	]
	count(findings(cmds)) == 0
}

test_downloaded_then_run if {
	cmds := [
		c(["curl", "-fsSL", "https://test.docker.com", "-o", "get-docker.sh"], 1, {}),
		c(["sudo", "sh", "./get-docker.sh"], 2, {"name": {"value": "sh", "pos": at(2, 6, 8)}, "args": [{"value": "./get-docker.sh", "pos": at(2, 9, 24)}]}),
	]
	findings(cmds) == {{
		"msg": `script "get-docker.sh" downloaded from "https://test.docker.com" on line 1 is run without a checksum check in between; check it against a published SHA-256 (sha256sum -c) or signature before running it`,
		"pos": cmds[1].pos,
		"severity": "medium",
	}}
}

test_every_way_of_naming_the_file if {
	every download in [
		["curl", "-fsSLo", "x.sh", "https://x.example/x.sh"],
		["curl", "--output=x.sh", "https://x.example/x.sh"],
		["curl", "-fsSLO", "https://x.example/x.sh?v=1"],
		["curl", "--remote-name", "https://x.example/x.sh"],
		["wget", "https://x.example/x.sh"],
		["wget", "-q", "-O", "/tmp/x.sh", "https://x.example/x"],
		["Invoke-WebRequest", "-Uri", "https://x.example/x", "-OutFile", "x.sh"],
	] {
		count(findings([c(download, 1, {}), c(["bash", "/tmp/x.sh"], 2, {})])) == 1
	}
	redirected := [c(["curl", "-sSL", "https://x.example/x"], 1, {"writes": [{"value": `"$RUNNER_TEMP/x.sh"`}]}), c(["sh", `"$RUNNER_TEMP/x.sh"`], 2, {})]
	count(findings(redirected)) == 1
	to_stdout := [c(["wget", "-qO-", "https://x.example/x.sh"], 1, {}), c(["bash", "x.sh"], 2, {})]
	count(findings(to_stdout)) == 0
}

test_run_by_its_path_after_chmod if {
	cmds := [
		c(["curl", "-sL", "https://x.example/v3.16.0/cmake-3.16.0.sh", "-o", "cmakeinstall.sh"], 1, {}),
		c(["chmod", "+x", "cmakeinstall.sh"], 2, {}),
		c(["cmakeinstall.sh", "--prefix=/usr/local"], 3, {}),
	]
	severities(cmds) == ["low"]
}

# A downloaded binary run by its path is a tool, not a script.
test_binary_is_not_a_script if {
	count(findings([
		c(["curl", "-fsSLo", "kubectl", "https://dl.example/v1/kubectl"], 1, {}),
		c(["chmod", "+x", "kubectl"], 1, {}),
		c(["kubectl", "version"], 1, {}),
	])) == 0
}

test_checked_before_running if {
	every check in [
		["sha256sum", "-c", "-"], ["sha256sum", "--check", "SHA256SUMS"], ["shasum", "-a", "256", "-c", "x.sh.sha256"],
		["sha256sum", "/tmp/x.sh"], ["gpg", "--verify", "x.sh.asc", "x.sh"], ["gpgv", "x.sh.sig"],
		["cosign", "verify-blob", "--signature", "x.sig", "x.sh"], ["minisign", "-Vm", "x.sh"],
	] {
		count(findings([
			c(["curl", "-fsSLo", "/tmp/x.sh", "https://x.example/x.sh"], 1, {}),
			c(check, 2, {}),
			c(["sh", "/tmp/x.sh"], 3, {}),
		])) == 0
	}
}

# Saved in one step, run in a later one of the same job.
test_across_steps if {
	steps := [
		{"kind": "run", "script": {"commands": [c(["wget", "https://x.example/gen.sh"], 1, {})]}},
		{"kind": "uses", "script": null},
		{"kind": "run", "script": {"commands": [c(["bash", "gen.sh"], 5, {})]}},
	]
	[f.pos.line | some f in remote_script_exec.findings] == [5] with input as {"jobs": [{"steps": steps}]}
}

test_downloaded_after_being_run if {
	count(findings([c(["bash", "x.sh"], 1, {}), c(["wget", "https://x.example/x.sh"], 2, {})])) == 0
}

test_powershell if {
	severities([c(["iwr", "-useb", "https://get.scoop.sh"], 1, {}), c(["iex"], 1, piped)]) == ["medium"]
	chocolatey := c(["iex", "((New-Object", "System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))"], 1, {})
	messages([chocolatey]) == {`script downloaded from "https://community.chocolatey.org/install.ps1" is run by iex without a checksum check; save it with -OutFile, compare (Get-FileHash).Hash with a published SHA-256, then run it`}
	content := c(["Invoke-Expression", "(Invoke-WebRequest", "-Uri", "https://x.example/i.ps1).Content"], 1, {})
	count(findings([content])) == 1
	command := c(["powershell", "-NoProfile", "-Command", "iex ((New-Object Net.WebClient).DownloadString('https://x.example/y.ps1'))"], 1, {})
	count(findings([command])) == 1
	saved := [c(["Invoke-WebRequest", "-Uri", "https://x.example/i.ps1", "-OutFile", "./i.ps1"], 1, {}), c([`.\i.ps1`], 2, {"name": {"value": "i.ps1", "pos": at(2, 1, 8)}})]
	messages(saved) == {`script "i.ps1" downloaded from "https://x.example/i.ps1" on line 1 is run without a checksum check in between; compare its (Get-FileHash).Hash with a published SHA-256 before running it`}
	count(findings([c(["iex", `"Write-Host hi"`], 1, {})])) == 0
}
