"""Drawing pieces the lesson scenes (scale, backprop, depth) share: charts over powers of ten,
numbers typeset for their magnitude, and a live number in scientific notation.

Layout only: every value drawn comes from the scene's data (mathcore). Sizes are the theme's
constants from ``scenes.style``; colours are passed in by the scene.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Axes, DashedVMobject, DecimalNumber, Dot, Line, MathTex, Mobject, Text, VGroup, VMobject,
    config,
)

from scenes.base import LabScene
from scenes.pieces import Readout, title
from scenes.style import READOUT_SIZE, SMALL_SIZE, TITLE_SIZE

MARGIN = 0.3
"""Frame units kept clear at the edges of the picture."""
FRAME_HEIGHT = 8.0
"""Every layout is written for a frame this high; its width follows the picture."""


class LessonScene(LabScene):
    """A lesson scene: the frame is 8 units high and as wide as the picture's aspect ratio.

    ``manim -r 1440,1080`` changes only the pixel size; Manim's camera then keeps the 16:9 width
    and grows taller, which would letterbox the layout. Laying out for the real width instead is
    what makes 4:3 (10.7 units wide) work.
    """

    def setup(self) -> None:
        super().setup()
        aspect = config.pixel_width / config.pixel_height
        config.frame_height, config.frame_width = FRAME_HEIGHT, FRAME_HEIGHT * aspect
        self.camera.frame_height, self.camera.frame_width = FRAME_HEIGHT, FRAME_HEIGHT * aspect
        self.shown.update(frame=[float(config.frame_width), FRAME_HEIGHT], smallest_text=None, outside_frame=[])

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)  # waits are plays too
        self.check_layout()

    def check_layout(self) -> None:
        """Record, for the tests, the smallest visible text and anything the frame's edge cuts."""
        half_width, half_height = config.frame_width / 2 + 1e-3, FRAME_HEIGHT / 2 + 1e-3
        for top in self.mobjects:
            for mob in top.get_family():
                if not mob.has_points() or not _visible(mob):
                    continue
                low, high = mob.points.min(axis=0), mob.points.max(axis=0)
                if low[0] < -half_width or high[0] > half_width or low[1] < -half_height or high[1] > half_height:
                    entry = f"{type(top).__name__} at x {low[0]:.2f}..{high[0]:.2f}, y {low[1]:.2f}..{high[1]:.2f}"
                    if entry not in self.shown["outside_frame"]:
                        self.shown["outside_frame"].append(entry)
            for mob in top.get_family():
                size = getattr(mob, "font_size", None)
                if isinstance(mob, TEXT_TYPES) and size and any(_visible(p) for p in mob.family_members_with_points()):
                    if self.shown["smallest_text"] is None or size < self.shown["smallest_text"]:
                        self.shown["smallest_text"] = float(size)


TEXT_TYPES = (MathTex, DecimalNumber, Text)
"""What a viewer reads."""


def _visible(mob: Mobject) -> bool:
    """Whether a viewer sees ``mob``: a drawn shape with some opacity (a ValueTracker is not one)."""
    if not isinstance(mob, VMobject):
        return False
    return bool(np.any(mob.get_fill_opacities() > 0) or
                (np.any(mob.get_stroke_opacities() > 0) and mob.get_stroke_width() > 0))


def heading(text: str, color: str) -> VMobject:
    """The scene's title at the top left, narrowed to the frame if need be (never below the
    smallest readable size).
    """
    mob = title(text, color)
    room = frame_width() - 2 * MARGIN
    if mob.width > room:
        mob.scale(max(room / mob.width, SMALL_SIZE / TITLE_SIZE), about_edge=LEFT)
    return mob


def frame_width() -> float:
    """The width of the picture in frame units: 14.2 at 16:9, 10.7 at 4:3 (the height is 8)."""
    return float(config.frame_width)


