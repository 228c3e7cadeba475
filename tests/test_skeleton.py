"""The walking skeleton: the import direction, the CLI surface, one real render."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from cli import app
from tests.helpers import TINY, probe

runner = CliRunner()


def test_import_mathcore_loads_no_manim_torch_or_sympy():
    code = ("import sys, mathcore; "
            "print(sorted(m for m in ('manim', 'torch', 'sympy', 'typer', 'rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cli_help_and_list_load_no_manim_torch_or_sympy():
    code = ("import sys; sys.argv = ['cli.py', 'list']\n"
            "import cli\n"
            "try:\n    cli.app()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('manim', 'torch', 'sympy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_list_names_every_scene():
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    for name in ("tangent", "error", "sigmoid", "rules", "autograd"):
        assert name in result.output


def test_unknown_scene_is_one_line_with_the_valid_names():
    result = runner.invoke(app, ["render", "tangnet"])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "tangent, error, sigmoid, rules, autograd" in message
    assert "Did you mean 'tangent'" in message


@pytest.mark.render
def test_tangent_renders_to_mp4(rendered):
    result, _ = rendered("tangent")  # the shared test render (tests/conftest.py)
    info = probe(result.path)
    assert info.codec == "h264"
    assert (info.width, info.height) == TINY
    assert len(info.frames) > 1
    assert not np.array_equal(info.frames[0], info.frames[-1])  # it animates


def test_mathcore_public_names():
    import mathcore

    fixed = ["forward_difference", "backward_difference", "central_difference", "complex_step",
             "richardson", "error_sweep", "secant_slope", "secant_line", "tangent_line", "sigmoid",
             "sigmoid_prime", "vanishing_zone", "verify_rules", "check_autograd", "parse_function"]
    for name in fixed:
        assert name in mathcore.__all__ and callable(getattr(mathcore, name))
    for name in mathcore.__all__:
        obj = getattr(mathcore, name)
        if callable(obj) and not isinstance(obj, type):
            assert obj.__doc__ and ">>>" in obj.__doc__, f"{name} needs a doctest"
