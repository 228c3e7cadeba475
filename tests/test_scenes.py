"""Every scene renders in both themes, and the numbers it shows are mathcore's numbers."""

from __future__ import annotations


import numpy as np
import pytest

import mathcore
from pipeline.specs import SCENES
from scenes.style import THEMES
from tests.helpers import TINY, probe

pytestmark = pytest.mark.render


def _hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)])


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize("scene", list(SCENES))
def test_scene_renders_in_theme(rendered, scene, theme):
    result, shown = rendered(scene, theme)
    info = probe(result.path)
    assert info.codec == "h264" and (info.width, info.height) == TINY and len(info.frames) > 5
    corner = info.frames[-1][2, 2, :3].astype(int)
    assert np.abs(corner - _hex_rgb(THEMES[theme].background)).max() <= 12
    assert result.captions is not None and "-->" in result.captions.read_text()
    assert shown  # the scene recorded what it showed


def test_tangent_final_slope_is_mathcores(rendered):
    _, shown = rendered("tangent", "dark")
    assert shown["final_h"] == pytest.approx(1e-3, rel=1e-12)
    # The closed form for x^2: 2 x0 + h = 2.001; and mathcore's own value, to the last bit.
    assert shown["final_slope"] == pytest.approx(2.001, rel=1e-9)
    assert shown["final_slope"] == float(mathcore.secant_slope(lambda x: x**2, 1.0, shown["final_h"]))
    assert shown["initial_slope"] == pytest.approx(3.0, rel=1e-12)
    assert shown["tangent_slope"] == 2.0


def test_tangent_takes_a_function_and_point(rendered):
    _, shown = rendered("tangent", "dark", function="sin(x)", x0=0.5, h_min=1e-4, h_max=0.5)
    assert shown["tangent_slope"] == pytest.approx(np.cos(0.5), rel=1e-14)
    assert shown["final_slope"] == pytest.approx(
        float(mathcore.secant_slope(np.sin, 0.5, shown["final_h"])), rel=1e-12)


def test_error_marks_mathcores_optimal_steps(rendered):
    _, shown = rendered("error", "dark")
    eps64, eps32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
    forward = mathcore.error_sweep(np.exp, np.exp, 1.0, scheme="forward")
    assert shown["h_star_forward"] == pytest.approx(forward.model_best_h, rel=1e-9)
    assert shown["h_star_forward"] == pytest.approx(np.sqrt(eps64), rel=1e-3)  # exp at 1
    assert shown["h_star_central"] == pytest.approx((3 / 4 * eps64) ** (1 / 3), rel=1e-3)
    assert shown["h_star_other"] == pytest.approx(np.sqrt(eps32), rel=1e-3)  # float32
    assert 3e-5 < shown["measured_best_h_other"] < 3e-3
    assert shown["floor"] == mathcore.ERROR_FLOOR
    assert shown["complex_step_at_floor"] > 0  # exact zeros drawn, not dropped


def test_sigmoid_zone_edge_is_mathcores(rendered):
    _, shown = rendered("sigmoid", "dark")
    assert shown["zone_edge"] == float(mathcore.vanishing_zone(0.01))
    assert round(shown["zone_edge"], 4) == 4.5849
    assert shown["peak"] == 0.25
    assert shown["final_sigma_prime"] == pytest.approx(float(mathcore.sigmoid_prime(9.0)), rel=1e-12)


def test_sigmoid_threshold_parameter(rendered):
    _, shown = rendered("sigmoid", "light", threshold=0.1)
    assert shown["zone_edge"] == pytest.approx(float(mathcore.vanishing_zone(0.1)), rel=1e-15)


def test_rules_show_the_verifier_rows(rendered):
    _, shown = rendered("rules", "dark")
    rows = {(r.function, r.x): r for r in mathcore.verify_rules()}
    for rule in ("power", "product", "chain"):
        row = rows[(shown[rule]["function"], shown[rule]["x"])]
        assert shown[rule]["analytic"] == row.analytic
        assert shown[rule]["numerical"] == row.numerical
        assert shown[rule]["mark"] == ("check" if row.passed else "cross")


def test_autograd_shows_the_checker_rows(rendered):
    _, shown = rendered("autograd", "dark")
    checks = mathcore.check_autograd()
    worst = {}
    for c in checks:
        worst[c.function] = max(worst.get(c.function, 0), c.ulps)
    assert shown["ulps"] == worst
    assert shown["worst_ulps"] == max(worst.values()) <= 16
    assert all(1e-14 < e < 1e-6 for e in shown["fd_error"].values())


def test_error_scene_draws_a_linear_function(rendered):
    """f'' = 0: no truncation line to draw, and every forward error is exact or round-off."""
    _, shown = rendered("error", "dark", function="3*x+1", x0=2.0)
    assert 1e-16 <= shown["h_star_forward"] <= 1.0  # clipped to the swept range, not inf or NaN


def test_tangent_near_a_pole(rendered):
    _, shown = rendered("tangent", "dark", function="1/x", x0=0.5, h_max=0.4)
    assert shown["tangent_slope"] == -4.0  # d/dx 1/x = -1/x^2 at 0.5
    assert shown["final_slope"] == pytest.approx(-1 / (0.5 * (0.5 + shown["final_h"])), rel=1e-9)
