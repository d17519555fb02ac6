package pipelint.rules.unpinned_package_test

import data.pipelint.lib.build
import data.pipelint.rules.unpinned_package

# found runs the rule on one job whose step runs the commands, each a list
# of words, in a repository holding the dependency files, and returns
# [line, severity] of each finding.
found_in(cmds, files, events) := {[f.pos.line, f.severity] | some f in findings(cmds, files, events)}

findings(cmds, files, events) := fs if {
	inp := object.union(
		build.on(build.pipeline("github", [build.job("test", [build.run([build.cmd(words, 10 + i) | some i, words in cmds])])]), events),
		{"repository": {"pipelines": [], "dependency_files": files}},
	)
	fs := unpinned_package.findings with input as inp
}

found(cmds) := found_in(cmds, [], ["push"])

messages(cmds, files) := {f.msg | some f in findings(cmds, files, ["push"])}

requirements(file, lines) := {"file": file, "kind": "requirements", "requirements": [{"value": l, "pos": object.union(build.at(i + 1, 1), {"file": file})} | some i, l in lines]}

lock(file, kind) := {"file": file, "kind": kind, "requirements": []}

# --- packages named -------------------------------------------------------------

test_a_python_package_with_no_version_is_medium if {
	found([["pip", "install", "pytest"]]) == {[10, "medium"]}
	messages([["pip", "install", "pytest", "pytest-xdist"]], []) == {`"pip install" installs "pytest", "pytest-xdist" with no fixed version, so each run takes whatever the registry serves then; pin each with == (name==1.2.3), or install from a requirements file with hashes`}
}

test_more_than_three_packages_are_counted if {
	messages([["uv", "pip", "install", "a", "b", "c", "d", "e"]], []) == {`"uv pip install" installs "a", "b", "c" and 2 more with no fixed version, so each run takes whatever the registry serves then; pin each with == (name==1.2.3), or install from a requirements file with hashes`}
}

test_versions_and_bounded_ranges_are_not_reported if {
	found([
		["pip", "install", "requests==2.32.3", "urllib3<2", "numpy==2.0.*", "maturin>=0.11,<0.12", "attrs~=23.1"],
		["pip", "install", "meson==${MESON_VERSION}", "${PACKAGE_NAME}"],
		["pip", "install", `tomli==2.0.1; python_version < "3.11"`],
	]) == set()
	# A marker is no version.
	found([["pip", "install", `tomli; python_version < "3.11"`]]) == {[10, "medium"]}
}

test_a_floor_or_an_exclusion_still_moves if {
	found([["pip", "install", "vulture!=2.15"], ["pip", "install", "black>=24"]]) == {[10, "medium"], [11, "medium"]}
}

test_prereleases_asked_for_on_purpose_are_not_reported if {
	found([
		["pip3", "install", "--upgrade", "--pre", "meson"],
		["pip", "install", "-i", "https://pypi.anaconda.org/scientific-python-nightly-wheels/simple", "scipy-openblas32"],
		["npm", "install", "@playwright/test@next"],
		["npm", "install", "-g", "typescript@beta"],
	]) == set()
}

test_the_installer_upgrading_itself_is_not_reported if {
	found([["pip", "install", "--upgrade", "pip", "setuptools", "wheel"], ["gem", "install", "bundler"], ["npm", "install", "-g", "npm@latest"]]) == set()
	messages([["pip", "install", "-U", "pip", "setuptools", "packaging"]], []) == {`"pip install" installs "packaging" with no fixed version, so each run takes whatever the registry serves then; pin each with == (name==1.2.3), or install from a requirements file with hashes`}
}

test_the_project_and_its_build_are_not_reported if {
	found([
		["pip", "install", "."], ["pip", "install", "-e", ".[dev]"], ["pip", "install", "dist/app-1.0-py3-none-any.whl"],
		["pip", "install", "--no-index", "--find-links", "dist/", "app"], ["uv", "pip", "install", "./python/tool"],
		["pip", "install", "-v", "test/packages/built"], ["go", "install", "./cmd/tool"], ["cargo", "install", "--path", "."],
		["gem", "install", "pkg/app-1.0.gem"], ["npm", "install", "-g", "./app.tgz"],
	]) == set()
}

test_option_values_are_not_packages if {
	found([["pip", "--no-input", "install", "--progress-bar", "off", "-r", "docs.txt", "-i", "https://example.com/simple", "-c", "c.txt"]]) == set()
	messages([["pip", "install", "-i", "https://example.com/simple", "scipy"]], []) == {`"pip install" installs "scipy" with no fixed version, so each run takes whatever the registry serves then; pin each with == (name==1.2.3), or install from a requirements file with hashes`}
}

