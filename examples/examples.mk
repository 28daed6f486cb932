# The example server (examples/server.c): `make run`, its tests and its benchmark.
# Included by the main Makefile, which provides CC, BUILD, STATIC_LIB, C_TEST_FLAGS, C_LIBS,
# PYTHON, VENV, PORT and the `build` and `venv` targets.

SERVER_SRC    := examples/server.c examples/buf.h examples/upload.h
SERVER_CFLAGS := -std=c11 -Wall -Wextra -Wpedantic -Werror -O2 -g -Iinclude
SERVER_BIN    := $(BUILD)/examples/server
SERVER_ASAN   := $(BUILD)/examples/server-asan

.PHONY: run example-server test-examples bench-server

# The release build, linked to the static library: what `make run` and the benchmark use.
example-server: $(SERVER_BIN)
$(SERVER_BIN): $(SERVER_SRC) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(SERVER_CFLAGS) examples/server.c $(STATIC_LIB) $(C_LIBS) -o $@

# The tests' build: ASan + UBSan (C_TEST_FLAGS), so every test also checks for leaks at exit.
$(SERVER_ASAN): $(SERVER_SRC) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(C_TEST_FLAGS) examples/server.c $(STATIC_LIB) $(C_LIBS) -o $@

run: $(SERVER_BIN)
	@echo "starting the example server on 127.0.0.1:$(PORT) (Ctrl-C stops it)"
	$(SERVER_BIN) --port $(PORT)

TEST_SUITES += test-examples
# $(NODE_DEPS) (bindings/node/node.mk): Node's `ws` client drives permessage-deflate too.
test-examples: $(SERVER_ASAN) venv $(NODE_DEPS)
	SERVER_BIN=$(abspath $(SERVER_ASAN)) $(PYTHON) -m pytest -q -p no:cacheprovider examples/tests

# wrk against this server (limits on and off) and against Node's hello world, same settings,
# one worker each; then callgrind's instruction counts per request. BASELINE_BIN=<another
# build of the server> adds it to both.
bench-server: $(SERVER_BIN)
	@for tool in wrk valgrind; do command -v $$tool >/dev/null 2>&1 || { \
	  echo "installing $$tool (Debian package)"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq --no-install-recommends $$tool; }; \
	done
	SERVER_BIN=$(SERVER_BIN) bash examples/bench.sh
