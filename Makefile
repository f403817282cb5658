# The two commands of the README:
#   make demo   set up (Debian packages, build) and run the demo on an embedded SQLite store;
#               `make demo UI=1` then serves the web UI on the demo's store (docs/UI.md)
#   make test   set up and run every test (suites, browser tests, bounded fuzzing)
# And for developers:
#   make fuzz            every fuzz target for longer (FUZZ_SECONDS, default 300 each)
#   make test-sanitize   the whole suite built with AddressSanitizer + UBSan, in build-asan/
BUILD_DIR ?= build
ENTENTE := $(BUILD_DIR)/src/cli/entente
DEMO_DIR ?= .demo
FUZZ_SECONDS ?= 300

.PHONY: setup build demo test fuzz test-sanitize bench clean

setup:
	@scripts/setup.sh

build: setup

demo: setup
	@mkdir -p $(DEMO_DIR)
	@rm -f $(DEMO_DIR)/entente.db $(DEMO_DIR)/entente.db-wal $(DEMO_DIR)/entente.db-shm
	$(ENTENTE) --db $(DEMO_DIR)/entente.db demo --workdir $(DEMO_DIR)
ifeq ($(UI),1)
	@scripts/demo_ui.sh $(DEMO_DIR)
else
	@echo "The same store in the web UI: make demo UI=1"
endif

test: setup
	@scripts/test.sh

fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

test-sanitize:
	@scripts/setup.sh --no-build
	@CCACHE_BASEDIR=$(CURDIR) cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DENTENTE_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
	@ninja -C build-asan
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j 2 --timeout 1800

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz $(DEMO_DIR)
