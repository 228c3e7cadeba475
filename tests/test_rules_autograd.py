"""The rule verifier and the autograd checker, including proof that they can fail."""

from __future__ import annotations

import numpy as np
import pytest

from mathcore import CATALOG, CatalogFunction, check_autograd, principled_step, ulp_distance, verify_rules

EPS = np.finfo(np.float64).eps


def test_rules_cover_power_product_and_chain_and_pass():
    rows = verify_rules()
    assert {r.rule for r in rows} == {"power", "product", "chain"}
    assert len({r.function for r in rows}) >= 8 and len({r.x for r in rows}) >= 3
    for r in rows:
        assert r.passed, r
        assert r.abs_error == pytest.approx(abs(r.analytic - r.numerical))
        assert r.tolerance > 0


def test_analytic_values_are_the_textbook_ones():
    rows = {(r.function, r.x): r for r in verify_rules()}
    assert rows[("x^3", 3.0)].analytic == 27.0
    assert rows[("x^2*sin(x)", 1.5)].analytic == pytest.approx(3 * np.sin(1.5) + 2.25 * np.cos(1.5), rel=1e-15)
    assert rows[("exp(-x^2)", -0.5)].analytic == pytest.approx(np.exp(-0.25), rel=1e-15)


def test_a_wrong_derivative_fails():
    wrong = CatalogFunction("x^3 (wrong)", "power", "x^3", "2x^2",
                            lambda x, m: x**3, lambda x, m: 2 * x**2, (1.0, 2.0))
    rows = verify_rules([wrong])
    assert rows and not any(r.passed for r in rows)
    assert rows[0].abs_error == pytest.approx(1.0, rel=1e-6)  # 3x^2 - 2x^2 at x = 1


def test_a_subtly_wrong_chain_rule_fails():
    # Forgetting the inner derivative of sin(x^2): cos(x^2) instead of 2x cos(x^2).
    wrong = CatalogFunction("sin(x^2) (no inner)", "chain", r"\sin(x^2)", r"\cos(x^2)",
                            lambda x, m: m.sin(x**2), lambda x, m: m.cos(x**2), (1.5,))
    assert not verify_rules([wrong])[0].passed


def test_principled_step_balances_truncation_and_roundoff():
    assert principled_step(1.0) == pytest.approx((3 * EPS) ** (1 / 3))
    assert principled_step(100.0) == pytest.approx(100 * (3 * EPS) ** (1 / 3))


def test_catalog_has_the_lab_functions_and_both_backends():
    import torch

    for name in ("x^2", "x^3", "x^5", "sin(x)", "exp(x)", "log(x)", "sigmoid(x)", "tanh(x)",
                 "x^2*sin(x)", "sin(x^2)", "exp(-x^2)", "sigmoid(2x-1)"):
        fn = CATALOG[name]
        x = fn.points[2]
        t = torch.tensor(x, dtype=torch.float64)
        assert float(fn.f_torch(t)) == pytest.approx(float(fn.f(x)), rel=1e-14)
        assert float(fn.df_torch(t)) == pytest.approx(float(fn.df(x)), rel=1e-14)


def test_autograd_matches_analytic_to_a_few_ulps():
    rows = check_autograd()
    assert {r.function for r in rows} == set(CATALOG)
    ulps = np.array([r.ulps for r in rows])
    # Most are bit-identical; where the value itself comes out of a cancellation (1 - tanh^2,
    # sigma(1 - sigma)) torch rounds differently by a few ULPs; the catalog keeps |u| <= 2 there.
    assert np.median(ulps) == 0 and ulps.max() <= 16
    assert all(r.gradcheck for r in rows)
    fd = np.array([r.fd_error for r in rows])
    assert 1e-14 < np.median(fd) < 1e-8  # the numerical estimate is visibly worse
    assert np.median(fd / np.maximum(np.abs([r.analytic for r in rows]), 1)) > 100 * EPS


def test_autograd_flags_a_wrong_analytic_derivative():
    wrong = CatalogFunction("tanh (wrong)", "basic", r"\tanh x", r"1-\tanh x",
                            lambda x, m: m.tanh(x), lambda x, m: 1 - m.tanh(x), (0.5,))
    row = check_autograd([wrong])[0]
    assert row.ulps > 1_000_000


def test_ulp_distance():
    assert ulp_distance(1.0, 1.0) == 0
    assert ulp_distance(1.0, 1.0 + EPS) == 1
    assert ulp_distance(-np.nextafter(0, 1), np.nextafter(0, 1)) == 2
    with pytest.raises(ValueError, match="finite"):
        ulp_distance(np.nan, 1.0)


@pytest.mark.parametrize("bad", [["x^2"], [None], 3])
def test_verifiers_refuse_what_is_not_a_catalog_function(bad):
    with pytest.raises(ValueError, match="CatalogFunction"):
        verify_rules(bad)
    with pytest.raises(ValueError, match="CatalogFunction"):
        check_autograd(bad)


@pytest.mark.parametrize("x", [1e-6, 1e-3, 0.1, 5.0, 1e6, -2e-7])
def test_principled_step_scales_to_x_and_is_representable(x):
    h = principled_step(x)
    assert h == pytest.approx((3 * EPS) ** (1 / 3) * abs(x), rel=1e-6)
    assert h < abs(x) and (x + h) - x == h  # Numerical Recipes 5.7: the step actually taken


