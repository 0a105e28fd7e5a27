# creatorbase: `make run` starts everything, `make test` proves it.
GO      ?= go
BIN     := bin/creatorbase
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/creatorbase/creatorbase/internal/version.Version=$(VERSION)
TESTPG  := $(GO) run ./internal/tools/testpg --

.DEFAULT_GOAL := help
.PHONY: help deps build run test compat vet fmt-check bench bench-load fuzz clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

deps: ## install what is missing (PostgreSQL server binaries)
	@if [ -z "$$DATABASE_URL" ]; then scripts/ensure-postgres.sh; fi

build: ## build bin/creatorbase
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/creatorbase

run: deps build ## start the whole system on the embedded default (./data)
	./$(BIN) serve

vet: ## go vet
	$(GO) vet ./...

fmt-check: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

test: deps vet fmt-check ## every test, with the race detector, on one throwaway PostgreSQL; then compat
	$(TESTPG) $(GO) test -race -count=1 -timeout 12m ./...
	@$(MAKE) --no-print-directory compat

compat: build ## supabase-js (pinned in tests/compat/package-lock.json) against the built binary
	cd tests/compat && npm ci --no-audit --no-fund --loglevel=error
	cd tests/compat && CREATORBASE_BIN=$(CURDIR)/$(BIN) node --test

bench: deps build ## benchmarks: start-up, idle memory, request paths, then the loopback load test
	$(TESTPG) $(GO) test -run '^$$' -bench . -benchtime 2s -count 1 ./...
	@$(MAKE) --no-print-directory bench-load

bench-load: deps build ## Data API vs pgbench on 1M rows with wrk, loopback only, about 8 minutes
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "wrk not found: apt-get install wrk"; exit 1; }
	$(GO) run ./internal/tools/loadbench -bin $(BIN) -duration 10s -rounds 5

fuzz: ## run every fuzzer for 30 s each
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 30s $$pkg || exit 1; \
	  done; \
	done

clean: ## remove build output (not ./data)
	rm -rf bin
