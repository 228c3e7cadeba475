"""The three layers import one way: mathcore <- scenes <- pipeline <- cli.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after(statement: str, watched: tuple[str, ...]) -> list[str]:
    code = f"import sys\n{statement}\nprint(sorted(m for m in {watched!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_importing_mathcore_loads_no_manim_torch_or_sympy():
    assert _loaded_after("import mathcore", ("manim", "torch", "sympy", "pipeline", "scenes")) == []


def test_importing_every_pipeline_module_loads_no_manim():
    modules = sorted(p.stem for p in (ROOT / "pipeline").glob("*.py") if p.stem != "__init__")
    statement = "\n".join(f"import pipeline.{m}" for m in modules)
    assert _loaded_after(statement, ("manim", "cli")) == []


@pytest.mark.parametrize("path", sorted((ROOT / "scenes").glob("*.py")), ids=lambda p: p.name)
def test_scenes_import_nothing_from_the_pipeline_or_the_cli(path):
    assert not _imports(path) & {"pipeline", "cli", "typer", "rich"}


@pytest.mark.parametrize("path", sorted((ROOT / "mathcore").glob("*.py")), ids=lambda p: p.name)
def test_mathcore_imports_nothing_of_ours(path):
    assert not _imports(path) & {"pipeline", "cli", "scenes", "manim"}


def test_pipeline_never_imports_manim_even_lazily():
    for path in (ROOT / "pipeline").glob("*.py"):
        assert "manim" not in _imports(path), path.name
