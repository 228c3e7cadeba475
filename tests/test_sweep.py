"""Error sweeps: where the optimum lies, how the model bounds the error, the zero floor."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mathcore import ERROR_FLOOR, ErrorSweep, error_sweep

EPS64 = np.finfo(np.float64).eps
EPS32 = np.finfo(np.float32).eps


def test_fields_and_default_grid():
    s = error_sweep(np.exp, np.exp, 1.0)
    assert isinstance(s, ErrorSweep)
    assert s.h[0] == pytest.approx(1e-16) and s.h[-1] == pytest.approx(1.0)
    assert len(s.h) >= 400 and np.all(np.diff(np.log10(s.h)) > 0)
    for name in ("h", "estimate", "error", "relative_error", "model_error"):
        assert getattr(s, name).shape == s.h.shape
    np.testing.assert_allclose(s.relative_error, s.error / np.e)
    assert s.best_error == s.error.min() and s.best_h == s.h[np.argmin(s.error)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.best_h = 1.0  # type: ignore[misc]


def test_forward_optimum_near_sqrt_eps_for_exp():
    s = error_sweep(np.exp, np.exp, 1.0, scheme="forward")
    assert np.sqrt(EPS64) / 10 < s.best_h < np.sqrt(EPS64) * 10
    # The model's optimum for exp at 1: 2 sqrt(eps |f| / |f''|) = 2 sqrt(eps).
    assert s.model_best_h == pytest.approx(2 * np.sqrt(EPS64), rel=1e-3)


def test_central_optimum_near_cube_root_of_eps_for_exp():
    s = error_sweep(np.exp, np.exp, 1.0, scheme="central")
    assert EPS64 ** (1 / 3) / 10 < s.best_h < EPS64 ** (1 / 3) * 10
    assert s.model_best_h == pytest.approx((3 * EPS64) ** (1 / 3), rel=1e-3)
    assert s.best_error < error_sweep(np.exp, np.exp, 1.0, scheme="forward").best_error / 100


def test_float32_forward_optimum_near_3e_minus_4():
    s = error_sweep(np.exp, np.exp, 1.0, scheme="forward", dtype=np.float32)
    assert s.estimate.dtype == np.float32
    assert 3e-5 < s.best_h < 3e-3
    assert s.model_best_h == pytest.approx(2 * np.sqrt(EPS32), rel=1e-3)


def test_the_model_explains_the_measured_error():
    """Where truncation dominates, the measured error follows |f''| h / 2 to a few percent."""
    s = error_sweep(np.exp, np.exp, 1.0, h=np.logspace(-4, -2, 9), scheme="forward")
    np.testing.assert_allclose(s.error, s.model_error, rtol=0.02)
    c = error_sweep(np.exp, np.exp, 1.0, h=np.logspace(-3, -1, 9), scheme="central")
    np.testing.assert_allclose(c.error, c.model_error, rtol=0.05)


def test_model_bounds_roundoff_region_on_average():
    s = error_sweep(np.exp, np.exp, 1.0, h=np.logspace(-14, -10, 41), scheme="forward")
    ratio = s.error / s.model_error
    assert np.median(ratio) < 1.0 and np.median(ratio) > 1e-2


def test_complex_step_is_flat_at_the_roundoff_floor():
    s = error_sweep(np.sin, np.cos, 0.7, scheme="complex-step")
    small = s.h <= 1e-8
    assert np.all(s.error[small] <= 4 * np.spacing(np.cos(0.7)))


def test_exact_zero_is_drawn_at_the_named_floor():
    s = error_sweep(lambda x: 3 * x, lambda x: np.full_like(x, 3.0), 1.0,
                    h=np.array([0.5, 0.25, 0.125]), scheme="forward")
    assert np.all(s.error == 0) and np.all(s.at_floor)
    assert s.floor == ERROR_FLOOR
    assert np.all(s.plotted_error == ERROR_FLOOR) and np.all(np.isfinite(np.log10(s.plotted_error)))


@pytest.mark.parametrize("scheme", ["forward", "backward", "central", "complex-step", "richardson"])
def test_every_scheme_sweeps(scheme):
    s = error_sweep(np.exp, np.exp, 1.0, scheme=scheme)
    assert np.all(np.isfinite(s.model_error)) and s.h.min() <= s.model_best_h <= s.h.max()
    assert np.all(np.isfinite(np.log10(s.plotted_error)))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scheme": "sideways"}, "scheme must be one of"),
        ({"dtype": np.int32}, "dtype must be float32 or float64"),
        ({"h": [1e-3, 0.0]}, "strictly positive"),
        ({"h": [np.nan]}, "finite"),
        ({"x": np.nan}, "finite"),
        ({"x": [1.0, 2.0]}, "single point"),
        ({"x": -1.0, "f": np.log, "df": lambda x: 1 / x}, "domain"),
    ],
)
def test_bad_sweeps_are_refused(kwargs, match):
    args = {"f": np.exp, "df": np.exp, "x": 1.0} | kwargs
    with pytest.raises(ValueError, match=match):
        error_sweep(**args)


def test_error_model_lines_have_the_textbook_slopes():
    from mathcore import error_model

    h = np.logspace(-12, -2, 11)
    for scheme, order in (("forward", 1), ("central", 2), ("richardson", 4)):
        m = error_model(np.exp, np.exp, 1.0, h=h, scheme=scheme)
        assert np.polyfit(np.log10(h), np.log10(m.truncation), 1)[0] == pytest.approx(order, abs=1e-6)
        assert np.polyfit(np.log10(h), np.log10(m.roundoff), 1)[0] == pytest.approx(-1, abs=1e-9)
        np.testing.assert_allclose(m.total, m.truncation + m.roundoff)
    forward = error_model(np.exp, np.exp, 1.0, h=h)
    np.testing.assert_allclose(forward.truncation, np.e * h / 2, rtol=1e-6)  # |f''| h / 2
    np.testing.assert_allclose(forward.roundoff, 2 * EPS64 * np.e / h, rtol=1e-12)  # 2 eps |f| / h
    flat = error_model(np.exp, np.exp, 1.0, h=h, scheme="complex-step")
    assert np.all(flat.roundoff == flat.roundoff[0])
