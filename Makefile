# union-reports: `make reports` builds the reports from seeds/, `make test` runs the tests.
# Both set up .venv first (created when missing, reinstalled when pyproject.toml changes).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CORPUS ?= seeds
OUT    ?= reports

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys' 2>/dev/null || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

.PHONY: venv
venv: ## Create or refresh .venv with the package and its dependencies
	@$(PY) -c 'import analysis' 2>/dev/null || rm -f $(STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

.PHONY: reports
reports: venv ## Build every report from $(CORPUS) into $(OUT)/ (only what changed)
	$(PY) -m analysis build --corpus $(CORPUS) --out $(OUT)

.PHONY: test
test: venv ## Run the tests
	$(PY) -m pytest

.PHONY: bench
bench: venv ## Print throughput and build-time figures
	$(PY) -m benchmarks

.PHONY: lab
lab: venv ## Start JupyterLab on notebooks/ with the project's environment as the kernel
	$(VENV)/bin/jupyter lab notebooks/

.PHONY: lint
lint: venv ## ruff check and format check over package, tests and notebooks
	$(VENV)/bin/ruff check analysis tests benchmarks notebooks
	$(VENV)/bin/ruff format --check analysis tests benchmarks notebooks

.PHONY: format
format: venv ## ruff format and autofix
	$(VENV)/bin/ruff check --fix analysis tests benchmarks notebooks
	$(VENV)/bin/ruff format analysis tests benchmarks notebooks

.PHONY: clean
clean: ## Remove generated reports and the database (keeps .venv)
	rm -rf $(OUT)/*.html $(OUT)/*.duckdb $(OUT)/.build
