# Two everyday targets: `make render` and `make test`. Both depend on `setup`,
# which installs what is missing and is a quick no-op when nothing changed.
# `make lab` opens the lab notebook in JupyterLab, installing JupyterLab the first time.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.lab-installed
LAB_FLAGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup system render test bench lab notebooks clean

setup: system $(STAMP)

system:
	@bash scripts/system-deps.sh

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ".")'
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	grep -v ' # lab$$' requirements.txt > $(VENV)/requirements-core.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-core.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

render: setup
	$(VPY) cli.py render tangent

# ruff first (seconds), then pytest on both cores; an idle worker takes tests from the busy one
# (worksteal), and the scene renders the tests share are made once for both (tests/conftest.py).
test: setup
	$(VENV)/bin/ruff check .
	$(VPY) -m pytest -n 2 --dist worksteal

bench: setup
	$(VPY) -m bench

# JupyterLab is only for this target: its pins are the requirements.txt lines marked "# lab",
# the whole set of what it needs beyond the rest, so --no-deps installs exactly those.
$(LAB_STAMP): $(STAMP)
	grep ' # lab$$' requirements.txt > $(VENV)/requirements-lab.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps -r $(VENV)/requirements-lab.txt
	@touch $(LAB_STAMP)

lab: setup $(LAB_STAMP)
	$(VPY) -m jupyterlab --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) $(LAB_FLAGS) lab/derivatives_in_practice.ipynb

# After editing lab/source/derivatives_in_practice.py: regenerate both notebooks.
notebooks: setup
	$(VPY) -m pipeline.lab_notebooks

clean:
	rm -rf $(VENV) .manim_cache
