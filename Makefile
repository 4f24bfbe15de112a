# Hackops developer commands. `make` alone lists them.
#
# Everything here is a thin wrapper: the real logic lives in scripts/ so that CI (.ci/run)
# and developers run exactly the same commands.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
# `make demo RELEASE=1` serves an optimised build (slower to compile, faster to run).
RELEASE ?=
# `make test STAGES="fmt clippy"` runs only those stages of scripts/test.sh.
STAGES ?=
# Extra arguments for the demo server, e.g. `make demo ARGS="--addr 127.0.0.1:3000"`.
ARGS ?=

.PHONY: help setup demo test fmt lint frontend e2e compose-check clean

help: ## List the targets
	@echo "Hackops: make <target>"
	@echo
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: RELEASE=1 (demo), ARGS=\"...\" (demo), STAGES=\"fmt clippy ...\" (test)"

setup: ## Install what this machine lacks and start PostgreSQL + Redis
	bash scripts/setup.sh

demo: ## Build the web app and serve it with demo data on the default address
	bash scripts/build-frontend.sh
	$(CARGO) run $(if $(RELEASE),--release) -p hackops-server --bin hackops -- \
		serve --demo --static-dir frontend/dist $(ARGS)

test: ## Run every check CI runs (scripts/test.sh): lint, tests on SQLite and PostgreSQL, e2e
	bash scripts/test.sh $(STAGES)

fmt: ## Format the Rust code
	$(CARGO) fmt --all

lint: ## rustfmt check, clippy (server + wasm front end), wasm-clean check of shared/
	bash scripts/test.sh fmt clippy wasm-check

frontend: ## Build the web app into frontend/dist
	bash scripts/build-frontend.sh

e2e: ## Build the web app and the server, then run the Playwright tests
	bash scripts/test.sh setup frontend build e2e

compose-check: ## Validate docker-compose.yml, Dockerfile and deploy/Caddyfile (no Docker needed)
	bash scripts/check-compose.sh

clean: ## Remove build outputs (cargo target dir, frontend/dist, e2e results)
	$(CARGO) clean
	rm -rf frontend/dist e2e/test-results e2e/playwright-report e2e/artifacts
