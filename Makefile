# Every target works from a fresh clone with python3, make, npm and the package registries.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(abspath $(VENV)/bin)
PY     := $(BIN)/python
GEN_ARGS := --path openapi.yaml --config generator-config.yml --custom-template-path generator-templates --meta none --overwrite --fail-on-warning
TYPED  := overlay sandbox/src tests examples scripts bench clients/scopix clients/conformance clients/java/templates.py
LINTED := overlay sandbox tests examples scripts bench clients
SANDBOX_SPEC := sandbox/src/scopix_sandbox/openapi.yaml
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true

.PHONY: help install system-deps generate check-generated lint lint-spec lint-python typecheck test test-checks test-pytest test-slow test-model demo bench bench-fleet clean \
        breaking release-spec docs clients client-tools dist check-dist

help:
	@echo "make demo   - run every example against the local sandbox (no account needed)"
	@echo "make test   - install, check generated code, lint, type-check and run the tests"
	@echo "make test-slow - only the real-scale tests (real rate limits and windows; make test runs them too)"
	@echo "make test-model - the fleet limiter's model check at length (>= 100,000 steps, MODEL_STEPS)"
	@echo "make bench  - benchmarks (ratios measured side by side)"
	@echo "make bench-fleet - the pacing rows alone, RUNS runs each (default 10; REAL=1 adds 30/60 s)"
	@echo "make generate | check-generated | lint | typecheck | install | clean"
	@echo "make dist   - sdist and wheel of scopix and scopix-sandbox in dist/ (each wheel built from its sdist)"
	@echo "make check-dist - those wheels in a fresh venv outside the checkout: examples, a user's pytest file, mypy --strict on typed user scripts, the same models with and without the fast extra"
	@echo "make breaking | docs | clients | release-spec - spec governance, docs, other-language clients"

install: $(VENV)/.installed node_modules/.installed system-deps

