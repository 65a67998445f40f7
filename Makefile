# ubiops-go build entry points. `make test` is what CI runs (.ci/run) and what the README shows.
GO      ?= go
SHARED  ?= ../shared
PYTHON  ?= python3
# Hand-written Go files: everything except the generated layer.
GOFILES  = $(shell find . -name '*.go' -not -path './gen/*' -not -path './.git/*')

.PHONY: all generate check-generated test fmt-check vet spec contract faults bench lint fuzz

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
	@$(GO) test -count=1 -run '^TestContract$$' -v ./ubiops/ > .contract.log 2>&1; rc=$$?; \
	grep '^contract:' .contract.log || true; \
	if [ $$rc -ne 0 ]; then grep -E -- '--- FAIL|violation|Error:' .contract.log | head -40; fi; rm -f .contract.log; exit $$rc

## lint: staticcheck, and govulncheck when its vulnerability database can be reached (pinned versions,
## fetched through the module proxy by go run; nothing is installed).
STATICCHECK = honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK = golang.org/x/vuln/cmd/govulncheck@v1.1.4
lint:
	$(GO) run $(STATICCHECK) ./...
	@$(GO) run $(GOVULNCHECK) ./... > .vuln.log 2>&1; rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "govulncheck: no known vulnerabilities"; \
	elif grep -q 'fetching vulnerabilities' .vuln.log; then \
		echo "govulncheck: skipped: the vulnerability database (vuln.go.dev) is not reachable from this machine"; rc=0; \
	else cat .vuln.log; fi; rm -f .vuln.log; exit $$rc

## faults: the fault matrix (network, proxy and API failures crossed with every kind of operation).
faults:
	@$(GO) test -count=1 -run '^TestFaultMatrix$$' -v ./ubiops/ > .faults.log 2>&1; rc=$$?; \
	grep '^faults:' .faults.log || true; \
	if [ $$rc -ne 0 ]; then grep -E -- '--- FAIL|^[[:space:]]+Error:' .faults.log | head -40; fi; rm -f .faults.log; exit $$rc

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

## test: format, vet, the race-enabled test suite (its whole output scanned for the tests' secret
## tokens: a leak fails the build), the contract test, the fault matrix, then the spec checks.
SECRETS = s3cr3t-t0ken-value|contract-token|ubiopstest-[0-9a-f]{24}
test: fmt-check vet
	@$(GO) test -race -count=1 -v ./... > .test.log 2>&1; rc=$$?; \
	grep -E '^(ok|FAIL|panic:)|^--- FAIL|^    --- FAIL' .test.log; \
	if [ $$rc -ne 0 ]; then grep -E -B2 -A25 -- '--- FAIL' .test.log | head -300; fi; \
	if grep -Eq '$(SECRETS)' .test.log; then echo "test output contains a token: a secret leaked"; grep -En '$(SECRETS)' .test.log | head -5 | cut -c1-120; rc=1; fi; \
	rm -f .test.log; exit $$rc
	@$(MAKE) --no-print-directory contract
	@if grep -q '^faults:' Makefile; then $(MAKE) --no-print-directory faults; fi
	@$(MAKE) --no-print-directory spec
