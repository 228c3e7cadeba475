"""mathcore.derivative against 50-digit mpmath, numdifftools, domain edges and kinks."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mathcore import DerivativeEstimate, derivative, higher_derivatives, parse_function

mpmath.mp.dps = 50


def real_only(g):
    def f(t):
        if np.iscomplexobj(t):
            raise TypeError("real input only")
        return g(t)
    return f


CASES = [
    # (f, mpmath f, x): edges, poles, large |x|, tiny derivatives
    (np.sqrt, mpmath.sqrt, 1e-6),
    (np.log, mpmath.log, 1e-3),
    (np.sin, mpmath.sin, 1e4),
    (np.sin, mpmath.sin, 1e6),
    (lambda t: 1 / (t - 0.99), lambda t: 1 / (t - mpmath.mpf(0.99)), 1.0),
    (np.tan, mpmath.tan, 1.57),
    (np.tanh, mpmath.tanh, 10.0),
    (lambda t: t * np.sin(1 / t), lambda t: t * mpmath.sin(1 / t), 0.05),
    (real_only(np.sqrt), mpmath.sqrt, 1e-6),
    (real_only(np.log), mpmath.log, 1e-3),
    (real_only(np.log), mpmath.log, 5.0),
    (real_only(np.sin), mpmath.sin, 1e4),
    (real_only(lambda t: np.exp(-t * t)), lambda t: mpmath.exp(-t * t), 3.0),
    (real_only(lambda t: np.abs(t) ** 2.5), lambda t: abs(t) ** 2.5, -0.3),
    (real_only(lambda t: 1 / (t - 0.99)), lambda t: 1 / (t - mpmath.mpf(0.99)), 1.0),
]


@pytest.mark.parametrize(("f", "f_mp", "x"), CASES)
def test_derivative_against_mpmath(f, f_mp, x):
    truth = float(mpmath.diff(f_mp, mpmath.mpf(x)))
    d = derivative(f, x)
    assert isinstance(d, DerivativeEstimate) and math.isfinite(d.value)
    assert abs(d.value - truth) <= 1e-11 * abs(truth)
    assert abs(d.value - truth) <= d.error + 2 * np.spacing(abs(truth))  # its own estimate holds


def test_complex_step_where_f_takes_complex_input_else_an_extrapolated_difference():
    assert derivative(np.sqrt, 1e-6).method == "complex-step"
    assert derivative(real_only(np.sqrt), 1e-6).method == "central"  # on a radius below 1e-6
    d = derivative(real_only(lambda t: np.exp(t) + 0 * np.sqrt(t)), 0.0)  # NaN left of 0: one-sided
    assert d.method == "forward" and d.value == pytest.approx(1.0, rel=1e-10)
    assert derivative(real_only(np.log), 5.0).method == "central"
    # accepts complex but is not analytic: conj(t) t = |t|^2 has a zero complex-step slope
    d = derivative(lambda t: np.conj(t) * t, 1.5)
    assert d.method != "complex-step" and d.value == pytest.approx(3.0, rel=1e-10)


def test_never_nan_near_domain_edges():
    for g, truth in ((np.sqrt, lambda x: 0.5 / math.sqrt(x)), (np.log, lambda x: 1 / x),
                     (real_only(np.sqrt), lambda x: 0.5 / math.sqrt(x)), (real_only(np.log), lambda x: 1 / x)):
        for x in (1e-12, 1e-9, 1e-6, 1e-3):
            d = derivative(g, x)
            assert math.isfinite(d.value) and d.value == pytest.approx(truth(x), rel=1e-10)


def test_refusals_are_one_sentence():
    with pytest.raises(ValueError, match="outside its domain"):
        derivative(np.log, -1.0)
    with pytest.raises(ValueError, match="not differentiable at x = 0"):
        derivative(real_only(np.abs), 0.0)
    with pytest.raises(ValueError, match="function of x"):
        derivative("sin", 1.0)
    with pytest.raises(ValueError, match="x must be finite"):
        derivative(np.sin, np.nan)


def test_arrays_of_points():
    x = np.array([[0.5, 1.0], [2.0, 3.0]])
    d = derivative(real_only(np.sin), x)
    assert d.value.shape == (2, 2) and d.method.shape == (2, 2)
    np.testing.assert_allclose(d.value, np.cos(x), rtol=1e-11, atol=1e-14)


@given(x=st.floats(-40, 40))
@settings(max_examples=40, deadline=None)
def test_extrapolated_difference_everywhere(x):
    truth = float(mpmath.cos(mpmath.mpf(x)))
    d = derivative(real_only(np.sin), x)
    assert abs(d.value - truth) <= 1e-11 + d.error


def test_median_error_at_or_below_numdifftools_on_the_bench_battery():
    from bench.accuracy import run

    rows = {r.method: r for r in run()}
    ours, theirs = rows["mathcore derivative"], rows["numdifftools Derivative()"]
    assert ours.failures == 0
    assert ours.median <= theirs.median
    assert ours.worst < 1e-11


def test_higher_derivatives_of_a_parsed_function_against_mpmath():
    fn = parse_function("x**2*sin(x) + log(x)")
    d = higher_derivatives(fn)
    f_mp = lambda t: t**2 * mpmath.sin(t) + mpmath.log(t)  # noqa: E731
    for k in (2, 3, 5):
        truth = float(mpmath.diff(f_mp, mpmath.mpf(1.3), k))
        assert float(d[k](1.3)) == pytest.approx(truth, rel=1e-12)
    with pytest.raises(ValueError, match="at least 2"):
        higher_derivatives(fn, (1,))


@pytest.mark.parametrize("x", [1.0, 3.0, 100.0])
def test_a_function_computed_in_float32_gets_an_honest_error(x):
    def sin32(t):
        if np.iscomplexobj(t):
            raise TypeError("real input only")
        return np.sin(np.asarray(t, dtype=np.float32))

    truth = float(mpmath.cos(mpmath.mpf(x)))
    d = derivative(sin32, x)
    assert abs(d.value - truth) <= d.error and d.error < 1e-4  # float32 noise, not a flat 0
