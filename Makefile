# Everything a fresh machine with python3.11 and make needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint install app clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,app,dask]"
	$(BIN)/accord warmup
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/accord validate examples/ukraine-ceasefire-2025.yaml
	$(BIN)/accord forecast examples/ukraine-ceasefire-2025.yaml --model all --no-store
	$(BIN)/accord durability predict examples/ukraine-ceasefire-2025.yaml --no-store
	@echo "Strategy experiments (experiments/seed-claims.yaml, about 30 s) for the report ..."
	$(BIN)/accord experiment experiments/seed-claims.yaml --json --no-store > .venv/demo-experiment.json
	$(BIN)/accord report examples/ukraine-ceasefire-2025.yaml -o accord-report.html --draws 200 --seed 0 \
	  --experiment .venv/demo-experiment.json
	@echo "Report: accord-report.html (open it in a browser). Web app: make app  (or $(BIN)/accord app --port 8501)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/accord bench

lint: $(STAMP)
	$(BIN)/ruff check src tests

app: $(STAMP)
	$(BIN)/accord app

clean:
	rm -rf $(VENV) build *.egg-info
