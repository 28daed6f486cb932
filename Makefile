# wireframe: the one entry point. `make help` lists the targets.

CARGO      ?= cargo
CC         ?= cc
PREFIX     ?= /usr/local
PORT       ?= 8080
CBINDGEN   ?= cbindgen
# The version is written once, in Cargo.toml; the soname carries its major number.
VERSION    := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
SOVERSION  := $(firstword $(subst ., ,$(VERSION)))

RELEASE    := target/release
STATIC_LIB := $(RELEASE)/libwireframe.a
SHARED_LIB := $(RELEASE)/libwireframe.so
BUILD      := build
HEADER     := include/wireframe.h

# C tests: strict warnings and both sanitizers; the libraries they link are the release build.
C_TEST_FLAGS := -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Werror -g -O1 \
                -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
                -Iinclude -Itests/c
C_LIBS       := -lpthread -ldl -lm

C_TESTS := $(wildcard tests/c/test_*.c)

.PHONY: help build header check-header test test-rust test-scalar lint test-c test-readme \
        test-install test-package venv install clean

help:
	@echo "make build         build the static and shared libraries (release)"
	@echo "make header        regenerate $(HEADER) with cbindgen"
	@echo "make check-header  fail when the committed header differs from a fresh one"
	@echo "make test          every test: lint, Rust (SIMD and scalar), C, README, header freshness,"
	@echo "                   bindings, fuzz smoke"
	@echo "make lint          rustfmt, clippy (warnings denied) and rustdoc for every Rust package"
	@echo "make run           build and start the example server (PORT=$(PORT))"
	@echo "make bench         benchmarks against the peer parsers"
	@echo "make fuzz          run every fuzz target (FUZZ_SECONDS each)"
	@echo "make install       install library, header and pkg-config file under PREFIX=$(PREFIX)"
	@echo "make clean         remove build products"
	@echo "parts (each in its own *.mk): make node | python-install | example-server"
	@echo "  bench-callgrind | bench-python | bench-node | bench-server"
	@echo "  fuzz-run FUZZ_TARGET=http_split FUZZ_SECONDS=600 | fuzz-merge FUZZ_TARGET=http_split"
	@echo "  fuzz-replay | fuzz-smoke | fuzz-python FUZZ_SECONDS=60 FUZZ_SEED=1"

build: $(STATIC_LIB)

# Cargo knows when to rebuild; this rule always asks it. The shared library's soname is
# libwireframe.so.$(SOVERSION) (build.rs), so programs linked to it look for that name.
$(STATIC_LIB) $(SHARED_LIB): FORCE
	$(CARGO) build --release --lib --features capi
	@ln -sf libwireframe.so $(RELEASE)/libwireframe.so.$(SOVERSION)
FORCE:

header:
	$(CBINDGEN) --quiet --config cbindgen.toml --crate wireframe --output $(HEADER)

check-header:
	@mkdir -p $(BUILD)
	$(CBINDGEN) --quiet --config cbindgen.toml --crate wireframe --output $(BUILD)/wireframe.h.fresh
	@cmp -s $(BUILD)/wireframe.h.fresh $(HEADER) || \
	  { echo "$(HEADER) is stale: run 'make header' and commit it"; \
	    diff -u $(HEADER) $(BUILD)/wireframe.h.fresh | head -40; exit 1; }
	@echo "header: $(HEADER) is fresh"

