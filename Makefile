# Two commands do all set-up on a fresh machine:
#   make demo   simulate a scenario, ingest it, and show what lockstep finds
#   make test   lint and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO ?= demo-output

.PHONY: install system-deps demo test lint docs bench fuzz clean

$(BIN)/lockstep: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned to the CPU build (a bare `torch` pulls a multi-GB CUDA build).
	$(BIN)/pip install --quiet -e '.[dev,topic,spark]'
	touch $(BIN)/lockstep

install: $(BIN)/lockstep

# Chromium for the report's browser tests and Java for the Spark engine (Debian packages; never a
# browser or JDK download of a tool's own).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium chromium-driver default-jre-headless; \
	fi

demo: install
	rm -rf $(DEMO)
	$(BIN)/lockstep simulate --scenario demo --seed 7 --out $(DEMO)/posts.csv
	$(BIN)/lockstep ingest $(DEMO)/posts.csv --workspace $(DEMO)/workspace
	$(BIN)/lockstep info --workspace $(DEMO)/workspace
	$(BIN)/lockstep detect --workspace $(DEMO)/workspace
	$(BIN)/lockstep personas --workspace $(DEMO)/workspace --out $(DEMO)/personas.csv
	$(BIN)/lockstep report --workspace $(DEMO)/workspace --out $(DEMO)/report
	@echo "Ground truth: $(DEMO)/posts.labels.csv"
	@echo "Report: $(DEMO)/report/report.html"

lint: install
	$(BIN)/ruff check src tests bench fuzz

test: system-deps lint
	$(BIN)/python -m lockstep.schema | diff -u docs/schema.md - || (echo "docs/schema.md is stale: run make docs" && false)
	# The suite runs with networking off where the kernel allows it (nothing may reach the network);
	# loopback stays up, as Spark's JVM and Python talk over 127.0.0.1.
	if unshare -rn true 2>/dev/null; then \
	  LOCKSTEP_EXPECT_OFFLINE=1 unshare -rn sh -c 'ip link set lo up 2>/dev/null; exec $(BIN)/pytest -n 2 --dist loadfile -q'; \
	else \
	  echo "unshare -rn not permitted here: running the suite with networking on"; \
	  $(BIN)/pytest -n 2 --dist loadfile -q; \
	fi

docs: install
	$(BIN)/python -m lockstep.schema > docs/schema.md

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/report_scale.py

# A longer fuzzing run than the test suite's (see fuzz/fuzz_ingest.py).
fuzz: install
	# New inputs go to the first folder (scratch); the committed seeds are only read.
	mkdir -p bench/.cache/fuzz-corpus
	$(BIN)/python fuzz/fuzz_ingest.py -atheris_runs=200000 bench/.cache/fuzz-corpus fuzz/corpus

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
