"""Layout helpers shared by the scenes: axis ranges, tick steps, clipping lines to a box.

Layout only: where to put things, never a number the viewer reads as a result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

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
    so that a pole or a blow-up near the window does not set the scale of the plot.
    """
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
    x1 = max(x1, x0)  # x0 > x1: the line misses the box; a degenerate segment at the nearest corner
    return (x0, slope * x0 + intercept), (x1, slope * x1 + intercept)


Box = tuple[float, float, float, float]
"""(left, right, bottom, top)."""


def clip_segment(p: np.ndarray, q: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of segment pq inside ``box`` (Liang-Barsky), or None if it misses the box.

    Examples
    --------
    >>> a, b = clip_segment(np.array([-1.0, 0.5]), np.array([2.0, 0.5]), (0, 1, 0, 1))
    >>> a.tolist(), b.tolist()
    ([0.0, 0.5], [1.0, 0.5])
    """
    d = q - p
    t0, t1 = 0.0, 1.0
    for delta, start, lo, hi in ((d[0], p[0], box[0], box[1]), (d[1], p[1], box[2], box[3])):
        if delta == 0:
            if not lo <= start <= hi:
                return None
            continue
        with np.errstate(over="ignore"):  # a near-zero delta: an infinite t is still ordered right
            ta, tb = (lo - start) / delta, (hi - start) / delta
        t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
        if t0 > t1:
            return None
    return p + t0 * d, p + t1 * d


def clip_polyline(points: np.ndarray, box: Box) -> list[np.ndarray]:
    """The runs of a polyline inside ``box``, each ending exactly on the box's edge where the
    line leaves it; non-finite points break the line.

    Examples
    --------
    >>> runs = clip_polyline(np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 0.0]]), (0, 2, 0, 1))
    >>> [r.round(2).tolist() for r in runs]
    [[[0.0, 0.0], [0.5, 1.0]], [[1.5, 1.0], [2.0, 0.0]]]
    """
    runs: list[list[np.ndarray]] = []
    current: list[np.ndarray] = []
    for p, q in itertools.pairwise(points):
        piece = clip_segment(p, q, box) if np.all(np.isfinite(p)) and np.all(np.isfinite(q)) else None
        if piece is None:
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        a, b = piece
        if current and np.allclose(current[-1], a, rtol=0, atol=1e-12):
            current.append(b)
        else:
            if len(current) > 1:
                runs.append(current)
            current = [a, b]
        if not np.allclose(b, q, rtol=0, atol=1e-12):  # left the box: the run ends on its edge
            runs.append(current)
            current = []
    if len(current) > 1:
        runs.append(current)
    return [np.array(r) for r in runs]


def segment_lengths(points: np.ndarray) -> np.ndarray:
    """The length of each straight segment of a polyline (n points, n - 1 lengths).

    >>> segment_lengths(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])).tolist()
    [5.0, 1.0]
    """
    return np.linalg.norm(np.diff(np.asarray(points, dtype=float), axis=0), axis=1)


def dash_pieces(points: np.ndarray, count: int, ratio: float) -> list[np.ndarray]:
    """A polyline cut into ``count`` dashes of equal length that together cover ``ratio`` of it,
    with equal gaps between them: the first dash starts at the first point and the last ends at
    the last (a lone dash covers the start), as Manim's DashedVMobject spaces them; a dash follows
    the line round its corners.

    Examples
    --------
    >>> pieces = dash_pieces(np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0]]), 3, 0.75)
    >>> [p.tolist() for p in pieces]
    [[[0.0, 0.0], [2.0, 0.0]], [[3.0, 0.0], [4.0, 0.0], [4.0, 1.0]], [[4.0, 2.0], [4.0, 4.0]]]
    """
    points = np.asarray(points, dtype=float)
    lengths = segment_lengths(points)
    points = points[np.concatenate([[True], lengths > 0])]  # repeated points would stall the arc length
    if len(points) < 2:
        return []
    along = np.concatenate([[0.0], np.cumsum(lengths[lengths > 0])])
    dash = ratio * along[-1] / count
    gap = (1 - ratio) * along[-1] / max(count - 1, 1)
    pieces = []
    for start in np.arange(count) * (dash + gap):
        end = min(start + dash, along[-1])
        inner = np.flatnonzero((along > start) & (along < end))
        ends = np.array([[np.interp(t, along, points[:, axis]) for axis in range(points.shape[1])]
                         for t in (start, end)])
        pieces.append(np.vstack([ends[:1], points[inner], ends[1:]]))
    return pieces


def line_through_box(p: np.ndarray, direction: np.ndarray, box: Box) -> tuple[np.ndarray, np.ndarray] | None:
    """The chord of the line through ``p`` along ``direction`` that lies inside ``box``.

    Examples
    --------
    >>> a, b = line_through_box(np.array([0.5, 0.5]), np.array([1.0, 1.0]), (0, 1, 0, 1))
    >>> a.tolist(), b.tolist()
    ([0.0, 0.0], [1.0, 1.0])
    """
    norm = float(np.hypot(*direction))
    if not norm or not np.isfinite(norm):
        return None
    reach = 2 * (abs(box[1] - box[0]) + abs(box[3] - box[2]) + abs(p[0]) + abs(p[1]))
    unit = direction / norm
    return clip_segment(p - reach * unit, p + reach * unit, box)


@dataclass(frozen=True)
class Ticks:
    """Tick marks of one axis and the TeX of their labels.

    ``lo``/``hi`` bound the axis, ``values`` are the ticks. ``labels`` are short: plain
    numbers; numbers scaled by a common power of ten written once in ``note`` (as matplotlib
    does); or, when the ticks differ only far past their leading digits (x near 10^6 with a
    step of 1), offsets from ``origin``, whose tick is labelled ``origin_name``.
    """

    lo: float
    hi: float
    step: float
    values: tuple[float, ...]
    labels: tuple[str, ...]
    note: str | None = None


def _decimals(step: float) -> int:
    return 0 if step >= 1 else math.ceil(-math.log10(step) - 1e-9)


def _plain(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text


def ticks(lo: float, hi: float, count: int = 5, origin: float | None = None,
          origin_name: str = "x_0") -> Ticks:
    r"""Ticks covering [lo, hi] at a step of 1, 2 or 5 times a power of ten, with short labels.

    Examples
    --------
    >>> ticks(0.3, 2.6).labels
    ('0', '0.5', '1.0', '1.5', '2.0', '2.5', '3.0')
    >>> t = ticks(0, 1.3e5); t.labels[:3], t.note
    (('0', '0.5', '1.0'), '\\times10^{5}')
    >>> ticks(1e6 - 1, 1e6 + 1.6, origin=1e6).labels
    ('x_0-1', 'x_0', 'x_0+1', 'x_0+2')
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"an axis needs finite ends; got {lo!r} and {hi!r}.")
    if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
        pad = max(abs(lo) * 1e-6, 1.0) if lo == hi else hi - lo
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, count)
    if origin is not None and abs(origin) / step >= 1e4:  # offsets from origin, ticks through it
        first, last = math.floor((lo - origin) / step), math.ceil((hi - origin) / step)
        values = tuple(origin + k * step for k in range(first, last + 1))
        offsets = [k * step for k in range(first, last + 1)]
        inner = ticks_labels(offsets, step)
        labels = tuple(origin_name if k == 0 else f"{origin_name}{'+' if off > 0 else ''}{text}"
                       for k, off, text in zip(range(first, last + 1), offsets, inner[0]))
        return Ticks(values[0], values[-1], step, values, labels, inner[1])
    first, last = math.floor(lo / step), math.ceil(hi / step)
    values = tuple(k * step for k in range(first, last + 1))
    labels, note = ticks_labels(list(values), step)
    return Ticks(values[0], values[-1], step, values, labels, note)


def ticks_labels(values: list[float], step: float) -> tuple[tuple[str, ...], str | None]:
    r"""Labels for evenly spaced ``values``: plain, or scaled by a power of ten given in the note.

    Examples
    --------
    >>> ticks_labels([0.0, 2e-4, 4e-4], 2e-4)
    (('0', '2', '4'), '\\times10^{-4}')
    """
    biggest = max(abs(v) for v in values)
    if step >= 1e-2 and biggest < 1e4:
        return tuple(_plain(v, _decimals(step)) for v in values), None
    exponent = math.floor(math.log10(biggest if biggest >= 1e4 else step))
    scale = 10.0**exponent
    return tuple(_plain(v / scale, _decimals(step / scale)) for v in values), rf"\times10^{{{exponent}}}"
