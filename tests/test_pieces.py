"""Number formatting and clipping used by the scenes, checked against arithmetic done here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.layout import clip_polyline, ticks
from scenes.pieces import function_tex, number_parts, number_tex, sci_tex, sci_text

finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False).filter(lambda v: abs(v) > 1e-300)


@given(finite, st.integers(min_value=1, max_value=10))
def test_number_parts_round_trip(value, significant):
    mantissa, decimals, exponent = number_parts(value, significant)
    shown = float(f"{mantissa:.{decimals}f}") * 10.0 ** (exponent or 0)
    assert shown == pytest.approx(value, rel=10.0 ** (1 - significant))
    if exponent is not None:
        assert 1 <= abs(float(f"{mantissa:.{decimals}f}")) < 10  # one digit before the point


@pytest.mark.parametrize(("value", "tex"), [
    (1e6, r"1\times10^{6}"), (10.0, "10"), (0.5, "0.5"), (-2.5e-7, r"-2.5\times10^{-7}"), (123456.0, r"123456"),
])
def test_parameters_are_typeset_never_as_e_notation(value, tex):
    assert number_tex(value) == tex
    assert "e+" not in number_tex(value) and "e-" not in number_tex(value)


def test_sci_tex_and_text_agree():
    assert sci_tex(1.5e-8) == r"1.5\times10^{-8}"
    assert sci_text(1.5e-8) == "1.5 × 10⁻⁸"
    assert sci_tex(float("inf")) == r"\infty"


def test_function_tex_leaves_no_brace_group_after_an_operator():
    import sympy

    x = sympy.Symbol("x")
    for expr in (sympy.sin(x), x**2 * sympy.sin(x), sympy.tan(sympy.cos(x) / (x + 1))):
        tex = function_tex(sympy.latex(expr))
        assert r"{\left(" not in tex and tex.count(r"\left(") == tex.count(r"\right)")


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=2, max_size=30))
def test_clipped_polyline_stays_in_the_box(points):
    runs = clip_polyline(np.array(points, dtype=float), (-1.0, 1.0, -1.0, 1.0))
    for run in runs:
        assert np.all(run >= -1 - 1e-9) and np.all(run <= 1 + 1e-9)


def test_ticks_far_from_zero_are_labelled_from_x0():
    t = ticks(1e6 - 1, 1e6 + 1.6, origin=1e6)
    assert "x_0" in t.labels and all(len(label) < 8 for label in t.labels)
    assert t.values[t.labels.index("x_0")] == 1e6
    big = ticks(0, 3e5)
    assert big.note == r"\times10^{5}" and max(len(label) for label in big.labels) <= 3
    assert math.isclose(big.step, 1e5)


def test_copies_of_text_share_the_parsed_glyph_paths():
    """Every FadeIn, Transform and ``.animate`` copies its mobject: a copy of text gets its own
    points but shares each glyph's parsed SVG path instead of deep-copying thousands of objects.
    """
    import scenes.base  # noqa: F401  (the scenes' module that sets the sharing up)
    from manim import Text

    text = Text("h* = 1e-8")
    twin = text.copy()
    pairs = [(a, b) for a, b in zip(text.get_family(), twin.get_family()) if hasattr(a, "path_obj")]
    assert pairs
    assert all(b.path_obj is a.path_obj for a, b in pairs)
    assert all(np.array_equal(a.points, b.points) and a.points is not b.points for a, b in pairs)
