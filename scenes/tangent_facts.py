"""What the tangent scene needs to know about f near x0 before it draws: the kind of point
(from mathcore's classification), where f must not be joined up (poles, jumps), the step h it
starts and ends with, and the data window of the plot. Layout arithmetic only; every value the
viewer reads still comes from mathcore in the scene.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

DRAWABLE = ("smooth", "kink")
"""Kinds of point the scene can teach from: a tangent, or two one-sided slopes."""


@dataclass(frozen=True)
class PlotWindow:
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float
    cuts: tuple[float, ...]
    """Where the curve is broken: poles, jumps and holes of f in the window."""
    h_start: float
    h_end: float


def point_facts(fn: Any, x0: float) -> Any:
    """Mathcore's classification of x0 (smooth, kink, pole, ...), refusing what cannot be drawn.

    Uses ``ParsedFunction.classify_point``; a mathcore without it (before the parser learnt
    about singular points) is read as: smooth wherever f' is finite.

    Examples
    --------
    >>> import mathcore
    >>> point_facts(mathcore.parse_function("abs(x)"), 0.0).kind
    'kink'
    """
    classify = getattr(fn, "classify_point", None)
    if classify is not None:
        point = classify(x0)
    else:
        slope = float(fn.df(np.float64(x0)))
        kind = "smooth" if math.isfinite(slope) else "pole"
        point = SimpleNamespace(kind=kind, left_derivative=slope, right_derivative=slope,
                                reason=f"f'(x0) is not finite at x0 = {x0:g}.")
    if point.kind not in DRAWABLE:
        raise ValueError(point.reason)
    return point


def cuts_in(fn: Any, a: float, b: float) -> tuple[float, ...]:
    """Singular points of f in [a, b] from mathcore; without that API, sign flips through
    infinity and gaps in the domain, found on a grid. Kinks do not break a curve.

    Examples
    --------
    >>> import mathcore
    >>> [round(c, 6) for c in cuts_in(mathcore.parse_function("tan(x)"), 0.0, 3.0)]
    [1.570796]
    """
    find = getattr(fn, "singular_points", None)
    if find is not None:  # a kink is continuous: the curve goes through it unbroken
        return tuple(float(s.x) for s in find(a, b) if s.kind != "kink")
    xs = np.linspace(a, b, 4001)
    with np.errstate(all="ignore"):
        ys = np.asarray(fn.f(xs), dtype=float)
    finite = np.isfinite(ys)
    big = np.nanpercentile(np.abs(ys[finite]), 90) if finite.any() else 1.0
    jumps = (np.abs(np.diff(ys)) > 20 * max(big, 1e-300)) | (finite[:-1] != finite[1:])
    return tuple(float((xs[i] + xs[i + 1]) / 2) for i in np.nonzero(jumps)[0])


def plot_window(fn: Any, x0: float, h_min: float, h_max: float, both_sides: bool = False) -> PlotWindow:
    """The plot's window and the step range, so that the secant is readable.

    The step starts at ``h_max``, or at half the distance to the nearest singular point if that
    is closer (a secant across a pole means nothing). The y window holds f over the secant's
    stencil and the rest of the curve only within a band of twice that height around it, so a
    pole nearby clips the curve instead of flattening the picture.

    Examples
    --------
    >>> import mathcore
    >>> w = plot_window(mathcore.parse_function("tan(x)"), 1.0, 1e-3, 1.0)
    >>> round(w.h_start, 6), w.y_hi < 50  # half way to pi/2, and y clipped near the secant
    (0.285398, True)
    """
    reach = max(1.0, h_max)
    near = cuts_in(fn, x0 - 1.3 * reach, x0 + 1.6 * reach)
    gaps = [c - x0 for c in near if c > x0] + ([x0 - c for c in near if c < x0] if both_sides else [])
    h_start = min([h_max] + [0.5 * g for g in gaps if g > 0])
    h_end = min(h_min, h_start / 10)
    width = max(1.0, h_start)
    x_lo, x_hi = (x0 - 1.3 * width, x0 + 1.3 * width) if both_sides else (x0 - width, x0 + 1.6 * width)
    cuts = tuple(c for c in near if x_lo <= c <= x_hi)
    stencil = np.linspace(x0 - (h_start if both_sides else 0), x0 + h_start, 65)
    with np.errstate(all="ignore"):
        core = np.asarray(fn.f(stencil), dtype=float)
        core = core[np.isfinite(core)]
        lo, hi = float(np.min(core)), float(np.max(core))
        span = max(hi - lo, 1e-9 * max(abs(lo), abs(hi)), 1e-300)
        xs = np.linspace(x_lo, x_hi, 800)
        ys = np.asarray(fn.f(xs), dtype=float)
    inside = ys[np.isfinite(ys) & (ys >= lo - 2 * span) & (ys <= hi + 2 * span)]
    y_lo, y_hi = min(lo, float(np.min(inside, initial=lo))), max(hi, float(np.max(inside, initial=hi)))
    if 0 < y_lo <= 0.3 * (y_hi - y_lo):  # the x axis is close: show it
        y_lo = 0.0
    elif -0.3 * (y_hi - y_lo) <= y_hi < 0:
        y_hi = 0.0
    return PlotWindow(x_lo, x_hi, y_lo, y_hi, cuts, h_start, h_end)
