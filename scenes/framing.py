"""The frame a scene draws into, text sizes relative to its height, and readouts for numbers of
any magnitude. Used by the error and autograd scenes.

Manim keeps the frame 8 units high and makes it as wide as the picture's aspect ratio (16:9 is
14.2 units wide, 4:3 is 10.7), unless the camera was set otherwise; everything here asks the
camera, so a layout follows whatever frame it is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, MathTex, Mobject, VGroup

from scenes.pieces import SceneText, Readout
from scenes.style import MIN_TEXT_SIZE


BASE_HEIGHT = 8.0
"""The frame height the sizes below are written for."""
TEXT_SIZE = 32
"""Body text: a digit is 3.4 % of the frame height (a capital a little more)."""
TICK_SIZE = 36
"""Tick labels: their exponents are raised to EXPONENT_SCALE so they stay legible too."""
TITLE_SIZE = 40
EXPONENT_SCALE = 1.2
"""How much a tick label's exponent is enlarged over TeX's script size (70 % of the base)."""
MIN_TEXT_FRACTION = 0.03
"""The smallest glyph a student must read, as a fraction of the frame height (issue 11)."""


@dataclass(frozen=True)
class Frame:
    """The visible rectangle, in scene units."""

    width: float
    height: float
    center: np.ndarray

    @classmethod
    def of(cls, scene: Any) -> Frame:
        camera = scene.camera
        center = np.array(getattr(camera, "frame_center", np.zeros(3)), dtype=float)
        return cls(float(camera.frame_width), float(camera.frame_height), center)

    @property
    def unit(self) -> float:
        """Scene units per unit of a frame 8 high: multiply every written size by it."""
        return self.height / BASE_HEIGHT

    @property
    def aspect(self) -> float:
        return self.width / self.height

    @property
    def left(self) -> float:
        return float(self.center[0]) - self.width / 2

    @property
    def right(self) -> float:
        return float(self.center[0]) + self.width / 2

    @property
    def top(self) -> float:
        return float(self.center[1]) + self.height / 2

    @property
    def bottom(self) -> float:
        return float(self.center[1]) - self.height / 2

    def size(self, font_size: float) -> float:
        """A font size written for a frame 8 high, for this frame."""
        return font_size * self.unit

    def record(self) -> list[float]:
        return [round(self.left, 4), round(self.bottom, 4), round(self.right, 4), round(self.top, 4)]


HeadingText = SceneText
"""Text laid out alike at every resolution (pieces.SceneText), for the headings."""


def box(mobject: Mobject) -> list[float]:
    """[left, bottom, right, top] of a mobject, for the tests that check it lies in the frame."""
    lo, hi = mobject.get_corner(DOWN + LEFT), mobject.get_corner(UP + RIGHT)
    return [round(float(lo[0]), 4), round(float(lo[1]), 4), round(float(hi[0]), 4), round(float(hi[1]), 4)]


def fit_width(mobject: Mobject, width: float) -> Mobject:
    """Shrink a mobject to ``width`` if it is wider (a long formula a lecturer typed)."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def power_of_ten(exponent: int, font_size: float, color: str) -> MathTex:
    """10^k as a tick label, its exponent enlarged so that it is read from the back row."""
    label = MathTex(rf"10^{{{exponent}}}", font_size=font_size, color=color)
    glyphs = label[0]
    power = VGroup(*glyphs[2:])
    power.scale(EXPONENT_SCALE, about_point=power.get_corner(DOWN + LEFT))
    power.shift(RIGHT * 0.02 * font_size / TICK_SIZE)
    return label


def split_scientific(value: float) -> tuple[float, int]:
    """(mantissa, exponent) with the mantissa rounded to one decimal in [1, 10).

    Examples
    --------
    >>> split_scientific(9.96e-5), split_scientific(3.14e8)
    ((1.0, -4), (3.1, 8))
    """
    mantissa, exponent = f"{abs(value):.1e}".split("e")
    return math.copysign(float(mantissa), value), int(exponent)


class ScientificReadout(VGroup):
    """``label = m.m × 10^k``, cheap to update every frame: the mantissa and the exponent are
    Readouts (glyphs cached), only the digits that change are redrawn; 0 is written as 0.
    """

    def __init__(self, label: str, value: float, color: str, font_size: float) -> None:
        super().__init__()
        self.label = MathTex(label, font_size=font_size, color=color)
        self.mantissa = Readout(1.0, num_decimal_places=1, font_size=font_size, color=color)
        self.times = MathTex(r"\times 10", font_size=font_size, color=color)
        self.exponent = Readout(-10, num_decimal_places=0, font_size=max(0.8 * font_size, MIN_TEXT_SIZE),
                                color=color)
        self.zero = MathTex("0", font_size=font_size, color=color)
        self.add(self.label, self.mantissa, self.times, self.exponent, self.zero)
        self.font_size_written = font_size
        self.set_value(value)

    def set_value(self, value: float) -> ScientificReadout:
        gap = 0.12 * self.font_size_written / TEXT_SIZE
        if value == 0 or not math.isfinite(value):
            self.zero.set_opacity(1)
            for part in (self.mantissa, self.times, self.exponent):
                part.set_opacity(0)
            self.zero.next_to(self.label, RIGHT, buff=gap)
            return self
        mantissa, exponent = split_scientific(value)
        self.zero.set_opacity(0)
        self.mantissa.set_value(mantissa)
        self.exponent.set_value(exponent)
        for part in (self.mantissa, self.times, self.exponent):
            part.set_opacity(1)
        self.mantissa.next_to(self.label, RIGHT, buff=gap)
        self.times.next_to(self.mantissa, RIGHT, buff=gap * 0.6)
        self.exponent.next_to(self.times, RIGHT, buff=0.04).align_to(self.times, UP).shift(UP * gap)
        return self
