# multipart/form-data benchmarks (docs/forms.md): the core against a memchr scan of the same
# bytes, the Python binding against python-multipart, the Node binding against busboy, on the
# same two bodies (three 8 MiB files; 20 000 small fields). Part of `make bench`.
#
#   make bench-multipart   one JSON line per body and peer, into build/bench-multipart.txt

BENCH_MP_BIN    := benches/target/release/wireframe-bench-multipart
BENCH_MP_BODIES := $(BUILD)/multipart-bodies
BENCH_MP_REPS   ?= 5

.PHONY: bench-multipart

bench-multipart: bench-build python-install node $(NODE_DEPS)
	@mkdir -p $(BUILD)
	$(BENCH_MP_BIN) --write $(BENCH_MP_BODIES)
	@{ echo "# core vs memchr (MB/s)"; \
	   $(BENCH_MP_BIN) --bodies $(BENCH_MP_BODIES) --reps $(BENCH_MP_REPS); \
	   echo "# Python binding vs python-multipart (MB/s)"; \
	   $(PYTHON) benches/multipart/bench.py $(BENCH_MP_BODIES) $(BENCH_MP_REPS); \
	   echo "# Node binding vs busboy (MB/s)"; \
	   cd $(NODE_DIR) && $(NODE) ../../benches/multipart/bench.js ../../$(BENCH_MP_BODIES) $(BENCH_MP_REPS); \
	 } | tee $(BUILD)/bench-multipart.txt

bench: bench-multipart
