# Python binding (bindings/python): installed into the shared test venv and tested there.
# `pip install ./bindings/python` runs cargo itself and ships libwireframe.so in the package.

PY_DIR := bindings/python

# The native dispatcher is a Rust package of its own: rustfmt and clippy in make lint.
LINT_PACKAGES += $(PY_DIR)/dispatch

.PHONY: python-install test-python bench-python fuzz-python

python-install: venv
	$(PYTHON) -m pip install --quiet ./$(PY_DIR)

# The pytest script (not `python -m pytest`, which puts the current directory on sys.path), so
# the tests import the installed package, not the source tree without its library. Twice: with
# the native dispatcher, then with the pure-Python dispatch it falls back to.
test-python: python-install
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PY_DIR)/tests
	WIREFRAME_PURE_PYTHON=1 $(VENV)/bin/pytest -q -p no:cacheprovider $(PY_DIR)/tests
	$(PYTHON) $(PY_DIR)/fuzz/fuzz_dispatch.py --seed 1 --cases 3000

# The dispatcher fuzzed against the pure-Python dispatch: FUZZ_SECONDS of random cases from
# FUZZ_SEED (a difference prints the seed and case that reproduce it).
FUZZ_SEED ?= $(shell date +%s)
fuzz-python: python-install
	$(PYTHON) $(PY_DIR)/fuzz/fuzz_dispatch.py --seed $(FUZZ_SEED) --seconds $(FUZZ_SECONDS)

bench-python: python-install
	$(PYTHON) $(PY_DIR)/bench.py

TEST_SUITES += test-python
