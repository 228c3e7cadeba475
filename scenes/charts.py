"""Charts for the lesson scenes: axes over powers of ten with typeset tick labels, and numbers
typeset (or captioned) for their magnitude.

Layout only: every value drawn comes from the scene's data (mathcore). Sizes are the theme's
constants from ``scenes.style``; colours are passed in by the scene.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, Line, MathTex, VGroup, VMobject

from scenes.layout import segment_lengths
from scenes.pieces import SUPERSCRIPT, dashed_polyline
from scenes.style import SMALL_SIZE


def digits_tex(value: float, digits: int = 5) -> str:
    r"""LaTeX for ``value`` with ``digits`` significant digits: plain decimals for
    :math:`10^{-4} \le |v| < 10^{6}`, else :math:`m \times 10^{e}`. ``digits=17`` (or more)
    gives the shortest decimal that reads back as the same float64: every bit of it.

    >>> digits_tex(-0.6281736227227391), digits_tex(3.0), digits_tex(1.2e-11, 2)
    ('-0.62817', '3', '1.2\\times10^{-11}')
    >>> digits_tex(-1.8845208681682175, 17), digits_tex(5.184705528587072e21, 17)
    ('-1.8845208681682175', '5.184705528587072\\times10^{21}')
    >>> digits_tex(1e-5), digits_tex(2.3538526683702e17, 3)  # no "1." left by the rounding
    ('1\\times10^{-5}', '2.35\\times10^{17}')
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return r"\text{NaN}" if math.isnan(value) else ("-" if value < 0 else "") + r"\infty"
    exact = digits >= 17
    if 1e-4 <= abs(value) < 1e6:
        if exact:
            return np.format_float_positional(value, unique=True, trim="-")
        return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    mantissa, exponent = _scientific(value, None if exact else digits)
    return rf"{mantissa}\times10^{{{exponent}}}"


def _scientific(value: float, digits: int | None) -> tuple[str, int]:
    """Mantissa and exponent of ``value`` to ``digits`` significant digits (None: every bit).

    NumPy trims the zeros of a rounded mantissa but keeps its point (``1.e-05``); here the point
    goes too (``1``).

    >>> _scientific(1e-5, 5), _scientific(-2.5e-7, 2), _scientific(1e-5, None)
    (('1', -5), ('-2.5', -7), ('1', -5))
    """
    if digits is None:
        text = np.format_float_scientific(value, unique=True, trim="-")
    else:
        text = np.format_float_scientific(value, precision=digits - 1, unique=False, trim="-")
    mantissa, exponent = text.split("e")
    return mantissa.rstrip("."), int(exponent)




def caption_number(value: float, digits: int = 2) -> str:
    """A number for a caption (plain text, no LaTeX): ``0.25``, ``7.7 × 10⁻¹⁸``, ``21``.

    >>> caption_number(7.7e-18), caption_number(0.25), caption_number(2.0e6), caption_number(1e-5)
    ('7.7 × 10⁻¹⁸', '0.25', '2 × 10⁶', '1 × 10⁻⁵')
    """
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-3 <= abs(value) < 1e5:
        return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    mantissa, exponent = _scientific(value, digits)
    return f"{mantissa} × 10{str(exponent).translate(SUPERSCRIPT)}"


def power_tex(exponent: int) -> str:
    """The tick label of 10^exponent: 1 and 10 plainly, the rest as powers.

    >>> power_tex(0), power_tex(1), power_tex(-3)
    ('1', '10', '10^{-3}')
    """
    return {0: "1", 1: "10"}.get(exponent, f"10^{{{exponent}}}")


def label_step(span: float, length: float, room: float) -> int:
    """Every how many units to label an axis ``span`` units long drawn ``length`` frame units
    long, so that labels are at least ``room`` apart: 1, 2, 3, 5, 10, 20, 30, 50, ...

    >>> label_step(20, 5.0, 0.6), label_step(10, 2.1, 0.53), label_step(6, 6.0, 0.6)
    (3, 3, 1)
    """
    per_unit = length / max(span, 1e-9)
    power = 1
    while True:
        for m in (1, 2, 3, 5):
            if m * power * per_unit >= room:
                return m * power
        power *= 10


