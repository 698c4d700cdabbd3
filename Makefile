# halolint — run `make` for the list of targets.

GO        ?= go
BIN       ?= bin/halolint
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
GOLANGCI  ?= github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this list
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build bin/halolint
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/halolint

.PHONY: test
test: ## Run every test (Go, Rego, golden files, end to end) with the race detector
	$(GO) test -race -count=1 -timeout 25m ./...

.PHONY: lint
lint: ## gofmt check, go vet, and golangci-lint when it installs
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt: not formatted:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@if $(GO) run $(GOLANGCI) version >/dev/null 2>&1; then $(GO) run $(GOLANGCI) run ./...; else echo "golangci-lint not available; skipped"; fi

.PHONY: demo
demo: build ## Audit the bundled sample tenant (no HaloPSA needed)
	@# The sample has findings on purpose: exit 1 is the demo working.
	@$(BIN) demo || [ $$? -eq 1 ]

.PHONY: golden
golden: ## Rewrite the golden files after an intended output change
	$(GO) test ./reports/... ./cmd/... ./policies/... -update

.PHONY: docs
docs: ## Regenerate docs/checks.md and schemas/profile.v1.json from the policies
	$(GO) run ./internal/checksdoc/gendocs > docs/checks.md
	$(GO) run ./internal/vocabulary/genschema > schemas/profile.v1.json

.PHONY: screenshots
screenshots: build ## Render the demo's HTML report and access view in headless Chromium to docs/*.png (needs chromium)
	@sh scripts/screenshots.sh $(BIN)

.PHONY: bench
bench: ## Measure the performance figures (docs/performance.md), each beside its goal
	$(GO) run ./internal/bench/cmd/halobench

.PHONY: gobench
gobench: ## Run the Go benchmarks (go test -bench)
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: fuzz
fuzz: ## Run each fuzz target for a while (FUZZTIME=30s)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$pkg || exit 1; \
	  done; \
	done

.PHONY: clean
clean: ## Remove build output
	rm -rf bin dist
