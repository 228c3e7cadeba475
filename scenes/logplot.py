"""Log-log axes over whole decades, polylines on them, dashed model lines, and a legend whose
swatches are drawn exactly as the lines they stand for.

Positions come from the axes (``LogLogAxes.c2p``, i.e. ``Axes.c2p`` of the decimal
logarithms); nothing leaves the axes: points outside them are dropped before a line is made.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Axes,
    Dot,
    Line,
    MathTex,
    NumberLine,
    VGroup,
    VMobject,
)

from scenes.framing import power_of_ten
from scenes.layout import segment_lengths
from scenes.pieces import dashed_polyline

DASH_LENGTH = 0.12
"""One dash (and one gap) of a model line, in scene units at a frame 8 high."""


@dataclass(frozen=True)
class LineStyle:
    """How one series is drawn: colour, width, dashed or not, and its layer (higher on top)."""

    color: str
    width: float
    dashed: bool = False
    z: int = 0


def polyline(points: np.ndarray, style: LineStyle, unit: float = 1.0) -> VMobject:
    """A polyline through ``points`` (n x 3) in ``style``; dashed lines keep DASH_LENGTH dashes."""
    if style.dashed:
        length = float(segment_lengths(points).sum())
        line = dashed_polyline(points, max(1, round(length / (2 * DASH_LENGTH * unit))), 0.5, style.color, style.width)
    else:
        line = VMobject(stroke_color=style.color, stroke_width=style.width).set_points_as_corners(points)
    line.set_z_index(style.z)
    return line


def swatch(style: LineStyle, unit: float = 1.0) -> VMobject:
    """A legend swatch: three dash periods long, drawn as the line it stands for."""
    length = 6 * DASH_LENGTH * unit
    return polyline(np.array([[0, 0, 0], [length, 0, 0]], dtype=float), style, unit)


def legend_rows(entries: Sequence[tuple[str, LineStyle]], text_color: str, font_size: float,
                unit: float = 1.0) -> VGroup:
    """One row per entry: its swatch, then its label as TeX text."""
    rows = VGroup()
    for label, style in entries:
        mark = swatch(style, unit)
        text = MathTex(rf"\text{{{label}}}", font_size=font_size, color=text_color)
        rows.add(VGroup(mark, text.next_to(mark, RIGHT, buff=0.2 * unit)))
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.16 * unit)
    return rows


def label_step(decades: int, length: float, label_width: float) -> int:
    """Decades between labelled ticks: 1, 2 or 4 times a power of two, so labels do not touch.

    Examples
    --------
    >>> label_step(16, 7.0, 1.0), label_step(4, 7.0, 1.0)
    (4, 1)
    """
    step = 1
    while decades / step * (label_width * 1.35) > length and step < decades:
        step *= 2
    return step


class LogLogAxes(VGroup):
    """Axes over the decades [x_lo, x_hi] x [y_lo, y_hi] with labels 10^k on whole multiples of
    a step; the lowest y row, ``floor``, is labelled 0 and cut from the rest by a break mark.
    """

    def __init__(self, x_range: tuple[int, int], y_range: tuple[int, int], width: float, height: float,
                 color: str, label_color: str, font_size: float, unit: float = 1.0,
                 floor: int | None = None) -> None:
        super().__init__()
        self.x_range, self.y_range, self.floor = x_range, y_range, floor
        # the axes run over decades counted from the lower-left corner, so that they cross there
        self.axes = Axes(x_range=[0, x_range[1] - x_range[0], 1], y_range=[0, y_range[1] - y_range[0], 1],
                         x_length=width, y_length=height, tips=False,
                         axis_config={"color": color, "include_numbers": False, "stroke_width": 2.5 * unit,
                                      "tick_size": 0.07 * unit})
        self.add(self.axes)
        sample = power_of_ten(-14, font_size, label_color)
        self.x_labels = VGroup()
        x_step = label_step(x_range[1] - x_range[0], width, sample.width)
        for k in range(x_range[0], x_range[1] + 1):
            if k % x_step == 0:
                self.x_labels.add(power_of_ten(k, font_size, label_color)
                                  .next_to(self.c2p(k, y_range[0]), DOWN, buff=0.18 * unit))
        self.y_labels = VGroup()
        rows = y_range[1] - y_range[0] - (1 if floor is not None else 0)
        y_step = label_step(rows, height, sample.height * 1.1)
        for k in range(y_range[0], y_range[1] + 1):
            if k == floor:
                label = MathTex("0", font_size=font_size, color=label_color)
            elif k % y_step == 0 and (floor is None or k > floor + 1):
                label = power_of_ten(k, font_size, label_color)
            else:
                continue
            self.y_labels.add(label.next_to(self.c2p(x_range[0], k), LEFT, buff=0.15 * unit))
        self.add(self.x_labels, self.y_labels)
        if floor is not None:
            self.add(self.break_mark(color, unit))

    def break_mark(self, color: str, unit: float) -> VGroup:
        """Two short slanted strokes across the y axis between the floor row and the next."""
        y = (self.c2p(0, self.floor)[1] + self.c2p(0, self.floor + 1)[1]) / 2
        x = self.c2p(self.x_range[0], 0)[0]
        strokes = VGroup(*[
            Line([x - 0.12 * unit, y + dy - 0.05 * unit, 0], [x + 0.12 * unit, y + dy + 0.05 * unit, 0],
                 color=color, stroke_width=2.5 * unit)
            for dy in (-0.05 * unit, 0.05 * unit)
        ])
        return strokes

    def c2p(self, x_decade: float | np.ndarray, y_decade: float | np.ndarray) -> np.ndarray:
        """The scene point of (10^x_decade, 10^y_decade)."""
        return self.axes.c2p(np.asarray(x_decade) - self.x_range[0], np.asarray(y_decade) - self.y_range[0])

    def position(self, h: float, value: float) -> np.ndarray:
        return self.c2p(math.log10(h), math.log10(value))

    def positions(self, h: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Scene points of (h, value) pairs, n x 3."""
        xs = np.log10(np.asarray(h, dtype=np.float64))
        ys = np.log10(np.asarray(values, dtype=np.float64))
        return np.asarray(self.c2p(xs, ys)).T.reshape(-1, 3)

    def inside(self, h: np.ndarray, values: np.ndarray) -> np.ndarray:
        """True where (h, value) lies on the axes: finite, positive, within both ranges."""
        h = np.asarray(h, dtype=np.float64)
        values = np.asarray(values, dtype=np.float64)
        with np.errstate(all="ignore"):
            ok = np.isfinite(values) & (values > 0) & np.isfinite(h) & (h > 0)
            lx, ly = np.log10(np.where(ok, h, 1.0)), np.log10(np.where(ok, values, 1.0))
        eps = 1e-9
        return (ok & (lx >= self.x_range[0] - eps) & (lx <= self.x_range[1] + eps)
                & (ly >= self.y_range[0] - eps) & (ly <= self.y_range[1] + eps))

    def line(self, h: np.ndarray, values: np.ndarray, style: LineStyle, unit: float = 1.0) -> VMobject | None:
        """The longest run of (h, value) inside the axes as a polyline, or None if under 2 points."""
        ok = self.inside(h, values)
        runs = np.split(np.arange(len(ok)), np.flatnonzero(np.diff(ok.astype(np.int8))) + 1)
        runs = [r for r in runs if ok[r[0]]]
        if not runs:
            return None
        run = max(runs, key=len)
        if len(run) < 2:
            return None
        return polyline(self.positions(np.asarray(h)[run], np.asarray(values)[run]), style, unit)

    def series(self, h: np.ndarray, values: np.ndarray, at_floor: np.ndarray, style: LineStyle,
               unit: float = 1.0) -> VGroup:
        """A measured series: runs of exact zeros (drawn on the floor row) are not joined to their
        neighbours, so a zero reads as a zero and not as a spike; a lone point is a dot.
        """
        points = self.positions(h, values)
        group = VGroup()
        cuts = np.flatnonzero(np.diff(np.asarray(at_floor).astype(np.int8))) + 1
        for chunk in np.split(np.arange(len(points)), cuts):
            if len(chunk) == 1:
                group.add(Dot(points[chunk[0]], radius=0.035 * unit, color=style.color).set_z_index(style.z))
            else:
                group.add(polyline(points[chunk], style, unit))
        return group

    def vertical(self, h: float, style: LineStyle, unit: float = 1.0) -> VMobject:
        """A vertical line at step h across the whole y range."""
        x = math.log10(h)
        pts = np.array([self.c2p(x, self.y_range[0]), self.c2p(x, self.y_range[1])])
        return polyline(pts, style, unit)


