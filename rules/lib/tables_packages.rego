# What unpinned-package judges by: the commands that install packages by
# name or a project's dependencies, how each package manager's command line
# names a package and its version, and which lock files make an install
# repeatable. Written from the documentation of pip, pipx, uv, npm, Yarn,
# pnpm, Go, RubyGems and Cargo. Command names are lower case, wrappers
# already stripped by the shell splitter (`python -m pip` is pip). Each
# table is a partial set or object: a policy extends it from another file
# of this package.
package pipelint.lib.tables

# package_install_commands install packages (command matchers, see
# lib/commands). `manager` names the entry of package_managers that reads
# the command's arguments; `project` marks an install of the project's own
# dependencies when it names no package (`npm install`, a bare `yarn`),
# `lifecycle` one that runs the dependencies' install scripts.
package_install_commands contains m if some m in [
	{"names": ["pip", "pip3"], "args": ["install"], "manager": "pip"},
	{"names": ["uv"], "args": ["pip", "install"], "manager": "pip"},
	{"names": ["pipx"], "args": ["install"], "manager": "pip"},
	{"names": ["uv"], "args": ["tool", "install"], "manager": "pip"},
	{"names": ["npm"], "args": ["{install,i,add}"], "manager": "npm", "project": true, "lifecycle": true},
	{"names": ["npm"], "args": ["{ci,clean-install}"], "manager": "npm", "lifecycle": true},
	{"names": ["yarn"], "args": ["{install,add}"], "manager": "yarn", "project": true},
	{"names": ["yarn"], "args": ["global", "add"], "manager": "yarn"},
	# A bare `yarn` installs the project's dependencies.
	{"names": ["yarn"], "no_positional": true, "manager": "yarn", "project": true},
	{"names": ["pnpm"], "args": ["add"], "manager": "npm"},
	{"names": ["go"], "args": ["install"], "manager": "go"},
	{"names": ["gem"], "args": ["install"], "manager": "gem"},
	{"names": ["cargo"], "args": ["install"], "manager": "cargo"},
]

