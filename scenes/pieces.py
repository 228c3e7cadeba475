"""Visual pieces the scenes share: titles, readouts, legends, axes, number formatting.

Each takes its colours as keywords, so every scene stays in its theme. Sizes default to the
legible ones of ``scenes.style``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    DashedLine,
    DecimalNumber,
    Line,
    MathTex,
    Text,
    VGroup,
    VMobject,
    config,
)

from scenes.layout import Ticks, dash_pieces
from scenes.style import (
    FRAME_MARGIN,
    LABEL_SIZE,
    MIN_TEXT_SIZE,
    READOUT_SIZE,
    SMALL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
)

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


class SceneText(Text):
    """Manim's Text, laid out the same at every resolution.

    Pango typesets Text on a canvas as wide as the video in pixels, so at a draft size (320x180)
    a title wraps onto two lines and everything under it moves. The canvas is made 4K-wide
    while the text is typeset; Manim scales the outline to font_size afterwards anyway.
    """

    def _text2hash(self, color: object) -> str:
        # its own cache key: a plain Text of the same words, set (and maybe wrapped) on a small
        # canvas, leaves an SVG in the text cache that must not be taken for this one
        return "wide" + super()._text2hash(color)[4:]

    def _text2svg(self, color: object) -> str:
        saved = config.pixel_width, config.pixel_height
        config.pixel_width, config.pixel_height = max(saved[0], 3840), max(saved[1], 2160)
        try:
            return super()._text2svg(color)
        finally:
            config.pixel_width, config.pixel_height = saved


def number_parts(value: float, significant: int = 3, fixed_range: tuple[float, float] = (1e-2, 1e5)
                 ) -> tuple[float, int, int | None]:
    r"""How to show ``value`` with ``significant`` digits: (mantissa, decimals, exponent).

    Plain decimals when ``fixed_range[0] <= |value| < fixed_range[1]`` (exponent None), else
    scientific notation :math:`m \times 10^{e}` with :math:`1 \le |m| < 10`. Zero is plain.

    Examples
    --------
    >>> number_parts(22026.465794806718, 5)
    (22026.465794806718, 0, None)
    >>> number_parts(2e6, 5)
    (2.0, 4, 6)
    >>> m, decimals, e = number_parts(9.9996e-4, 3)  # rounds up to the next power of ten
    >>> f"{m:.{decimals}f} x 10^{e}"
    '1.00 x 10^-3'
    """
    if significant < 1:
        raise ValueError(f"a number needs at least one significant digit; got {significant}.")
    if value == 0 or not math.isfinite(value):
        return value, significant - 1, None
    digits, exponent_text = f"{value:.{significant - 1}e}".split("e")  # rounds as it will be shown
    exponent = int(exponent_text)
    if fixed_range[0] <= abs(value) < fixed_range[1]:
        return value, max(significant - 1 - exponent, 0), None
    return float(digits), significant - 1, exponent


def sci_tex(value: float, digits: int = 2) -> str:
    r"""LaTeX for a number: plain from 0.001 to below 10000, else :math:`m \times 10^{e}`.

    Examples
    --------
    >>> sci_tex(3.0e-8), sci_tex(0.25), sci_tex(-1e6, 1)
    ('3.0\\times10^{-8}', '0.25', '-1\\times10^{6}')
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return r"\text{NaN}" if math.isnan(value) else ("-" if value < 0 else "") + r"\infty"
    mantissa, decimals, exponent = number_parts(value, digits, (1e-3, 1e4))
    if exponent is None:
        return f"{mantissa:.{decimals}f}"
    return rf"{mantissa:.{decimals}f}\times10^{{{exponent}}}"


