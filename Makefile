# backcheck: `make demo` and `make test` set up everything themselves (a .venv with the package).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS ?= dev,web,postgres,video,cluster
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)-$(subst $(comma),_,$(EXTRAS))
comma  := ,
PYTEST_ARGS ?=
# Tests run in parallel (pytest-xdist): one worker per core of the 2-core CI machine.
PYTEST_WORKERS ?= 2

.PHONY: demo test lint setup system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e ".[$(EXTRAS)]"
	rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

demo: setup
	$(BIN)/backcheck demo

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: setup system-deps lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: setup
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/why_speed.py
	$(BIN)/python benchmarks/video_speed.py
	$(BIN)/python benchmarks/web_load.py
	$(BIN)/python benchmarks/batch_scale.py
	$(BIN)/python benchmarks/cause_accuracy.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache test-output