def number_tex(value: float, digits: int = 5) -> str:
    r"""LaTeX for ``value`` with ``digits`` significant digits: plain decimals for
    :math:`10^{-4} \le |v| < 10^{6}`, else :math:`m \times 10^{e}`. ``digits=17`` (or more)
    gives the shortest decimal that reads back as the same float64: every bit of it.

    >>> number_tex(-0.6281736227227391), number_tex(3.0), number_tex(1.2e-11, 2)
    ('-0.62817', '3', '1.2\\times10^{-11}')
    >>> number_tex(-1.8845208681682175, 17), number_tex(5.184705528587072e21, 17)
    ('-1.8845208681682175', '5.184705528587072\\times10^{21}')
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
    if exact:
        text = np.format_float_scientific(value, unique=True, trim="-")
    else:
        text = np.format_float_scientific(value, precision=digits - 1, unique=False, trim="-")
    mantissa, exponent = text.split("e")
    return rf"{mantissa}\times10^{{{int(exponent)}}}"


_SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def caption_number(value: float, digits: int = 2) -> str:
    """A number for a caption (plain text, no LaTeX): ``0.25``, ``7.7 × 10⁻¹⁸``, ``21``.

    >>> caption_number(7.7e-18), caption_number(0.25), caption_number(2.0e6)
    ('7.7 × 10⁻¹⁸', '0.25', '2 × 10⁶')
    """
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-3 <= abs(value) < 1e5:
        return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")
    mantissa, exponent = np.format_float_scientific(value, precision=digits - 1, unique=False, trim="-").split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


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
        y_every = label_step(y_range[1] - y_range[0], height, 1.9 * sample.height)
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
        line = VMobject(stroke_color=color, stroke_width=stroke_width)
        line.set_points_as_corners(points)
        if dashed:
            length = sum(np.linalg.norm(b - a) for a, b in zip(line.get_anchors()[:-1], line.get_anchors()[1:]))
            line = DashedVMobject(line, num_dashes=max(int(length / 0.18), 2), dashed_ratio=0.55)
            line.set_stroke(color, width=stroke_width)
        return line

    def top_exponent_reached(self, y: float) -> bool:
        """Whether ``y`` lies above the chart's top."""
        return y > 0 and math.log10(y) > self.y_range[1]


class SciReadout(VGroup):
    r"""A live number shown as ``2.8`` or :math:`2.8 \times 10^{-21}`, whichever its magnitude
    needs, built from ``Readout`` glyphs and one static ``\times 10`` so that a new value never
    runs LaTeX. ``plain`` is the range of magnitudes shown without a power of ten.
    """

    def __init__(self, value: float, color: str, digits: int = 2, font_size: float = READOUT_SIZE,
                 plain: tuple[float, float] = (1e-2, 1e4)) -> None:
        super().__init__()
        self.digits, self.plain, self.number = digits, plain, float(value)
        self.mantissa = Readout(0.0, num_decimal_places=digits - 1, font_size=font_size, color=color)
        self.times = MathTex(r"\times10", font_size=font_size, color=color)
        self.exponent = Readout(0, num_decimal_places=0, font_size=max(0.75 * font_size, SMALL_SIZE), color=color)
        self.add(self.mantissa, self.times, self.exponent)
        self._key: tuple | None = None
        self.set_value(value)

    def parts(self, value: float) -> tuple[float, int, int | None]:
        """(mantissa, decimals, exponent or None) for ``value``."""
        if value == 0 or not math.isfinite(value):
            return value, self.digits - 1, None
        exponent = math.floor(math.log10(abs(value)))
        if round(abs(value) / 10.0**exponent, self.digits - 1) >= 10:
            exponent += 1
        if self.plain[0] <= abs(value) < self.plain[1]:
            return value, max(self.digits - 1 - exponent, 0), None
        return value / 10.0**exponent, self.digits - 1, exponent

    def set_value(self, value: float) -> SciReadout:
        self.number = float(value)
        mantissa, decimals, exponent = self.parts(self.number)
        key = (round(mantissa, decimals), decimals, exponent)
        if key == self._key:
            return self
        self._key = key
        left = self.mantissa.get_left()
        self.mantissa.num_decimal_places = decimals
        self.mantissa.set_value(mantissa)
        self.mantissa.move_to(left, aligned_edge=LEFT)
        shown = 0.0 if exponent is None else 1.0
        if exponent is not None:
            self.exponent.set_value(exponent)
            self.times.next_to(self.mantissa, RIGHT, buff=0.08)
            self.times.align_to(self.mantissa, DOWN)
            self.exponent.next_to(self.times, RIGHT, buff=0.04).align_to(self.times, UP).shift(UP * 0.12)
        self.times.set_opacity(shown)
        self.exponent.set_opacity(shown)
        return self

    def get_value(self) -> float:
        return self.number


