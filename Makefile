# Thin wrappers; every target creates and uses its own virtual environment.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint typecheck unit demo bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check aksnet tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy aksnet

test: lint typecheck
	$(BIN)/pytest -q -n 2 tests

demo: $(STAMP)
	PATH=$(BIN):$$PATH bash examples/demo.sh

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The schema lives once, in aksnet/schemas/ (package data); schemas/ is a copy for editors and tools.
.PHONY: schema
schema:
	cp aksnet/schemas/*.json schemas/

# docs/reference/{rules,lint}.md are generated from the rule data in aksnet/ (a test fails when stale).
.PHONY: docs
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

clean:
	rm -rf $(VENV) .aksnet .pytest_cache .mypy_cache .ruff_cache