test_a_git_branch_is_high_a_commit_is_fixed if {
	sha := "ff3d9531335dad605d43fcc208c9c159bb09fa81"
	found([
		["pip", "install", "git+https://github.com/o/r.git@main#egg=r"],
		["pip", "install", "git+https://github.com/o/r"],
		["pip", "install", sprintf("git+https://github.com/o/r@%s", [sha])],
		["pip", "install", "git+ssh://git@github.com/o/r.git@v1.2.0"],
		["pip", "install", "-e", "git+https://github.com/o/r@develop#egg=r"],
		["pip", "install", "r @ git+https://github.com/o/r@main"],
		["pip", "install", "https://github.com/o/r/archive/refs/heads/main.zip"],
		["pip", "install", "https://files.example.com/r-1.0.tar.gz"],
	]) == {[10, "high"], [11, "high"], [14, "high"], [15, "high"], [16, "high"]}
}

test_npm_packages if {
	sha := "ff3d9531335dad605d43fcc208c9c159bb09fa81"
	found([
		["npm", "install", "-g", "typescript"],
		["npm", "install", "-g", "yarn@1", "pnpm@8.15", "vsce@2.15.0", "@scope/tool@^3"],
		["npm", "install", "@playwright/test@next"], # asked for on purpose
		["npm", "i", "-g", "@goreleaser/sponsors@latest"],
		["npm", "install", sprintf("github:o/r#%s", [sha])], # Scorecard #4589
		["npm", "install", "o/r"],
		["yarn", "global", "add", "serve"],
		["pnpm", "add", "-g", "tool@1.2.3"],
		["npm", "install", "-g", "tool@v1.2.3"],
	]) == {[10, "medium"], [13, "medium"], [15, "high"], [16, "medium"]}
}

test_go_install if {
	found([
		["go", "install", "honnef.co/go/tools/cmd/staticcheck@latest"],
		["go", "install", "github.com/o/r/cmd/x@v0.3.17"],
		["go", "install", "github.com/o/r/cmd/x@2fe3ee94479d08be985a84861de4e6b06a1c7208"],
		["go", "install", "github.com/o/r/cmd/x@master"],
		["go", "install", "github.com/o/r/cmd/x@$VERSION"],
		["go", "install", "golang.org/x/tools/gopls"],
		["go", "install", "-tags", "x", "./..."],
	]) == {[10, "medium"], [13, "high"]}
	messages([["go", "install", "golang.org/x/vuln/cmd/govulncheck@latest"]], []) == {`"go install" installs "golang.org/x/vuln/cmd/govulncheck@latest" with no fixed version, so each run takes whatever the registry serves then; pin a release (path@v1.2.3)`}
}

test_gems if {
	found([
		["gem", "install", "ronn"],
		["gem", "install", "asciidoctor", "-v", "2.0.23"],
		["gem", "install", "rake:13.0.1"],
		["gem", "install", "x", "--version", "~> 1.2"],
		["gem", "install", "x", "-v", ">= 1"],
		["gem", "install", "--no-document", "gitlab-triage"],
	]) == {[10, "medium"], [14, "medium"], [15, "medium"]}
}

test_crates if {
	found([
		["cargo", "install", "wasm-tools"],
		["cargo", "install", "wasm-bindgen-cli", "--version", "0.2.117"],
		["cargo", "install", "cargo-deny@0.16.1", "--locked"],
		["cargo", "install", "--locked", "cargo-nextest"],
		["cargo", "install", "--git", "https://github.com/o/r", "tool"],
		["cargo", "install", "--git", "https://github.com/o/r", "--rev", "abc1234", "tool"],
		["cargo", "install", "--git", "https://github.com/o/r", "--branch", "dev"],
	]) == {[10, "medium"], [13, "medium"], [14, "high"], [16, "high"]}
}

# --- project installs and lock files -------------------------------------------------

test_npm_install_beside_a_lock_file_is_low if {
	found_in([["npm", "install"]], [lock("package-lock.json", "npm-lock")], ["push"]) == {[10, "low"]}
	found_in([["npm", "ci"]], [lock("package-lock.json", "npm-lock")], ["push"]) == set()
	messages([["npm", "install"]], [lock("package-lock.json", "npm-lock")]) == {`"npm install" does not hold to package-lock.json: it resolves versions anew when package.json and the lock file disagree, and rewrites the lock file; use npm ci, which installs exactly the lock file or fails`}
}

test_npm_install_with_no_lock_file_is_not_reported if {
	# A project that keeps no lock file chose to; the install is the same
	# as npm ci would be without one.
	found_in([["npm", "install"]], [], ["push"]) == set()
	found_in([["npm", "install"]], [lock("web/package-lock.json", "npm-lock")], ["push"]) == set()
}

test_the_directory_of_the_install_is_followed if {
	files := [lock("web/package-lock.json", "npm-lock")]
	found_in([["cd", "web"], ["npm", "install"]], files, ["push"]) == {[11, "low"]}
	found_in([["npm", "install", "--prefix", "web"]], files, ["push"]) == {[10, "low"]}
	found_in([["cd", "$GITHUB_WORKSPACE/web"], ["npm", "install"]], files, ["push"]) == {[11, "low"]}
	found_in([["cd", "web/../web/./"], ["npm", "i"]], files, ["push"]) == {[11, "low"]}
	found_in([["cd", "$DIR"], ["npm", "install"]], files, ["push"]) == set()
	found_in([["cd", "/opt/web"], ["npm", "install"]], files, ["push"]) == set()
	found_in([["cd", "web"], ["cd", ".."], ["npm", "install"]], files, ["push"]) == set()
}

