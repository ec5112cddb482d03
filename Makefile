# Two entry points do all the set-up: `make demo` and `make test`. Each installs what is missing.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: all demo test setup fmt-check lint test-rust bless bench fuzz-check clean

all: test

setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt

## Walk a whole group lifecycle through the CLI: each request built, a sample reply parsed.
demo: setup
	$(CARGO) build -q -p wagroups-cli
	bash scripts/demo.sh target/debug/wagroups

## Everything CI runs: formatting, lints with warnings denied, all tests and doctests.
test: setup fmt-check lint test-rust

fmt-check:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings
	$(CARGO) clippy -q -p wagroups --all-targets --features "unstable-add-participants schema" -- -D warnings

test-rust:
	$(CARGO) test --workspace
	$(CARGO) test -p wagroups --features "unstable-add-participants schema" --test unit --test schema

## Rewrite fixture expectations from the core; review the diff before committing.
bless:
	WAGROUPS_BLESS=1 $(CARGO) test -q -p wagroups --test fixtures every_case_gives_its_expected_output
	git diff --stat -- tests/fixtures

bench:
	$(CARGO) bench -p wagroups --bench operations --bench webhooks

## The fuzz targets compile on stable; running them needs cargo-fuzz (see fuzz/README.md).
fuzz-check:
	$(CARGO) check --manifest-path fuzz/Cargo.toml

clean:
	$(CARGO) clean
