# Python binding (bindings/python): installed into the shared test venv and tested there.
# `pip install ./bindings/python` runs cargo itself and ships libwireframe.so in the package.

PY_DIR := bindings/python

.PHONY: python-install test-python bench-python

python-install: venv
	$(PYTHON) -m pip install --quiet ./$(PY_DIR)

# The pytest script (not `python -m pytest`, which puts the current directory on sys.path), so
# the tests import the installed package, not the source tree without its library. Twice: with
# the native dispatcher, then with the pure-Python dispatch it falls back to.
test-python: python-install
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PY_DIR)/tests
	WIREFRAME_PURE_PYTHON=1 $(VENV)/bin/pytest -q -p no:cacheprovider $(PY_DIR)/tests

bench-python: python-install
	$(PYTHON) $(PY_DIR)/bench.py

TEST_SUITES += test-python