TIME_UNITS = ((1.0, 1e-3, "ms"), (60.0, 1.0, "s"), (3600.0, 60.0, "min"), (86400.0, 3600.0, "h"),
              (365.25 * 86400.0, 86400.0, "days"), (math.inf, 365.25 * 86400.0, "years"))
"""(below this many seconds, seconds per unit, unit): how long something takes, as people say it."""


def time_parts(seconds: float) -> tuple[float, int, str]:
    """(value, decimals, unit) of a duration with three significant digits in a human unit.

    >>> time_parts(0.000264), time_parts(2.15), time_parts(1.82e6)
    ((0.264, 3, 'ms'), (2.15, 2, 's'), (21.064814814814813, 1, 'days'))
    """
    for limit, per_unit, unit in TIME_UNITS:
        if seconds < limit:
            break
    value = seconds / per_unit
    decimals = 3 if value < 1 else 2 if value < 10 else 1 if value < 100 else 0
    return value, decimals, unit


def human_time(seconds: float) -> str:
    """A duration for a caption, as the scene's readout shows it: ``0.264 ms``, ``21.1 days``.

    >>> human_time(1.82e6), human_time(0.84)
    ('21.1 days', '840 ms')
    """
    value, decimals, unit = time_parts(seconds)
    return f"{value:.{decimals}f} {unit}"


class TimeReadout(VGroup):
    """A live duration, ``840 ms`` or ``≈ 21.1 days``: the ``≈`` marks an extrapolated time.

    The number is a ``Readout`` (glyphs cached); the units are typeset once and shown one at a
    time, so a new value never runs LaTeX.
    """

    def __init__(self, seconds: float, color: str, approx_color: str, font_size: float = SMALL_SIZE) -> None:
        super().__init__()
        self.approx = MathTex(r"\approx", font_size=font_size, color=approx_color)
        self.number = Readout(0.0, num_decimal_places=2, font_size=font_size, color=color)
        # each unit typeset after a hidden 0, whose baseline is then put on the number's
        self.units = {unit: MathTex("0", rf"\,\text{{{unit}}}", font_size=font_size, color=color)
                      for _, _, unit in TIME_UNITS}
        self.add(self.approx, self.number, *self.units.values())
        self.number.next_to(self.approx, RIGHT, buff=0.12)
        self.seconds, self.extrapolated = math.nan, False
        self._key: tuple | None = None
        self.set_time(seconds, False)

    def set_time(self, seconds: float, extrapolated: bool) -> TimeReadout:
        self.seconds, self.extrapolated = float(seconds), bool(extrapolated)
        value, decimals, unit = time_parts(self.seconds)
        key = (round(value, decimals), decimals, unit, self.extrapolated)
        if key == self._key:
            return self
        self._key = key
        left = self.number.get_left()
        self.number.num_decimal_places = decimals
        self.number.set_value(value)
        self.number.move_to(left, aligned_edge=LEFT)
        for name, mob in self.units.items():
            mob.set_opacity(0.0)
            if name == unit:
                mob[1].set_opacity(1.0)
                mob.shift(RIGHT * (self.number.get_right()[0] + 0.1 - mob[1].get_left()[0])
                          + UP * (self.number.get_bottom()[1] - mob[0].get_bottom()[1]))
        self.approx.set_opacity(1.0 if self.extrapolated else 0.0)
        return self