@pytest.mark.parametrize("x", [5e-324, -1e-320, 3e-319])
def test_principled_step_never_underflows_to_zero_at_a_subnormal_x(x):
    """(3 eps)^(1/3) |x| is below the smallest float here; the step is then one ulp of x."""
    import math

    h = principled_step(x)
    assert h == math.ulp(x) and (x + h) - x == h and h <= abs(x)


def test_principled_step_keeps_sqrt_near_zero_in_its_domain():
    import math

    from mathcore import central_difference

    for x in (1e-6, 1e-9, 1e-3):
        estimate = float(central_difference(np.sqrt, x, principled_step(x)))
        assert estimate == pytest.approx(0.5 / math.sqrt(x), rel=1e-8)  # closed form 1/(2 sqrt x)


def test_principled_step_at_zero_and_with_a_typical_scale():
    assert principled_step(0.0) == pytest.approx((3 * EPS) ** (1 / 3))
    assert principled_step(1e-6, typical=1.0) == pytest.approx((3 * EPS) ** (1 / 3), rel=1e-6)
    np.testing.assert_allclose(principled_step([1e-6, 0.0, 2.0]),
                               (3 * EPS) ** (1 / 3) * np.array([1e-6, 1.0, 2.0]), rtol=1e-6)


@pytest.mark.parametrize("bad", [np.nan, np.inf, "x", 1j, np.full(500, np.nan)])
def test_principled_step_refuses_in_one_short_sentence(bad):
    with pytest.raises(ValueError, match="finite real") as info:
        principled_step(bad)
    assert len(str(info.value)) < 200
    with pytest.raises(ValueError, match="typical"):
        principled_step(1.0, typical=0.0)


def _ulps_by_stepping(value: float, truth) -> int:
    """Whole doubles from the double nearest the truth to value, counted with np.nextafter."""
    start, steps = float(truth), 0
    toward = np.inf if value > start else -np.inf
    while start != value:
        start = float(np.nextafter(start, toward))
        steps += 1
    return steps


def test_tanh_at_1_5_analytic_and_autograd_against_a_50_digit_truth():
    import mpmath

    with mpmath.workdps(50):
        truth = mpmath.sech(mpmath.mpf(1.5)) ** 2  # d tanh / dx = sech^2
        unit = mpmath.mpf(float(np.spacing(float(truth))))
        row = next(r for r in check_autograd([CATALOG["tanh(x)"]]) if r.x == 1.5)
        expected_analytic = float(abs(mpmath.mpf(row.analytic) - truth) / unit)
        expected_autograd = float(abs(mpmath.mpf(row.autograd) - truth) / unit)
    assert row.truth == float(truth)
    assert row.analytic_ulps == pytest.approx(expected_analytic, rel=1e-9)
    assert row.autograd_ulps == pytest.approx(expected_autograd, rel=1e-9)
    assert row.analytic_ulps == pytest.approx(6.3, abs=0.05)  # the figures
    assert row.autograd_ulps == pytest.approx(2.7, abs=0.05)
    # counted another way: whole doubles between the rounded truth and each value
    assert abs(_ulps_by_stepping(row.analytic, truth) - row.analytic_ulps) <= 0.5
    assert abs(_ulps_by_stepping(row.autograd, truth) - row.autograd_ulps) <= 0.5


def test_ulp_error_agrees_with_nextafter_stepping():
    from mathcore import ulp_error

    for k in (0, 1, 2, 7, 100):
        value = 1.5
        for _ in range(k):
            value = float(np.nextafter(value, 2.0))
        assert ulp_error(value, 1.5) == k
    assert ulp_error(0.1, "0.1") == pytest.approx(0.4, abs=1e-12)  # 0.1 is stored 5.55e-18 high
    with pytest.raises(ValueError, match="finite"):
        ulp_error(np.nan, 1.0)


def test_every_autograd_row_is_measured_against_the_truth():
    import mpmath

    rows = check_autograd()
    for r in rows:
        assert abs(r.truth - r.analytic) <= 64 * np.spacing(abs(r.truth)) + 1e-300
        assert r.autograd_ulps <= 16 and r.analytic_ulps <= 16
    assert np.median([r.autograd_ulps for r in rows]) <= 1.0
    x2 = next(r for r in rows if r.function == "x^2" and r.x == 0.7)
    assert x2.truth == 1.4 and x2.analytic_ulps <= 0.5  # 2x is one correctly rounded product
    with mpmath.workdps(50):
        s = 1 / (1 + mpmath.exp(-(2 * mpmath.mpf(1.5) - 1)))
        assert next(r for r in rows if r.function == "sigmoid(2x-1)" and r.x == 1.5).truth == float(2 * s * (1 - s))


def test_summaries_name_points_and_the_worst_of_them():
    from mathcore import summarise_autograd

    rows = check_autograd([CATALOG["tanh(x)"], CATALOG["x^3"]])
    tanh, cube = summarise_autograd(rows)
    assert tanh.points == CATALOG["tanh(x)"].points and len(tanh.points) == 5
    assert tanh.analytic_ulps == max(r.analytic_ulps for r in rows if r.function == "tanh(x)")
    worst = max((r for r in rows if r.function == "tanh(x)"), key=lambda r: r.autograd_ulps)
    assert (tanh.autograd_ulps, tanh.worst_autograd_x) == (worst.autograd_ulps, worst.x)
    assert cube.function == "x^3" and cube.gradcheck
    with pytest.raises(ValueError, match="AutogradCheck"):
        summarise_autograd([1])
