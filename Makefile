# Two everyday targets: `make render` and `make test`. Both depend on `setup`,
# which installs what is missing and is a quick no-op when nothing changed.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup system render test bench clean

setup: system $(STAMP)

system:
	@bash scripts/system-deps.sh

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ".")'
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VPY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

render: setup
	$(VPY) cli.py render tangent

test: setup
	$(VPY) -m pytest

bench: setup
	$(VPY) -m bench

clean:
	rm -rf $(VENV) .manim_cache