class NumberReadout(VGroup):
    r"""A live number that stays readable at any magnitude: ``2.0010``, ``22026``, or
    :math:`2.0000 \times 10^{6}` typeset with a raised exponent, never ``2e+06``.

    Built from ``Readout`` pieces (a mantissa, a static ``\times 10`` and an exponent at least
    ``MIN_TEXT_SIZE``), so a new value never runs LaTeX: updaters may call ``set_value`` every
    frame. ``get_value`` returns the exact number last set.
    """

    def __init__(self, value: float, significant: int = 5, font_size: float = READOUT_SIZE,
                 color: str | None = None, fixed_range: tuple[float, float] = (1e-2, 1e5)) -> None:
        super().__init__()
        self.significant, self.fixed_range, self.number = significant, fixed_range, float(value)
        style = {"color": color} if color else {}
        self.mantissa = Readout(0.0, num_decimal_places=significant - 1, font_size=font_size,
                                group_with_commas=False, **style)
        self.times = MathTex(r"\times 10", font_size=font_size, **style)
        self.exponent = Readout(0, num_decimal_places=0, font_size=max(0.75 * font_size, MIN_TEXT_SIZE),
                                **style)
        self.add(self.mantissa)
        self._scientific = False
        self.set_value(value)

    def set_value(self, value: float) -> NumberReadout:
        left = self.get_left()
        mantissa, decimals, exponent = number_parts(float(value), self.significant, self.fixed_range)
        self.number = float(value)
        if self.mantissa.num_decimal_places != decimals:
            self.mantissa.num_decimal_places = decimals
            self.mantissa._shown = None
        self.mantissa.set_value(mantissa)
        scientific = exponent is not None
        if scientific:
            self.exponent.set_value(exponent)
            self.times.next_to(self.mantissa, RIGHT, buff=0.1).align_to(self.mantissa, DOWN)
            self.exponent.next_to(self.times, RIGHT, buff=0.05).align_to(self.times, DOWN)
            self.exponent.shift(UP * 0.45 * self.times.height)
        if scientific != self._scientific:
            (self.add if scientific else self.remove)(self.times, self.exponent)
            self._scientific = scientific
        if self.mantissa.width and np.isfinite(left).all() and len(self.submobjects):
            self.shift(left - self.get_left())
        return self

    def get_value(self) -> float:
        return self.number


def place_value(label: VMobject, value: VMobject, buff: float = 0.2) -> VGroup:
    """``value`` to the right of ``label``, its digits centred on the label's last glyph (the
    "=" sign), so a raised exponent does not push the digits below the label's line.
    """
    value.next_to(label, RIGHT, buff=buff)
    glyphs = label.family_members_with_points()
    digits = value.mantissa if isinstance(value, NumberReadout) else value
    value.shift(UP * (glyphs[-1].get_center()[1] - digits.get_center()[1]))
    return VGroup(label, value)


def dashed_polyline(points: np.ndarray, count: int, ratio: float, color: str, width: float) -> VGroup:
    """A polyline through ``points`` drawn as ``count`` equal dashes covering ``ratio`` of it
    (``layout.dash_pieces``).

    What Manim's DashedVMobject draws for a line of straight segments, one dash a submobject; it
    measured every corner of the line as a Bézier curve, about half a second for a model line of
    a few hundred points.
    """
    return VGroup(*(VMobject(stroke_color=color, stroke_width=width).set_points_as_corners(piece)
                    for piece in dash_pieces(points, count, ratio)))


def title(text: str, color: str) -> VMobject:
    """A scene's heading in the top left corner: smaller on a narrow (4:3) frame, never under
    ``LABEL_SIZE``, and on two lines if even that is too wide.
    """
    left, right, _, _ = usable_box(0.4)
    heading = SceneText(text, font_size=TITLE_SIZE, color=color)
    if heading.width > right - left:
        size = max(LABEL_SIZE, TITLE_SIZE * (right - left) / heading.width)
        heading = SceneText(text, font_size=size, color=color)
        if heading.width > right - left:
            heading = wrapped_text(text, right - left, LABEL_SIZE, color, line_spacing=0.15)
            for line in heading:
                line.align_to(heading, LEFT)
    return heading.to_corner(UP + LEFT, buff=0.4)


def readout(label: str, value: float, color: str, decimals: int = 4,
            font_size: float = READOUT_SIZE, significant: int | None = None) -> VGroup:
    """``label = value``: a MathTex label and a number that updaters can change.

    With ``significant`` the number is a ``NumberReadout`` (scientific notation when its
    magnitude needs it), else a ``Readout`` with ``decimals`` places.
    """
    tex = MathTex(label, font_size=font_size, color=color)
    if significant is None:
        number = Readout(value, num_decimal_places=decimals, font_size=font_size, color=color)
    else:
        number = NumberReadout(value, significant, font_size=font_size, color=color)
    group = place_value(tex, number, buff=0.15)
    group.label, group.number = tex, number
    return group


def legend(entries: Sequence[tuple[str, str, bool]], text_color: str,
           font_size: float = SMALL_SIZE) -> VGroup:
    """Rows of a short line in each entry's colour (dashed for models) and its label."""
    rows = VGroup()
    for label, color, dashed in entries:
        swatch = (DashedLine if dashed else Line)(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=5)
        text = SceneText(label, font_size=font_size, color=text_color)
        rows.add(VGroup(swatch, text.next_to(swatch, RIGHT, buff=0.15)))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18)


