"""Layout helpers shared by the scenes: axis ranges, tick steps, clipping lines to a box.

Layout only: where to put things, never a number the viewer reads as a result.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np


def nice_step(span: float, ticks: int = 5) -> float:
    """A tick step of 1, 2 or 5 times a power of ten that gives about ``ticks`` ticks."""
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def nice_range(lo: float, hi: float, ticks: int = 5) -> tuple[float, float, float]:
    """(lo, hi, step) widened outward to whole steps."""
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    step = nice_step(hi - lo, ticks)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def finite_interval(f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, around: float,
                    samples: int = 400, bound: float = np.inf) -> tuple[float, float]:
    """The widest sub-interval of [lo, hi] around ``around`` where f is finite and |f| <= bound,
    so that a pole or a blow-up near the window does not set the scale of the plot."""
    xs = np.linspace(lo, hi, samples)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
        ok = np.isfinite(ys) & (np.abs(ys) <= bound)
    i = int(np.clip(np.searchsorted(xs, around), 0, samples - 1))
    a = i
    while a > 0 and ok[a - 1]:
        a -= 1
    b = i
    while b < samples - 1 and ok[b + 1]:
        b += 1
    return float(xs[a]), float(xs[b])


def clip_line(slope: float, intercept: float, x_range: tuple[float, float],
              y_range: tuple[float, float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two ends of y = slope x + intercept inside the box x_range × y_range."""
    x0, x1 = x_range
    if slope != 0:
        ya, yb = (y_range[0] - intercept) / slope, (y_range[1] - intercept) / slope
        x0, x1 = max(x0, min(ya, yb)), min(x1, max(ya, yb))
    if x0 > x1:  # the line misses the box: a degenerate segment at the nearest corner
        x1 = x0
    return (x0, slope * x0 + intercept), (x1, slope * x1 + intercept)
