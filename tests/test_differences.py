"""Finite differences and the complex step against closed forms and textbook error orders."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import (
    backward_difference,
    central_difference,
    complex_step,
    forward_difference,
    naive_forward_difference,
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


# -- what f returns (issue 9, class 4) ---------------------------------------------------------

ALL_SCHEMES = (forward_difference, backward_difference, central_difference, richardson,
               naive_forward_difference)


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_a_shared_array_that_f_returns_is_never_written(scheme):
    shared = np.array([1.0, 2.0])
    got = scheme(lambda t: shared, np.zeros(2), 0.1)
    assert np.array_equal(shared, [1.0, 2.0])
    assert np.array_equal(got, [0.0, 0.0])  # a constant has slope zero


@pytest.mark.parametrize("scheme", ALL_SCHEMES)
def test_a_caching_f_keeps_its_cache(scheme):
    cache: dict[float, np.ndarray] = {}

    def cached_exp(t):
        if np.ndim(t):
            return np.exp(t)
        return cache.setdefault(float(t), np.exp(np.asarray(t)))  # the same 0-d array each time

    first = float(scheme(cached_exp, 1.0, 1e-3))
    second = float(scheme(cached_exp, 1.0, 1e-3))
    assert first == second
    for point, value in cache.items():  # exp of each point, untouched by either call
        assert float(value) == float(np.exp(point))
        assert abs(float(value) - float(mpmath.exp(point))) <= np.spacing(float(value))
    assert abs(first - np.e) < 2e-3


@given(values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=8), h=st.floats(1e-6, 1.0))
@settings(max_examples=50)
def test_no_scheme_writes_into_what_f_returns(values, h):
    returned = np.array(values)
    before = returned.copy()
    for scheme in ALL_SCHEMES:
        scheme(lambda t: returned, np.zeros(len(values)), h)
    assert np.array_equal(returned, before)


def test_f_returning_a_python_number_with_an_array_of_steps():
    h = np.array([1e-3, 1e-2, 1e-1])
    for scheme in ALL_SCHEMES:
        got = scheme(lambda t: 3.0, 1.0, h)
        assert got.shape == (3,) and np.all(got == 0)
    assert complex_step(lambda t: 2.0 * t + 0j * 0, 1.0, h).shape == (3,)


def test_f_returning_a_0d_array_and_ints():
    assert float(forward_difference(lambda t: np.asarray(np.square(t)), 1.0, 0.5)) == 2.5
    squares = lambda t: np.rint(np.square(t)).astype(np.int64)  # noqa: E731 - exact for these points
    assert float(forward_difference(squares, 2.0, 1.0)) == 5.0  # (9 - 4) / 1
    assert float(central_difference(squares, 2.0, 1.0)) == 4.0  # (9 - 1) / 2
    assert forward_difference(squares, 2.0, 1.0).dtype == np.float64


@pytest.mark.parametrize(("f", "match"), [
    (lambda t: np.full(np.shape(t), "a"), "must return real numbers"),
    (lambda t: np.ones(7), r"shape \(7,\) for points of shape \(\)"),
    (lambda t: t + 1j, "complex values at real points"),
])
def test_what_f_may_not_return_is_refused_in_one_sentence(f, match):
    with pytest.raises(ValueError, match=match) as info:
        forward_difference(f, 1.0, 1e-3)
    assert len(str(info.value)) < 300


def test_messages_name_shapes_and_a_few_values_never_whole_arrays():
    h = np.logspace(-16, 0, 801)
    h[400] = -1.0
    with pytest.raises(ValueError, match="strictly positive") as info:
        forward_difference(np.exp, 1.0, h)
    assert len(str(info.value)) < 200
    with pytest.raises(ValueError, match=r"NaN at x - h = -0\.5 \(1 of 1 stencil points\)"):
        central_difference(np.log, 0.5, 1.0)
    with pytest.raises(ValueError, match=r"of 801 stencil points") as info:
        central_difference(np.log, 0.5, np.logspace(-16, 0, 801))
    assert len(str(info.value)) < 300
    with pytest.raises(ValueError, match="real") as info:
        forward_difference(np.exp, np.full(5000, 1 + 1j), 1e-3)
    assert len(str(info.value)) < 300
    with pytest.raises(ValueError, match="infinite"):
        forward_difference(lambda t: 1 / (t - 1.5), 1.0, 0.5)  # a pole at the stencil point


# -- large |x|: the step actually taken (issue 9, class 2) ------------------------------------

def _mp_secant(f_mp, x: float, upper: float, lower: float) -> float:
    """The slope through the two floats f is really evaluated at, in 50 digits."""
    return float((f_mp(mpmath.mpf(upper)) - f_mp(mpmath.mpf(lower))) / (mpmath.mpf(upper) - mpmath.mpf(lower)))


@given(x=st.floats(1e2, 1e7), h=st.floats(1e-9, 1e-3))
@settings(max_examples=100)
def test_forward_difference_is_the_slope_through_the_points_evaluated(x, h):
    """Dividing by fl(x + h) - x leaves only the rounding of the two values of sin."""
    upper = x + h
    secant = _mp_secant(mpmath.sin, x, upper, x)
    got = float(forward_difference(np.sin, x, h))
    assert abs(got - secant) <= 2 * EPS / (upper - x) + 4 * EPS * abs(secant)


@given(x=st.floats(1e3, 1e7), h=st.floats(1e-7, 1e-3))
@settings(max_examples=100)
def test_central_difference_at_large_x_obeys_the_model_without_an_x_term(x, h):
    truth = float(mpmath.cos(mpmath.mpf(x)))
    got = float(central_difference(np.sin, x, h))
    # |f'''| h^2 / 6 + eps |f| / h, with h the step taken (within an ULP of x of h)
    taken = (x + h) - x
    assert abs(got - truth) <= taken**2 / 6 + 2 * EPS / taken + 4 * EPS


def test_richardson_at_large_x_matches_the_truth_to_near_machine_precision():
    truth = float(mpmath.cos(mpmath.mpf(1e4)))
    got = float(richardson(np.sin, 1e4, 7.4e-4))
    assert abs(got / truth - 1) < 1e-12  # numdifftools' default: 8e-12; dividing by h: 7e-10


def test_naive_forward_difference_keeps_the_error_of_the_rounded_step():
    x, h = 1e4, 1e-9
    upper = x + h
    truth_naive = float((mpmath.sin(mpmath.mpf(upper)) - mpmath.sin(mpmath.mpf(x))) / mpmath.mpf(h))
    got = float(naive_forward_difference(np.sin, x, h))
    assert abs(got - truth_naive) <= 2 * EPS / h
    step_error = abs(np.cos(x)) * abs((upper - x) - h) / h  # the lesson: |f'| |h~ - h| / h
    assert step_error > 1e-5
    assert abs(got - float(mpmath.cos(x))) == pytest.approx(step_error, rel=0.01)
