"""Run one student notebook for the grader, in a process of its own.

``python -m pipeline.grade_worker NOTEBOOK RESULT_JSON SECONDS CHECK_SECONDS`` executes the
notebook's code cells with nbclient in a fresh kernel, within SECONDS in all, then one more cell
that runs ``mathcore.lab.grade_namespace`` on what the notebook defined (within CHECK_SECONDS),
and writes what it found to RESULT_JSON. The student's outputs are counted and dropped, never
kept: a notebook that prints megabytes costs the worker nothing but the count. A cell still running at the deadline is
interrupted and the rest skipped, so the objectives finished before it still count.
:mod:`pipeline.grade` starts this process and kills it, kernel included, if it overstays.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

GRADING_SECONDS = 130.0
"""The grading cell's default budget: five checks of at most a sixth of it each, and torch's
import."""
_TIMEOUT = "GraderTimeout"
OUTPUT_LIMIT = 1_000_000
"""Characters of printed output beyond which a notebook is reported as printing too much."""

GRADER_CELL = """\
if "autograd_derivative" in globals():
    try:
        import torch  # imported before the checks' timers start
    except ImportError:
        pass
import mathcore.lab as _grader_lab
_grader_lab.grade_namespace(globals(), seconds_per_check={seconds:g});
"""


def _first_line(source: str) -> str:
    line = next((s.strip() for s in source.splitlines() if s.strip()), "")
    return line if len(line) <= 40 else line[:37] + "..."


def _client_class():  # noqa: ANN202  (nbclient is imported only when a notebook is graded)
    from nbclient import NotebookClient
    from nbformat.v4 import output_from_msg

    from mathcore.lab import GRADE_MIME

    class CountingClient(NotebookClient):
        """Keeps no student output: counts what is printed, records errors, and keeps only the
        grading cell's result.
        """

        printed = 0
        errors: list[tuple[int, str, str]] = []
        grader_index = -1

        def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                self.printed += len(content.get("text", ""))
            elif kind == "error" and cell_index != self.grader_index:
                self.errors.append((cell_index, str(content.get("ename", ""))[:80],
                                    str(content.get("evalue", ""))[:200]))
            elif cell_index == self.grader_index and GRADE_MIME in content.get("data", {}):
                out = output_from_msg(msg)
                outs.append(out)
                return out
            return None

    return CountingClient


async def _execute(path: Path, seconds: float, check_seconds: float) -> dict[str, Any]:
    import nbformat
    from nbclient.exceptions import DeadKernelError

    from mathcore.lab import GRADE_MIME

    nb = nbformat.read(path, as_version=4)
    student_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for _, cell in student_cells:
        cell.outputs = []
    nb.cells.append(nbformat.v4.new_code_cell(GRADER_CELL.format(seconds=check_seconds / 6)))
    grader_index = len(nb.cells) - 1
    client = _client_class()(nb, kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
                             error_on_timeout={"ename": _TIMEOUT, "evalue": "", "traceback": []},
                             shutdown_kernel="immediate", resources={"metadata": {"path": str(path.parent)}})
    client.errors, client.grader_index = [], grader_index
    replies: dict[int, str] = {}
    # On a timeout nbclient interrupts the kernel and reports this stand-in error as the reply.
    client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.__setitem__(
        cell_index, execute_reply.get("content", {}).get("ename", ""))
    problems: list[str] = []
    kernel_alive, timed_out = True, None
    deadline = time.monotonic() + seconds
    async with client.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
        for number, (index, cell) in enumerate(student_cells, start=1):
            client.timeout = max(1, int(deadline - time.monotonic()))
            try:
                await client.async_execute_cell(cell, index)
            except DeadKernelError:
                problems.append(f"kernel died in code cell {number} ({_first_line(cell.source)}): "
                                "out of memory, or the code ended the process")
                kernel_alive = False
                break
            if replies.get(index) == _TIMEOUT:
                problems.append(f"code cell {number} ({_first_line(cell.source)}) ran past the "
                                f"{seconds:g} s limit: interrupted, later cells skipped")
                timed_out = index
                break
        results = None
        if kernel_alive:
            client.timeout = max(1, int(check_seconds))
            try:
                await client.async_execute_cell(nb.cells[grader_index], grader_index)
                grades = [o for o in nb.cells[grader_index].outputs if GRADE_MIME in o.get("data", {})]
                results = grades[-1]["data"][GRADE_MIME]["results"] if grades else None
            except DeadKernelError:
                pass
            if results is None:
                problems.append("checks could not run: the kernel stayed busy or died")
    numbers = {index: number for number, (index, _) in enumerate(student_cells, start=1)}
    for index, ename, evalue in client.errors:
        if index == timed_out and ename == "KeyboardInterrupt":  # our own interrupt, said above
            continue
        source = _first_line(nb.cells[index].source)
        problems.append(f"code cell {numbers[index]} ({source}) raised {ename}: {evalue}".rstrip(": "))
    if client.printed > OUTPUT_LIMIT:
        problems.append(f"printed {client.printed / 1e6:.1f} million characters (limit "
                        f"{OUTPUT_LIMIT / 1e6:g} million); output discarded")
    return {"results": results, "problems": problems}


def run(path: Path, result_path: Path, seconds: float, check_seconds: float = GRADING_SECONDS) -> None:
    """Execute the notebook and write the result JSON; any failure becomes a reported problem."""
    try:
        outcome = asyncio.run(_execute(path, seconds, check_seconds))
    except Exception as exc:  # a broken file or a kernel that would not start: report, not crash
        text = " ".join(str(exc).split())[:200]
        outcome = {"results": None, "problems": [f"could not be run: {type(exc).__name__}: {text}"]}
    tmp = result_path.with_name(result_path.name + ".partial")
    tmp.write_text(json.dumps(outcome), encoding="utf-8")
    tmp.replace(result_path)


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))