# Each part of the project (bindings, fuzzing, the example server, benchmarks) keeps its targets
# in its own fragment, `<dir>/*.mk`, and adds its test target to TEST_SUITES there.
TEST_SUITES := lint test-rust test-scalar test-c test-readme test-install test-package
include $(sort $(wildcard bindings/*/*.mk examples/*.mk fuzz/*.mk benches/*.mk))

test: check-header build $(TEST_SUITES)
	@echo "make test: all suites passed ($(TEST_SUITES))"

test-rust:
	$(CARGO) test --quiet --features capi

# The portable scanning and masking code (no SIMD), as a machine without SSE2 would run it.
test-scalar:
	$(CARGO) test --quiet --features capi,force-scalar

# The lint policy, for every Rust package in the repository (LINT_PACKAGES: their directories;
# each *.mk fragment may add its own): rustfmt, clippy on all targets with warnings denied, and
# for the library, clippy of the scalar build and rustdoc with warnings denied. Each package
# keeps its usual target directory, so the checks reuse what the tests build.
LINT_PACKAGES += . benches fuzz
lint:
	@set -e; for dir in $(LINT_PACKAGES); do \
	  echo "lint: $$dir"; \
	  ( cd $$dir && $(CARGO) fmt --check && $(CARGO) clippy --quiet --all-targets -- -D warnings ); \
	done
	$(CARGO) clippy --quiet --all-targets --features capi -- -D warnings
	$(CARGO) clippy --quiet --all-targets --features capi,force-scalar -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet --no-deps
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet --no-deps --features capi

# Each tests/c/test_*.c is built twice, against the static and against the shared library.
test-c: build
	@mkdir -p $(BUILD)/c
	@set -e; for src in $(C_TESTS); do \
	  name=$$(basename $$src .c); \
	  $(CC) $(C_TEST_FLAGS) $$src $(STATIC_LIB) $(C_LIBS) -o $(BUILD)/c/$$name.static; \
	  $(CC) $(C_TEST_FLAGS) $$src -L$(RELEASE) -lwireframe $(C_LIBS) -o $(BUILD)/c/$$name.shared; \
	  echo "== $$name (static)"; $(BUILD)/c/$$name.static; \
	  echo "== $$name (shared)"; LD_LIBRARY_PATH=$(RELEASE) $(BUILD)/c/$$name.shared; \
	done

# The README's C quick start, extracted verbatim, built, run, and its output compared with the
# output the README shows.
test-readme: build
	@mkdir -p $(BUILD)
	@awk '/<!-- quickstart-code -->/{f=1;next} f&&/^```c/{next} f&&/^```/{exit} f' README.md > $(BUILD)/quickstart.c
	@awk '/<!-- quickstart-output -->/{f=1;next} f&&/^```text/{next} f&&/^```/{exit} f' README.md > $(BUILD)/quickstart.expected
	$(CC) $(C_TEST_FLAGS) $(BUILD)/quickstart.c $(STATIC_LIB) $(C_LIBS) -o $(BUILD)/quickstart
	$(BUILD)/quickstart > $(BUILD)/quickstart.out
	@diff -u $(BUILD)/quickstart.expected $(BUILD)/quickstart.out && echo "README quick start: output matches"
	@# The Rust example: the README's copy is examples/readme.rs, and its output is the README's.
	@awk '/<!-- rust-example -->/{f=1;next} f&&/^```rust/{next} f&&/^```/{exit} f' README.md > $(BUILD)/readme.rs
	@diff -u examples/readme.rs $(BUILD)/readme.rs || \
	  { echo "README's Rust example differs from examples/readme.rs"; exit 1; }
	@awk '/<!-- rust-output -->/{f=1;next} f&&/^```text/{next} f&&/^```/{exit} f' README.md > $(BUILD)/readme-rust.expected
	$(CARGO) run --quiet --example readme > $(BUILD)/readme-rust.out
	@diff -u $(BUILD)/readme-rust.expected $(BUILD)/readme-rust.out && echo "README Rust example: output matches"

# The Python virtual environment shared by the Python binding's tests and the example server's
# tests: the packages they drive (real peers nobody here wrote) are pinned in
# requirements-dev.txt.
VENV   := $(BUILD)/venv
PYTHON := $(VENV)/bin/python
venv: $(VENV)/.installed
$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Installed libraries are stripped of debug information (INSTALL_DEBUG=1 keeps it). Installing
# into a directory the dynamic linker searches (no DESTDIR, run as root) refreshes its cache;
# for any other prefix, programs need an rpath or LD_LIBRARY_PATH (the last line says so).
INSTALL_DEBUG ?=
install: build
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(PREFIX)/lib/libwireframe.a
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(PREFIX)/lib/libwireframe.so.$(VERSION)
	@if [ -z "$(INSTALL_DEBUG)" ]; then \
	  strip --strip-debug $(DESTDIR)$(PREFIX)/lib/libwireframe.a; \
	  strip --strip-unneeded $(DESTDIR)$(PREFIX)/lib/libwireframe.so.$(VERSION); \
	fi
	ln -sf libwireframe.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libwireframe.so.$(SOVERSION)
	ln -sf libwireframe.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libwireframe.so
	install -m 644 $(HEADER) $(DESTDIR)$(PREFIX)/include/wireframe.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' wireframe.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/wireframe.pc
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null && \
	    ldconfig -v -N 2>/dev/null | grep -q "^$(PREFIX)/lib:"; then \
	  ldconfig && echo "install: ldconfig refreshed the linker cache for $(PREFIX)/lib"; \
	else \
	  echo "install: $(PREFIX)/lib is not in the dynamic linker's search path: link with" \
	    "-Wl,-rpath,$(PREFIX)/lib or run with LD_LIBRARY_PATH=$(PREFIX)/lib"; \
	fi

# `make install` into a staging prefix, then the README's program built with pkg-config against
# the installed shared library, which must carry its soname.
STAGE := $(abspath $(BUILD)/stage)
test-install: build test-readme
	@rm -rf $(STAGE)
	@$(MAKE) --no-print-directory install PREFIX=$(STAGE) >/dev/null
	@readelf -d $(STAGE)/lib/libwireframe.so | grep -q 'SONAME.*libwireframe.so.$(SOVERSION)'
	@test -f $(STAGE)/lib/libwireframe.a -a -f $(STAGE)/include/wireframe.h
	$(CC) -std=c11 -Wall -Werror $(BUILD)/quickstart.c \
	  $$(PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig pkg-config --cflags --libs wireframe) -o $(BUILD)/quickstart.installed
	LD_LIBRARY_PATH=$(STAGE)/lib $(BUILD)/quickstart.installed | diff -u $(BUILD)/quickstart.expected -
	@# Stripped: no debug sections left in either library.
	@! readelf -S $(STAGE)/lib/libwireframe.so | grep -q '\.debug_info'
	@! readelf -S $(STAGE)/lib/libwireframe.a 2>/dev/null | grep -q '\.debug_info'
	@# A static program: pkg-config --static gives the link line, -static makes the linker take
	@# the archive; the program must not need libwireframe.so at run time.
	$(CC) -std=c11 -Wall -Werror $(BUILD)/quickstart.c -static \
	  $$(PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig pkg-config --static --cflags --libs wireframe) \
	  -o $(BUILD)/quickstart.static 2>$(BUILD)/quickstart.static.log || \
	  { cat $(BUILD)/quickstart.static.log; exit 1; }
	@! readelf -d $(BUILD)/quickstart.static 2>/dev/null | grep -q 'NEEDED.*libwireframe'
	$(BUILD)/quickstart.static | diff -u $(BUILD)/quickstart.expected -
	@echo "make install: stripped libraries with soname, header and pkg-config file work, shared and static"

# The crate as crates.io would get it: packaged (licences, docs, header included) and built
# from the package alone.
test-package:
	$(CARGO) package --quiet --allow-dirty
	@echo "cargo package: the packaged crate builds"

clean:
	$(CARGO) clean
	rm -rf $(BUILD)
