# Python binding (bindings/python): installed into the shared test venv and tested there.
# `pip install ./bindings/python` runs cargo itself and ships libwireframe.so in the package.

PY_DIR := bindings/python

.PHONY: python-install test-python bench-python

python-install: venv
	$(PYTHON) -m pip install --quiet ./$(PY_DIR)

test-python: python-install
	cd $(PY_DIR) && ../../$(PYTHON) -m pytest -q tests

bench-python: python-install
	$(PYTHON) $(PY_DIR)/bench.py

TEST_SUITES += test-python
