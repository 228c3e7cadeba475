"""Analytic derivatives and PyTorch autograd, both measured against a 50-digit truth.

The only module that runs torch. Each catalog function's f' is computed three ways at each of
its points: by the hand-written float64 formula ("analytic"), by torch's ``.backward()`` in
float64 ("autograd"), and by mpmath at 50 significant digits from the formula for f alone
(``mpmath.diff``: independent of both). Both float64 values are then reported in ULPs from that
truth, so the rounding of the analytic formula is no longer charged to autograd.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from .catalog import CATALOG, CatalogFunction
from .differences import central_difference
from .elementary import backend
from .rules import _checked, principled_step

TRUTH_DIGITS = 50
"""Significant digits of the mpmath truth."""


@dataclass(frozen=True)
class AutogradCheck:
    """One point: the analytic f'(x) and torch's autograd, each against the mpmath truth.

    ``analytic_ulps`` and ``autograd_ulps`` are |value - truth| in units of the float64 spacing
    at the truth (fractional: 0.5 means correctly rounded). ``ulps`` is the older measure,
    the whole number of doubles between analytic and autograd. ``finite_difference`` is a
    central difference at ``principled_step(x)`` and ``fd_error`` its distance from the truth.
    """

    function: str
    latex: str
    x: float
    truth: float
    analytic: float
    autograd: float
    analytic_ulps: float
    autograd_ulps: float
    ulps: int
    finite_difference: float
    fd_error: float
    gradcheck: bool


@dataclass(frozen=True)
class AutogradSummary:
    """One function over all its points: the worst ULP error of each method, and where."""

    function: str
    latex: str
    points: tuple[float, ...]
    analytic_ulps: float
    autograd_ulps: float
    worst_analytic_x: float
    worst_autograd_x: float
    gradcheck: bool


def ulp_distance(a: float, b: float) -> int:
    """How many float64 values lie between a and b (0 when equal, 1 for neighbours).

    Examples
    --------
    >>> ulp_distance(1.0, float(np.nextafter(1.0, 2.0)))
    1
    >>> ulp_distance(-0.0, 0.0)
    0
    """
    def ordered(v: float) -> int:
        i = int(np.array(v, dtype=np.float64).view(np.int64))
        return i if i >= 0 else -(i & 0x7FFFFFFFFFFFFFFF)

    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"ulp_distance needs finite values; got {a!r} and {b!r}.")
    return abs(ordered(a) - ordered(b))


def ulp_error(value: float, truth: Any) -> float:
    r"""How far a float64 value lies from an exact truth, in ULPs of the truth.

    .. math:: \frac{|v - t|}{\operatorname{spacing}(|t|)}

    computed in mpmath, so the truth's digits beyond float64 count: a correctly rounded value
    is at most 0.5 away. ``truth`` is an mpmath number, a decimal string or a float.

    Examples
    --------
    >>> round(ulp_error(0.1, "0.1"), 3)  # the double nearest 0.1 is 0.4 ULP above it
    0.4
    """
    import mpmath

    with mpmath.workdps(TRUTH_DIGITS):
        exact = mpmath.mpf(truth)
        if not (np.isfinite(value) and mpmath.isfinite(exact)):
            raise ValueError(f"ulp_error needs finite numbers; got {value!r} and {_short(truth)}.")
        unit = float(np.spacing(abs(float(exact)))) or float(np.finfo(np.float64).smallest_subnormal)
        return float(abs(mpmath.mpf(value) - exact) / unit)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _truth(fn: CatalogFunction, x: float) -> Any:
    """f'(x) to TRUTH_DIGITS digits, by mpmath's differentiation of the formula for f."""
    import mpmath

    m = backend("mpmath")
    with mpmath.workdps(TRUTH_DIGITS):
        return +mpmath.diff(lambda t: fn.formula(t, m), mpmath.mpf(x))


def check_autograd(functions: Iterable[CatalogFunction] | None = None) -> list[AutogradCheck]:
    """For each catalog function and point: analytic f' and autograd against a 50-digit truth.

    autograd applies each operation's exact derivative rule in float64, so it lands within a
    few ULPs of the truth; so does the hand-written formula, unless it cancels (1 - tanh^2 x).
    The central difference carries an error near 1e-10. ``torch.autograd.gradcheck`` is run
    once per function over its points.

    Examples
    --------
    >>> rows = check_autograd([CATALOG["x^3"]])
    >>> max(r.autograd_ulps for r in rows) <= 2, all(r.gradcheck for r in rows)
    (True, True)
    """
    import torch

    chosen = list(CATALOG.values()) if functions is None else _checked(functions)
    rows = []
    for fn in chosen:
        points = torch.tensor(fn.points, dtype=torch.float64, requires_grad=True)
        passed = bool(torch.autograd.gradcheck(fn.f_torch, (points,), raise_exception=False))
        for x in fn.points:
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            fn.f_torch(t).backward()
            autograd = float(t.grad)
            analytic = float(fn.df(x))
            truth = _truth(fn, x)
            fd = float(central_difference(fn.f, x, principled_step(x)))
            rows.append(AutogradCheck(
                function=fn.name, latex=fn.latex, x=float(x), truth=float(truth), analytic=analytic,
                autograd=autograd, analytic_ulps=ulp_error(analytic, truth),
                autograd_ulps=ulp_error(autograd, truth), ulps=ulp_distance(analytic, autograd),
                finite_difference=fd, fd_error=float(abs(fd - truth)), gradcheck=passed,
            ))
    return rows


def summarise_autograd(rows: Iterable[AutogradCheck]) -> list[AutogradSummary]:
    """One summary per function, in order of appearance: the worst ULPs over its points.

    Examples
    --------
    >>> [s.points for s in summarise_autograd(check_autograd([CATALOG["tanh(x)"]]))]
    [(-1.5, -0.5, 0.2, 0.7, 1.5)]
    """
    grouped: dict[str, list[AutogradCheck]] = {}
    for row in rows:
        if not isinstance(row, AutogradCheck):
            raise ValueError(f"each row must be an AutogradCheck; got {type(row).__name__}.")
        grouped.setdefault(row.function, []).append(row)
    out = []
    for name, group in grouped.items():
        worst_analytic = max(group, key=lambda r: r.analytic_ulps)
        worst_autograd = max(group, key=lambda r: r.autograd_ulps)
        out.append(AutogradSummary(
            function=name, latex=group[0].latex, points=tuple(r.x for r in group),
            analytic_ulps=worst_analytic.analytic_ulps, autograd_ulps=worst_autograd.autograd_ulps,
            worst_analytic_x=worst_analytic.x, worst_autograd_x=worst_autograd.x,
            gradcheck=all(r.gradcheck for r in group),
        ))
    return out
