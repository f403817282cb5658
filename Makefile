# The two commands of the README:
#   make demo   set up (Debian packages, build) and run the demo on an embedded SQLite store
#   make test   set up and run every test
BUILD_DIR ?= build
ENTENTE := $(BUILD_DIR)/src/cli/entente
DEMO_DIR ?= .demo

.PHONY: setup build demo test bench clean

setup:
	@scripts/setup.sh

build: setup

demo: setup
	@mkdir -p $(DEMO_DIR)
	@rm -f $(DEMO_DIR)/entente.db $(DEMO_DIR)/entente.db-wal $(DEMO_DIR)/entente.db-shm
	$(ENTENTE) --db $(DEMO_DIR)/entente.db demo --workdir $(DEMO_DIR)

test: setup
	@scripts/test.sh

clean:
	rm -rf $(BUILD_DIR) $(DEMO_DIR)
