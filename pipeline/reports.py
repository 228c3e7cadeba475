"""The tables behind ``check`` and ``sweep``: headers and rows of plain strings, so the CLI only
prints them and a CSV gets the same numbers at full precision. No rich, no manim.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import RenderError, atomic_target


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    right: tuple[int, ...] = ()
    """Columns (by index) aligned right: the numbers."""
    marked: int | None = None
    """A row to highlight, besides the text mark it carries."""


def check_tables(rules: list, autograd: list, counts: list = (), backprop: list = (),
                 depth: list = ()) -> list[Table]:
    """The rule checks, the autograd comparison and the three lessons' checks as tables."""
    rule_rows = [(r.rule, r.function, f"{r.x:g}", f"{r.analytic:.15g}", f"{r.numerical:.15g}",
                  f"{r.abs_error:.2e}", f"{r.tolerance:.1e}", "pass" if r.passed else "FAIL") for r in rules]
    autograd_rows = [(a.function, f"{a.x:g}", f"{a.analytic:.17g}", f"{a.autograd:.17g}", str(a.ulps),
                      f"{a.fd_error:.2e}", "pass" if a.gradcheck else "FAIL") for a in autograd]
    return [
        Table("Differentiation rules: analytic against central difference",
              ("rule", "function", "x", "analytic", "numerical", "|difference|", "tolerance", ""),
              rule_rows, right=(2, 3, 4, 5, 6, 7)),
        Table("Autograd (float64) against the analytic derivative",
              ("function", "x", "analytic", "autograd", "ULPs", "central diff. error", "gradcheck"),
              autograd_rows, right=(1, 2, 3, 4, 5, 6)),
    ] + _lesson_tables(counts, backprop, depth)


def _mark(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def _lesson_tables(counts: list, backprop: list, depth: list) -> list[Table]:
    tables = []
    if counts:
        tables.append(Table(
            "Calls of f per gradient, counted: forward n + 1, central 2n, autograd 1 forward + 1 backward",
            ("method", "n", "expected calls", "counted calls", "expected backward", "counted backward", ""),
            [(c.method, str(c.n), str(c.expected_evaluations), str(c.counted_evaluations),
              str(c.expected_backward_passes), str(c.counted_backward_passes), _mark(c.passed)) for c in counts],
            right=(1, 2, 3, 4, 5, 6)))
    if backprop:
        tables.append(Table(
            ".backward() through the recorded graph against the analytic derivative",
            ("function", "x", "nodes", "autograd", "analytic", "ULPs", "central diff. error", ""),
            [(b.function, f"{b.x0:g}", str(b.nodes), f"{b.autograd:.17g}", f"{b.analytic:.17g}", str(b.ulps),
              f"{b.central_error:.2e}", _mark(b.passed)) for b in backprop], right=(1, 2, 3, 4, 5, 6, 7)))
    if depth:
        tables.append(Table(
            "Vanishing gradient: the bound |g| s^(L-l+1) prod ||W_k|| at every layer (s = max slope)",
            ("activation", "seed", "width", "s", "layers within bound", "worst gradient / bound", ""),
            [(d.activation, str(d.seed), str(d.width), f"{d.max_slope:g}", f"{d.layers_within_bound}/{d.layers}",
              f"{d.worst_ratio:.3g}", _mark(d.passed)) for d in depth], right=(1, 2, 3, 4, 5, 6)))
    return tables


def check_json(rules: list, autograd: list, passed: bool, counts: list = (), backprop: list = (),
               depth: list = ()) -> dict[str, Any]:
    return {"rules": [dataclasses.asdict(r) for r in rules],
            "autograd": [dataclasses.asdict(a) for a in autograd],
            "evaluation_counts": [dataclasses.asdict(c) for c in counts],
            "backprop": [dataclasses.asdict(b) for b in backprop],
            "depth_bound": [dataclasses.asdict(d) for d in depth], "passed": passed}


BEST_MARK = "<- best"
"""The text mark of the best step, so it survives a pipe where colour does not."""


def sweep_table(result: Any, title: str) -> Table:
    """Each step of an error sweep, the best one marked in words as well as colour."""
    import numpy as np

    best = int(np.argmin(result.error))
    rows = [(f"{h:.3e}", f"{float(est):.17g}", f"{err:.3e}", f"{rel:.3e}", f"{model:.3e}",
             BEST_MARK if i == best else "")
            for i, (h, est, err, rel, model) in enumerate(zip(result.h, result.estimate, result.error,
                                                                 result.relative_error, result.model_error))]
    return Table(title, ("h", "estimate", "|error|", "relative", "model", ""), rows,
                 right=(0, 1, 2, 3, 4), marked=best)


def write_sweep_csv(result: Any, path: Path) -> None:
    """Every step at full precision, written whole or not at all."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RenderError(f"cannot write {path}: the folder {folder} does not exist.")
    with atomic_target(path) as tmp, open(tmp, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["h", "estimate", "error", "relative_error", "model_error", "at_floor"])
        for row in zip(result.h, result.estimate, result.error, result.relative_error,
                       result.model_error, result.at_floor):
            writer.writerow([repr(float(v)) for v in row[:5]] + [int(row[5])])


def doctor_table(checks: list) -> Table:
    """The system check: each item, what was found, and the fix for what is missing."""
    return Table("System check", ("", "what", "found", "fix"),
                 [("ok" if c.ok else "missing", c.name, c.detail, "" if c.ok else c.fix) for c in checks])


def sweep_summary(result: Any) -> str:
    """The line under the sweep: exact value, best step and the model's, or why there is no model."""
    model = (f"model's optimal h = {result.model_best_h:.3e}" if result.has_model
             else result.model_note.rstrip("."))
    return (f"exact f'(x0) = {result.exact:.17g}; best h = {result.best_h:.3e} (|error| {result.best_error:.3e}); "
            f"{model}; exact zeros drawn at {result.floor:g}")


def scenes_table() -> Table:
    """Every scene: short name, class, what it shows, and its parameters with their defaults."""
    from .specs import SCENES

    rows = [(s.name, s.class_name, s.summary,
             ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in s.defaults.items()) or "-") for s in SCENES.values()]
    return Table("Scenes", ("name", "class", "what it shows", "parameters (defaults)"), rows)


def lab_checks() -> tuple[list[Table], dict[str, Any]]:
    """Every check of the lab's facts (the rules, autograd, and the three lessons: calls of f per
    gradient, .backward() against the analytic derivative, the vanishing-gradient bound at every
    layer), as tables and as one JSON payload with ``passed``.
    """
    import mathcore

    rules, autograd = mathcore.verify_rules(), mathcore.check_autograd()
    lessons = {"counts": mathcore.check_evaluation_counts(), "backprop": mathcore.check_backprop(),
               "depth": mathcore.check_depth_bound()}
    passed = (all(r.passed for r in rules) and all(a.gradcheck for a in autograd)
              and all(row.passed for rows in lessons.values() for row in rows))
    return check_tables(rules, autograd, **lessons), check_json(rules, autograd, passed, **lessons)
