"""Finite differences and the complex step against closed forms and textbook error orders."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import (
    backward_difference,
    central_difference,
    complex_step,
    forward_difference,
    richardson,
    secant_line,
    secant_slope,
    tangent_line,
)

EPS = np.finfo(np.float64).eps


def test_secant_slope_of_square_is_two_x0_plus_h():
    h = np.array([1.0, 0.5, 0.25, 0.125])
    np.testing.assert_allclose(secant_slope(lambda x: x**2, 1.0, h), 2 * 1.0 + h, rtol=0, atol=4 * EPS)


@given(x0=st.floats(-100, 100), h=st.floats(1e-3, 10))
def test_secant_slope_of_square_closed_form_everywhere(x0, h):
    expected = 2 * x0 + h
    got = float(secant_slope(lambda x: x**2, x0, h))
    # (x0+h)^2 - x0^2 loses about eps * x0^2 / h to cancellation
    assert abs(got - expected) <= 8 * EPS * (abs(x0) + h) ** 2 / h + 8 * EPS * abs(expected)


def test_schemes_broadcast_over_x_and_h():
    x = np.array([[0.0], [1.0], [2.0]])
    h = np.array([1e-3, 1e-4])
    for scheme in (forward_difference, backward_difference, central_difference, complex_step, richardson):
        got = scheme(np.sin, x, h)
        assert got.shape == (3, 2)
        np.testing.assert_allclose(got, np.cos(x) * np.ones_like(h), atol=1e-3)


def test_closed_forms_of_polynomials():
    # For x^3 at x0: forward = 3x0^2 + 3x0 h + h^2, central = 3x0^2 + h^2, backward = 3x0^2 - 3x0 h + h^2.
    x0, h = 2.0, 0.5
    cube = lambda x: x**3  # noqa: E731
    assert float(forward_difference(cube, x0, h)) == pytest.approx(3 * x0**2 + 3 * x0 * h + h**2, rel=1e-14)
    assert float(backward_difference(cube, x0, h)) == pytest.approx(3 * x0**2 - 3 * x0 * h + h**2, rel=1e-14)
    assert float(central_difference(cube, x0, h)) == pytest.approx(3 * x0**2 + h**2, rel=1e-14)
    # Richardson removes the h^2 term exactly for a cubic.
    assert float(richardson(cube, x0, h)) == pytest.approx(3 * x0**2, rel=1e-14)


def _loglog_slope(scheme, h):
    error = np.abs(scheme(np.exp, 1.0, h) - np.exp(1.0))
    return np.polyfit(np.log(h), np.log(error), 1)[0]


def test_forward_error_shrinks_like_h():
    h = np.logspace(-5, -2, 12)  # truncation-dominated range
    assert _loglog_slope(forward_difference, h) == pytest.approx(1.0, abs=0.05)
    assert _loglog_slope(backward_difference, h) == pytest.approx(1.0, abs=0.05)


def test_central_error_shrinks_like_h_squared():
    h = np.logspace(-3, -1, 12)
    assert _loglog_slope(central_difference, h) == pytest.approx(2.0, abs=0.05)


def test_richardson_error_shrinks_like_h_to_the_fourth():
    h = np.logspace(-1.5, -0.5, 10)
    assert _loglog_slope(richardson, h) == pytest.approx(4.0, abs=0.1)


# h from 1e-200: below that, cos(x) * h for x near pi/2 is subnormal and loses digits before
# the division by h; that is underflow, not a property of the complex step.
@given(h=st.floats(1e-200, 1e-8), x=st.floats(-5, 5))
@settings(max_examples=200)
def test_complex_step_is_within_a_few_ulps_for_small_h(h, x):
    exact = np.cos(x)
    got = float(complex_step(np.sin, x, h))
    assert abs(got - exact) <= 4 * np.spacing(abs(exact)) + 1e-300


def test_precision_follows_the_inputs():
    x32, h32 = np.float32(1.0), np.float32(1e-2)
    for scheme in (forward_difference, backward_difference, central_difference, complex_step, richardson):
        assert scheme(np.exp, x32, h32).dtype == np.float32
        assert scheme(np.exp, 1.0, 1e-2).dtype == np.float64
    # float32 round-off really is float32: h = 1e-6 is far below float32's optimal step.
    assert abs(float(forward_difference(np.exp, x32, np.float32(1e-6))) - np.e) > 1e-2


def test_secant_and_tangent_lines_of_square():
    slope, intercept = secant_line(lambda x: x**2, 1.0, 1.0)  # through (1, 1) and (2, 4)
    assert (float(slope), float(intercept)) == (3.0, -2.0)
    slope, intercept = tangent_line(lambda x: x**2, lambda x: 2 * x, 3.0)  # y = 6x - 9
    assert (float(slope), float(intercept)) == (6.0, -9.0)


@pytest.mark.parametrize("h", [0.0, -1e-3, np.nan, np.inf, [1e-3, -1e-3], []])
def test_bad_steps_are_refused(h):
    with pytest.raises(ValueError, match="h must"):
        forward_difference(np.sin, 1.0, h)


@pytest.mark.parametrize("x", [np.nan, np.inf, -np.inf, "one", [1, [2, 3]], 1 + 2j])
def test_bad_points_are_refused(x):
    with pytest.raises(ValueError, match="x must"):
        central_difference(np.sin, x, 1e-3)


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="cannot be broadcast"):
        central_difference(np.sin, np.zeros(3), np.full(4, 1e-3))


def test_outside_the_domain_is_refused():
    with pytest.raises(ValueError, match="domain"):
        central_difference(np.log, 0.5, 1.0)  # x - h = -0.5
    with pytest.raises(ValueError, match="domain"):
        tangent_line(np.log, lambda x: 1 / x, -1.0)


def test_non_callable_is_refused():
    with pytest.raises(ValueError, match="function of x"):
        forward_difference("sin", 1.0, 1e-3)
