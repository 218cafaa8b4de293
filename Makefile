# Every target creates .venv if missing and installs what it needs into it, so a
# fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: test demo lint format doc reproduce bench mutation clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

test: $(PY)
	$(PIP) install -e ".[test]"
	$(PY) -m pytest -n auto

demo: $(PY)
	$(PIP) install -e ".[plot,progress]"
	$(PY) -m sklearn_klrhop demo
	$(PY) -m sklearn_klrhop reproduce --quick --out reproduce-report

doc: $(PY)
	$(PIP) install -e ".[doc]"
	$(PY) -m sklearn_klrhop reproduce --quick --out doc/_generated/reproduce --rst-image-prefix /_generated/reproduce/
	$(PY) -m sphinx -W --keep-going -b html doc doc/_build/html
	@echo "Documentation: doc/_build/html/index.html"

lint: $(PY)
	$(PIP) install "ruff>=0.17,<0.18"
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(PY)
	$(PIP) install "ruff>=0.17,<0.18"
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(PY)
	$(PIP) install -e .
	$(PY) benchmarks/run.py --quick

# Mutation testing of the core, module by module (slow: not part of CI). The
# surviving mutants are written to mutation-report/ (see the Testing section of
# the contributors' docs). MUTATION_ARGS, e.g. --modules _ledger --time-box 600.
mutation: $(PY)
	$(PIP) install -e ".[test,mutation]"
	$(PY) maint_tools/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf doc/_build doc/auto_examples doc/generated .pytest_cache mutants mutation-report