def linear_axes(x_range: Sequence[float], y_range: Sequence[float], color: str,
                x_length: float, y_length: float, font_size: float = TICK_SIZE) -> Axes:
    """Axes with tick labels whose decimals follow the tick step."""

    def numbers(step: float) -> dict[str, object]:
        decimals = 0 if step >= 1 else math.ceil(-math.log10(step) - 1e-9)
        return {"decimal_number_config": {"color": color, "num_decimal_places": decimals}}

    return Axes(
        x_range=list(x_range), y_range=list(y_range), x_length=x_length, y_length=y_length,
        axis_config={"color": color, "include_numbers": True, "font_size": font_size},
        x_axis_config=numbers(x_range[2]), y_axis_config=numbers(y_range[2]), tips=False,
    )


class EdgeAxes(Axes):
    """Axes drawn along the left and bottom edges of the plot, like a printed graph: tick labels
    sit outside the plotting area, where no curve or axis line crosses them.

    ``screen(x, y)`` maps data to frame points (vectorised); ``box`` is the plotting area.
    Built from ``layout.Ticks``, so labels stay short at any magnitude (a common power of ten or
    offsets from x0 written once).
    """

    def __init__(self, x_ticks: Ticks, y_ticks: Ticks, color: str, x_length: float, y_length: float,
                 font_size: float = TICK_SIZE) -> None:
        self.x_ticks, self.y_ticks = x_ticks, y_ticks
        super().__init__(
            x_range=[0, x_ticks.hi - x_ticks.lo, x_ticks.step], y_range=[0, y_ticks.hi - y_ticks.lo, y_ticks.step],
            x_length=x_length, y_length=y_length, tips=False,
            axis_config={"color": color, "include_numbers": False, "stroke_width": 2.5})
        for axis, t, direction in ((self.x_axis, x_ticks, DOWN), (self.y_axis, y_ticks, LEFT)):
            axis.add_labels({v - t.lo: MathTex(text, font_size=font_size, color=color)
                             for v, text in zip(t.values, t.labels)}, direction=direction, buff=0.2)
        self.notes = VGroup()
        if x_ticks.note:
            self.notes.add(MathTex(x_ticks.note, font_size=font_size, color=color)
                           .next_to(self.x_axis.labels, DOWN, buff=0.12, aligned_edge=RIGHT))
        if y_ticks.note:
            self.notes.add(MathTex(y_ticks.note, font_size=font_size, color=color)
                           .next_to(self.y_axis, UP, buff=0.15, aligned_edge=RIGHT))
        self.add(self.notes)

    def screen(self, x: object, y: object) -> np.ndarray:
        """Frame points of data (x, y): arrays of shape (..., 3)."""
        origin, ex, ey = self._frame_basis()
        x = np.asarray(x, dtype=float) - self.x_ticks.lo
        y = np.asarray(y, dtype=float) - self.y_ticks.lo
        return origin + x[..., None] * ex + y[..., None] * ey

    def units(self) -> tuple[float, float]:
        """Frame units per data unit along x and along y."""
        _, ex, ey = self._frame_basis()
        return float(ex[0]), float(ey[1])

    def _frame_basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        origin = self.x_axis.number_to_point(0)
        origin = np.array([origin[0], self.y_axis.number_to_point(0)[1], 0.0])
        ex = self.x_axis.number_to_point(1) - self.x_axis.number_to_point(0)
        ey = self.y_axis.number_to_point(1) - self.y_axis.number_to_point(0)
        return origin, ex, ey

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of the plotting area in frame units."""
        lo = self.screen(self.x_ticks.lo, self.y_ticks.lo)
        hi = self.screen(self.x_ticks.hi, self.y_ticks.hi)
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def axis_label(ax: Axes, x_tex: str, y_tex: str, color: str) -> VGroup:
    x_label = MathTex(x_tex, font_size=LABEL_SIZE, color=color).next_to(ax.x_axis, DOWN, buff=0.45)
    y_label = MathTex(y_tex, font_size=LABEL_SIZE, color=color).next_to(ax.y_axis, UP, buff=0.15)
    return VGroup(x_label, y_label)


def frame_size() -> tuple[float, float]:
    """(width, height) of the picture in frame units: the height is always 8, the width
    follows the render's aspect ratio (14.2 at 16:9, 10.7 at 4:3).
    """
    return float(config.frame_width), float(config.frame_height)


def usable_box(margin: float = FRAME_MARGIN) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of the picture less ``margin`` at every edge."""
    width, height = frame_size()
    return -width / 2 + margin, width / 2 - margin, -height / 2 + margin, height / 2 - margin


