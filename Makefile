# Thin wrapper over CMake (as Neovim has): `make`, `make test`, `make demo`,
# `make cases`, `make bench`. The build lives in build/.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
JOBS ?= 2
export OMPI_ALLOW_RUN_AS_ROOT = 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = 1

.PHONY: all deps build test test-main test-sanitize demo bench cases clean install fuzz

# Case studies: every cases/<name>.xml runs with `mnn run` into build/cases/<name>/.
# `make cases` runs them all (parallel with -j), `make case-<name>` one of them.
# Incremental: a case reruns only when its file or the mnn program changed, and
# inside a run `mnn run` skips every stage whose inputs and outputs have the contents
# its record keeps (docs/formats.md).
MNN := $(BUILD)/pipeline/mnn
CASE_FILES := $(wildcard cases/*.xml)
CASE_NAMES := $(patsubst cases/%.xml,%,$(CASE_FILES))
CASE_REPORTS := $(patsubst %,$(BUILD)/cases/%/report.xml,$(CASE_NAMES))
FLAGSHIP ?= iris

# The C core (no PETSc, no Gmsh inside) runs again under ASan and UBSan.
SANITIZE_BUILD ?= build-sanitize
SANITIZE_LABELS ?= common|barmodel|training|core

all: build

deps:
	bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: test-main test-sanitize

test-main: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize:
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMNN_SANITIZE=ON > /dev/null
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L '$(SANITIZE_LABELS)'

# The demo builds the program only (not the tests and benchmarks), keeps the
# compiler's output in a log (shown when the build fails) and prints its steps.
DEMO_LOG := $(BUILD)/demo-build.log
demo:
	@mkdir -p $(BUILD)
	@echo "mnn demo: building mnn (compiler output in $(DEMO_LOG))"
	@{ test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) $(CMAKE_FLAGS); } > $(DEMO_LOG) 2>&1 && \
	  cmake --build $(BUILD) -j $(JOBS) --target mnn >> $(DEMO_LOG) 2>&1 || \
	  { tail -n 20 $(DEMO_LOG); echo "mnn demo: the build failed: see $(DEMO_LOG)"; exit 1; }
	@echo "mnn demo: running cases/$(FLAGSHIP).xml into $(BUILD)/cases/$(FLAGSHIP)/ (train, mesh, fem, stl, report)"
	@$(MAKE) -s --no-print-directory $(BUILD)/cases/$(FLAGSHIP)/report.xml
	@echo "mnn demo: STL $(BUILD)/cases/$(FLAGSHIP)/model.stl, report $(BUILD)/cases/$(FLAGSHIP)/report.xml (open report.html)"

cases: build
	$(MAKE) --no-print-directory $(CASE_REPORTS)

case-%: build
	$(MAKE) --no-print-directory $(BUILD)/cases/$*/report.xml

$(BUILD)/cases/%/report.xml: cases/%.xml $(MNN)
	$(MNN) run $< -o $(BUILD)/cases/$*
	@touch $@

# `make install PREFIX=DIR`: mnn in DIR/bin, schemas, cases and data in DIR/share/mnn
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# `make fuzz`: each file reader under libFuzzer (clang, ASan, UBSan) for
# FUZZ_SECONDS, from the kept corpus tests/fuzz/<reader>/; new inputs go to
# $(FUZZ_BUILD)/corpus/, a crash, hang or multi-line error to
# $(FUZZ_BUILD)/findings/ (copy a fixed one into tests/fuzz/<reader>/ to keep it).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_READERS := network case csv msh fem_results report
fuzz:
	@printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > /tmp/mnn-fuzz-probe.c
	@clang -fsanitize=fuzzer /tmp/mnn-fuzz-probe.c -o /tmp/mnn-fuzz-probe > /dev/null 2>&1 || \
	  { echo "mnn: error: make fuzz: needs clang with libFuzzer: apt-get install clang libclang-rt-14-dev (Debian 12)"; exit 1; }
	@rm -f /tmp/mnn-fuzz-probe /tmp/mnn-fuzz-probe.c
	@echo "mnn fuzz: building the harnesses with clang into $(FUZZ_BUILD) (log: $(FUZZ_BUILD)/build.log)"
	@mkdir -p $(FUZZ_BUILD)
	@{ CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMNN_FUZZ=ON && \
	   cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all; } > $(FUZZ_BUILD)/build.log 2>&1 || \
	  { tail -n 20 $(FUZZ_BUILD)/build.log; echo "mnn: error: make fuzz: the build failed: see $(FUZZ_BUILD)/build.log"; exit 1; }
	@failed=; for r in $(FUZZ_READERS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$r $(FUZZ_BUILD)/findings; \
	  echo "mnn fuzz: $$r reader, $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/fuzz-$$r.log)"; \
	  ASAN_OPTIONS=detect_leaks=0 $(FUZZ_BUILD)/tests/fuzz/fuzz_$$r -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	    -rss_limit_mb=4096 -max_len=200000 -artifact_prefix=$(FUZZ_BUILD)/findings/$$r- \
	    $(FUZZ_BUILD)/corpus/$$r tests/fuzz/$$r > $(FUZZ_BUILD)/fuzz-$$r.log 2>&1 || failed="$$failed $$r"; \
	  grep -h "^#.*DONE\|^Done" $(FUZZ_BUILD)/fuzz-$$r.log | tail -n 1; \
	done; \
	if [ -n "$$failed" ]; then echo "mnn: error: make fuzz: findings for:$$failed: see $(FUZZ_BUILD)/findings/ and the logs"; exit 1; fi; \
	echo "mnn fuzz: no crash, hang or multi-line error in $(FUZZ_SECONDS) s per reader"

bench: build
	cmake --build $(BUILD) --target bench

clean:
	rm -rf $(BUILD)
