# The two commands the README opens with:
#   make demo   evaluate the sample ledger and print the explained result
#   make test   everything CI runs: lint, types, tests with coverage, docs, wheel
# Each creates .venv on first use (only Python 3.11+ and make are needed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Thorough Hypothesis profile in CI, a quick one at the desk.
HYPOTHESIS_PROFILE ?= $(if $(CI),ci,dev)
# Extra pytest arguments for `make unit`, e.g. make unit PYTEST_ARGS="-k leap".
PYTEST_ARGS ?=

.PHONY: demo test lint types unit unit-properties unit-properties-a unit-properties-b unit-rest catalog docs wheel-test schema catalog-table screenshot mutation bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("cperules needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

# The longest parts first: `make -j2` starts prerequisites in the order given.
test: unit-properties-b unit-properties-a catalog unit-rest unit wheel-test types docs lint

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/towncrier build --draft --version 0.0.0 > /dev/null 2>&1 || $(BIN)/towncrier build --draft --version 0.0.0

types: $(STAMP)
	$(BIN)/mypy

# The library's own tests, doctests and docs examples, with coverage. They run in three
# parts of which CI's `make -j2` runs two at a time: the properties (tests/properties, the
# longest part) split in two by file name, and the rest. Each part keeps its own coverage
# data file; `make unit` combines them and reports once. A part that PYTEST_ARGS leaves
# without a test (pytest's status 5) is no failure.
unit: unit-properties unit-rest
	$(BIN)/coverage combine --quiet $(wildcard .coverage.properties-a .coverage.properties-b .coverage.rest)
	$(BIN)/coverage report

unit-properties: unit-properties-a unit-properties-b

UNIT_PYTEST := $(BIN)/coverage run -m pytest --hypothesis-profile=$(HYPOTHESIS_PROFILE)
PROPERTIES_A := $(sort $(wildcard tests/properties/test_[a-f]*.py))
PROPERTIES_B := $(filter-out $(PROPERTIES_A),$(sort $(wildcard tests/properties/test_*.py)))

unit-properties-a: $(STAMP)
	rm -f .coverage.properties-a
	COVERAGE_FILE=.coverage.properties-a $(UNIT_PYTEST) $(PROPERTIES_A) $(PYTEST_ARGS) || test $$? -eq 5

unit-properties-b: $(STAMP)
	rm -f .coverage.properties-b
	COVERAGE_FILE=.coverage.properties-b $(UNIT_PYTEST) $(PROPERTIES_B) $(PYTEST_ARGS) || test $$? -eq 5

unit-rest: $(STAMP)
	rm -f .coverage.rest
	COVERAGE_FILE=.coverage.rest $(UNIT_PYTEST) --ignore=tests/catalog --ignore=catalogs --ignore=tests/properties $(PYTEST_ARGS) || test $$? -eq 5

# Every bundled catalog entry: the generic checks (tests/catalog) and each entry's worked
# cases (catalogs/**/*.cases.toml, through the pytest plugin). It grows with the catalog,
# so it runs apart from `make unit`; `make test` and CI run both.
catalog: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider --hypothesis-profile=$(HYPOTHESIS_PROFILE) tests/catalog catalogs $(PYTEST_ARGS)

docs: $(STAMP)
	rm -rf docs/_build
	$(BIN)/sphinx-build --fail-on-warning --keep-going --quiet --builder html docs docs/_build/html

schema: $(STAMP)
	$(BIN)/python -c 'import json; from cperules.policy_format import json_schema; print(json.dumps(json_schema(), indent=2, sort_keys=True))' > src/cperules/schemas/policy.schema.json
	$(BIN)/python -c 'import json; from cperules.cases import cases_json_schema; print(json.dumps(cases_json_schema(), indent=2, sort_keys=True))' > src/cperules/schemas/cases.schema.json

# The catalog table in the docs, and the precompiled catalog that loads faster than its
# TOML (cperules._compiled_catalog), are generated from the bundled catalog; a test fails
# while a committed copy is stale.
catalog-table: $(STAMP)
	$(BIN)/python -c 'import sys; from cperules.catalog import table_markdown; sys.stdout.write(table_markdown())' > docs/reference/catalog-table.md
	$(BIN)/python -c 'import sys; from cperules.catalog import readings_markdown; sys.stdout.write(readings_markdown())' > docs/reference/catalog-readings.md
	$(BIN)/python -c 'import sys; from cperules.catalog import _compiled_json; sys.stdout.write(_compiled_json())' > catalogs/_compiled.json

# The picture of the HTML result on the docs' landing page (needs Chromium; CI never runs it).
screenshot: $(STAMP)
	$(BIN)/python docs/screenshot.py

# Mutation testing of the engine (not part of `make test`): a seeded sample of mutmut's
# mutants in a time budget; survivors go to mutation-report.txt (see tools/mutation.py).
MUTATION_ARGS ?= --seed 18 --sample 300 --budget 1200
mutation: $(STAMP)
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS)

# Performance targets (not part of `make test`): every benchmarks/*.py that defines a
# module-level TARGETS runs in turn; a script that misses a target exits non-zero, the
# others still run, and bench fails at the end naming the scripts that missed.
# BENCH_ARGS passes options to every script, e.g. make bench BENCH_ARGS=--quick (scale.py's
# full run puts 100,000 holders through Dask: several minutes).
BENCH_ARGS ?=
bench: $(STAMP)
	@failed=""; \
	for script in $$(grep -l '^TARGETS' benchmarks/*.py); do \
		echo "== $$script"; \
		$(BIN)/python $$script $(BENCH_ARGS) || failed="$$failed $$script"; \
	done; \
	if [ -n "$$failed" ]; then echo "bench: targets missed in:$$failed"; exit 1; fi

wheel-test: $(STAMP)
	bash .ci/wheel-test

clean:
	rm -rf $(VENV) build dist docs/_build .coverage .coverage.* .mypy_cache .pytest_cache .ruff_cache .hypothesis mutants mutation-report.txt
