# The README's two commands are `make example` and `make test`; .ci/run calls
# `make test`.
GO ?= go

.PHONY: build test lint bench example

build:
	$(GO) build -o bin/pipelint ./cmd/pipelint

test: lint
	$(GO) test ./...

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

# Run pipelint on the examples that ship with the repository. They are
# written to have findings, so the exit code is 1.
example:
	$(GO) run ./cmd/pipelint check testdata/examples || [ $$? -eq 1 ]
