# ubiops-go build entry points. `make test` is what CI runs (.ci/run) and what the README shows.
GO      ?= go
SHARED  ?= ../shared
PYTHON  ?= python3
# Hand-written Go files: everything except the generated layer.
GOFILES  = $(shell find . -name '*.go' -not -path './gen/*' -not -path './.git/*')

.PHONY: all generate check-generated test fmt-check vet spec contract faults bench lint fuzz otel-example

# Logs are written outside the repository.
LOGDIR ?= $(or $(TMPDIR),/tmp)

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
	@UBIOPS_SHARED=$(abspath $(SHARED)) $(GO) test -count=1 -v -run 'TestSpec|TestLoad|TestPyclient' ./api/... > "$${TMPDIR:-/tmp}/ubiops-spec.log" 2>&1; rc=$$?; \
	grep -E '^(ok|FAIL|--- FAIL)' "$${TMPDIR:-/tmp}/ubiops-spec.log"; grep -o 'pyclient-compat: .*' "$${TMPDIR:-/tmp}/ubiops-spec.log" || true; \
	if [ $$rc -ne 0 ]; then grep -E -A12 -- '--- FAIL' "$${TMPDIR:-/tmp}/ubiops-spec.log" | head -60; fi; rm -f "$${TMPDIR:-/tmp}/ubiops-spec.log"; exit $$rc
	@if $(PYTHON) -c 'import openapi_spec_validator, yaml' 2>/dev/null; then \
		$(PYTHON) -c 'import sys, yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open("api/openapi.yaml"))); print("openapi-spec-validator: api/openapi.yaml is valid")'; \
	else echo "spec: openapi-spec-validator not installed; skipped"; fi
	@if [ -f $(SHARED)/tools/seedcheck.py ]; then \
		$(PYTHON) $(SHARED)/tools/seedcheck.py api/openapi.yaml; \
	else echo "spec: $(SHARED) not present; reference-page check skipped"; fi

## contract: drive all operations through package ubiops against a spec-validating server.
contract:
	@log=$$(mktemp "$(LOGDIR)/ubiops-contract.XXXXXX"); \
	$(GO) test -count=1 -run '^TestContract$$' -v ./ubiops/ > $$log 2>&1; rc=$$?; \
	grep '^contract:' $$log || true; \
	if [ $$rc -ne 0 ]; then grep -E -- '--- FAIL|violation|Error:' $$log | head -40; fi; rm -f $$log; exit $$rc

## lint: staticcheck, and govulncheck when its vulnerability database can be reached (pinned versions,
## fetched through the module proxy by go run; nothing is installed).
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK = golang.org/x/vuln/cmd/govulncheck@v1.1.4
lint:
	$(GO) run $(STATICCHECK) ./...
	@log=$$(mktemp "$(LOGDIR)/ubiops-vuln.XXXXXX"); \
	$(GO) run $(GOVULNCHECK) ./... > $$log 2>&1; rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "govulncheck: no known vulnerabilities"; \
	elif grep -q 'fetching vulnerabilities' $$log; then \
		echo "govulncheck: skipped: the vulnerability database (vuln.go.dev) is not reachable from this machine"; rc=0; \
	else cat $$log; fi; rm -f $$log; exit $$rc

## faults: the fault matrix (network, proxy and API failures crossed with every kind of operation).
faults:
	@log=$$(mktemp "$(LOGDIR)/ubiops-faults.XXXXXX"); \
	$(GO) test -count=1 -run '^TestFaultMatrix$$' -v ./ubiops/ > $$log 2>&1; rc=$$?; \
	grep '^faults:' $$log || true; \
	if [ $$rc -ne 0 ]; then grep -E -- '--- FAIL|^[[:space:]]+Error:' $$log | head -40; fi; rm -f $$log; exit $$rc

## fuzz: every fuzz target of FUZZPKGS (./ubiops and ./ubiops/ubiopstest) for FUZZTIME each (30s by
## default), one after another, each in its own package; a failing input lands in
## <package>/testdata/fuzz/<target>/. (The seed corpora run in `make test`; .ci/fuzz.sh is the short
## CI run.)
FUZZTIME    ?= 30s
FUZZPKGS    ?= ubiops ubiops/ubiopstest
FUZZTARGETS ?= $(shell for d in $(FUZZPKGS); do grep -ho '^func Fuzz[A-Za-z0-9_]*' $$d/*_test.go; done | cut -c6- | sort -u)
fuzz:
	@for t in $(FUZZTARGETS); do \
		pkg=$$(for d in $(FUZZPKGS); do if grep -q "^func $$t(" $$d/*_test.go; then echo ./$$d/; fi; done); \
		if [ $$(echo $$pkg | wc -w) -ne 1 ]; then echo "fuzz: $$t: want one package of $(FUZZPKGS) to define it, got '$$pkg'" >&2; exit 1; fi; \
		echo "fuzz: $$t ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

## bench: the performance figures, each measured against a baseline in the same run.
bench:
	@$(GO) run ./internal/bench

## otel-example: the OpenTelemetry example, a module of its own (examples/otel), run against the
## embedded fake: one span per attempt, named after the operation.
otel-example:
	@cd examples/otel && $(GO) vet ./... && $(GO) run .

## test: format, vet, the race-enabled test suite (its whole output scanned for the tests' secret
## tokens: a leak fails the build; the contract and fault-matrix summaries are read from it, so
## those tests run once), the spec checks, then the OpenTelemetry example.
SECRETS = s3cr3t-t0ken-value|contract-token|ubiopstest-[0-9a-f]{24}
test: fmt-check vet
	@log=$$(mktemp "$(LOGDIR)/ubiops-test.XXXXXX"); \
	$(GO) test -race -count=1 -v ./... > $$log 2>&1; rc=$$?; \
	grep -E '^(ok|FAIL|panic:)|^--- FAIL|^    --- FAIL' $$log; \
	grep -E '^(contract|faults):' $$log; \
	if [ $$rc -ne 0 ]; then grep -E -B2 -A25 -- '--- FAIL' $$log | head -300; fi; \
	if grep -Eq '$(SECRETS)' $$log; then echo "test output contains a token: a secret leaked"; grep -En '$(SECRETS)' $$log | head -5 | cut -c1-120; rc=1; fi; \
	rm -f $$log; exit $$rc
	@$(MAKE) --no-print-directory spec
	@$(MAKE) --no-print-directory otel-example
