"""Where a parsed function or its derivative is undefined, infinite or not smooth: closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mathcore import parse_function

PI = math.pi


@pytest.mark.parametrize(("text", "x0", "left", "right"), [
    ("abs(x)", 0.0, -1.0, 1.0),
    ("abs(x - 2) + x**2", 2.0, 3.0, 5.0),                       # -1 + 2x and 1 + 2x at 2
    ("abs(sin(x))", PI, -1.0, 1.0),                             # the double nearest pi
    ("abs(sin(x))", 2 * PI, -1.0, 1.0),
    ("abs(x**2 - 2)", math.sqrt(2), -2 * math.sqrt(2), 2 * math.sqrt(2)),
    ("abs(log(x))", 1.0, -1.0, 1.0),
    ("3*abs(x + 0.5) - x", -0.5, -4.0, 2.0),
    ("sqrt(abs(x))", 0.0, -math.inf, math.inf),                  # a cusp
])
def test_kinks_have_the_closed_form_one_sided_slopes(text, x0, left, right):
    c = parse_function(text).classify_point(x0)
    assert c.kind == "kink" and not c.differentiable
    assert c.left_derivative == pytest.approx(left, rel=1e-12)
    assert c.right_derivative == pytest.approx(right, rel=1e-12)
    with pytest.raises(ValueError, match="kink"):
        parse_function(text).check_point(x0)


@pytest.mark.parametrize(("text", "a", "b", "poles"), [
    ("tan(x)", -5.0, 5.0, [-3 * PI / 2, -PI / 2, PI / 2, 3 * PI / 2]),
    ("tan(3*x - 1)", 0.0, 2.0, [(PI / 2 + 1) / 3, (3 * PI / 2 + 1) / 3]),
    ("1/(x - 0.99)", 0.0, 2.0, [0.99]),
    ("1/(x**2 - 4)", -3.0, 3.0, [-2.0, 2.0]),
    ("1/(x**2 - 2*x + 1)", -3.0, 3.0, [1.0]),                  # a double root: no sign change
    ("1/sin(x)", -7.0, 7.0, [-2 * PI, -PI, 0.0, PI, 2 * PI]),
    ("1/(1 - cos(x))", -1.0, 7.0, [0.0, 2 * PI]),
    ("tan(x**2)", 0.0, 3.0, [math.sqrt(PI / 2 + k * PI) for k in range(3)]),
    ("exp(1/(x - 1))", 0.0, 2.0, [1.0]),
])
def test_poles_are_found_where_the_closed_form_puts_them(text, a, b, poles):
    p = parse_function(text)
    points = p.singular_points(a, b)
    assert [s.kind for s in points] == ["pole"] * len(poles)
    np.testing.assert_allclose(p.singularities(a, b), poles, rtol=1e-15, atol=1e-15)
    for s in poles:
        assert parse_function(text).classify_point(s).kind == "pole"


def test_tan_near_its_pole_names_the_pole_and_the_curve_splits_there():
    p = parse_function("tan(x)")
    c = p.classify_point(1.0)
    assert c.kind == "smooth" and c.nearest_singularity == pytest.approx(PI / 2, rel=1e-16)
    assert c.left_derivative == c.right_derivative == pytest.approx(1 / math.cos(1.0) ** 2, rel=1e-15)
    pieces = p.continuous_pieces(0.0, 5.0)
    assert len(pieces) == 3
    assert pieces[0] == (0.0, pytest.approx(PI / 2)) and pieces[2][1] == 5.0


@pytest.mark.parametrize(("text", "x0", "side", "slope"), [
    ("sqrt(x)", 0.0, "right", math.inf),
    ("sqrt(4 - x**2)", 2.0, "left", -math.inf),
    ("sqrt(4 - x**2)", -2.0, "right", math.inf),
    ("x*sqrt(x)", 0.0, "right", 0.0),                           # (3/2) sqrt(x) -> 0
    ("sqrt(x - 1) + x", 1.0, "right", math.inf),
    ("sqrt(x)**3 + 2*x", 0.0, "right", 2.0),
])
def test_domain_endpoints_have_one_slope(text, x0, side, slope):
    c = parse_function(text).classify_point(x0)
    assert c.kind == "endpoint"
    one, other = (c.right_derivative, c.left_derivative) if side == "right" else (c.left_derivative, c.right_derivative)
    assert other is None and one == pytest.approx(slope, abs=1e-12)
    with pytest.raises(ValueError, match="outside the domain"):
        parse_function(text).check_point(x0)


@pytest.mark.parametrize(("text", "x0"), [("log(x)", 0.0), ("log(x)", -1.0), ("sqrt(x)", -0.5),
                                          ("log(x - 3)", 2.0), ("1/sqrt(x)", -1.0)])
def test_points_outside_the_domain(text, x0):
    c = parse_function(text).classify_point(x0)
    assert c.kind == "outside-domain" and math.isnan(c.value)
    assert c.left_derivative is None and c.right_derivative is None
    with pytest.raises(ValueError, match="outside the domain"):
        parse_function(text).check_point(x0)


def test_log_at_zero_is_the_edge_of_its_domain():
    [edge] = parse_function("log(x)").singular_points(-1.0, 1.0)
    assert edge.x == 0.0 and edge.kind == "endpoint"
    assert edge.left_value is None and edge.right_value == -math.inf


@pytest.mark.parametrize(("text", "left", "right"), [
    ("abs(x)/x", -1.0, 1.0),
    ("sigmoid(1/x)", 0.0, 1.0),
    ("x + abs(x)/x", -1.0, 1.0),
])
def test_jumps_at_zero(text, left, right):
    c = parse_function(text).classify_point(0.0)
    assert c.kind == "jump"
    [s] = parse_function(text).singular_points(-1.0, 1.0)
    assert (s.left_value, s.right_value) == (pytest.approx(left, abs=1e-15), pytest.approx(right, abs=1e-15))


@pytest.mark.parametrize(("text", "limit"), [("sin(x)/x", 1.0), ("(exp(x) - 1)/x", 1.0),
                                             ("x/sin(x)", 1.0), ("(1 - cos(x))/x**2", 0.5)])
def test_removable_singularities_report_their_limit(text, limit):
    [s] = parse_function(text).singular_points(-1.0, 1.0)
    assert s.kind == "removable" and s.x == 0.0
    assert s.left_value == pytest.approx(limit, rel=1e-15) and s.right_value == pytest.approx(limit, rel=1e-15)


@pytest.mark.parametrize("text", ["exp(x)", "sigmoid(x)", "x**3 - 2*x", "abs(x)**3", "x*abs(x)",
                                  "sin(x)**2 + cos(x)", "sqrt(x**2 + 1)", "log(1 + x**2)", "tanh(x)"])
def test_smooth_functions_have_no_singular_points(text):
    p = parse_function(text)
    assert p.singularities(-10.0, 10.0).size == 0
    assert p.classify_point(0.0).kind == "smooth"
    p.check_point(0.0)


def test_smooth_point_carries_the_exact_derivative():
    c = parse_function("x*abs(x)").classify_point(0.0)  # |x|x is C^1: f'(0) = 0 from both sides
    assert c.kind == "smooth" and c.left_derivative == c.right_derivative == 0.0


def test_the_derivative_is_nan_where_it_does_not_exist():
    assert math.isnan(float(parse_function("abs(x)").df(0.0)))        # not sign(0) = 0
    assert float(parse_function("abs(x)**3").derivative(2)(0.0)) == 0.0   # 6|x| -> 0 exists
    assert math.isnan(float(parse_function("abs(x)**3").derivative(3)(0.0)))
    assert float(parse_function("cos(abs(x))").derivative(2)(0.0)) == -1.0  # cos|x| = cos x


@pytest.mark.parametrize(("call", "match"), [
    (lambda p: p.classify_point(float("nan")), "finite"),
    (lambda p: p.classify_point(0.0, window=0.0), "positive"),
    (lambda p: p.classify_point("zero"), "number"),
    (lambda p: p.singularities(1.0, 1.0), "a < b"),
    (lambda p: p.singularities(0.0, float("inf")), "finite"),
    (lambda p: p.singularities(-1e4, 1e4), "more than 200 singular points"),
])
def test_bad_arguments_are_refused_in_one_sentence(call, match):
    with pytest.raises(ValueError, match=match) as info:
        call(parse_function("tan(x)"))
    assert len(str(info.value).splitlines()) == 1 and len(str(info.value)) < 200
