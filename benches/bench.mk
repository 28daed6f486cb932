# Benchmarks against the peer parsers (benches/, a cargo package of its own). See
# docs/benchmarks.md.
#
#   make bench            full run: table on stdout, JSON in build/bench.json; then
#                         permessage-deflate against Node's and Python's zlib
#                         (benches/deflate/run.py), JSON in build/bench-deflate.json
#   make bench-smoke      a few iterations: every parser must agree on every input (in make test)
#   make bench-callgrind  instructions per message for each parser (valgrind), and the
#                         top of wireframe's profile, in build/callgrind/
#
# BENCH_ARGS adds harness options to `make bench` (e.g. BENCH_ARGS="--reps 11 --ms 80").

BENCH_MANIFEST := benches/Cargo.toml
BENCH_BIN      := benches/target/release/wireframe-bench
DEFLATE_BIN    := benches/target/release/deflate-bench
BENCH_ARGS     ?=
BENCH_APT      := node-llhttp libhttp-parser-dev
CALLGRIND_PASSES ?= 5000

.PHONY: bench bench-smoke bench-deps bench-build bench-callgrind

# Debian's llhttp sources and http-parser library, installed when missing (apt-get update
# first only if the plain install fails).
bench-deps:
	@if [ ! -f /usr/share/llhttp/llhttp.c ] || [ ! -f /usr/include/http_parser.h ]; then \
	  echo "installing $(BENCH_APT)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq --no-install-recommends $(BENCH_APT) >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(BENCH_APT) >/dev/null; }; \
	fi

# Cargo fetches the crates (httparse, tungstenite, picohttpparser-sys, cc) from crates.io.
bench-build: bench-deps
	$(CARGO) build --release --quiet --manifest-path $(BENCH_MANIFEST)

bench: bench-build
	@mkdir -p $(BUILD)
	$(BENCH_BIN) --json $(BUILD)/bench.json $(BENCH_ARGS)
	python3 benches/deflate/run.py $(DEFLATE_BIN) --json $(BUILD)/bench-deflate.json

# The smoke run also runs every permessage-deflate measurement once, briefly (no timing claims).
bench-smoke: bench-build
	@mkdir -p $(BUILD)
	$(BENCH_BIN) --smoke --json $(BUILD)/bench-smoke.json
	@echo "bench-smoke: every parser agreed on every input"
	python3 benches/deflate/run.py $(DEFLATE_BIN) --reps 1 --ms 10 > $(BUILD)/bench-deflate-smoke.txt
	@echo "bench-smoke: the permessage-deflate benchmark runs (build/bench-deflate-smoke.txt)"

TEST_SUITES += bench-smoke

# Instructions per message, counted by callgrind inside wb_profile_block only (the parsing
# loop; setup and the buffer restores are outside it). pico-sse4.2 is left out: valgrind 3.19
# stops on its pcmpestri (SIGILL).
BENCH_PROFILE_PARSERS := wireframe wireframe-events llhttp http-parser pico httparse
BENCH_PROFILE_INPUTS  := classic mix
bench-callgrind: bench-build
	@command -v valgrind >/dev/null || { apt-get install -y -qq valgrind >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }; }
	@mkdir -p $(BUILD)/callgrind
	@printf "%-12s %-18s %14s %12s\n" input parser "Ir/message" "Ir/byte"
	@set -e; for input in $(BENCH_PROFILE_INPUTS); do for p in $(BENCH_PROFILE_PARSERS); do \
	  out=$(BUILD)/callgrind/$$input.$$p.out; \
	  line=$$(valgrind --tool=callgrind --toggle-collect=wb_profile_block --dump-instr=yes \
	    --callgrind-out-file=$$out $(BENCH_BIN) --profile $$p --input $$input \
	    --passes $(CALLGRIND_PASSES) 2>$$out.log | grep '^profile'); \
	  ir=$$(grep '^summary:' $$out | awk '{print $$2}'); \
	  msgs=$$(echo "$$line" | sed 's/.*messages=\([0-9]*\).*/\1/'); \
	  bytes=$$(echo "$$line" | sed 's/.*bytes=\([0-9]*\).*/\1/'); \
	  awk -v i=$$input -v p=$$p -v ir=$$ir -v m=$$msgs -v b=$$bytes \
	    'BEGIN { printf "%-12s %-18s %14.1f %12.2f\n", i, p, ir / m, ir / b }'; \
	  python3 benches/tools/callgrind_lines.py $$out --per $$msgs --top 40 > $$out.top-lines.txt; \
	  python3 benches/tools/callgrind_lines.py $$out --per $$msgs --top 40 --regions > $$out.regions.txt; \
	done; done | tee $(BUILD)/callgrind/summary.txt
	@for input in $(BENCH_PROFILE_INPUTS); do \
	  callgrind_annotate --inclusive=no $(BUILD)/callgrind/$$input.wireframe.out \
	    > $(BUILD)/callgrind/$$input.wireframe.functions.txt; \
	  callgrind_annotate --auto=yes --show-percs=yes $(BUILD)/callgrind/$$input.wireframe.out \
	    > $(BUILD)/callgrind/$$input.wireframe.annotated.txt 2>/dev/null || true; \
	done
	@echo "profiles in $(BUILD)/callgrind/: <input>.<parser>.out (callgrind_annotate), .top-lines.txt and"
	@echo ".regions.txt (per message), <input>.wireframe.functions.txt and .annotated.txt"
