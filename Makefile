# neon-api-keys — `make help` lists the targets. `make demo` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
REPO := $(abspath .)
LOGS := $(REPO)/target/test-logs
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
export NEON_EMULATOR_BIN := $(REPO)/target/debug/neon-api-keys-emulator

.PHONY: help demo test lint test-rust conformance emulator-bin emulator python test-python wheel-check node test-node \
        swift test-swift bench bench-smoke fuzz-smoke fuzz load no-loss summary

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

demo: emulator-bin ## Create, list, rotate, audit and revoke keys against the embedded emulator (Rust, Python, Node)
	$(CARGO) run -q -p neon-api-keys --example demo
	bindings-python/scripts/build.sh >/dev/null
	bindings-python/.venv/bin/python bindings-python/scripts/demo.py
	bindings-node/scripts/build.sh >/dev/null
	node bindings-node/scripts/demo.mjs

test: ## Build everything and run every test in every language (what CI runs)
	@mkdir -p $(LOGS); rm -f $(LOGS)/*.log
	$(MAKE) --no-print-directory lint 2>&1 | tee $(LOGS)/lint.log
	$(MAKE) --no-print-directory test-rust 2>&1 | tee $(LOGS)/rust.log
	$(MAKE) --no-print-directory test-python 2>&1 | tee $(LOGS)/python.log
	$(MAKE) --no-print-directory test-node 2>&1 | tee $(LOGS)/node.log
	$(MAKE) --no-print-directory test-swift 2>&1 | tee $(LOGS)/swift.log
	$(MAKE) --no-print-directory fuzz-smoke 2>&1 | tee $(LOGS)/fuzz.log
	$(MAKE) --no-print-directory bench-smoke 2>&1 | tee $(LOGS)/bench.log
	@$(MAKE) --no-print-directory summary

summary: ## Print the per-language conformance lines of the last `make test`
	@echo; echo "== summary =="
	@grep -h -o -E '^conformance [a-z]+: [0-9]+ passed, [0-9]+ failed' $(LOGS)/*.log | sort
	@grep -h -o -E '^conformance [a-z]+: [0-9]+ passed, [0-9]+ failed' $(LOGS)/*.log | \
	  awk '{p+=$$3; f+=$$5} END {printf "total: %d passed, %d failed\n", p, f; exit (f>0 || p==0)}'

lint: ## cargo fmt --check and clippy -D warnings on every crate; actionlint on .github/workflows
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --exclude neon-api-keys-python -- -D warnings
	$(CARGO) clippy -p neon-api-keys-python --all-targets -- -D warnings
	scripts/lint-workflows.sh

emulator-bin:
	$(CARGO) build -q -p neon-api-keys-emulator

emulator: emulator-bin ## Run the emulator in the foreground (prints its URL and seed as one JSON line)
	$(NEON_EMULATOR_BIN)

test-rust: emulator-bin ## Core, emulator and the Rust conformance runner (async + blocking)
	$(CARGO) test -p neon-api-keys-emulator
	$(CARGO) test -p neon-api-keys
	$(CARGO) test -p neon-api-keys-conformance -- --nocapture

conformance: emulator-bin ## Only the Rust conformance runner
	$(CARGO) test -q -p neon-api-keys-conformance -- --nocapture

python: ## Build the Python package into bindings-python/.venv
	bindings-python/scripts/build.sh

test-python: emulator-bin ## Python: build, stubs check, pytest (conformance on Client and AsyncClient), wheel check
	bindings-python/scripts/test.sh
	bindings-python/scripts/check-wheel.sh

wheel-check: ## Python packaging: sdist, manylinux2014 wheel from it (zig), auditwheel tag, fresh-venv import
	bindings-python/scripts/check-wheel.sh

node: ## Build the Node package
	bindings-node/scripts/build.sh

test-node: emulator-bin ## Node: build, generated-file check, node --test (conformance)
	bindings-node/scripts/test.sh

swift: ## Install Swift if missing (Debian: a trixie chroot outside the checkout) and build the Swift package
	bindings-swift/scripts/ensure-swift.sh

test-swift: emulator-bin ## Swift: build the uniffi library, check generated sources, swift test (conformance)
	bindings-swift/scripts/test.sh

fuzz-smoke: ## Each cargo-fuzz target for 10 s (installs cargo-fuzz 0.13 when missing)
	scripts/fuzz.sh smoke

fuzz: ## The documented long fuzzing run (FUZZ_SECS per target, default 600)
	scripts/fuzz.sh long $${FUZZ_SECS:-600}

load: emulator-bin ## The full load test: 64 clients x 10,000 mixed operations with Neon's rate limits on
	LOAD_OPS=10000 $(CARGO) test --release -p neon-api-keys --test load -- --nocapture

no-loss: emulator-bin ## The full no-loss test: 2,000 creates with 20 % ambiguous failures
	NO_LOSS_CREATES=2000 $(CARGO) test -p neon-api-keys --test no_loss -- --nocapture

bench: ## Full benchmarks (release builds, Neon's clients, wrk vs Prism): bench/results/latest.md + chart
	bench/run.sh

bench-smoke: ## The benchmark harness once with tiny counts (part of make test; never judged on timing)
	bench/run.sh --smoke
