"""The scheme and precision records: one place that every other spelling derives from."""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numpy as np
import pytest

import mathcore
from mathcore import PRECISIONS, SCHEMES, Scheme

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)
E_PRIME = float(mpmath.e)  # d/dx exp at 1


def test_every_scheme_is_one_frozen_record():
    assert list(SCHEMES) == ["forward", "backward", "central", "complex-step", "richardson", "forward-naive"]
    for name, s in SCHEMES.items():
        assert isinstance(s, Scheme) and s.name == name
        assert s.optimum_tex.startswith("h^* = ") and s.scaling_tex.startswith(r"\propto")
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.order = 3  # type: ignore[misc]


def test_precisions_are_named_once_and_sweeps_take_them():
    assert list(PRECISIONS) == ["float64", "float32"]
    for name, dtype in PRECISIONS.items():
        s = mathcore.error_sweep(np.exp, np.exp, 1.0, h=[1e-3], dtype=dtype)
        assert s.dtype == np.dtype(name) and s.estimate.dtype == np.dtype(name)


@pytest.mark.parametrize("name", list(SCHEMES))
def test_record_estimate_and_kernel_agree(name):
    s = SCHEMES[name]
    h = np.array([1e-3, 1e-2])
    np.testing.assert_array_equal(s.estimate(np.exp, 1.0, h), s.kernel(np.exp, np.asarray(1.0), h))


@pytest.mark.parametrize(("name", "lo", "hi"), [("forward", -5, -2), ("backward", -5, -2), ("central", -3, -1),
                                                 ("complex-step", -2, -0.5), ("richardson", -1.5, -0.5),
                                                 ("forward-naive", -5, -2)])
def test_truncation_order_is_the_log_log_slope_against_mpmath(name, lo, hi):
    """findiff's way: fit log|error| against log h where truncation dominates."""
    s = SCHEMES[name]
    h = np.logspace(lo, hi, 12)
    error = np.abs(s.estimate(np.exp, 1.0, h) - E_PRIME)
    assert np.polyfit(np.log(h), np.log(error), 1)[0] == pytest.approx(s.order, abs=0.1)
    # and the coefficient: C |f^(k)| h^p, with f^(k) = e
    np.testing.assert_allclose(error, s.truncation_coefficient * E_PRIME * h**s.order, rtol=0.15)


@pytest.mark.parametrize(("name", "textbook"), [
    # one-sided: the typical rounding eps|f|/2 in place of the worst case 2 eps|f| halves the
    # textbook's 2 sqrt(eps |f/f''|)
    ("forward", lambda f, d1, dk: math.sqrt(EPS * abs(f / dk))),
    ("backward", lambda f, d1, dk: math.sqrt(EPS * abs(f / dk))),
    ("central", lambda f, d1, dk: (3 / 4 * EPS * abs(f / dk)) ** (1 / 3)),
    ("richardson", lambda f, d1, dk: (90 * EPS * abs(f / dk)) ** (1 / 5)),
    ("complex-step", lambda f, d1, dk: math.sqrt(6 * EPS * abs(d1 / dk))),
])
def test_optimum_is_the_textbook_closed_form(name, textbook):
    for f, d1, dk in ((2.0, 0.5, 3.0), (1e-3, 7.0, 1e5), (-4.0, -1.0, 0.01)):
        assert SCHEMES[name].optimum(EPS, 1.0, f, d1, dk) == pytest.approx(textbook(f, d1, dk), rel=1e-12)


def test_optimum_edge_cases():
    forward = SCHEMES["forward"]
    assert forward.optimum(EPS, 2.0, 7.0, 3.0, 0.0) == math.inf  # linear f: truncation vanishes
    assert math.isnan(forward.optimum(EPS, 0.0, 0.0, 0.0, 0.0))  # nothing at all
    # f(x) = 0: no cancellation, the floor is eps |f'| as for the complex step
    assert forward.optimum(EPS, 0.0, 0.0, 1.0, 2.0) == pytest.approx(EPS * 1.0 / 1.0)
    naive = SCHEMES["forward-naive"]
    x, f, d1, d2 = 1e4, 0.3, 0.95, 0.3
    assert naive.optimum(EPS, x, f, d1, d2) == pytest.approx(
        math.sqrt(EPS * (abs(f) + abs(x * d1)) / abs(d2)), rel=1e-12)


def test_mathcore_exports_the_records():
    for name in ("SCHEMES", "PRECISIONS", "Scheme"):
        assert name in mathcore.__all__
    assert not hasattr(mathcore, "ORDERS")
