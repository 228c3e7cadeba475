"""The grader: each notebook in its own process; one that raises, loops, prints megabytes or
kills its kernel is reported, and the grader carries on."""

from __future__ import annotations

import csv
import doctest
import json
import subprocess
import sys
import time

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from typer.testing import CliRunner

import pipeline.grade as grade_module
from cli import app
from pipeline.grade import find_notebooks, grade, grade_notebook

FORWARD = "import numpy as np\ndef forward_difference(f, x, h):\n    return (f(x + h) - f(x)) / h\n"
SECANT = ("def secant_line(f, x0, h):\n    slope = (f(x0 + h) - f(x0)) / h\n"
          "    return slope, f(x0) - slope * x0\n")


def notebook(folder, name, *cells):
    path = folder / name
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    return path


def statuses(row):
    return {o.objective: o.status for o in row.objectives}


def test_a_raising_cell_is_reported_and_the_rest_still_runs(tmp_path):
    path = notebook(tmp_path, "raises.ipynb", FORWARD, "1 / 0", SECANT)
    row = grade_notebook(path, timeout=60)
    assert statuses(row) == {"finite_difference": "passed", "rules": "not done yet", "tangent": "passed",
                             "sigmoid": "not done yet", "autograd": "not done yet"}
    assert row.passed == 2
    assert row.problems == ("code cell 2 (1 / 0) raised ZeroDivisionError: division by zero",)


def test_an_endless_loop_is_interrupted_and_earlier_work_counts(tmp_path):
    path = notebook(tmp_path, "loops.ipynb", FORWARD, "while True:\n    pass", SECANT)
    row = grade_notebook(path, timeout=3)
    assert statuses(row)["finite_difference"] == "passed"
    assert statuses(row)["tangent"] == "not done yet"  # after the loop: skipped
    assert row.problems == ("code cell 2 (while True:) ran past the 3 s limit: interrupted, later cells skipped",)


def test_a_megabyte_printer_is_reported_and_still_graded(tmp_path):
    path = notebook(tmp_path, "prints.ipynb", FORWARD, "for _ in range(50):\n    print('x' * 99_999)")
    row = grade_notebook(path, timeout=60)
    assert statuses(row)["finite_difference"] == "passed"
    assert row.problems == ("printed 5.0 million characters (limit 1 million); output discarded",)


def test_a_kernel_that_dies_is_reported(tmp_path):
    path = notebook(tmp_path, "dies.ipynb", FORWARD, "import os\nos._exit(3)")
    row = grade_notebook(path, timeout=60)
    assert row.passed == 0
    assert row.problems == ("kernel died in code cell 2 (import os): out of memory, or the code ended the process",)


def test_a_file_that_is_not_a_notebook_is_reported(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    row = grade_notebook(path, timeout=60)
    assert row.passed == 0 and len(row.problems) == 1
    assert row.problems[0].startswith("could not be run: NotJSONError")


def test_a_worker_past_the_hard_limit_is_killed_with_its_kernel(tmp_path, monkeypatch):
    path = notebook(tmp_path, "stuck.ipynb", "import time\ntime.sleep(600)")
    monkeypatch.setattr(grade_module, "STARTUP_SECONDS", -100 + 2)  # limit = 100 + 0 - 98 = 2 s
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    row = grade_notebook(path, timeout=100, check_seconds=0)
    assert row.problems == ("stopped by the grader after 2 s",)
    assert [p for p in psutil.Process().children(recursive=True) if p.pid not in before] == []


def test_kill_tree_reaches_a_grandchild_in_its_own_session(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    spawn = ("import subprocess, sys, time\n"
             "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'], start_new_session=True)\n"
             f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
             "time.sleep(600)\n")
    child = subprocess.Popen([sys.executable, "-c", spawn])
    while not pid_file.exists() or not pid_file.read_text():
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    grade_module._kill_tree(child.pid)
    child.wait()
    assert not psutil.pid_exists(grandchild) or psutil.Process(grandchild).status() == psutil.STATUS_ZOMBIE


def test_finding_notebooks(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    first = notebook(tmp_path, "a.ipynb", "x = 1")
    second = notebook(tmp_path / "b", "c.ipynb", "x = 1")
    notebook(tmp_path / ".ipynb_checkpoints", "a-checkpoint.ipynb", "x = 1")
    assert find_notebooks([tmp_path, first]) == [first, second]
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match="notes.txt is not a .ipynb notebook"):
        find_notebooks([tmp_path / "notes.txt"])
    with pytest.raises(ValueError, match="holds no .ipynb notebooks"):
        find_notebooks([tmp_path / "b" / ".."/ ".ipynb_checkpoints"])
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        grade([first], timeout=float("nan"))


def test_grade_doctests():
    assert doctest.testmod(grade_module).failed == 0


def test_cli_grades_a_folder_and_writes_the_same_table_as_csv_and_json(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    notebook(folder, "[red]mallory.ipynb", FORWARD, "raise RuntimeError('[bold]boom[/bold]')")
    notebook(folder, "alice.ipynb", FORWARD, SECANT)
    result = CliRunner().invoke(app, ["grade", str(folder), "--csv", str(tmp_path / "g.csv"),
                                      "--json", str(tmp_path / "g.json"), "--timeout", "60"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[red]mallory.ipynb" in result.output  # user text printed as text, not markup
    assert "raised RuntimeError: [bold]boom[/bold]" in result.output
    with open(tmp_path / "g.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["notebook"].rsplit("/", 1)[-1] for r in rows] == ["[red]mallory.ipynb", "alice.ipynb"]
    assert [r["passed"] for r in rows] == ["1", "2"]
    assert rows[1]["tangent"] == "passed" and rows[0]["tangent"] == "not done yet"
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [n["passed"] for n in data["notebooks"]] == [1, 2]
    assert data["notebooks"][0]["problems"] == ["code cell 2 (raise RuntimeError('[bold]boom[/bold]')) "
                                                "raised RuntimeError: [bold]boom[/bold]"]
    assert data["notebooks"][1]["objectives"]["tangent"]["status"] == "passed"


def test_cli_refuses_a_missing_path_in_one_line(tmp_path):
    result = CliRunner().invoke(app, ["grade", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist; give a .ipynb notebook or a folder of them" in result.stderr


def test_cli_refuses_an_output_folder_that_does_not_exist_before_grading(tmp_path):
    path = notebook(tmp_path, "a.ipynb", "x = 1")
    result = CliRunner().invoke(app, ["grade", str(path), "--csv", str(tmp_path / "no" / "g.csv")])
    assert result.exit_code == 2
    assert "--csv: the folder" in result.stderr and "does not exist" in result.stderr


def test_a_row_survives_a_malformed_result():
    row = grade_module._row(grade_module.Path("x.ipynb"), 42, [])
    assert row.passed == 0 and all(o.status == "not done yet" for o in row.objectives)
