package pipelint.rules.unpinned_include_test

import data.pipelint.lib.build
import data.pipelint.rules.unpinned_include

include(usage, repo, path, ref, extra) := object.union(
	{
		"kind": "include", "usage": usage, "value": build.str(repo, 3), "repo": repo, "path": path, "ref": ref,
		"pinned": false, "local": false, "dynamic": false, "integrity": build.str("", 0),
	},
	extra,
)

findings_for(refs) := f if {
	f := unpinned_include.findings with input as object.union(build.pipeline("gitlab", []), {"references": refs})
}

test_project_include_without_ref if {
	findings_for([include("project", "acme/ci", "templates/build.yml", "", {})]) == {{
		"msg": "project include \"acme/ci:templates/build.yml\" has no version, so it follows the default branch; pin it to a commit SHA",
		"pos": build.at(3, 7),
		"severity": "high",
	}}
}

test_severity_by_ref if {
	[f.severity | some f in findings_for([include("project", "acme/ci", "x.yml", "main", {})])] == ["high"]
	[f.severity | some f in findings_for([include("project", "acme/ci", "x.yml", "v1.4.2", {})])] == ["low"]
	[f.severity | some f in findings_for([include("component", "gitlab.com/acme", "build", "~latest", {})])] == ["high"]
	[f.severity | some f in findings_for([include("component", "gitlab.com/acme", "build", "1.2", {})])] == ["medium"]
	[f.severity | some f in findings_for([include("component", "gitlab.com/acme", "build", "1.2.3", {})])] == ["low"]
	[f.severity | some f in findings_for([include("remote", "https://x/ci.yml", "", "", {})])] == ["high"]
	[f.severity | some f in findings_for([include("remote", "https://x/-/raw/0123456789abcdef0123456789abcdef01234567/ci.yml", "", "", {})])] == ["low"]
}

test_pinned_local_and_template_are_fine if {
	sha := "0123456789abcdef0123456789abcdef01234567"
	count(findings_for([
		include("project", "acme/ci", "x.yml", sha, {"pinned": true}),
		include("remote", "https://x/ci.yml", "", "", {"pinned": true}),
		include("local", "", "ci/x.yml", "", {"local": true}),
		include("template", "", "Auto-DevOps.gitlab-ci.yml", "", {}),
		include("project", "$GROUP/ci", "x.yml", "", {"dynamic": true}),
	])) == 0
}

lib(name, ref) := {"kind": "library", "usage": "", "value": build.str(name, 1), "repo": name, "path": "", "ref": ref, "pinned": false, "local": false, "dynamic": false}

test_jenkins_libraries if {
	[f.msg | some f in findings_for([lib("pipeline-library", "")])] == ["shared library \"pipeline-library\" has no version, so it loads the default version set in Jenkins, usually a branch; pin it to a commit SHA"]
	[f.severity | some f in findings_for([lib("pipeline-library", "master")])] == ["high"]
	[f.severity | some f in findings_for([lib("pipeline-library", "2.1.0")])] == ["low"]
}

# A remote include with no integrity hash can change whatever its URL is;
# with one, a URL built from variables is fine too.
test_remote_include_from_variables if {
	findings_for([include("remote", "$TEMPLATES/ci.yml", "", "", {"dynamic": true})]) == {{
		"msg": "remote include \"$TEMPLATES/ci.yml\" is fetched from a URL set by variables and has no integrity hash, so what it returns can change; add `integrity: sha256-...` or vendor the file",
		"pos": build.at(3, 7),
		"severity": "high",
	}}
	count(findings_for([include("remote", "$TEMPLATES/ci.yml", "", "", {"dynamic": true, "pinned": true})])) == 0
	count(findings_for([include("component", "$HOST/acme/build", "build", "$VERSION", {"dynamic": true})])) == 0
}
