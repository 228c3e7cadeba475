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
