"""The lab notebooks: generated from their one source, committed without outputs, and run top to
bottom: every check passes in the solutions and reports 'not done yet' in the student's copy."""

from __future__ import annotations

import ast
import doctest

import nbformat
import pytest
from nbclient import NotebookClient

import pipeline.lab_notebooks as lab_notebooks
from mathcore.lab import CHECK_MIME, OBJECTIVES
from pipeline.lab_notebooks import SOLUTIONS, SOURCE, STUDENT, build_notebooks

CELL_SECONDS = 300
"""A generous bound per cell: the lab's cells take a second or two; this only stops a hang."""


def test_committed_notebooks_are_what_the_source_generates():
    student, solutions = build_notebooks(SOURCE.read_text(encoding="utf-8"))
    assert STUDENT.read_text(encoding="utf-8") == student, "run `make notebooks` after editing the source"
    assert SOLUTIONS.read_text(encoding="utf-8") == solutions, "run `make notebooks` after editing the source"


@pytest.mark.parametrize("path", [STUDENT, SOLUTIONS], ids=["student", "solutions"])
def test_committed_notebooks_carry_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "jupytext" not in nb.metadata  # no pairing: a student's save stays one file


def _functions(source: str) -> dict[str, str]:
    """Each function defined in a cell, by name, with its signature as text."""
    return {node.name: ast.unparse(node.args) for node in ast.parse(source).body
            if isinstance(node, ast.FunctionDef)}


def test_each_stub_has_a_solution_with_the_same_signatures():
    nb = nbformat.read(SOLUTIONS, as_version=4)
    student = nbformat.read(STUDENT, as_version=4)
    stubs = [c.source for c in student.cells if "stub" in c.metadata.get("tags", [])]
    solutions = [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(stubs) == len(solutions) == len(OBJECTIVES)
    for stub, solution in zip(stubs, solutions):
        assert _functions(stub) == _functions(solution)
        for node in ast.walk(ast.parse(stub)):
            if isinstance(node, ast.FunctionDef):
                assert isinstance(node.body[-1], ast.Raise), f"{node.name} in the student notebook is not a stub"
    names = {name for o in OBJECTIVES for name in o.names}
    assert names == {n for s in stubs for n in _functions(s)}
    assert all("NotImplementedError" not in s for s in solutions)


def test_build_refuses_a_source_without_its_tags():
    with pytest.raises(ValueError, match="tag its exercise cells 'stub' and 'solution'"):
        build_notebooks("# %%\nx = 1\n")


def test_lab_notebooks_doctests():
    assert doctest.testmod(lab_notebooks).failed == 0


def _execute(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=CELL_SECONDS, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    checks = [o["data"][CHECK_MIME] for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if CHECK_MIME in o.get("data", {})]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    gifs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/gif" in o.get("data", {})]
    pngs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    return checks, errors, gifs, pngs


def test_solutions_notebook_passes_every_check():
    checks, errors, gifs, pngs = _execute(SOLUTIONS)
    assert not errors
    assert [c["objective"] for c in checks] == [o.key for o in OBJECTIVES]
    assert all(c["status"] == "passed" for c in checks), checks
    assert len(gifs) == 5  # the project's own scene renders, shown inline
    assert len(pngs) == 4  # error against h, the rules, the secants, sigma and sigma'


def test_student_notebook_runs_cleanly_with_every_check_not_done_yet():
    checks, errors, gifs, pngs = _execute(STUDENT)
    assert not errors
    assert [c["objective"] for c in checks] == [o.key for o in OBJECTIVES]
    assert all(c["status"] == "not done yet" for c in checks), checks
    assert all("still the stub" in c["feedback"] for c in checks)
    assert not pngs  # the plots wait for the checks
