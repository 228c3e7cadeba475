"""Grade students' lab notebooks: which objectives pass, and what went wrong.

Each notebook runs in its own process (:mod:`pipeline.grade_worker`) with a time limit; that
process runs the student's cells in a fresh kernel and then mathcore.lab's checks on the
functions the notebook defined. A notebook that raises, loops forever, prints megabytes or kills
its kernel gets a row that says so; the grader itself never goes down with it. The checks
trust the kernel they run in: they catch mistakes, not a determined cheat.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .grade_worker import GRADING_SECONDS
from .reports import Table

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_TIMEOUT = 120.0
"""Seconds a notebook's own cells may run in all; the lab's solutions take a few."""
STARTUP_SECONDS = 60.0
"""Allowance for starting Python and the kernel, on top of the notebook's time and the checks'."""
MAX_NOTEBOOK_BYTES = 100_000_000
"""Larger files are not run: the outputs a student saved can be cleared first."""


@dataclass(frozen=True)
class ObjectiveGrade:
    """One objective of one notebook: passed, not done yet or wrong, and why."""

    objective: str
    title: str
    status: str
    feedback: str


@dataclass(frozen=True)
class GradeRow:
    """One notebook: every objective's grade and the problems met while running it."""

    notebook: str
    objectives: tuple[ObjectiveGrade, ...]
    problems: tuple[str, ...]

    @property
    def passed(self) -> int:
        """How many objectives passed."""
        from mathcore.lab import PASSED

        return sum(o.status == PASSED for o in self.objectives)

    def to_json(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "passed": self.passed, "of": len(self.objectives),
                "objectives": {o.objective: {"status": o.status, "feedback": o.feedback}
                               for o in self.objectives},
                "problems": list(self.problems)}


def find_notebooks(paths: Iterable[str | Path]) -> list[Path]:
    """The notebooks to grade: each path a .ipynb file or a folder searched recursively
    (checkpoint folders skipped).

    Examples
    --------
    >>> find_notebooks(["no/such/folder"])
    Traceback (most recent call last):
    ...
    ValueError: no/such/folder does not exist; give a .ipynb notebook or a folder of them.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts and p.is_file())
            if not inside:
                raise ValueError(f"{path} holds no .ipynb notebooks; give a notebook or a folder of them.")
            found.extend(inside)
        elif path.is_file():
            if path.suffix != ".ipynb":
                raise ValueError(f"{path} is not a .ipynb notebook; give a notebook or a folder of them.")
            found.append(path)
        else:
            raise ValueError(f"{path} does not exist; give a .ipynb notebook or a folder of them.")
    if not found:
        raise ValueError("no notebook given; give a .ipynb notebook or a folder of them.")
    return list(dict.fromkeys(found))


def _kill_tree(pid: int) -> None:
    """Kill a process and every process under it (the kernel runs in a session of its own)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        parent.suspend()  # frozen, it starts nothing new while its family is listed
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for proc in family:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


def _row(path: Path, results: list[dict] | None, problems: list[str]) -> GradeRow:
    from mathcore.lab import NOT_DONE, OBJECTIVES

    listed = results if isinstance(results, list) else []
    by_key = {r.get("objective"): r for r in listed if isinstance(r, dict)}
    grades = []
    for objective in OBJECTIVES:
        found = by_key.get(objective.key)
        if found is None:
            grades.append(ObjectiveGrade(objective.key, objective.title, NOT_DONE, "not checked"))
        else:
            grades.append(ObjectiveGrade(objective.key, objective.title, str(found.get("status", "")),
                                         str(found.get("feedback", ""))))
    return GradeRow(str(path), tuple(grades), tuple(problems))


