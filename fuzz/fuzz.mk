# Fuzzing (fuzz/README.md). Included by the main Makefile.
#
#   make fuzz            every target for FUZZ_SECONDS (default 60) each, under AddressSanitizer
#   make fuzz-smoke      (part of make test) replays every corpus file and reproducer as a test,
#                        then runs each target for FUZZ_SMOKE_RUNS inputs (default 20000) from a
#                        fixed seed and a sorted corpus list
#   make fuzz-build      builds the libFuzzer binaries only
#   make fuzz-run FUZZ_TARGET=http_split FUZZ_SECONDS=600   one target
#   make fuzz-merge FUZZ_TARGET=http_split   adds the run's inputs that add coverage to
#                        fuzz/corpus/<target> (the committed corpus that fuzz-replay runs)
#
# Fuzz builds use their own target directories (target/fuzz, target/fuzz-c, target/fuzz-test)
# so they never touch target/release. libfuzzer-sys builds on the stable toolchain given an
# explicit --target (so RUSTFLAGS skip build scripts); AddressSanitizer needs RUSTC_BOOTSTRAP=1.

FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_RUNS    ?= 20000
# deflate_roundtrip compresses up to 16 messages per input (about 350 inputs/s under ASan).
FUZZ_SMOKE_RUNS_deflate_roundtrip ?= 5000
FUZZ_TRIPLE        := x86_64-unknown-linux-gnu
FUZZ_DIR           := fuzz
FUZZ_OUT           := target/fuzz
FUZZ_BIN           := $(FUZZ_OUT)/$(FUZZ_TRIPLE)/release
FUZZ_C_OUT         := target/fuzz-c
FUZZ_WORK          := $(BUILD)/fuzz
FUZZ_RUST_TARGETS  := http_split http_diff url ws_decode ws_roundtrip handshake utf8 mask \
                      deflate_roundtrip deflate_inflate multipart form_helpers
FUZZ_TARGETS       := $(FUZZ_RUST_TARGETS) c_abi
FUZZ_CLANG         ?= clang
FUZZ_COVERAGE      := -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
                      -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
                      -Cllvm-args=-sanitizer-coverage-pc-table \
                      -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing
FUZZ_RUSTFLAGS     := $(FUZZ_COVERAGE) -Zsanitizer=address -Cdebug-assertions -Coverflow-checks \
                      -Cforce-frame-pointers=yes
# Fast fuzz builds of the library: no fat LTO, parallel codegen.
FUZZ_CARGO_ENV     := RUSTC_BOOTSTRAP=1 RUSTFLAGS="$(FUZZ_RUSTFLAGS)" \
                      CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
FUZZ_FLAGS          = -dict=$(FUZZ_DIR)/dict/http_ws.dict -print_final_stats=1 -timeout=10 \
                      -rss_limit_mb=2048 -max_len=4096

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-replay fuzz-run fuzz-merge

fuzz-build: $(FUZZ_WORK)/fuzz_http_c
	cd $(FUZZ_DIR) && $(FUZZ_CARGO_ENV) CARGO_TARGET_DIR=../$(FUZZ_OUT) \
	  $(CARGO) build --quiet --release --features fuzz --target $(FUZZ_TRIPLE) --bins

# The C harness: the Rust library built with coverage and ASan into its own directory, then
# clang's libFuzzer driver and ASan runtime around both.
$(FUZZ_WORK)/fuzz_http_c: $(FUZZ_DIR)/c/fuzz_http_c.c $(HEADER) FORCE
	@mkdir -p $(FUZZ_WORK)
	$(FUZZ_CARGO_ENV) CARGO_TARGET_DIR=$(FUZZ_C_OUT) \
	  $(CARGO) build --quiet --release --lib --features capi --target $(FUZZ_TRIPLE)
	$(FUZZ_CLANG) -g -O1 -std=c11 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -Iinclude $(FUZZ_DIR)/c/fuzz_http_c.c \
	  $(FUZZ_C_OUT)/$(FUZZ_TRIPLE)/release/libwireframe.a $(C_LIBS) -o $@

# The committed corpus of a target, and the binary that runs it.
fuzz_corpus = $(FUZZ_DIR)/corpus/$(1)
fuzz_binary = $(if $(filter c_abi,$(1)),$(FUZZ_WORK)/fuzz_http_c,$(FUZZ_BIN)/$(1))

