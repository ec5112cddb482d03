# Two entry points do all the set-up: `make demo` and `make test`. Each installs what is missing.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never


.PHONY: test-install chromium npm-build-tools console-screenshots sandbox bench-npm-boundary demo-cli npm npm-tools test-npm bench-npm all demo test setup fmt-check lint test-rust typings typings-check wheel test-python bench-python bless bench fuzz-check clean

VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# The wheel the tests install: the one for this machine's architecture.
ARCH := $(shell uname -m)
WHEEL = dist/wagroups-$(VERSION)-cp39-abi3-manylinux2014_$(ARCH).manylinux_2_17_$(ARCH).whl
NPM_TGZ = dist/wagroups-$(VERSION).tgz
WASM_BINDGEN_VERSION := 0.2.130
NPM_PROJECT ?= $(CURDIR)/target/npm-user-project
# The oldest and newest CPython besides the default one: the same wheel must pass on each.
PYENV_ROOT ?= $(HOME)/.pyenv
EXTRA_PYTHONS ?= $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.9.*/bin/python3))) $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/3.13.*/bin/python3)))

all: test

setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

## The example Cloudflare Worker under local workerd: first against a recording Graph stub with
## signed example deliveries replayed, then against the local sandbox in a short story.
demo: setup npm
	npm install --prefix examples/cloudflare-worker --no-save --no-package-lock --omit=dev --no-audit --no-fund --silent ./$(NPM_TGZ)
	$(CARGO) build -q -p wagroups-sandbox
	node examples/cloudflare-worker/demo.mjs
	node examples/cloudflare-worker/story.mjs

## A whole group lifecycle through the CLI: each request built, a sample reply parsed.
demo-cli: setup
	$(CARGO) build -q -p wagroups-cli
	bash scripts/demo.sh target/debug/wagroups

## Everything CI runs: formatting, lints with warnings denied, all tests and doctests, the wheel.
test: setup fmt-check lint test-rust typings-check test-python test-npm test-install

fmt-check:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings
	$(CARGO) clippy -q -p wagroups-python -- -D warnings
	$(CARGO) clippy -q -p wagroups --all-targets --features "unstable-add-participants schema" -- -D warnings

test-rust:
	$(CARGO) test --workspace
	$(CARGO) test -p wagroups --features "unstable-add-participants schema" --test unit --test schema --test operation_table

## Regenerate the Python typings from the Rust types (`wagroups schema`).
typings:
	$(CARGO) run -q -p wagroups-cli -- schema | $(PYTHON) tools/typegen.py

typings-check:
	$(CARGO) run -q -p wagroups-cli -- schema | $(PYTHON) tools/typegen.py --check

$(VENV)/.installed: bindings-python/requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt
	touch $@

