"""What the error scene says about each best step, for each class of point, without rendering.

Expected values are closed forms worked by hand (and mpmath), never the labels' own output.
"""

from __future__ import annotations

import math

import mathcore
import mpmath
import pytest

from scenes.error_data import ErrorData
from scenes.error_labels import (
    FLOOR,
    NO_MODEL,
    NO_TRUNCATION,
    OPTIMUM,
    floor_optimum_tex,
    sci_tex,
)
from scenes.pieces import number_tex

EPS64, EPS32 = 2.0**-52, 2.0**-23


def measure(function: str, x0: float, h_max: float = 1.0, precision: str = "float64") -> ErrorData:
    return ErrorData.measure(function, x0, 1e-16, h_max, precision)


def test_smooth_point_states_the_closed_form_optimum():
    """sin at 1: forward h* = sqrt(eps |sin 1 / sin 1|) = sqrt(eps); central (3/4 eps |tan 1|)^(1/3)."""
    d = measure("sin(x)", 1.0)
    forward, central = d.statements["forward"], d.statements["central"]
    assert forward.kind == OPTIMUM and forward.value == pytest.approx(math.sqrt(EPS64), rel=1e-12)
    assert central.kind == OPTIMUM
    assert central.value == pytest.approx((0.75 * EPS64 * abs(math.sin(1) / -math.cos(1))) ** (1 / 3), rel=1e-12)
    assert d.statements["other"].value == pytest.approx(math.sqrt(EPS32), rel=1e-12)
    assert forward.inside and central.inside


def test_where_f_vanishes_nothing_cancels_and_h_star_is_the_floor_step():
    """x^2 - 1 at 1: f = 0, f' = 2, f'' = 2, so forward's error is h + eps |f'| and
    h* = 2 eps |f'/f''| = 2 eps, the step below which it stays at eps |f'|."""
    s = measure("x**2 - 1", 1.0).statements["forward"]
    assert s.kind == FLOOR and s.equation == floor_optimum_tex(mathcore.SCHEMES["forward"])
    assert s.value == pytest.approx(2 * EPS64, rel=1e-12)


def test_linear_function_has_no_best_step():
    for s in measure("3*x + 1", 2.0).statements.values():
        assert s.kind == NO_TRUNCATION and math.isinf(s.value) and not s.inside


def test_missing_higher_derivative_means_no_model():
    """|x|^1.5 at 0: f'(0) = 0 exists, f''(0) does not."""
    d = measure("abs(x)**1.5", 0.0)
    assert d.point_kind == "smooth"
    for key in ("forward", "central", "other"):
        s = d.statements[key]
        assert s.kind == NO_MODEL and math.isnan(s.value) and s.reason


def test_a_kink_is_refused_with_mathcores_reason():
    """abs at 0 has no f'(0): there is no error to measure, and the reason is one sentence."""
    with pytest.raises(ValueError, match="kink"):
        measure("abs(x)", 0.0)


@pytest.mark.parametrize("function, x0, h_max", [("sqrt(x)", 1e-3, 1e-4), ("log(x)", 5e-3, 1e-3),
                                                 ("1/(x - 0.99)", 1.0, 1e-3)])
def test_near_a_domain_edge_or_pole_the_optimum_is_the_closed_form(function, x0, h_max):
    """Issue 9: sqrt and log near 0, and 1/(x - 0.99) next to its pole: finite, the closed form
    sqrt(eps |f/f''|) with f and f'' from mpmath, and inside the swept steps."""
    g = {"sqrt(x)": mpmath.sqrt, "log(x)": mpmath.log, "1/(x - 0.99)": lambda t: 1 / (t - mpmath.mpf("0.99"))}
    with mpmath.workdps(50):
        f, f2 = g[function](mpmath.mpf(x0)), mpmath.diff(g[function], mpmath.mpf(x0), 2)
        truth = float(mpmath.sqrt(EPS64 * abs(f / f2)))
    s = measure(function, x0, h_max).statements["forward"]
    assert s.kind == OPTIMUM and s.inside
    assert s.value == pytest.approx(truth, rel=1e-9)


def test_numbers_are_typeset_for_their_magnitude():
    assert sci_tex(3.04e-8) == r"3.0\times10^{-8}"
    assert sci_tex(9.96e-5) == r"1.0\times10^{-4}"
    assert sci_tex(0.25) == "0.25"
    assert number_tex(1e6) == "10^{6}"
    assert number_tex(-2.5e-7) == r"-2.5\times10^{-7}"
    assert number_tex(0.001) == "0.001"
    assert number_tex(12345.678) == "12345.678"
