"""Number formatting and clipping used by the scenes, checked against arithmetic done here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scenes.layout import clip_polyline, dash_pieces, ticks
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
    (1e6, r"10^{6}"), (10.0, "10"), (0.5, "0.5"), (-2.5e-7, r"-2.5\times10^{-7}"), (123456.0, r"123456"),
    (0.1234567891, "0.1234567891"), (1.23456789e-9, r"1.23456789\times10^{-9}"), (-3e12, r"-3\times10^{12}"),
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


def _arc(piece: np.ndarray) -> float:
    return float(np.sum(np.linalg.norm(np.diff(piece, axis=0), axis=1)))


@example([(1.0, 0.0), (1.0, 3.141404662112998e-292), (0.0, 0.0)], 1, 0.5)
@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=2, max_size=30)
       .filter(lambda p: _arc(np.array(p)) > 1e-3),
       st.integers(min_value=1, max_value=40), st.floats(min_value=0.1, max_value=0.9))
def test_dashes_are_equal_cover_their_share_and_lie_on_the_line(points, count, ratio):
    line = np.array(points, dtype=float)
    length = _arc(line)
    pieces = dash_pieces(line, count, ratio)
    assert len(pieces) == count
    assert np.allclose([_arc(p) for p in pieces], ratio * length / count, rtol=1e-9, atol=1e-9)
    assert np.allclose(pieces[0][0], line[0])
    assert np.allclose(pieces[-1][-1], line[-1]) or count == 1  # one dash covers the line's start
    segments = list(zip(line[:-1], line[1:]))
    for point in np.concatenate(pieces):  # on some segment of the line
        assert min(_off_segment(point, a, b) for a, b in segments) < 1e-9 * max(1.0, length)


def _off_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    d = b - a
    squared = np.dot(d, d)  # 0 for a segment too short to square (1e-292), not only for a point
    t = 0.0 if squared == 0 else float(np.clip(np.dot(p - a, d) / squared, 0, 1))
    return float(np.linalg.norm(p - (a + t * d)))


@pytest.mark.parametrize(("count", "ratio"), [(1, 0.5), (3, 0.5), (12, 0.55)])
def test_dashes_end_where_manims_dashed_vmobject_ends_them(count, ratio):
    """Manim's DashedVMobject on the same straight line: the same dashes, end to end."""
    from manim import DashedVMobject, Line

    start, end = np.array([-2.0, 1.0, 0.0]), np.array([3.0, -1.5, 0.0])
    manims = DashedVMobject(Line(start, end), num_dashes=count, dashed_ratio=ratio).submobjects
    ours = dash_pieces(np.array([start, end]), count, ratio)
    assert len(manims) == len(ours)
    for theirs, mine in zip(manims, ours):
        assert np.allclose(theirs.get_start(), mine[0], atol=1e-6)
        assert np.allclose(theirs.get_end(), mine[-1], atol=1e-6)


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