class LogNumberLine(VGroup):
    """A horizontal axis over the decades [lo, hi], labelled 10^k every ``step`` decades, with a
    column one decade below ``lo`` for exact zeros: labelled 0 and cut off by a break mark.
    """

    def __init__(self, lo: int, hi: int, length: float, color: str, font_size: float, unit: float = 1.0,
                 step: int | None = None) -> None:
        super().__init__()
        self.lo, self.hi = lo, hi
        self.floor = lo - 1
        self.line = NumberLine(x_range=[self.floor, hi, 1], length=length, color=color, include_tip=False,
                               stroke_width=2.5 * unit, tick_size=0.07 * unit)
        self.add(self.line)
        sample = power_of_ten(-14, font_size, color)
        step = step or label_step(hi - lo, length * (hi - lo) / (hi - self.floor), sample.width)
        self.labels = VGroup(MathTex("0", font_size=font_size, color=color))
        self.labels.add(*[power_of_ten(k, font_size, color) for k in range(lo, hi + 1) if k % step == 0])
        values = [self.floor] + [k for k in range(lo, hi + 1) if k % step == 0]
        for label, k in zip(self.labels, values):
            label.next_to(self.line.n2p(k), DOWN, buff=0.15 * unit)
        self.add(self.labels)
        x = (self.line.n2p(self.floor)[0] + self.line.n2p(lo)[0]) / 2
        y = self.line.n2p(lo)[1]
        self.add(VGroup(*[
            Line([x + dx - 0.05 * unit, y - 0.12 * unit, 0], [x + dx + 0.05 * unit, y + 0.12 * unit, 0],
                 color=color, stroke_width=2.5 * unit)
            for dx in (-0.05 * unit, 0.05 * unit)
        ]))

    def x_of(self, value: float) -> float:
        """The scene x of a value: exact zero in the floor column, tiny values clamped to lo."""
        if value <= 0:
            return float(self.line.n2p(self.floor)[0])
        decade = min(max(math.log10(value), self.lo), self.hi)
        return float(self.line.n2p(decade)[0])
