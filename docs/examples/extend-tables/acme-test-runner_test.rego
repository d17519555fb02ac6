package acme.tables_test

import data.pipelint.lib.build
import data.pipelint.rules.missing_tests

test_acme_test_run_counts_as_testing if {
	job := build.job("ci", [build.run([build.cmd(["go", "build", "./..."], 7), build.cmd(["acme-test", "run", "./..."], 8)])])
	count(missing_tests.findings) == 0 with input as build.pipeline("github", [job])
}

test_a_build_alone_is_still_untested if {
	job := build.job("ci", [build.run([build.cmd(["go", "build", "./..."], 7)])])
	count(missing_tests.findings) == 1 with input as build.pipeline("github", [job])
}
