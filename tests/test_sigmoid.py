"""The sigmoid, its derivative and the vanishing-gradient zone."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mathcore import sigmoid, sigmoid_prime, vanishing_zone


def test_exact_at_zero():
    assert float(sigmoid(0.0)) == 0.5
    assert float(sigmoid_prime(0.0)) == 0.25


def test_extremes_give_no_warning_and_no_nan():
    x = np.array([1e4, -1e4, 1e308, -1e308, 745.0, -745.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s, d = sigmoid(x), sigmoid_prime(x)
    assert not np.any(np.isnan(s)) and not np.any(np.isnan(d))
    np.testing.assert_array_equal(s[:4], [1.0, 0.0, 1.0, 0.0])


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_sigmoid_matches_closed_form_and_symmetry(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = float(sigmoid(x))
    assert 0.0 <= s <= 1.0
    assert s + float(sigmoid(-x)) == pytest.approx(1.0, abs=1e-15)
    if abs(x) < 700:
        assert s == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-15, abs=1e-300)


@given(st.floats(-700, 700))
def test_prime_is_positive_and_matches_the_logistic_identity(x):
    d = float(sigmoid_prime(x))
    assert d > 0
    # sigma'(x) = e^{-|x|} / (1 + e^{-|x|})^2, computed independently with math
    e = math.exp(-abs(x))
    assert d == pytest.approx(e / (1 + e) ** 2, rel=1e-14)
    assert d <= 0.25


def test_prime_never_exceeds_its_peak_near_zero():
    # e/(1+e)^2 rounds up to 0.25000000000000006 here; the true value is just below 0.25.
    x = np.array([7.597887528825555e-09, -7.597887528825555e-09, 1e-12, 0.0])
    assert np.all(sigmoid_prime(x) <= 0.25)


def test_prime_stays_positive_where_the_naive_formula_gives_zero():
    x = np.array([37.0, 40.0, 100.0, 700.0])
    naive = sigmoid(x) * (1 - sigmoid(x))
    assert np.all(naive[1:] == 0.0)
    assert np.all(sigmoid_prime(x) > 0)
    np.testing.assert_allclose(sigmoid_prime(x), np.exp(-x), rtol=1e-12)  # e^{-x}(1 - 2e^{-x} + ...)


def test_float32_stays_float32():
    assert sigmoid(np.float32(2.0)).dtype == np.float32
    assert sigmoid_prime(np.array([1.0], dtype=np.float32)).dtype == np.float32


def test_zone_for_one_percent():
    # sigma' = 0.01 at s = (1 + sqrt(0.96)) / 2; x* = ln(s / (1 - s)) = 4.58496...
    s = (1 + math.sqrt(0.96)) / 2
    assert float(vanishing_zone(0.01)) == pytest.approx(math.log(s / (1 - s)), rel=1e-13)
    assert round(float(vanishing_zone(0.01)), 4) == 4.5849


@given(st.floats(1e-300, 0.2499))
def test_zone_edge_is_where_the_derivative_crosses_the_threshold(t):
    edge = float(vanishing_zone(t))
    assert edge > 0
    assert float(sigmoid_prime(edge)) == pytest.approx(t, rel=1e-9)
    assert float(sigmoid_prime(edge * 1.001 + 1e-9)) < t
    assert float(sigmoid_prime(edge * 0.999)) > t


@pytest.mark.parametrize("t", [0.0, -0.1, 0.25, 0.3, np.nan, np.inf])
def test_zone_threshold_outside_range_is_refused(t):
    with pytest.raises(ValueError, match="between 0 and 0.25"):
        vanishing_zone(t)


def test_nan_input_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        sigmoid(np.nan)
    with pytest.raises(ValueError, match="NaN"):
        sigmoid_prime([0.0, np.nan])


@pytest.mark.parametrize("x", [-30.0, -2.0, 0.0, 0.7, 2.0, 15.0, 40.0])
def test_complex_step_of_sigmoid_matches_mpmath(x):
    import mpmath

    from mathcore import complex_step

    with mpmath.workdps(50):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
        first, second = s * (1 - s), s * (1 - s) * (1 - 2 * s)  # sigma' and sigma''
    assert float(complex_step(sigmoid, x, 1e-20)) == pytest.approx(float(first), rel=1e-14)
    if abs(x) > 0:  # sigma''(0) = 0 exactly; elsewhere relative accuracy
        assert float(complex_step(sigmoid_prime, x, 1e-20)) == pytest.approx(float(second), rel=1e-12)


def test_complex_input_keeps_its_precision():
    assert sigmoid(np.complex64(1.0)).dtype == np.complex64
    assert sigmoid(np.array([1 + 1e-20j])).dtype == np.complex128


def test_messages_show_shapes_and_a_few_values_never_whole_arrays():
    steps = np.logspace(-16, 0, 801)
    steps[400] = np.nan
    with pytest.raises(ValueError) as info:
        sigmoid(steps)
    message = str(info.value)
    assert "(801,)" in message and "index (400,)" in message and len(message) < 300
    with pytest.raises(ValueError) as info:
        vanishing_zone(np.linspace(0.1, 0.4, 801))
    assert "(801,)" in str(info.value) and len(str(info.value)) < 300
    with pytest.raises(ValueError, match="numbers"):
        sigmoid(["a"] * 1000)
