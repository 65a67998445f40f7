# ubiops-go build entry points. `make test` is what CI runs (.ci/run) and what the README shows.
GO      ?= go
SHARED  ?= ../shared
PYTHON  ?= python3
# Hand-written Go files: everything except the generated layer.
GOFILES  = $(shell find . -name '*.go' -not -path './gen/*' -not -path './.git/*')

.PHONY: all generate check-generated test fmt-check vet spec contract bench

all: test

## generate: regenerate gen/ from api/openapi.yaml with the oapi-codegen pinned in go.mod.
generate:
	cd gen && $(GO) generate ./...

## check-generated: regenerate into a temporary copy of the module and fail on any difference.
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp -R go.mod go.sum tools.go api gen "$$tmp"/ && \
	(cd "$$tmp/gen" && $(GO) generate ./...) && \
	if diff -ru gen "$$tmp/gen"; then echo "check-generated: gen/ matches api/openapi.yaml"; \
	else echo "check-generated: gen/ is stale; run 'make generate' and commit the result" >&2; exit 1; fi

## fmt-check: gofmt on hand-written code (generated code is formatted by its generator).
fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## spec: the spec checks alone (kin-openapi in Go; the reference-page checks when ../shared is there).
spec:
	$(GO) test -count=1 -run 'TestSpec' ./api/...
	@if $(PYTHON) -c 'import openapi_spec_validator, yaml' 2>/dev/null; then \
		$(PYTHON) -c 'import sys, yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open("api/openapi.yaml"))); print("openapi-spec-validator: api/openapi.yaml is valid")'; \
	else echo "spec: openapi-spec-validator not installed; skipped"; fi
	@if [ -f $(SHARED)/tools/seedcheck.py ]; then \
		$(PYTHON) $(SHARED)/tools/seedcheck.py api/openapi.yaml; \
	else echo "spec: $(SHARED) not present; reference-page check skipped"; fi

## contract: drive all operations through package ubiops against a spec-validating server.
contract:
	@$(GO) test -count=1 -run '^TestContract$$' -v ./ubiops/ > .contract.log 2>&1; rc=$$?; \
	grep '^contract:' .contract.log || true; \
	if [ $$rc -ne 0 ]; then grep -E -- '--- FAIL|violation|Error:' .contract.log | head -40; fi; rm -f .contract.log; exit $$rc

## bench: the performance figures, each measured against a baseline in the same run.
bench:
	@$(GO) run ./internal/bench

## test: format, vet, the race-enabled test suite, then the spec checks.
test: fmt-check vet
	$(GO) test -race -count=1 ./...
	@$(MAKE) --no-print-directory contract
	@$(MAKE) --no-print-directory spec