# One target, run as libFuzzer's options $(2) say on the corpus directories $(3), the first of
# which receives the new inputs (make fuzz-merge keeps the useful ones in fuzz/corpus); crashes
# in build/fuzz/artifacts/.
define fuzz_one
	@mkdir -p $(firstword $(3)) $(FUZZ_WORK)/artifacts
	@echo "== fuzz $(1) ($(2))"
	@$(call fuzz_binary,$(1)) $(FUZZ_FLAGS) $(2) \
	  -artifact_prefix=$(FUZZ_WORK)/artifacts/$(1)- \
	  $(3) > $(FUZZ_WORK)/$(1).log 2>&1 || \
	  { tail -40 $(FUZZ_WORK)/$(1).log; exit 1; }
	@grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' $(FUZZ_WORK)/$(1).log | tail -1
	@grep -E 'stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' $(FUZZ_WORK)/$(1).log
endef

# One rule per target, run one after the other (one core, one worker).
FUZZ_LONG_RULES  := $(addprefix fuzz-long-,$(FUZZ_TARGETS))
FUZZ_SMOKE_RULES := $(addprefix fuzz-short-,$(FUZZ_TARGETS))
.PHONY: $(FUZZ_LONG_RULES) $(FUZZ_SMOKE_RULES)

$(FUZZ_LONG_RULES): fuzz-long-%: fuzz-build
	$(call fuzz_one,$*,-max_total_time=$(FUZZ_SECONDS),$(FUZZ_WORK)/corpus/$* $(call fuzz_corpus,$*))

# The smoke run starts from an empty working corpus each time, from a fixed seed, and reads the
# committed corpus as a sorted file list without the start-up shuffle: libFuzzer reads a corpus
# directory in the filesystem's order, which differs between clones, and the order decides
# which inputs the run explores. So every machine starts from the same inputs in the same
# order (the mutations may still drift apart after a few seconds: see fuzz/README.md).
$(FUZZ_SMOKE_RULES): fuzz-short-%: fuzz-build fuzz-replay
	@rm -rf $(FUZZ_WORK)/smoke/$*
	@mkdir -p $(FUZZ_WORK)/smoke/$*
	@ls $(call fuzz_corpus,$*) | LC_ALL=C sort | sed 's|^|$(call fuzz_corpus,$*)/|' | \
	  paste -sd, - > $(FUZZ_WORK)/smoke/$*.seeds
	$(call fuzz_one,$*,-seed=1 -runs=$(or $(FUZZ_SMOKE_RUNS_$*),$(FUZZ_SMOKE_RUNS)) -shuffle=0 \
	  -seed_inputs=@$(FUZZ_WORK)/smoke/$*.seeds,$(FUZZ_WORK)/smoke/$*)

fuzz: $(FUZZ_LONG_RULES)

fuzz-run: fuzz-build
	$(call fuzz_one,$(FUZZ_TARGET),-max_total_time=$(FUZZ_SECONDS),$(FUZZ_WORK)/corpus/$(FUZZ_TARGET) $(call fuzz_corpus,$(FUZZ_TARGET)))

fuzz-merge: fuzz-build
	@test -n "$(FUZZ_TARGET)" || { echo "fuzz-merge: set FUZZ_TARGET" >&2; exit 2; }
	@mkdir -p $(FUZZ_WORK)/corpus/$(FUZZ_TARGET)
	@before=$$(ls $(call fuzz_corpus,$(FUZZ_TARGET)) | wc -l); \
	$(call fuzz_binary,$(FUZZ_TARGET)) -merge=1 -rss_limit_mb=2048 -max_len=4096 -timeout=10 \
	  $(call fuzz_corpus,$(FUZZ_TARGET)) $(FUZZ_WORK)/corpus/$(FUZZ_TARGET) \
	  > $(FUZZ_WORK)/$(FUZZ_TARGET)-merge.log 2>&1 || \
	  { tail -20 $(FUZZ_WORK)/$(FUZZ_TARGET)-merge.log; exit 1; }; \
	echo "fuzz-merge $(FUZZ_TARGET): $$before -> $$(ls $(call fuzz_corpus,$(FUZZ_TARGET)) | wc -l) corpus files"

# Replays: every corpus file and reproducer through the Rust checks (cargo test, no libFuzzer),
# and every c_abi corpus file and reproducer through the C harness.
fuzz-replay: $(FUZZ_WORK)/fuzz_http_c
	cd $(FUZZ_DIR) && CARGO_TARGET_DIR=../target/fuzz-test $(CARGO) test --quiet --release
	$(FUZZ_WORK)/fuzz_http_c -runs=0 $(FUZZ_DIR)/corpus/c_abi 2>&1 | tail -1
	@set -e; for f in $(wildcard $(FUZZ_DIR)/regressions/c_abi/*); do \
	  $(FUZZ_WORK)/fuzz_http_c $$f 2>&1 | tail -1; done

fuzz-smoke: fuzz-replay $(FUZZ_SMOKE_RULES)

TEST_SUITES += fuzz-smoke