def grade_notebook(path: Path, timeout: float = DEFAULT_TIMEOUT,
                   check_seconds: float = GRADING_SECONDS) -> GradeRow:
    """Run one notebook in its own process: ``timeout`` seconds for its own cells, then
    ``check_seconds`` for the checks; past both (and the start-up allowance) it is killed.
    """
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return _row(path, None, [f"not run: the file is {path.stat().st_size / 1e6:.0f} MB, over the "
                                 f"{MAX_NOTEBOOK_BYTES / 1e6:.0f} MB limit (clear its outputs)"])
    limit = timeout + check_seconds + STARTUP_SECONDS
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        result_path = Path(scratch) / "result.json"
        worker = subprocess.Popen(
            [sys.executable, "-m", "pipeline.grade_worker", str(path.resolve()), str(result_path),
             str(timeout), str(check_seconds)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            worker.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_tree(worker.pid)
            return _row(path, None, [f"stopped by the grader after {limit:g} s"])
        finally:
            if worker.poll() is None:  # interrupted while waiting: leave nothing running
                _kill_tree(worker.pid)
        try:
            outcome = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _row(path, None, [f"grading process ended without a result (exit code {worker.returncode})"])
    return _row(path, outcome.get("results"), [str(p) for p in outcome.get("problems", [])])


def grade(paths: Iterable[str | Path], timeout: float = DEFAULT_TIMEOUT,
          progress: Callable[[int, int, Path], None] | None = None) -> list[GradeRow]:
    """Grade every notebook in ``paths`` (files or folders), one process each, in order.

    ``progress(i, n, path)`` is called before the i-th of n notebooks is run.

    Examples
    --------
    >>> grade(["lab/source"])
    Traceback (most recent call last):
    ...
    ValueError: lab/source holds no .ipynb notebooks; give a notebook or a folder of them.
    """
    if not (isinstance(timeout, (int, float)) and 0 < timeout < float("inf")):
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}.")
    notebooks = find_notebooks(paths)
    rows = []
    for i, path in enumerate(notebooks, start=1):
        if progress is not None:
            progress(i, len(notebooks), path)
        rows.append(grade_notebook(path, timeout))
    return rows


_MARK = {"passed": "pass", "not done yet": "-", "wrong": "FAIL"}


def grade_table(rows: list[GradeRow]) -> Table:
    """The gradebook: one row per notebook, one column per objective, then the problems."""
    from mathcore.lab import OBJECTIVES

    names = [Path(row.notebook).resolve() for row in rows]
    common = Path(os.path.commonpath([p.parent for p in names])) if names else Path.cwd()
    shown = [str(p.relative_to(common)) for p in names]
    headers = ("notebook", *(o.title.split(".")[0] for o in OBJECTIVES), "passed", "problems")
    body = [(name, *(_MARK.get(o.status, o.status) for o in row.objectives),
             f"{row.passed}/{len(row.objectives)}", "; ".join(row.problems))
            for name, row in zip(shown, rows)]
    legend = ", ".join(o.title for o in OBJECTIVES)
    return Table(f"Lab notebooks in {common}: {legend}", headers, body, right=(len(OBJECTIVES) + 1,))


def grades_json(rows: list[GradeRow]) -> dict[str, Any]:
    """Every row with each objective's status and feedback."""
    from mathcore.lab import OBJECTIVES

    return {"objectives": [o.key for o in OBJECTIVES], "notebooks": [r.to_json() for r in rows]}


def write_grades_csv(rows: list[GradeRow], path: Path) -> None:
    """The gradebook as CSV (statuses, count passed, problems), written whole or not at all."""
    from mathcore.lab import OBJECTIVES

    from .files import RenderError, atomic_target

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"cannot write {path}: the folder {folder} does not exist.")
    with atomic_target(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["notebook", *(o.key for o in OBJECTIVES), "passed", "problems"])
        for row in rows:
            writer.writerow([row.notebook, *(o.status for o in row.objectives), row.passed,
                             "; ".join(row.problems)])


def write_grades_json(rows: list[GradeRow], path: Path) -> None:
    """:func:`grades_json` to a file, written whole or not at all."""
    from .files import RenderError, atomic_target

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"cannot write {path}: the folder {folder} does not exist.")
    with atomic_target(path) as tmp:
        tmp.write_text(json.dumps(grades_json(rows), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
