"""Live numbers for the lesson scenes that never run LaTeX after they are built: a number in
scientific notation, and a duration in the unit people would say it in.
"""

from __future__ import annotations

import math

from manim import DOWN, LEFT, RIGHT, UP, MathTex, VGroup

from scenes.pieces import Readout
from scenes.style import READOUT_SIZE, SMALL_SIZE

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
        # a part not shown is taken out of the group, not made transparent: Manim would draw it anyway
        self.remove(self.times, self.exponent)
        if exponent is not None:
            self.exponent.set_value(exponent)
            self.times.next_to(self.mantissa, RIGHT, buff=0.08)
            self.times.align_to(self.mantissa, DOWN)
            self.exponent.next_to(self.times, RIGHT, buff=0.04).align_to(self.times, UP).shift(UP * 0.12)
            self.add(self.times, self.exponent)
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
        self.add(self.approx, self.number)  # and the unit shown; the others stay out of the group
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
        self.remove(*self.units.values())
        shown = self.units[unit]
        shown[0].set_opacity(0.0)
        shown.shift(RIGHT * (self.number.get_right()[0] + 0.1 - shown[1].get_left()[0])
                    + UP * (self.number.get_bottom()[1] - shown[0].get_bottom()[1]))
        self.add(shown)
        self.approx.set_opacity(1.0 if self.extrapolated else 0.0)
        return self
