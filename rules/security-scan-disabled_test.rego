package pipelint.rules.security_scan_disabled_test

import data.pipelint.lib.build
import data.pipelint.lib.tables
import data.pipelint.rules.security_scan_disabled

var(name, value, line) := {"name": build.str(name, line), "value": build.str(value, line), "source": "literal", "expressions": [], "pos": build.at(line, 3)}

template(path) := {"kind": "include", "usage": "template", "value": build.str(path, 2), "path": path, "pos": build.at(2, 15)}

pipeline(templates, env, jobs) := object.union(build.pipeline("gitlab", jobs), {"env": env, "references": [template(t) | some t in templates]})

# job builds an override of a template's job: no script, switched off or not.
job(id, when, extra) := object.union(build.job(id, []), object.union({"when": when, "pos": build.at(2, 1)}, extra))

comment(line) := {"text": "why", "pos": build.at(line, 20)}

found(p) := {[f.pos.line, f.severity] | some f in findings} if {
	findings := security_scan_disabled.findings with input as p
}

test_variables_with_their_template if {
	found(pipeline(["Security/SAST.gitlab-ci.yml"], [var("SAST_DISABLED", "true", 5)], [])) == {[5, "medium"]}
	found(pipeline(["Jobs/SAST-IaC.latest.gitlab-ci.yml"], [var("SAST_DISABLED", "1", 5)], [])) == {[5, "medium"]}
	found(pipeline(["Auto-DevOps.gitlab-ci.yml"], [var("DAST_DISABLED", "TRUE", 5), var("SECRET_DETECTION_DISABLED", "true", 6)], [])) == {[5, "low"], [6, "medium"]}
	found(pipeline(["Jobs/Dependency-Scanning.v2.gitlab-ci.yml"], [var("DEPENDENCY_SCANNING_DISABLED", "true", 5)], [])) == {[5, "medium"]}
}

test_message if {
	findings := security_scan_disabled.findings with input as pipeline(["Jobs/Secret-Detection.gitlab-ci.yml"], [var("SECRET_DETECTION_DISABLED", "true", 5)], [])
	[f.msg | some f in findings] == [`SECRET_DETECTION_DISABLED="true" switches the scanner off (secret detection, added by "Jobs/Secret-Detection.gitlab-ci.yml") for every pipeline: no report reaches merge requests or the security dashboard, which reads as a clean scan; remove it and narrow the scanner instead, or remove the include, or say why in a comment`]
}

test_variables_that_switch_nothing_off if {
	# another scanner's template, no template, a value that keeps it on
	found(pipeline(["Security/Secret-Detection.gitlab-ci.yml"], [var("SAST_DISABLED", "true", 5)], [])) == set()
	found(pipeline([], [var("SAST_DISABLED", "true", 5)], [])) == set()
	found(pipeline(["Security/SAST.gitlab-ci.yml"], [var("SAST_DISABLED", "false", 5)], [])) == set()
	# set in a job that is not the scanner's
	found(pipeline(["Security/SAST.gitlab-ci.yml"], [], [job("build", "", {"env": [var("SAST_DISABLED", "true", 7)]})])) == set()
}

test_scanner_jobs_switched_off if {
	found(pipeline(["Jobs/SAST.gitlab-ci.yml"], [], [job("semgrep-sast", "never", {})])) == {[2, "medium"]}
	found(pipeline(["Jobs/Container-Scanning.gitlab-ci.yml"], [], [job("container_scanning", "never", {})])) == {[2, "low"]}
	found(pipeline(["Jobs/SAST.gitlab-ci.yml"], [], [job("kics-iac-sast", "", {"env": [var("SAST_DISABLED", "true", 7)]})])) == {[7, "medium"]}
}

# A job with no script of its own overrides one an include defines: the
# include may be a project's, whose content is not read.
test_override_of_an_unread_include if {
	found(pipeline([], [], [job("secret_detection", "never", {})])) == {[2, "medium"]}
	own := job("secret_detection", "never", {"steps": [build.run([])]})
	found(pipeline([], [], [own])) == set()
}

test_jobs_that_are_no_decision_to_switch_off if {
	every id in ["sast", "iac-sast", "dependency_scanning", "bandit-sast", "build"] {
		found(pipeline(["Auto-DevOps.gitlab-ci.yml"], [], [job(id, "never", {})])) == set()
	}
	# rules that run it on some pipelines: a decision about where
	found(pipeline(["Jobs/SAST.gitlab-ci.yml"], [], [job("semgrep-sast", "", {})])) == set()
}

# A comment on the setting's lines, or the line above, says why.
test_explained_settings_are_decisions if {
	v := var("SAST_DISABLED", "true", 5)
	every line in [4, 5] {
		found(object.union(pipeline(["Jobs/SAST.gitlab-ci.yml"], [v], []), {"comments": [comment(line)]})) == set()
	}
	found(object.union(pipeline(["Jobs/SAST.gitlab-ci.yml"], [v], []), {"comments": [comment(3)]})) == {[5, "medium"]}
	overridden := job("semgrep-sast", "never", {"pos": object.union(build.at(8, 1), {"end_line": 10})})
	found(object.union(pipeline(["Jobs/SAST.gitlab-ci.yml"], [], [overridden]), {"comments": [comment(10)]})) == set()
}

# The first look at a file must let every scanner's variable and job through.
test_keywords_cover_the_tables if {
	every _, entry in tables.security_scanners {
		some word, _ in tables.scanner_keywords
		contains(entry.variable, word)
		every job in entry.jobs {
			some w, _ in tables.scanner_keywords
			contains(job, w)
		}
	}
}
