# Two commands do everything on a fresh Debian/Ubuntu machine with Python 3.11:
#   make report   install what is missing (fonts included), then build the default report
#   make test     install what is missing (and the test clients), then run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

# compileall: Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set (CI images
# often set it), and then every `report` process the tests start would compile the
# package again. pytest -n auto: the tests run on every core (pytest-xdist).
.PHONY: report test system-report system-test clean

report: system-report $(VENV)/.installed
	$(BIN)/python -m compileall -q builder
	$(BIN)/report build

test: system-test $(VENV)/.installed-test
	$(BIN)/python -m compileall -q builder tests
	$(BIN)/python -m pytest -n auto

system-report:
	scripts/install-system-packages.sh report

system-test:
	scripts/install-system-packages.sh test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf output .cache
