package pipelint.lib.tables_test

import data.pipelint.lib.tables

# per_system are the tables keyed by CI system.
per_system := {
	"cache_hint": tables.cache_hint,
	"failure_path_idiom": tables.failure_path_idiom,
	"persistent_runner_severity": tables.persistent_runner_severity,
}

test_every_per_system_table_has_a_default if {
	every _, table in per_system {
		table["*"]
		every system in ["github", "gitlab", "jenkins"] {
			table[system]
		}
	}
}

test_for_system_falls_back_to_the_default if {
	tables.for_system(tables.failure_path_idiom, "jenkins") == "a `post { failure { ... } }` block"
	tables.for_system(tables.failure_path_idiom, "madeup-ci") == tables.failure_path_idiom["*"]
	tables.for_system(tables.persistent_runner_severity, "madeup-ci") == "low"
	tables.for_system(tables.cache_hint, "madeup-ci") == tables.cache_hint["*"]
}

test_production_text_pattern if {
	regex.match(tables.production_text_pattern, "kubectl --context=prod-eu apply")
	not regex.match(tables.production_text_pattern, "productivity")
}