## The abi3 wheels (CPython 3.9+) into dist/, each checked against its tag: manylinux2014
## x86_64 and aarch64 (glibc 2.17+: Amazon Linux 2, Debian 11, Ubuntu 20.04…), musllinux_1_2
## x86_64 (Alpine).
wheel: $(VENV)/.installed
	bash bindings-python/build-wheels.sh $(VENV) all
	ls -l dist/*.whl

## The installed manylinux2014 wheel for this machine (not an editable build) in fresh virtualenvs: the
## corpus, the API, the example, mypy --strict on typed code (and a misuse it must reject),
## stubtest.
test-python: wheel
	$(CARGO) build -q -p wagroups-sandbox
	WAGROUPS_SANDBOX=$(CURDIR)/target/debug/wagroups-sandbox bash bindings-python/test-wheel.sh $(WHEEL) $(PYTHON) $(EXTRA_PYTHONS)

## Tools that build the npm package, installed when missing and never system-wide (the demo
## needs no more): the wasm target, the wasm-bindgen CLI pinned to the crate, npm dev
## dependencies (wasm-opt, wrangler/Miniflare, playwright-core, tsc, Deno and Bun); the npm ones
## again whenever the lock file is newer than the install (a dev dependency was added).
npm-build-tools:
	rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || $(CARGO) install -q wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	test bindings-wasm/node_modules/.package-lock.json -nt bindings-wasm/package-lock.json || (cd bindings-wasm && npm ci --no-audit --no-fund --silent)

## The browser the tests drive: CHROMIUM=/path when given, else Debian's Chromium, installed when
## missing and this is root on Debian/Ubuntu; otherwise one line says how to point at one.
chromium:
	@if [ -n "$(CHROMIUM)" ]; then test -x "$(CHROMIUM)" || { echo "CHROMIUM=$(CHROMIUM) is not an executable"; exit 1; }; \
	elif [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "make test drives a browser: install Chromium (Debian/Ubuntu: apt-get install chromium) or run make test CHROMIUM=/path/to/chromium"; exit 1; fi

npm-tools: npm-build-tools chromium

## A local Groups API sandbox with its defaults (prints them); Ctrl-C stops it.
sandbox: setup
	$(CARGO) run -q -p wagroups-sandbox -- $(SANDBOX_ARGS)

## The README's install lines, run in scratch directories: the npm tarball into a new project,
## pip install ./bindings-python into a fresh venv, a path dependency in a new Cargo project.
test-install: setup
	bash scripts/install-check.sh

## Screenshots of the sandbox console (the chat view, the delivery inspector) into docs/images/,
## taken by its headless Chromium test.
console-screenshots: npm-tools
	$(CARGO) build -q -p wagroups-sandbox
	mkdir -p docs/images
	WAGROUPS_SCREENSHOTS=$(CURDIR)/docs/images node --test bindings-wasm/test/sandbox-console.test.mjs

## The npm package: dist/wagroups-<version>.tgz.
npm: npm-build-tools
	bash bindings-wasm/build.sh

## The tarball installed into an empty project, used by name: the corpus in Node (import and
## require), workerd and Chromium; tsc --strict; the README quickstarts; the Worker example.
test-npm: npm chromium
	$(CARGO) build -q -p wagroups-sandbox
	bash bindings-wasm/test/setup-project.sh $(NPM_TGZ) $(NPM_PROJECT) >/dev/null
	npm install --prefix examples/cloudflare-worker --no-save --no-package-lock --omit=dev --no-audit --no-fund --silent ./$(NPM_TGZ)
	WAGROUPS_TEST_PROJECT=$(NPM_PROJECT) node --test bindings-wasm/test/*.test.mjs

## parseWebhook against JSON.parse and whatsapp-api-js 6.3 in one run (installed into a
## throwaway project beside the tarball, never into the package).
bench-npm: npm
	bash bindings-wasm/test/setup-project.sh $(NPM_TGZ) $(NPM_PROJECT) >/dev/null
	cd $(NPM_PROJECT) && npm install --no-save --no-audit --no-fund --silent whatsapp-api-js@6.3.0
	cp bindings-wasm/bench.mjs bindings-wasm/bench-cold.mjs $(NPM_PROJECT)/
	cd $(NPM_PROJECT) && node bench.mjs $(CURDIR)/tests/fixtures/webhooks
	cd $(NPM_PROJECT) && node bench-cold.mjs $(CURDIR)/tests/fixtures/webhooks $(CURDIR)/bindings-wasm

bench-npm-boundary: npm-build-tools
	$(CARGO) build -q -p wagroups-wasm --target wasm32-unknown-unknown --profile wasm-release --features boundary-bench
	wasm-bindgen --target nodejs --out-dir target/boundary-bench --out-name w target/wasm32-unknown-unknown/wasm-release/wagroups_wasm.wasm
	bindings-wasm/node_modules/.bin/wasm-opt -Os --converge -ocimfs 50 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd target/boundary-bench/w_bg.wasm -o target/boundary-bench/w_bg.wasm
	cp bindings-wasm/bench-boundary.mjs target/boundary-bench/ && mkdir -p target/boundary-bench/js && cp bindings-wasm/js/tape.js target/boundary-bench/js/
	node target/boundary-bench/bench-boundary.mjs target/boundary-bench tests/fixtures/webhooks
	$(CARGO) build -q -p wagroups-wasm --target wasm32-unknown-unknown --profile wasm-release

## parse_webhook against json.loads and pywa 4.5 in one run, in a throwaway venv holding the
## wheel and the peer (never the project's own environment).
bench-python: wheel
	rm -rf target/bench-venv && $(PYTHON) -m venv target/bench-venv
	target/bench-venv/bin/pip install -q --disable-pip-version-check $(WHEEL) pywa==4.5.0
	target/bench-venv/bin/python bindings-python/bench.py

## Rewrite fixture expectations from the core; review the diff before committing.
bless:
	WAGROUPS_BLESS=1 $(CARGO) test -q -p wagroups --test fixtures every_case_gives_its_expected_output
	WAGROUPS_BLESS=1 $(CARGO) test -q -p wagroups --test openapi_conformance metas_webhook_examples
	git diff --stat -- tests/fixtures tests/vendor

bench:
	$(CARGO) bench -p wagroups --bench operations --bench webhooks --bench state --bench memory

## The fuzz targets compile on stable; running them needs cargo-fuzz (see fuzz/README.md).
fuzz-check:
	$(CARGO) check --manifest-path fuzz/Cargo.toml

clean:
	$(CARGO) clean
