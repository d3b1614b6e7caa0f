# juesuan — the commands the README shows. `make demo` and `make test` work on a fresh Debian machine with
# Python 3.11: they install the system packages (apt, when missing) and the locked Python dependencies first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# LibreOffice converts legacy .doc/.wps/.xls; tesseract (+chi_sim) OCRs scanned pages; the WenQuanYi font lets
# LibreOffice render Chinese; poppler-utils gives pdftoppm for page images; libgl1/libglib2.0-0 are what
# opencv-python (a dependency of the PP-OCR engine, rapidocr-onnxruntime) loads.
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui tesseract-ocr tesseract-ocr-chi-sim \
                fonts-wqy-zenhei poppler-utils libgl1 libglib2.0-0
NEEDED_COMMANDS := soffice tesseract pdftoppm
# One Dagster instance per data folder (runs, partitions and the registry belong together): the demo lives in
# data/demo/ with its own instance, so it never mixes with real runs in data/ unless you point both at one place.
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export JUESUAN_DATA_DIR ?= $(CURDIR)/data
export JUESUAN_WAREHOUSE ?= $(CURDIR)/data/warehouse.duckdb
export JUESUAN_SNAPSHOT ?= $(CURDIR)/data/analyst/juesuan.duckdb
export JUESUAN_SOURCES ?= $(CURDIR)/sources.yaml

.PHONY: demo dev-demo test dev bench system-deps install lock clean dictionary

DEMO_ENV := DAGSTER_HOME=$(CURDIR)/data/demo/dagster_home JUESUAN_DATA_DIR=$(CURDIR)/data/demo \
            JUESUAN_WAREHOUSE=$(CURDIR)/data/demo/warehouse.duckdb JUESUAN_SNAPSHOT=$(CURDIR)/data/demo/analyst/juesuan.duckdb \
            JUESUAN_UNITS=$(CURDIR)/data/demo/demo_portal/units

demo: install  ## build the synthetic corpus in data/demo/ and run the ingest job through Dagster
	$(DEMO_ENV) $(BIN)/juesuan demo

dev-demo: install  ## the Dagster UI on the demo's instance and data (data/demo/)
	$(DEMO_ENV) $(MAKE) --no-print-directory dev

test: install  ## the whole test suite
	$(BIN)/pytest -q

dev: install  ## Dagster UI on http://localhost:3000 with run history kept in data/dagster_home/
	@$(BIN)/python -m pipelines.settings  # copies dagster.yaml into DAGSTER_HOME, refreshes an unedited copy
	JUESUAN_WORKERS=$${JUESUAN_WORKERS:-$$(nproc)} DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS=true \
	  DAGSTER_EVENT_BATCH_SIZE=1000 $(BIN)/dg dev --host 127.0.0.1 --port 3000

bench: install  ## benchmarks (reading speed, extraction overhead, ingest throughput)
	$(BIN)/python bench/bench_read.py
	@[ ! -f bench/bench_extract.py ] || $(BIN)/python bench/bench_extract.py
	@[ ! -f bench/bench_ingest.py ] || $(BIN)/python bench/bench_ingest.py

dictionary: install
	$(BIN)/juesuan dictionary --out docs/data-dictionary.md

install: system-deps $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 needed, found {sys.version}"'
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(MAKE) --no-print-directory apt PKGS=python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

system-deps:
	@missing=""; for c in $(NEEDED_COMMANDS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	[ -d /usr/share/tesseract-ocr ] && ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || missing="$$missing chi_sim"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing="$$missing wqy-zenhei"; \
	ldconfig -p 2>/dev/null | grep -q 'libGL.so.1 ' || missing="$$missing libgl1"; \
	if [ -n "$$missing" ]; then echo "installing system packages (missing:$$missing)"; $(MAKE) --no-print-directory apt PKGS="$(APT_PACKAGES)"; fi

apt:
	@if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; else \
	  echo "need root (or sudo) to apt-get install: $(PKGS)"; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(PKGS) >/dev/null

lock:  ## re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv)
	uv pip compile --python-version 3.11 --extra dev pyproject.toml -o requirements.lock

clean:
	rm -rf data .dagster_home .pytest_cache