test_a_directory_set_by_an_earlier_step_is_not_guessed if {
	inp := object.union(
		build.pipeline("gitlab", [build.job("test", [build.run([build.cmd(["cd", "web"], 3)]), build.run([build.cmd(["npm", "install"], 5)])])]),
		{"repository": {"pipelines": [], "dependency_files": [lock("package-lock.json", "npm-lock"), lock("web/package-lock.json", "npm-lock")]}},
	)
	count(unpinned_package.findings) == 0 with input as inp
}

test_yarn_1_without_a_frozen_lock_file_is_low if {
	v1 := [lock("yarn.lock", "yarn-lock-v1")]
	found_in([["yarn"]], v1, ["push"]) == {[10, "low"]}
	found_in([["yarn", "install", "--frozen-lockfile"]], v1, ["push"]) == set()
	found_in([["yarn", "install"]], [lock("yarn.lock", "yarn-lock")], ["push"]) == set() # Yarn 2+ is immutable on CI
}

# --- requirement files ---------------------------------------------------------------

test_a_requirements_file_with_loose_lines if {
	files := [requirements("requirements.txt", ["requests==2.32.3", "flask>=3", "-r dev/requirements.txt"]), requirements("dev/requirements.txt", ["pytest", "-e ."])]
	found_in([["pip", "install", "-r", "requirements.txt"]], files, ["push"]) == {[10, "medium"]}
	messages([["pip", "install", "-r", "requirements.txt"]], files) == {`"pip install" installs requirements.txt, whose lines "pytest" (dev/requirements.txt:1), "flask>=3" (requirements.txt:2) name no fixed version, so each run takes whatever the registry serves then; pin every line with == and --hash (pip-compile --generate-hashes, uv pip compile --generate-hashes), or pass a constraints file (-c) that does`}
}

test_a_pinned_requirements_file_is_not_reported if {
	files := [requirements("requirements.txt", ["requests==2.32.3", "--index-url https://example.com/simple", "-e .", "tomli==2.0.1; python_version < '3.11'", "setuptools", "pip"])]
	found_in([["pip", "install", "-r", "requirements.txt"]], files, ["push"]) == set()
}

test_hashes_and_constraints_pin_a_requirements_file if {
	loose := requirements("requirements.txt", ["requests"])
	found_in([["pip", "install", "-r", "requirements.txt", "-c", "constraints.txt"]], [loose], ["push"]) == set()
	found_in([["pip", "install", "-r", "requirements.txt"]], [requirements("requirements.txt", ["requests", "-c constraints.txt"])], ["push"]) == set()
	found_in([["pip", "install", "-r", "requirements.txt"]], [requirements("requirements.txt", ["requests==2.32.3 --hash=sha256:ab", "idna"])], ["push"]) == set()
}

test_a_branch_in_a_requirements_file_is_high if {
	files := [requirements("tests/requirements.txt", ["git+https://github.com/o/r@main#egg=r"])]
	found_in([["cd", "tests"], ["pip", "install", "-r", "requirements.txt"]], files, ["push"]) == {[11, "high"]}
	found_in([["pip", "install", "--requirement=tests/requirements.txt"]], files, ["push"]) == {[10, "high"]}
}

test_a_requirements_file_not_in_the_repository_is_not_judged if {
	found_in([["pip", "install", "-r", "requirements.txt"]], [], ["push"]) == set()
}

# --- install scripts on privileged triggers ------------------------------------------

test_npm_ci_on_a_privileged_trigger_is_medium if {
	fs := findings([["npm", "ci"]], [], ["pull_request_target"])
	{[f.pos.line, f.severity, f.msg] | some f in fs} == {[10, "medium", `"npm ci" runs the install scripts of every dependency in a workflow started by pull_request_target, with the base repository's token and secrets; add --ignore-scripts (and run the scripts the build needs by name)`]}
	found_in([["npm", "ci", "--ignore-scripts"]], [], ["pull_request_target"]) == set()
	found_in([["npm", "ci"]], [], ["pull_request"]) == set()
}

test_scripts_switched_off_in_the_environment if {
	inp := object.union(
		build.on(build.pipeline("github", [build.job("t", [build.run([build.cmd(["npm", "ci"], 10)])])]), ["workflow_run"]),
		{"env": [{"name": build.str("NPM_CONFIG_IGNORE_SCRIPTS", 1), "value": build.str("true", 1), "source": "literal", "type": "", "expressions": []}]},
	)
	count(unpinned_package.findings) == 0 with input as inp
}

