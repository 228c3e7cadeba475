"""Visual pieces the scenes share: titles, readouts, legends, axes, number formatting.

Each takes its colours as keywords, so every scene stays in its theme.
"""

from __future__ import annotations

import math
from typing import Sequence

from manim import (
    DOWN, LEFT, RIGHT, UP, Axes, DashedLine, DecimalNumber, Line, MathTex, Text, VGroup, VMobject,
)

from scenes.style import LABEL_SIZE, READOUT_SIZE, SMALL_SIZE, TITLE_SIZE


_GLYPHS: dict[tuple[str, float], VMobject] = {}


class Readout(DecimalNumber):
    """A DecimalNumber made for updaters that run every frame.

    Manim's DecimalNumber deep-copies a cached glyph for every character on every set_value,
    which profiling showed to be most of a scene's per-frame cost. This one redraws only when
    the digits on screen change, and copies a glyph's outline points instead of the whole object.
    """

    def set_value(self, number: float) -> Readout:
        if getattr(self, "_shown", None) == self._get_num_string(number):
            self.number = number  # same digits on screen: keep the exact value for get_value()
            return self
        super().set_value(number)
        self._shown = self._get_num_string(number)
        return self

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: object) -> VMobject:
        key = (string, self._font_size)
        if key not in _GLYPHS:
            glyph = super()._string_to_mob(string, mob_class, **kwargs)
            _GLYPHS[key] = glyph
        glyph = _GLYPHS[key]
        light = VMobject()
        light.add(*[VMobject().set_points(part.points.copy()).match_style(part)
                    for part in glyph.family_members_with_points()])
        light.font_size = self._font_size
        return light


def sci_tex(value: float, digits: int = 2) -> str:
    r"""LaTeX for a number in scientific notation: 3.0\times10^{-8}; plain for 0.001 to 1000."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else r"\infty"
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent <= 3:
        return f"{value:.{max(digits - 1 - exponent, 0)}f}" if exponent < digits else f"{value:.0f}"
    mantissa = value / 10**exponent
    if round(mantissa, digits - 1) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return rf"{mantissa:.{digits - 1}f}\times10^{{{exponent}}}"


def title(text: str, color: str) -> Text:
    return Text(text, font_size=TITLE_SIZE, color=color).to_corner(UP + LEFT, buff=0.4)


def readout(label: str, value: float, color: str, decimals: int = 4,
            font_size: float = READOUT_SIZE) -> VGroup:
    """``label = value``: a MathTex label and a DecimalNumber that updaters can change."""
    tex = MathTex(label, font_size=font_size, color=color)
    number = Readout(value, num_decimal_places=decimals, font_size=font_size, color=color)
    number.next_to(tex, RIGHT, buff=0.15)
    group = VGroup(tex, number)
    group.label, group.number = tex, number
    return group


def legend(entries: Sequence[tuple[str, str, bool]], text_color: str,
           font_size: float = SMALL_SIZE) -> VGroup:
    """Rows of a short line in each entry's colour (dashed for models) and its label."""
    rows = VGroup()
    for label, color, dashed in entries:
        swatch = (DashedLine if dashed else Line)(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=5)
        text = Text(label, font_size=font_size, color=text_color)
        rows.add(VGroup(swatch, text.next_to(swatch, RIGHT, buff=0.15)))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18)


def linear_axes(x_range: Sequence[float], y_range: Sequence[float], color: str,
                x_length: float, y_length: float, font_size: float = 22) -> Axes:
    """Axes with tick labels whose decimals follow the tick step."""

    def numbers(step: float) -> dict[str, object]:
        decimals = 0 if step >= 1 else math.ceil(-math.log10(step) - 1e-9)
        return {"decimal_number_config": {"color": color, "num_decimal_places": decimals}}

    return Axes(
        x_range=list(x_range), y_range=list(y_range), x_length=x_length, y_length=y_length,
        axis_config={"color": color, "include_numbers": True, "font_size": font_size},
        x_axis_config=numbers(x_range[2]), y_axis_config=numbers(y_range[2]), tips=False,
    )


def axis_label(ax: Axes, x_tex: str, y_tex: str, color: str) -> VGroup:
    x_label = MathTex(x_tex, font_size=LABEL_SIZE, color=color).next_to(ax.x_axis, DOWN, buff=0.45)
    y_label = MathTex(y_tex, font_size=LABEL_SIZE, color=color).next_to(ax.y_axis, UP, buff=0.15)
    return VGroup(x_label, y_label)
