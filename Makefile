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

# The quick reproduction report. `make demo` always runs it; `make doc` includes
# the last one in $(REPORT)/ and reruns it only when it is missing, was
# overwritten by another command since (report.rst is then newer than the
# stamp) or is older than a source file of the package.
REPORT := reproduce-report
SOURCES := $(shell find sklearn_klrhop -name '*.py') pyproject.toml

$(REPORT)/.quick-for-doc: $(SOURCES) $(REPORT)/report.rst | $(PY)
	$(PIP) install -e ".[plot,progress]"
	$(PY) -m sklearn_klrhop reproduce --quick --out $(REPORT) --rst-image-prefix /_generated/reproduce/
	touch $@

$(REPORT)/report.rst: ;

demo: $(PY)
	$(PIP) install -e ".[plot,progress]"
	$(PY) -m sklearn_klrhop demo
	rm -f $(REPORT)/.quick-for-doc
	$(MAKE) --no-print-directory $(REPORT)/.quick-for-doc

doc: $(REPORT)/.quick-for-doc
	$(PIP) install -e ".[doc]"
	rm -rf doc/_generated/reproduce
	mkdir -p doc/_generated
	cp -r $(REPORT) doc/_generated/reproduce
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
