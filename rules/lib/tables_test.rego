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

test_text_guards if {
	regex.match(tables.act_text_pattern, "      - run: npx wrangler deploy")
	regex.match(tables.act_text_pattern, "run: python -m twine upload dist/*")
	regex.match(tables.act_text_pattern, "  - uses: AWS-Actions/configure-aws-credentials@v4")
	regex.match(tables.act_text_pattern, "  id_tokens:")
	regex.match(tables.act_text_pattern, "KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}")
	regex.match(tables.act_text_pattern, "        ansiblePlaybook credentialsId: 'x'")
	regex.match(tables.act_text_pattern, "kubectl --context prod apply -f k8s/")
	not regex.match(tables.act_text_pattern, "run: npm ci && npm test\n  - run: docker build .")
	regex.match(tables.deploy_text_pattern, "run: ./scripts/deploy.sh")
	not regex.match(tables.deploy_text_pattern, "run: make test")
	regex.match(tables.production_text_pattern, "kubectl --context=prod-eu apply")
	not regex.match(tables.production_text_pattern, "productivity")
}
