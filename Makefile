# Dashboard Studio — two commands on a fresh machine:
#   make run    install what is missing, build, serve the demo on http://127.0.0.1:3000
#   make test   install what is missing, run the whole suite (lint, unit, integration, e2e)
# Every install step checks first and skips what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
CARGO_FUZZ_VERSION := 0.13.2
# Seconds each fuzz target runs in `make test`; `make fuzz FUZZ_SECONDS=3600` for a long run.
FUZZ_SECONDS ?= 60
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# cargo-leptos sets this for its builds and leptos reads it at compile time;
# setting it for every cargo command lets `cargo test` and `cargo leptos build`
# share one build instead of compiling the leptos crates twice.
export LEPTOS_OUTPUT_NAME := dashstudio

LISTEN ?= 127.0.0.1:3000
DATA_DIR ?= data

.PHONY: help run build codemirror test tools tools-build tools-node tools-e2e tools-oracle tools-fuzz tools-schemathesis lint unit schemathesis fuzz e2e bench clean

help:
	@echo "make run    build and serve the studio on the demo repository (http://$(LISTEN))"
	@echo "make test   the whole test suite (installs what it needs)"
	@echo "make bench  benchmarks (print figures)"

## ---- installs (idempotent) -------------------------------------------------

tools-build:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@if ! cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 16 minutes on 2 cores)"; \
	  cargo install --locked cargo-leptos --version $(CARGO_LEPTOS_VERSION); fi
	@# cargo-leptos would download wasm-bindgen; it uses one on PATH of the exact version.
	@if ! wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; fi
	@command -v wasm-opt >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq binaryen; }
	@# git2's https/ssh transports build against OpenSSL (openssl-sys finds it through pkg-config).
	@dpkg -s libssl-dev pkg-config >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libssl-dev pkg-config; }

tools-node:
	@command -v node >/dev/null && command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }

tools-e2e: tools-node
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	@cd e2e && if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund; fi

# The official Lezer grammars of LogQL/TraceQL: the oracle of core's differential tests.
tools-oracle: tools-node
	@cd core/tests/lezer && if [ ! -d node_modules/@grafana/lezer-logql ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

tools-fuzz:
	@if ! cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)"; then \
	  echo "installing cargo-fuzz $(CARGO_FUZZ_VERSION)"; \
	  cargo install --locked cargo-fuzz --version $(CARGO_FUZZ_VERSION); fi

# schemathesis (property-based testing against our OpenAPI document), in a venv.
SCHEMATHESIS_VERSION := 4.32.5
SCHEMATHESIS_VENV := target/schemathesis-venv
tools-schemathesis:
	@if ! $(SCHEMATHESIS_VENV)/bin/schemathesis --version 2>/dev/null | grep -q "$(SCHEMATHESIS_VERSION)"; then \
	  echo "installing schemathesis $(SCHEMATHESIS_VERSION) in $(SCHEMATHESIS_VENV)"; \
	  python3 -m venv $(SCHEMATHESIS_VENV) \
	  && $(SCHEMATHESIS_VENV)/bin/pip install --quiet --disable-pip-version-check "schemathesis==$(SCHEMATHESIS_VERSION)"; fi

tools: tools-build tools-node tools-e2e tools-oracle tools-fuzz tools-schemathesis

## ---- the studio ------------------------------------------------------------

build: tools-build codemirror
	cargo leptos build --release