# package_managers says, per manager, how its command line reads:
#   value_options: options that take the next word as their value (so that
#     word is not a package), lower case, `--name=value` forms aside;
#   version_options: options whose value is the version of the packages
#     named (gem -v, cargo --version), as a version specifier;
#   source_options: options whose value is a package source to judge like
#     a package (pip -e git+...), or the repository of the packages named
#     (cargo --git);
#   offline_options: options that keep the install from the registry, to
#     local archives only (pip --no-index);
#   frozen_options: options that make a project install follow its lock
#     file or fail (yarn --frozen-lockfile);
#   lock_kinds: the kinds of model.DependencyFile a project install
#     follows only when frozen (npm install, Yarn 1);
#   bootstrap: the package manager's own packages, which every runner
#     image already holds at some version and which a job upgrades before
#     installing anything (`pip install --upgrade pip setuptools wheel`):
#     the installer, not a dependency;
#   pin: how to pin, for messages.
package_managers := {
	"pip": {
		"value_options": {
			"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "--index",
			"--default-index", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--platform",
			"--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy", "--progress-bar",
			"--no-binary", "--only-binary", "-C", "--config-settings", "--global-option", "--log", "--cache-dir",
			"--trusted-host", "--proxy", "--timeout", "--retries", "--python", "-p", "--group", "--exists-action",
			"--cert", "--client-cert", "--report", "--keyring-provider", "--with", "--suffix", "--pip-args",
			"--spec", "--python-platform", "--resolution", "--prerelease", "--extra", "--with-requirements",
			"--with-editable", "-e", "--editable",
		},
		"version_options": set(),
		"source_options": {"-e", "--editable"},
		"offline_options": {"--no-index", "--offline"},
		"frozen_options": set(),
		"lock_kinds": set(),
		"bootstrap": {"pip", "setuptools", "wheel"},
		"pin": "pin each with == (name==1.2.3), or install from a requirements file with hashes",
	},
	"npm": {
		"value_options": {
			"--prefix", "-C", "--dir", "--registry", "--cache", "--loglevel", "--tag", "--workspace", "-w",
			"--omit", "--include", "--install-strategy", "--userconfig", "--globalconfig", "--filter", "--reporter",
		},
		"version_options": set(),
		"source_options": set(),
		"offline_options": {"--offline"},
		"frozen_options": set(),
		"lock_kinds": {"npm-lock"},
		"bootstrap": {"npm"},
		"pin": "pin each to a version (name@1.2.3)",
	},
	"yarn": {
		"value_options": {"--cwd", "--registry", "--cache-folder", "--modules-folder", "--network-timeout", "--mutex", "--global-folder", "--prefix"},
		"version_options": set(),
		"source_options": set(),
		"offline_options": {"--offline"},
		"frozen_options": {"--frozen-lockfile", "--immutable"},
		"lock_kinds": {"yarn-lock-v1"},
		"bootstrap": set(),
		"pin": "pin each to a version (name@1.2.3)",
	},
	"go": {
		"value_options": {"-tags", "-ldflags", "-gcflags", "-asmflags", "-mod", "-modfile", "-o", "-p", "-pkgdir", "-toolexec", "-overlay", "-buildmode", "-compiler", "-installsuffix", "-pgo"},
		"version_options": set(),
		"source_options": set(),
		"offline_options": {"--offline"},
		"frozen_options": set(),
		"lock_kinds": set(),
		"bootstrap": set(),
		"pin": "pin a release (path@v1.2.3)",
	},
	"gem": {
		"value_options": {"-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "--platform", "-p", "--http-proxy", "-P", "--trust-policy", "--document", "-g", "--file", "--build-root"},
		"version_options": {"-v", "--version"},
		"source_options": set(),
		"offline_options": {"--offline"},
		"frozen_options": set(),
		"lock_kinds": set(),
		"bootstrap": {"bundler", "rubygems-update"},
		"pin": "pin a version with -v 1.2.3",
	},
	"cargo": {
		"value_options": {
			"--version", "--vers", "--git", "--branch", "--tag", "--rev", "--path", "--root", "--index", "--registry",
			"--features", "-f", "--target", "--target-dir", "--bin", "--example", "-j", "--jobs", "--profile",
			"--config", "-z", "--color",
		},
		"version_options": {"--version", "--vers"},
		"source_options": {"--git"},
		"offline_options": {"--offline"},
		"frozen_options": set(),
		"lock_kinds": set(),
		"bootstrap": set(),
		"pin": "pin a version with --version 1.2.3 (and add --locked)",
	},
}

# local_package_pattern matches a package given as a path: the project or
# another source tree on disk, or an archive a build wrote. Installing it
# fetches nothing by name.
local_package_pattern := `(?i)^(\.\.?(/|\[|$)|/|~/|file:)|^[^:@]*/[^:@]*$|\.(whl|tar\.gz|tgz|zip|egg|gem|crate)$`

# prerelease_options ask an install for pre-releases (`pip install --pre`,
# `gem install --prerelease`), and prerelease_words match an argument
# that names nightly builds (`-i https://.../nightly-wheels/simple`,
# `tf-nightly`): such a job tests what is coming on purpose.
prerelease_options contains option if some option in {"--pre", "--prerelease"}

prerelease_words := `(?i)nightly`

# prerelease_tags are the npm dist-tags that name what is coming
# (`@playwright/test@next`), asked for on purpose by jobs that test or roll
# to the next release; `latest` is not one of them.
prerelease_tags contains tag if some tag in {"next", "canary", "nightly", "beta", "alpha", "rc", "insiders", "insider", "experimental", "dev", "preview", "edge"}

# vcs_package_pattern matches a package fetched from a version control
# repository: pip's `git+https://...@ref`, npm's `github:owner/repo#ref`
# and `git+https://...#ref`, pip's `name @ git+...`.
vcs_package_pattern := `(?i)^((git|hg|svn|bzr)\+|git://|(github|gitlab|bitbucket|gist):)|\s@\s*(git|hg|svn|bzr)\+`

# lifecycle_ignore_variable switches off npm's install scripts for every
# install that sees it (npm reads its configuration from the environment,
# in any case).
lifecycle_ignore_variable := "npm_config_ignore_scripts"

# constraint_variables give pip a constraints file for every install.
constraint_variables contains name if some name in {"PIP_CONSTRAINT", "PIP_REQUIRE_HASHES", "UV_CONSTRAINT"}

# workspace_variables hold the directory a job starts in, the checkout of
# the repository: `cd "$GITHUB_WORKSPACE/web"` is `cd web`.
workspace_variables := `^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?(GITHUB_WORKSPACE|CI_PROJECT_DIR|WORKSPACE)\}?|\$\{env\.WORKSPACE\})(/|$)`