class Chart(VGroup):
    """Axes whose y is log10 of the value (and x too, when ``x_log``), with typeset tick labels.

    ``x_range`` and ``y_range`` are in axis units: exponents on a log axis, values on a linear
    one. Tick labels are spaced so that they never touch; grid lines sit at the labelled ticks.
    """

    def __init__(self, x_range: tuple[float, float], y_range: tuple[int, int], width: float, height: float,
                 axis_color: str, grid_color: str, x_log: bool = True, x_step: float | None = None,
                 font_size: float = SMALL_SIZE) -> None:
        super().__init__()
        self.x_log = x_log
        self.x_range, self.y_range = x_range, y_range
        # the axes count from the chart's corner, so that they are drawn along its left and bottom
        # edges wherever zero falls; ``c2p`` takes the chart's own coordinates
        self.ax = Axes(x_range=[0, x_range[1] - x_range[0], 1], y_range=[0, y_range[1] - y_range[0], 1],
                       x_length=width, y_length=height, tips=False,
                       axis_config={"color": axis_color, "include_ticks": False, "stroke_width": 2})
        sample = MathTex(power_tex(-10), font_size=font_size)
        y_every = label_step(y_range[1] - y_range[0], height, 1.75 * sample.height)
        if x_log:
            x_every = label_step(x_range[1] - x_range[0], width, 1.4 * sample.width)
            x_ticks = [k for k in range(math.ceil(x_range[0]), math.floor(x_range[1]) + 1) if k % x_every == 0]
        else:
            step = x_step or 1
            x_ticks = list(np.arange(math.ceil(x_range[0] / step) * step, x_range[1] + 1e-9, step))
        y_ticks = [k for k in range(y_range[0], y_range[1] + 1) if k % y_every == 0]
        self.grid = VGroup(*[Line(self.c2p(x_range[0], k), self.c2p(x_range[1], k), color=grid_color,
                                  stroke_width=1.5) for k in y_ticks if k != y_range[0]])
        ticks = VGroup()
        for k in y_ticks:
            ticks.add(Line(self.c2p(x_range[0], k), self.c2p(x_range[0], k) + LEFT * 0.08,
                           color=axis_color, stroke_width=2))
        for x in x_ticks:
            ticks.add(Line(self.c2p(x, y_range[0]), self.c2p(x, y_range[0]) + DOWN * 0.08,
                           color=axis_color, stroke_width=2))
        self.y_labels = VGroup(*[MathTex(power_tex(k), font_size=font_size, color=axis_color)
                                 .next_to(self.c2p(x_range[0], k), LEFT, buff=0.16) for k in y_ticks])
        self.x_labels = VGroup(*[MathTex(power_tex(int(x)) if x_log else f"{x:g}", font_size=font_size,
                                         color=axis_color).next_to(self.c2p(x, y_range[0]), DOWN, buff=0.16)
                                 for x in x_ticks])
        self.add(self.grid, self.ax, ticks, self.y_labels, self.x_labels)

    def c2p(self, x: float, y: float) -> np.ndarray:
        """The frame point of axis coordinates (x, y): exponents on a log axis, values on a linear one."""
        return self.ax.c2p(x - self.x_range[0], y - self.y_range[0])

    def point(self, x: float, y: float) -> np.ndarray:
        """The frame point of the value (x, y); y > 0 (and x > 0 on a log x axis)."""
        return self.c2p(math.log10(x) if self.x_log else x, math.log10(y))

    def clipped_point(self, x: float, y: float) -> np.ndarray:
        """Like ``point``, with y held inside the chart (zero or tiny at the floor, huge at the top)."""
        low, high = self.y_range
        exponent = math.log10(y) if y > 0 else low
        return self.c2p(math.log10(x) if self.x_log else x, min(max(exponent, low), high))

    def polyline(self, xs: Sequence[float], ys: Sequence[float], color: str, dashed: bool = False,
                 stroke_width: float = 5) -> VMobject:
        """The values joined by straight segments (straight on these axes), dashed if asked; a
        single value is a dot.
        """
        points = [self.clipped_point(x, y) for x, y in zip(xs, ys)]
        if len(points) == 1:
            return Dot(points[0], color=color, radius=0.07)
        if dashed:
            length = float(segment_lengths(points).sum())
            return dashed_polyline(np.array(points), max(int(length / 0.18), 2), 0.55, color, stroke_width)
        return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(points)

    def top_exponent_reached(self, y: float) -> bool:
        """Whether ``y`` lies above the chart's top."""
        return y > 0 and math.log10(y) > self.y_range[1]

    def free_corner(self, mob: VMobject, curves: Sequence[VMobject], margin: float = 0.2) -> VMobject:
        """Put ``mob`` in the first corner of the plotting area (top left, bottom right, top
        right, bottom left) where no curve passes, or top left if every corner is taken.
        """
        ax = self.ax
        corners = ((ax.get_corner(UP + LEFT), UP + LEFT), (ax.get_corner(DOWN + RIGHT), DOWN + RIGHT),
                   (ax.get_corner(UP + RIGHT), UP + RIGHT), (ax.get_corner(DOWN + LEFT), DOWN + LEFT))
        points = np.concatenate([_samples(c) for c in curves]) if curves else np.zeros((0, 3))
        for corner, direction in corners:
            mob.move_to(corner - direction * margin, aligned_edge=direction)
            low, high = mob.get_corner(DOWN + LEFT) - 0.1, mob.get_corner(UP + RIGHT) + 0.1
            inside = (points[:, 0] >= low[0]) & (points[:, 0] <= high[0]) & \
                     (points[:, 1] >= low[1]) & (points[:, 1] <= high[1])
            if not inside.any():
                return True
        mob.move_to(corners[0][0] - corners[0][1] * margin, aligned_edge=corners[0][1])
        return False


def _samples(curve: VMobject, per_unit: int = 20) -> np.ndarray:
    """Points along every segment of a curve (its family's outlines), about ``per_unit`` per unit."""
    out = []
    for part in curve.family_members_with_points():
        anchors = part.points
        for a, b in zip(anchors[:-1], anchors[1:]):
            count = max(int(np.linalg.norm(b - a) * per_unit), 1)
            out.append(a + np.linspace(0, 1, count + 1)[:, None] * (b - a))
    return np.concatenate(out) if out else np.zeros((0, 3))