# CodeMirror 6 for the query and JSON editors: npm packages (lockfile in
# codemirror/) bundled by esbuild into target/assets/codemirror/codemirror.js,
# which cargo-leptos copies into the site; the pages load it before hydrating. Without it the editors stay textareas.
codemirror: tools-node
	@cd codemirror && if [ ! -d node_modules/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi
	@cd codemirror && node build.mjs

run: build
	@echo "Dashboard Studio: open http://$(LISTEN) (data in $(DATA_DIR)/, Ctrl-C to stop)"
	LEPTOS_SITE_ROOT=target/site ./target/release/dashstudio serve --data-dir $(DATA_DIR) --listen $(LISTEN)

## ---- tests -----------------------------------------------------------------

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p dashstudio-app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# The database tests run on SQLite and on a real PostgreSQL (Debian's
# package, a throwaway cluster in target/postgres); then the server suites
# that write most to the database run again with the studio on PostgreSQL
# (`--workspace`, as above, so that features unify the same: no rebuild).
unit: tools-oracle
	@url=$$(scripts/postgres.sh start); trap 'scripts/postgres.sh stop' EXIT; \
	export DASHSTUDIO_TEST_POSTGRES_URL=$$url DASHSTUDIO_REQUIRE_POSTGRES=1; \
	DASHSTUDIO_REQUIRE_ORACLE=1 cargo test --workspace; \
	echo "server suites again, the studio on PostgreSQL"; \
	DASHSTUDIO_TEST_DATABASE=postgres cargo test --workspace \
	  --test write_api --test auth --test auth_matrix --test shared_db

# Property-based API testing: schemathesis generates requests from
# /api/openapi.json (valid and invalid ones) against the real server on the
# demo repository in a temporary data dir, signed in with a bootstrap token,
# and checks every answer: no 5xx, documented status, content type, headers
# and schema, invalid input refused, auth not ignored. One check is left out:
# positive_data_acceptance (every schema-valid request gets a 2xx/404), since
# the server rightly refuses some schema-valid bodies on rules JSON Schema
# cannot state (`dashboard_text` must parse as JSON, a `base_version` must
# match the file, `1.0` where serde wants an integer). SCHEMATHESIS_EXAMPLES
# bounds the cases per operation; SCHEMATHESIS_SEED picks another sample.
SCHEMATHESIS_EXAMPLES ?= 50
SCHEMATHESIS_SEED ?= 7
schemathesis: tools-schemathesis
	cargo build -p dashstudio-server --bin dashstudio
	@bin=$${CARGO_TARGET_DIR:-target}/debug/dashstudio; \
	data=$$(mktemp -d); token=schemathesis-$$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n'); \
	DASHSTUDIO_BOOTSTRAP_TOKEN=$$token $$bin serve --data-dir $$data/data --listen 127.0.0.1:0 >$$data/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null || true; rm -rf $$data' EXIT; \
	for i in $$(seq 600); do grep -q 'listening on http://' $$data/server.log && break; \
	  kill -0 $$pid 2>/dev/null || { cat $$data/server.log; exit 1; }; sleep 0.1; done; \
	url=$$(grep -o 'http://127.0.0.1:[0-9]*' $$data/server.log | head -1); \
	[ -n "$$url" ] || { echo "the server did not start"; cat $$data/server.log; exit 1; }; \
	echo "schemathesis against $$url ($(SCHEMATHESIS_EXAMPLES) examples per operation)"; \
	$(SCHEMATHESIS_VENV)/bin/schemathesis run "$$url/api/openapi.json" \
	  --header "Authorization: Bearer $$token" \
	  --checks all --exclude-checks positive_data_acceptance \
	  --max-examples $(SCHEMATHESIS_EXAMPLES) --seed $(SCHEMATHESIS_SEED) --workers 1 --phases examples,coverage,fuzzing \
	  --suppress-health-check too_slow,filter_too_much --no-color \
	  || { echo "--- server log (tail)"; tail -50 $$data/server.log; exit 1; }

# libFuzzer on the LogQL and TraceQL parsers, seeded with the query corpus.
# The machine has one stable toolchain: RUSTC_BOOTSTRAP lets cargo-fuzz pass
# its -Z flags to it. No sanitizer: core forbids unsafe code, and the targets
# look for panics and wrong error spans.
fuzz: tools-fuzz
	@for t in logql traceql; do \
	  seeds=target/fuzz-corpus/$$t; mkdir -p $$seeds; \
	  awk -v dir=$$seeds '!/^%%/ && NF { f = sprintf("%s/seed-%04d", dir, NR); printf "%s", $$0 > f; close(f) }' core/tests/queries/$$t.txt; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  (cd core/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --target-dir ../../target/fuzz $$t ../../$$seeds \
	    -- -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
	    | grep -E '^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|stat::average_exec_per_sec)|panicked|ERROR|SUMMARY|crash-' ) ; \
	  status=$${PIPESTATUS[0]}; [ "$$status" = 0 ] || { echo "fuzz target $$t failed"; exit 1; }; \
	done

e2e: tools codemirror
	cargo leptos build
	cd e2e && DASHSTUDIO_BIN=../target/debug/dashstudio LEPTOS_SITE_ROOT=../target/site npm test

test: tools lint unit schemathesis fuzz e2e

bench:
	cargo bench -p dashstudio-core
	cargo bench -p dashstudio-server --bench write
	bench/wasm-size.sh
	bench/load.sh

clean:
	cargo clean
	rm -rf e2e/node_modules e2e/output core/tests/lezer/node_modules core/fuzz/target codemirror/node_modules