def keep_inside(mob: VMobject, margin: float = FRAME_MARGIN) -> VMobject:
    """Shift ``mob`` (never shrink it) so that it lies inside the picture, less ``margin``."""
    left, right, bottom, top = usable_box(margin)
    dx = max(left - mob.get_left()[0], 0.0) + min(right - mob.get_right()[0], 0.0)
    dy = max(bottom - mob.get_bottom()[1], 0.0) + min(top - mob.get_top()[1], 0.0)
    return mob.shift(RIGHT * dx + UP * dy)


def function_tex(latex: str) -> str:
    r"""Sympy's LaTeX with the gap in "sin (x)" closed.

    sympy writes ``\sin{\left(x \right)}``: the braces make the argument an ordinary atom, and
    TeX puts a thin space between an operator and an ordinary atom. ``\mathopen{}`` in place of
    the braces makes the argument start with an opening atom, which TeX sets flush, and
    ``\mathclose{}`` after it keeps a following comma from being spaced off.

    Examples
    --------
    >>> function_tex(r"x^{2} \sin{\left(x \right)}")
    'x^{2} \\sin\\mathopen{}\\left(x \\right)\\mathclose{}'
    >>> function_tex(r"\sin{\left(\frac{\cos{\left(x \right)}}{x} \right)}")
    '\\sin\\mathopen{}\\left(\\frac{\\cos\\mathopen{}\\left(x \\right)\\mathclose{}}{x} \\right)\\mathclose{}'
    """
    out, i, closers = [], 0, []
    depth = 0  # \left( ... \right) nesting, to find the brace that closes each argument
    while i < len(latex):
        if latex.startswith(r"{\left(", i) and out and out[-1][-1:].isalpha():
            out.append(r"\mathopen{}\left(")
            depth += 1
            closers.append(depth)
            i += len(r"{\left(")
        elif latex.startswith(r"\left(", i):
            depth += 1
            out.append(r"\left(")
            i += len(r"\left(")
        elif latex.startswith(r"\right)}", i) and closers and closers[-1] == depth:
            closers.pop()
            depth -= 1
            out.append(r"\right)\mathclose{}")
            i += len(r"\right)}")
        elif latex.startswith(r"\right)", i):
            depth -= 1
            out.append(r"\right)")
            i += len(r"\right)")
        else:
            out.append(latex[i])
            i += 1
    return "".join(out)


def number_tex(value: float) -> str:
    r"""A parameter as the lecturer typed it: its shortest exact decimal, never rounded and never
    in e-notation; plain from 0.0001 to below a million, else a power of ten typeset.

    Examples
    --------
    >>> number_tex(1.0), number_tex(0.001), number_tex(1e6), number_tex(-2.5e-7), number_tex(123456.0)
    ('1', '0.001', '10^{6}', '-2.5\\times10^{-7}', '123456')
    >>> number_tex(0.1234567891)  # every digit typed, as typed
    '0.1234567891'
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return r"\text{NaN}" if math.isnan(value) else ("-" if value < 0 else "") + r"\infty"
    exact = Decimal(repr(float(value))).normalize()
    sign, digits, exponent = exact.as_tuple()
    power = len(digits) - 1 + int(exponent)
    if -4 <= power < 6:
        return format(exact, "f")
    mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
    prefix = "-" if sign else ""
    if mantissa == "1":
        return f"{prefix}10^{{{power}}}"
    return rf"{prefix}{mantissa}\times10^{{{power}}}"


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
"""Digits and minus as Unicode superscripts, for exponents in plain-text captions."""


def sci_text(value: float, digits: int = 2) -> str:
    """A number for a caption (plain text): ``8.5 × 10⁻¹¹``, or plain from 0.001 to below 10000.

    Examples
    --------
    >>> sci_text(8.545e-11), sci_text(-0.25)
    ('8.5 × 10⁻¹¹', '−0.25')
    """
    tex = sci_tex(value, digits)
    if r"\times10^" in tex:
        mantissa, exponent = tex.split(r"\times10^")
        tex = f"{mantissa} × 10{exponent.strip('{}').translate(SUPERSCRIPT)}"
    return tex.replace("-", "\u2212").replace(r"\infty", "∞").replace(r"\text{NaN}", "NaN")


def wrapped_text(text: str, max_width: float, font_size: float, color: str, line_spacing: float = 0.25) -> VGroup:
    """``text`` as centred lines of ``Text`` no wider than ``max_width``: wrapped at spaces,
    never shrunk below its size (a single word wider than the line stands alone).
    """
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and SceneText(trial, font_size=font_size).width <= max_width:
            lines[-1] = trial
        else:
            lines.append(word)
    group = VGroup(*[SceneText(line, font_size=font_size, color=color) for line in lines])
    return group.arrange(DOWN, buff=line_spacing)
