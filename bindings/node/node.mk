# Node.js binding (bindings/node): the N-API addon, its tests and its benchmark.
#
#   make node        build the addon (offline: cargo for the static library, cc for the addon)
#   make test-node   install the pinned test peers (ws, bufferutil) from the npm registry and
#                    run the node:test suites
#   make bench-node  addon vs Node's built-in HTTP parser, and vs ws's Receiver

NODE_DIR   := bindings/node
NODE       ?= node
NPM        ?= npm
NODE_ADDON := $(NODE_DIR)/build/wireframe.node
NODE_DEPS  := $(NODE_DIR)/node_modules/.wireframe-deps

.PHONY: node test-node bench-node

node: build
	$(NODE) $(NODE_DIR)/scripts/build.js

# The peers the tests and the benchmark drive, exactly as pinned in package-lock.json. Scripts
# are not run here (`make node` builds the addon; bufferutil loads its bundled prebuild).
$(NODE_DEPS): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# python-install (bindings/python/python.mk): the permessage-deflate tests also run the Python
# `websockets` client and an echo server built on the Python binding.
test-node: node $(NODE_DEPS) python-install
	cd $(NODE_DIR) && $(NODE) --test test/*.test.js

bench-node: node $(NODE_DEPS)
	cd $(NODE_DIR) && $(NODE) bench.js

TEST_SUITES += test-node