# The pacing tests start their own redis-server (alone, as a 3-master cluster, as a master with a
# replica and 3 redis-sentinels), haproxy and nginx on 127.0.0.1, the exporter's end-to-end test its
# own prometheus, the usage sync tests their own PostgreSQL (initdb/pg_ctl from Debian's postgresql,
# found in /usr/lib/postgresql/*/bin); install them when missing (RUNLEVEL=1: the packages'
# services are not started).
system-deps:
	@missing="$$(for c in redis-server redis-sentinel haproxy nginx; do \
	  command -v $$c >/dev/null || [ -x /usr/sbin/$$c ] || echo $$c; done)"; \
	if [ -n "$$missing" ]; then \
	  echo "installing" $$missing "(apt)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi
	@command -v prometheus >/dev/null || { \
	  echo "installing prometheus (apt)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing postgresql (apt)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }

$(VENV)/.installed: pyproject.toml sandbox/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./sandbox -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The generator's ruff post-hooks need ruff on PATH; they run --isolated (generator-config.yml).
# generator-templates/ holds our model template (optional fields `T | None`, to_dict() keeps absent
# keys absent, to_json()); py.typed marks the models typed for installed users.
generate: $(VENV)/.installed
	PATH="$(BIN):$$PATH" $(BIN)/openapi-python-client generate $(GEN_ARGS) --output-path generated/scopix_api
	: > generated/scopix_api/py.typed
	$(PY) scripts/spec_to_json.py openapi.yaml overlay/scopix/_spec.json
	cp openapi.yaml $(SANDBOX_SPEC)
	$(PY) scripts/gen_resources.py
	$(PY) scripts/unasync.py

check-generated: $(VENV)/.installed
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	PATH="$(BIN):$$PATH" $(BIN)/openapi-python-client generate $(GEN_ARGS) --output-path "$$tmp/scopix_api" >/dev/null && \
	: > "$$tmp/scopix_api/py.typed" && \
	$(PY) scripts/spec_to_json.py openapi.yaml "$$tmp/_spec.json" && \
	diff -r -x __pycache__ "$$tmp/scopix_api" generated/scopix_api && \
	diff "$$tmp/_spec.json" overlay/scopix/_spec.json && \
	diff openapi.yaml $(SANDBOX_SPEC) && \
	$(PY) scripts/gen_resources.py --check && \
	$(PY) scripts/unasync.py --check && \
	echo "generated/, the resource layer, overlay/scopix/_spec.json and the sandbox's spec match openapi.yaml" && \
	$(PY) scripts/check_new_endpoint.py

lint: lint-spec lint-python

lint-spec: install
	$(PY) scripts/lint_spec.py openapi.yaml

lint-python: $(VENV)/.installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: $(VENV)/.installed
	$(BIN)/mypy --strict $(TYPED)
	$(BIN)/mypy --strict sandbox/tests

# The checks one after another beside pytest on every core, and beside them the real-scale tests
# (marked slow: they wait out real rate-limit windows and hardly compute): most tests wait (for
# servers, processes, windows) more than they compute, so they share the cores well. Each one's
# output is shown whole when it ends. tests/README.md: what runs where.
PYTEST_WORKERS ?= auto
CHECKS := check-generated lint typecheck breaking docs clients check-dist
test: install
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-checks test-pytest test-slow

test-checks:
	@for check in $(CHECKS); do $(MAKE) --no-print-directory $$check || exit 1; done

test-pytest: $(VENV)/.installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not slow"

test-slow: $(VENV)/.installed
	$(BIN)/pytest -m slow

# The fleet limiter's model check at length (make test runs a few thousand steps of it in a fixed
# order): MODEL_STEPS steps in a random order against a real redis-server.
MODEL_STEPS ?= 100000
test-model: $(VENV)/.installed system-deps
	SCOPIX_MODEL_STEPS=$(MODEL_STEPS) SCOPIX_MODEL_RANDOM=1 \
	  $(BIN)/pytest -p no:cacheprovider -q -s tests/pacing/test_fleet_model.py

# Both distributions; `build` makes the sdist, then the wheel from that sdist (so a wheel that
# needs a file the sdist lacks fails here).
dist: $(VENV)/.installed
	rm -rf dist
	$(PY) -m build --quiet --no-isolation --outdir dist .
	$(PY) -m build --quiet --no-isolation --outdir dist sandbox

# The user's boundary: the wheels in a fresh venv under a temporary directory, `scopix-sandbox`
# started from it, the examples run against it, a user's pytest file on its fixture, and mypy --strict
# on tests/typing/user_typed.py (must pass) and user_planted.py (every planted error reported).
check-dist: dist
	$(PY) scripts/check_dist.py --dist dist

# The main job: every example against a local sandbox; needs only python3 and make (and installs
# just what it runs: the SDK with its CLI extra, and the sandbox package).
demo: $(VENV)/.demo-installed
	$(PY) scripts/demo.py

$(VENV)/.demo-installed: pyproject.toml sandbox/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ./sandbox -e '.[cli]'
	touch $@

bench: install
	$(PY) -m bench

# The pacing rows (every fleet shape, Redis topology and gateway), the median and worst of RUNS.
bench-fleet: install
	$(PY) -m bench.ratelimit --runs $(or $(RUNS),10) $(if $(REAL),--real)

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache dist

# For spec governance and other-language clients (docs/spec-and-clients.md).
SITE   ?= site
TS_DIR := clients/typescript

# Fails on a breaking change from the released spec unless info.version's major was bumped.
breaking: $(VENV)/.installed
	$(PY) scripts/spec_breaking.py --base spec/released/openapi.yaml openapi.yaml

# The release step: spec gates, versions in step, a higher version, then spec/released/ is updated.
release-spec: lint-spec
	$(PY) scripts/release_spec.py

# In $(SITE)/ (build output, not committed): the API reference (Redoc, inlined), the SDK reference
# (pdoc: site/sdk/) and SVG captures of the CLI against a sandbox (site/cli/); nothing in them
# loads from the network (the build checks).
docs: $(VENV)/.installed node_modules/.installed
	$(PY) scripts/build_docs.py $(SITE)

# Other-language clients from openapi.yaml, each run through the conformance suite
# (clients/conformance/scenarios.yaml) against local sandboxes by scripts/conformance.py: the
# Python SDK, the TypeScript client (openapi-typescript + openapi-fetch, tsc --strict) and
# openapi-generator's go, python and java clients (configs in clients/<language>/config.yaml, one
# JVM for the three). Generation and builds rerun only when their inputs change; output is not
# committed. Java builds with javac and Debian's jars, no Maven or Gradle (clients/java/config.yaml).
GO_DIR  := clients/go
JAVA_DIR := clients/java
GEN_STAMP := clients/.openapi-generator.stamp
GO_ENV  := GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local
# The generator, javac and the Java runner each live seconds: the optimising JIT only costs time
# there (C1 alone takes 0.6x as long here).
JVM_QUICK := -XX:TieredStopAtLevel=1
# the Java client's classpath, and the Debian package of each jar (client-tools installs them)
JAVA_CP := /usr/share/java/jackson-core.jar:/usr/share/java/jackson-databind.jar:/usr/share/java/jackson-annotations.jar:/usr/share/java/jsr305.jar:/usr/share/java/geronimo-annotation-1.3-spec.jar
JAVA_DEBS := jackson-core.jar=libjackson2-core-java jackson-databind.jar=libjackson2-databind-java \
  jackson-annotations.jar=libjackson2-annotations-java jsr305.jar=libjsr305-java \
  geronimo-annotation-1.3-spec.jar=libgeronimo-annotation-1.3-spec-java

clients: $(VENV)/.installed node_modules/.installed client-tools
	@$(MAKE) --no-print-directory -j2 $(GO_DIR)/build/conformance $(TS_DIR)/build/.stamp \
	  $(JAVA_DIR)/build/runner.args
	$(PY) scripts/conformance.py

# openapi-generator runs on Java 11+; the go client builds with Debian's Go and no module proxy,
# the java client with Debian's JDK and jars. Install what is missing with apt.
client-tools:
	@missing="$$(command -v go >/dev/null || echo golang-go) $$(command -v javac >/dev/null || echo default-jdk-headless)"; \
	for jar in $(JAVA_DEBS); do [ -f "/usr/share/java/$${jar%%=*}" ] || missing="$$missing $${jar#*=}"; done; \
	if [ -n "$${missing// }" ]; then \
	  echo "installing$$missing (apt)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing >/dev/null; fi

# The java client's templateDir: the generator's own templates without jackson-datatype-jsr310.
$(JAVA_DIR)/build/templates/.stamp: $(JAVA_DIR)/templates.py $(wildcard $(JAVA_DIR)/templates/*.mustache) $(VENV)/.installed
	$(PY) $(JAVA_DIR)/templates.py $(JAVA_DIR)/build/templates
	touch $@

$(GEN_STAMP): openapi.yaml $(GO_DIR)/config.yaml clients/python/config.yaml $(JAVA_DIR)/config.yaml \
  $(JAVA_DIR)/openapi-generator-ignore $(JAVA_DIR)/build/templates/.stamp $(VENV)/.installed
	rm -rf $(GO_DIR)/generated clients/python/generated $(JAVA_DIR)/generated
	JAVA_OPTS=$(JVM_QUICK) $(BIN)/openapi-generator-cli batch --root-dir . --fail-fast $(GO_DIR)/config.yaml \
	  clients/python/config.yaml $(JAVA_DIR)/config.yaml > clients/.openapi-generator.log 2>&1 || \
	  { tail -40 clients/.openapi-generator.log; exit 1; }
	touch $@

# -parameters: the runner matches arguments to the generated methods' parameter names.
$(JAVA_DIR)/build/runner.args: $(GEN_STAMP) $(wildcard $(JAVA_DIR)/runner/*.java)
	rm -rf $(JAVA_DIR)/build/classes
	javac -J$(JVM_QUICK) -parameters -Xlint:all,-serial -Werror -d $(JAVA_DIR)/build/classes -cp $(JAVA_CP) \
	  $$(find $(JAVA_DIR)/generated/src -name '*.java') $(JAVA_DIR)/runner/*.java
	echo "$(JVM_QUICK) -XX:+UseSerialGC -cp $(CURDIR)/$(JAVA_DIR)/build/classes:$(JAVA_CP)" > $@

$(GO_DIR)/build/conformance: $(GEN_STAMP) $(GO_DIR)/go.mod $(wildcard $(GO_DIR)/runner/*.go)
	cd $(GO_DIR) && $(GO_ENV) go vet ./runner && $(GO_ENV) go build -o build/conformance ./runner

$(TS_DIR)/build/.stamp: openapi.yaml $(TS_DIR)/tsconfig.json $(wildcard $(TS_DIR)/src/*.mts) node_modules/.installed
	rm -rf $(TS_DIR)/generated $(TS_DIR)/build
	node_modules/.bin/openapi-typescript openapi.yaml --output $(TS_DIR)/generated/schema.d.ts
	node_modules/.bin/tsc --project $(TS_DIR) --strict
	touch $@
