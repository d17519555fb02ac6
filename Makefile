# The README's two commands are `make example` and `make test`; .ci/run calls
# `make test`.
GO ?= go

.PHONY: build test lint bench example fuzz eval

build:
	$(GO) build -o bin/pipelint ./cmd/pipelint

# make test skips the pre-commit hook test (it builds the hook through the
# real pre-commit); .ci/run runs it once with PIPELINT_PRECOMMIT_TEST=1.
# Corpus tests read ../shared/corpus, or PIPELINT_CORPUS, when present.
test: lint
	$(GO) test ./...
	$(GO) test -race -short ./cmd/pipelint ./internal/engine

lint:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi

# Benchmarks of parsing and rule evaluation, then the CLI end to end over
# the corpus and actionlint's real workflows, against actionlint
# (docs/performance.md).
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./internal/benchrun

# How the rules do on the judged findings of the corpus (docs/accuracy.md):
# the per-rule table in Markdown, what fails the judgements, and the
# findings nobody has judged yet as lines for testdata/judgements/<rule>.tsv.
eval:
	@$(GO) run ./internal/accuracy/cmd/eval

# Run pipelint on the examples that ship with the repository. They are
# written to have findings, so the exit code is 1.
example:
	$(GO) run ./cmd/pipelint check testdata/examples || [ $$? -eq 1 ]

# Run every fuzz target for FUZZTIME each (CI runs them briefly; run longer
# by hand, e.g. make fuzz FUZZTIME=10m). Go minimises every input that finds
# new code, not only failing ones, for up to 60s each by default, and the
# whole-check targets then spent a 10 s run minimising; FUZZMINIMIZETIME
# caps it at 100 calls of the target, so that a failure is reported at once
# (docs/security.md).
FUZZTIME ?= 10s
FUZZMINIMIZETIME ?= 100x
FUZZ_TARGETS = \
	./internal/parser/github:FuzzParse \
	./internal/parser/gitlab:FuzzParse \
	./internal/parser/jenkins:FuzzParse \
	./internal/parser/azure:FuzzParse \
	./internal/parser/circleci:FuzzParse \
	./internal/parser/bitbucket:FuzzParse \
	./internal/parser/travis:FuzzParse \
	./internal/shell:FuzzSplit \
	./internal/config:FuzzParse \
	./internal/ignore:FuzzCollect \
	./internal/report:FuzzReporters \
	./internal/runner:FuzzCheck \
	./internal/runner:FuzzRepository

fuzz:
	@for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; name=$${target##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) $$pkg || exit 1; \
	done
