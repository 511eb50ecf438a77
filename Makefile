# Two entry points, each doing all the set-up on a fresh machine with Python 3.10+:
#   make workshop   create .venv, install everything, open JupyterLab on notebooks/
#   make test       create .venv, install everything, run the whole test suite in quick mode

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: workshop test install lab clean-outputs

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

workshop: install
	cd notebooks && ../$(BIN)/jupyter lab

# Quick mode shrinks training length only; every notebook cell still runs.
# Quick-mode checkpoints from an earlier run would let the notebooks skip training, so remove them first.
test: install
	rm -rf notebooks/checkpoints/quick-* notebooks/outputs/quick-*
	GAN_WORKSHOP_QUICK=1 $(BIN)/python -m pytest tests notebooks \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

# Remove checkpoints and generated files left by running the notebooks.
clean-outputs:
	rm -rf notebooks/checkpoints notebooks/outputs
